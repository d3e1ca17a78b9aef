// Process and system tools: ps, kill, systemctl, mount, useradd, … — read-only
// inspection, or privileged when they change the machine rather than files.
import { isLong, READ_ONLY, show, verdict, worst, type Family, type ProgramRule } from "./risk";

const readOnly: ProgramRule = () => READ_ONLY;
const privileged: ProgramRule = ({ argv, name }) => verdict("privileged", `${show(argv)}: ${name} changes the system`);

const INSPECT = [
  "ps", "pgrep", "pidof", "top", "htop", "lsof", "who", "w", "last", "dmesg", "vmstat", "iostat", "mpstat", "lsmod",
  "lspci", "lsusb", "getent", "env", "jobs", "wait", "ulimit", "umask", "times", "dirs", "atq", "netstat", "lsb_release",
] as const;

const PRIVILEGED = [
  "sudo", "su", "doas", "pkexec", "mount", "umount", "setcap", "insmod", "modprobe", "rmmod", "iptables", "ip6tables",
  "nft", "ufw", "firewall-cmd", "chroot", "useradd", "userdel", "usermod", "groupadd", "groupdel", "groupmod", "adduser",
  "deluser", "passwd", "chpasswd", "visudo", "reboot", "shutdown", "halt", "poweroff", "init", "telinit", "swapon",
  "swapoff", "fdisk", "sfdisk", "parted", "gdisk", "losetup", "cryptsetup", "dmsetup", "nsenter", "unshare", "capsh",
  "chattr", "renice", "ldconfig", "update-alternatives", "killall5", "launchctl", "service", "setenforce", "sysrq",
  // Asking something outside the sandbox to run a command: schedulers, buses, multiplexers, container engines.
  "at", "batch", "systemd-run", "dbus-send", "busctl", "gdbus", "qdbus", "dbus-launch", "gsettings", "dconf",
  "tmux", "screen", "byobu", "zellij", "ctr", "crictl", "lxc", "lxc-attach", "incus", "machinectl",
  "loginctl", "flatpak-spawn", "xdg-open", "gio", "notify-send", "run0", "sudoedit", "runuser", "setpriv", "newgrp", "sg",
  "sshfs", "fusermount", "fusermount3", "bindfs", "rclone", "bpftrace", "gcore",
  // macOS (the rest of its family, with its read-only forms, is in macos.ts).
  "osascript", "open",
] as const;

// Pids the script started itself: `$!` (the last background job) and job specs (%1).
const OWN_PID = /^(\$!|\$\{!\}|%[0-9+-]*)$/;
const KILL_OPTIONS_WITH_VALUE = new Set(["-s", "-n", "--signal"]);

// kill/pkill/killall: a target the script did not start is a process outside the sandbox's work.
const kill: ProgramRule = ({ argv, name }) => {
  if (name !== "kill") return verdict("privileged", `${show(argv)}: ${name} signals processes by name or user, not only the script's own`);
  const targets: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "-l" || arg === "-L" || arg === "--list" || arg === "--table") return READ_ONLY;
    if (KILL_OPTIONS_WITH_VALUE.has(arg)) i++;
    else if (arg === "--") targets.push(...argv.slice(i + 1));
    else if (!/^-[A-Za-z0-9]+$/.test(arg) || arg === "-1") targets.push(arg);
    if (arg === "--") break;
  }
  if (targets.length > 0 && targets.every((t) => OWN_PID.test(t))) return verdict("write", `${show(argv)}: signals the script's own job`);
  return verdict("privileged", `${show(argv)}: signals ${targets.join(" ") || "processes"}, which this script did not start`);
};

const systemctl: ProgramRule = ({ argv, name }) => {
  const sub = argv.slice(1).find((a) => !a.startsWith("-"));
  return sub === undefined || /^(status|show|cat|list-.*|is-.*|help)$/.test(sub) ? READ_ONLY : verdict("privileged", `${show(argv)}: ${name} changes services`);
};

const crontab: ProgramRule = ({ argv }) => (argv.length === 2 && argv[1] === "-l" ? READ_ONLY : verdict("privileged", `${show(argv)}: installs scheduled commands`));

const sysctl: ProgramRule = ({ argv }) =>
  argv.some((a) => a === "-w" || a.includes("=") || a === "-p" || a === "--system") ? verdict("privileged", `${show(argv)}: changes kernel settings`) : READ_ONLY;

const DATE_WITH_VALUE = new Set(["-d", "--date", "-r", "--reference", "-f", "--file", "-I", "-z", "-j", "-v"]);

// GNU `date -s`/`--set`; BSD `date [[[mm]dd]HH]MM[[cc]yy]`: an operand that is not a +FORMAT sets the clock.
const date: ProgramRule = ({ argv }) => {
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "-s" || isLong(arg, "--set")) return verdict("privileged", `${show(argv)}: sets the system clock`);
    if (DATE_WITH_VALUE.has(arg)) i++;
    else if (!arg.startsWith("-") && !arg.startsWith("+")) return verdict("privileged", `${show(argv)}: ${arg} sets the system clock (BSD date)`);
  }
  return READ_ONLY;
};

const dmesg: ProgramRule = ({ argv }) =>
  argv.some((a) => /^-[a-zA-Z]*[cCDEn]/.test(a) || ["--clear", "--read-clear", "--console-off", "--console-on", "--console-level"].some((n) => isLong(a, n)))
    ? verdict("privileged", `${show(argv)}: changes the kernel log`) : READ_ONLY;

// ss -K/--kill closes sockets of other processes.
const ss: ProgramRule = ({ argv }) => (argv.some((a) => /^-[a-zA-Z]*K/.test(a) || a === "--kill") ? verdict("privileged", `${show(argv)}: closes other processes' sockets`) : READ_ONLY);

// journalctl only reads, but for the options that rotate, vacuum, flush or sign the journal.
const journalctl: ProgramRule = ({ argv }) =>
  argv.some((a) => ["--rotate", "--flush", "--sync", "--relinquish-var", "--smart-relinquish-var", "--setup-keys", "--update-catalog"].includes(a) || /^--vacuum-/.test(a))
    ? verdict("privileged", `${show(argv)}: changes the system journal`) : READ_ONLY;

const history: ProgramRule = ({ argv }) =>
  argv.length === 1 || /^[0-9]+$/.test(argv[1] ?? "") ? READ_ONLY : verdict("write", `${show(argv)}: changes or writes the shell history`);

// Debuggers and tracers: attaching to a pid reaches a process outside; tracing a command runs it (confined).
const tracer: ProgramRule = ({ argv, name }, ctx) => {
  if (argv.some((a) => /^(-p|--pid|--attach|-pid|--pid=.*|-p[0-9]+)$/.test(a))) return verdict("privileged", `${show(argv)}: ${name} attaches to a running process`);
  const command = argv.findIndex((a, i) => i > 0 && !a.startsWith("-") && !/^-[oesEuOP]$/.test(argv[i - 1] ?? ""));
  return command === -1 ? verdict("execute", `${show(argv)}: ${name} runs a program`) : worst(verdict("execute", `${name}: traces a program`), ctx.inner(argv.slice(command), name));
};

const diskutil: ProgramRule = ({ argv, name }) =>
  argv.slice(1).some((a) => /^(erase|zero|secureErase|partitionDisk|reformat|eraseDisk|eraseVolume|apfs)/i.test(a) || /^delete/i.test(a))
    ? verdict("privileged", `${show(argv)}: ${name} erases or deletes volumes or backups`)
    : argv.slice(1).every((a) => /^(list|info|listbackups|latestbackup|machinedirectory|destinationinfo|isexcluded|status|version|-.*)$/.test(a) || !/^[a-z]/i.test(a)) ? READ_ONLY : verdict("privileged", `${show(argv)}: ${name} changes disks or backups`);

const hostname: ProgramRule = ({ argv }) =>
  argv.slice(1).some((a) => !a.startsWith("-") || a === "-F" || a === "--file") ? verdict("privileged", `${show(argv)}: sets the host name`) : READ_ONLY;

const ip: ProgramRule = ({ argv }) =>
  argv.slice(1).some((a) => /^(add|del|delete|set|change|replace|flush|append|prepend|exec)$/.test(a)) ? verdict("privileged", `${show(argv)}: changes network configuration`) : READ_ONLY;

// ifconfig [-a|-s|-v] [INTERFACE]: anything after the interface (up, down, an address, mtu …) changes it.
const ifconfig: ProgramRule = ({ argv }) =>
  argv.slice(1).filter((a) => !/^-[asvlLdu]+$/.test(a)).length > 1 ? verdict("privileged", `${show(argv)}: changes network configuration`) : READ_ONLY;

export const system: Family = {
  rules: {
    ...Object.fromEntries(INSPECT.map((n) => [n, readOnly])),
    ...Object.fromEntries(PRIVILEGED.map((n) => [n, privileged])),
    ss, journalctl, kill, pkill: kill, killall: kill, dmesg, history, strace: tracer, ltrace: tracer, gdb: tracer, lldb: tracer, perf: tracer, diskutil, tmutil: diskutil, systemctl, crontab, sysctl, date, hostname, hostnamectl: systemctl, timedatectl: systemctl, ip, ifconfig, route: ip,
  },
  // kill reads its targets itself: `$!` is the script's own job, any other expansion is not.
  anyArgs: ["ps", "pgrep", "pidof", "who", "w", "last", "jobs", "wait", "dirs", "kill", "lsof"],
};
