// Network clients: curl, wget, ssh, rsync, nc, … are network; options that
// run local programs (ssh -o ProxyCommand, rsync -e, socat EXEC:) are not.
import { optionValue, shortFlags, show, verdict, worst, type Family, type Rule, type Verdict } from "./risk";

const net: Rule = ({ argv, name }) => verdict("network", `${show(argv)}: ${name} contacts the network`);

const SSH_EXEC_OPTIONS = /^(ProxyCommand|LocalCommand|PermitLocalCommand|KnownHostsCommand|ProxyUseFdpass|Match)/i;

const ssh: Rule = ({ argv, name }) => {
  const verdicts: Verdict[] = [verdict("network", `${show(argv)}: ${name} connects to a remote host`)];
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

const rsync: Rule = ({ argv }, ctx) => {
  const operands = argv.slice(1).filter((a) => !a.startsWith("-"));
  const verdicts: Verdict[] = [];
  const shell = optionValue(argv, ["-e", "--rsh"]);
  if (shell !== undefined) verdicts.push(ctx.script(shell, "rsync -e"));
  const path = optionValue(argv, ["--rsync-path"]);
  if (path !== undefined) verdicts.push(verdict("unknown", `rsync --rsync-path=${path}: runs a program on the remote side`));
  verdicts.push(operands.some((o) => REMOTE.test(o)) ? verdict("network", `${show(argv)}: copies to or from a remote host`) : verdict("write", `${show(argv)}: copies files`));
  if (argv.some((a) => a.startsWith("--delete") || a === "--remove-source-files")) verdicts.push(verdict("destructive", `${show(argv)}: deletes files at the destination`));
  return worst(...verdicts);
};

const socat: Rule = ({ argv }) =>
  argv.some((a) => /^(EXEC|SYSTEM):/i.test(a)) ? verdict("unknown", `${show(argv)}: socat EXEC/SYSTEM runs a program`) : verdict("network", `${show(argv)}: socat opens connections`);

const netcat: Rule = ({ argv, name }) => {
  const flags = shortFlags(argv);
  return flags.has("e") || flags.has("c") || argv.some((a) => a.startsWith("--exec") || a.startsWith("--sh-exec"))
    ? verdict("unknown", `${show(argv)}: ${name} -e runs a program for the connection`)
    : verdict("network", `${show(argv)}: ${name} opens a connection`);
};

const docker: Rule = ({ argv, name }) => verdict("privileged", `${show(argv)}: ${name} talks to a daemon that is root-equivalent`);

const NET_CLIENTS = [
  "curl", "wget", "ftp", "telnet", "ping", "ping6", "dig", "nslookup", "host", "traceroute", "tracepath",
  "mtr", "http", "https", "xh", "aria2c", "gh", "glab", "kubectl", "helm", "aws", "gcloud", "az", "whois", "nmap", "ssh-keyscan",
];

export const network: Family = {
  rules: {
    ...Object.fromEntries(NET_CLIENTS.map((n) => [n, net])),
    ssh, scp: ssh, sftp: ssh, rsync, socat, nc: netcat, ncat: netcat, netcat, docker, "docker-compose": docker,
  },
};
