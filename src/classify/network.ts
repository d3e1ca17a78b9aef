// Network clients: curl, wget, ssh, rsync, nc, … are network; options that
// run local programs (ssh -o ProxyCommand, rsync -e, socat EXEC:) are not.
import { replaces } from "./overwrite";
import { isLong, optionValue, shortFlags, show, verdict, worst, type Family, type ProgramRule, type RuleContext, type RiskVerdict } from "./risk";

const net: ProgramRule = ({ argv, name }) => verdict("network", `${show(argv)}: ${name} contacts the network`);

// ssh to this machine or as root reaches outside the sandbox through the host's sshd.
const LOCAL_HOST = /(^|@)(localhost|127\.[0-9.]+|::1|0\.0\.0\.0|\[::1\])$/;

/** Whether an ssh destination is this machine or root anywhere. */
function isLocalOrRoot(destination: string): boolean {
  const host = destination.replace(/^ssh:\/\//, "").replace(/:[0-9]*$/, "");
  return LOCAL_HOST.test(host) || /^root@/.test(host);
}

const SSH_EXEC_OPTIONS = /^(ProxyCommand|LocalCommand|PermitLocalCommand|KnownHostsCommand|ProxyUseFdpass|Match)/i;

const SSH_WITH_VALUE = new Set(["-b", "-c", "-D", "-E", "-e", "-F", "-I", "-i", "-J", "-L", "-l", "-m", "-O", "-o", "-p", "-P", "-Q", "-R", "-S", "-W", "-w", "-B"]);

const ssh: ProgramRule = ({ argv, name }) => {
  const verdicts: RiskVerdict[] = [verdict("network", `${show(argv)}: ${name} connects to a remote host`)];
  const user = optionValue(argv, ["-l"]);
  const destination = argv.find((a, i) => i > 0 && !a.startsWith("-") && !SSH_WITH_VALUE.has(argv[i - 1]!));
  // scp and sftp name hosts in their operands: user@host:path.
  const hosts = name === "ssh" ? [destination] : argv.slice(1).filter((a) => REMOTE.test(a)).map((a) => a.replace(/^rsync:\/\//, "").split(":")[0]);
  if (user === "root" || hosts.some((host) => host !== undefined && isLocalOrRoot(host))) {
    verdicts.push(verdict("privileged", `${show(argv)}: ${name} to this machine or as root reaches outside the sandbox`));
  }
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    const option = arg === "-o" ? argv[i + 1] ?? "" : arg.startsWith("-o") ? arg.slice(2) : undefined;
    if (option !== undefined && SSH_EXEC_OPTIONS.test(option)) verdicts.push(verdict("unknown", `${name} -o ${option}: runs a local command`));
    if (arg === "-S" && name !== "ssh") verdicts.push(verdict("unknown", `${name} -S ${argv[i + 1] ?? ""}: runs another program as ssh`));
    if (arg === "-F") verdicts.push(verdict("unknown", `${name} -F ${argv[i + 1] ?? ""}: config file can run local commands`));
  }
  return worst(...verdicts);
};

const REMOTE = /^([\w.-]+@)?[\w.-]+:|^rsync:\/\//;

const rsync: ProgramRule = ({ argv }, ctx) => {
  const operands = argv.slice(1).filter((a) => !a.startsWith("-"));
  const verdicts: RiskVerdict[] = [];
  const shell = optionValue(argv, ["-e", "--rsh"]);
  if (shell !== undefined) verdicts.push(ctx.script(shell, "rsync -e"));
  const path = optionValue(argv, ["--rsync-path"]);
  if (path !== undefined) verdicts.push(verdict("unknown", `rsync --rsync-path=${path}: runs a program on the remote side`));
  verdicts.push(operands.some((o) => REMOTE.test(o)) ? verdict("network", `${show(argv)}: copies to or from a remote host`) : verdict("write", `${show(argv)}: copies files`));
  verdicts.push(...localDestination(argv, ctx));
  const host = operands.filter((o) => REMOTE.test(o)).map((o) => o.replace(/^rsync:\/\//, "").split(/[:/]/)[0]!).find(isLocalOrRoot);
  if (host) verdicts.push(verdict("privileged", `${show(argv)}: rsync to this machine or as root reaches outside the sandbox`));
  if (argv.some((a) => a.startsWith("--del") || isLong(a, "--remove-source-files"))) verdicts.push(verdict("destructive", `${show(argv)}: deletes files at the destination`));
  return worst(...verdicts);
};

// Sockets of daemons that run commands as root or as the user: container engines, init, the session bus.
const DAEMON_SOCKET = /(docker|podman|containerd|crio|buildkit|lxd|incus|systemd|dbus|bus|launchd|snapd|libvirt)[^/]*$|\/run\/user\/|\/var\/run\/|^\/run\//;

const socat: ProgramRule = ({ argv }) => {
  if (argv.some((a) => /^(EXEC|SYSTEM):/i.test(a))) return verdict("execute", `${show(argv)}: socat EXEC/SYSTEM runs a program`);
  const unix = argv.find((a) => /^(UNIX(-CONNECT|-CLIENT|-SENDTO)?|ABSTRACT(-CONNECT|-CLIENT)?):/i.test(a));
  if (unix && DAEMON_SOCKET.test(unix.slice(unix.indexOf(":") + 1).split(",")[0]!)) return verdict("privileged", `${show(argv)}: socat talks to a system daemon's socket`);
  return verdict("network", `${show(argv)}: socat opens connections`);
};

// curl --unix-socket to a daemon's socket asks it to run things (the Docker API starts containers).
// The file a download is saved to: curl -o FILE / -O (the URL's last path part, in --output-dir), wget -O FILE.
function downloadTarget(argv: readonly string[], name: string): string | undefined {
  if (name === "wget") return optionValue(argv, ["-O", "--output-document"]);
  const out = optionValue(argv, ["-o", "--output"]);
  const remote = argv.includes("-O") || argv.some((a) => /^-[a-zA-Z]*O$/.test(a)) || isLong(argv.find((a) => a.startsWith("--remote-n")) ?? "", "--remote-name");
  const url = argv.slice(1).find((a) => /^[a-z]+:\/\//i.test(a));
  const file = out ?? (remote && url ? url.replace(/[?#].*$/, "").replace(/^.*\//, "") : undefined);
  const dir = optionValue(argv, ["--output-dir"]);
  return file && dir !== undefined && !file.startsWith("/") ? `${dir}/${file}` : file;
}

const curl: ProgramRule = ({ argv, name }, ctx) => {
  const socket = optionValue(argv, ["--unix-socket", "--abstract-unix-socket"]);
  if (socket !== undefined) return verdict("privileged", `${show(argv)}: ${name} --unix-socket ${socket} talks to a local daemon`);
  const target = downloadTarget(argv, name);
  const contacts = verdict("network", `${show(argv)}: ${name} contacts the network`);
  return target ? worst(contacts, replaces(target, ctx, `${name} saving to ${target}`)) : contacts;
};

// scp and rsync to a local destination replace an existing file of that name.
function localDestination(argv: readonly string[], ctx: RuleContext): RiskVerdict[] {
  const operands = argv.slice(1).filter((a, i) => !a.startsWith("-") && !SSH_WITH_VALUE.has(argv[i]!));
  const dest = operands.length >= 2 ? operands[operands.length - 1]! : undefined;
  return dest && !REMOTE.test(dest) ? [replaces(dest, ctx, `${argv[0]} to ${dest}`)] : [];
}

const netcat: ProgramRule = ({ argv, name }) => {
  const flags = shortFlags(argv);
  return flags.has("e") || flags.has("c") || argv.some((a) => a.startsWith("--exec") || a.startsWith("--sh-exec"))
    ? verdict("unknown", `${show(argv)}: ${name} -e runs a program for the connection`)
    : verdict("network", `${show(argv)}: ${name} opens a connection`);
};

const docker: ProgramRule = ({ argv, name }) => verdict("privileged", `${show(argv)}: ${name} talks to a daemon that is root-equivalent`);

const NET_CLIENTS = [
  "ftp", "telnet", "ping", "ping6", "dig", "nslookup", "host", "traceroute", "tracepath",
  "mtr", "http", "https", "xh", "aria2c", "whois", "nmap", "ssh-keyscan",
];

export const network: Family = {
  rules: {
    ...Object.fromEntries(NET_CLIENTS.map((n) => [n, net])),
    curl, wget: curl, ssh, scp: (cmd, ctx) => worst(ssh(cmd, ctx), ...localDestination(cmd.argv, ctx)), sftp: ssh, rsync, socat, nc: netcat, ncat: netcat, netcat, docker, "docker-compose": docker, podman: docker, nerdctl: docker,
  },
};
