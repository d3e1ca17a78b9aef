// Process and system tools: ps, kill, systemctl, mount, useradd, … — read-only
// inspection, or privileged when they change the machine rather than files.
import { READ_ONLY, show, verdict, type Family, type Rule } from "./risk";

const readOnly: Rule = () => READ_ONLY;
const privileged: Rule = ({ argv, name }) => verdict("privileged", `${show(argv)}: ${name} changes the system`);

const INSPECT = [
  "ps", "pgrep", "pidof", "top", "htop", "lsof", "who", "w", "last", "dmesg", "vmstat", "iostat", "mpstat", "lsmod",
  "lspci", "lsusb", "getent", "env", "jobs", "wait", "history", "ulimit", "umask", "times", "dirs",
] as const;

const PRIVILEGED = [
  "sudo", "su", "doas", "pkexec", "mount", "umount", "setcap", "insmod", "modprobe", "rmmod", "iptables", "ip6tables",
  "nft", "ufw", "firewall-cmd", "chroot", "useradd", "userdel", "usermod", "groupadd", "groupdel", "groupmod", "adduser",
  "deluser", "passwd", "chpasswd", "visudo", "reboot", "shutdown", "halt", "poweroff", "init", "telinit", "swapon",
  "swapoff", "fdisk", "sfdisk", "parted", "gdisk", "losetup", "cryptsetup", "dmsetup", "nsenter", "unshare", "capsh",
  "chattr", "ldconfig", "update-alternatives", "killall5", "launchctl", "service", "setenforce", "sysrq",
] as const;

const kill: Rule = ({ argv, name }) => {
  // `kill -9 -1`, `kill -- -1`: a last word of -1 is a target meaning every process the user can signal.
  if (name === "kill" && argv.length > 1 && argv.at(-1) === "-1") return verdict("privileged", `${show(argv)}: signals every process`);
  return verdict("write", `${show(argv)}: signals processes`);
};

const systemctl: Rule = ({ argv, name }) => {
  const sub = argv.slice(1).find((a) => !a.startsWith("-"));
  return sub === undefined || /^(status|show|cat|list-.*|is-.*|help)$/.test(sub) ? READ_ONLY : verdict("privileged", `${show(argv)}: ${name} changes services`);
};

const crontab: Rule = ({ argv }) => (argv.length === 2 && argv[1] === "-l" ? READ_ONLY : verdict("privileged", `${show(argv)}: installs scheduled commands`));

const sysctl: Rule = ({ argv }) =>
  argv.some((a) => a === "-w" || a.includes("=") || a === "-p" || a === "--system") ? verdict("privileged", `${show(argv)}: changes kernel settings`) : READ_ONLY;

const date: Rule = ({ argv }) =>
  argv.some((a) => a === "-s" || a.startsWith("--set")) ? verdict("privileged", `${show(argv)}: sets the system clock`) : READ_ONLY;

const hostname: Rule = ({ argv }) =>
  argv.slice(1).some((a) => !a.startsWith("-") || a === "-F" || a === "--file") ? verdict("privileged", `${show(argv)}: sets the host name`) : READ_ONLY;

const ip: Rule = ({ argv }) =>
  argv.slice(1).some((a) => /^(add|del|delete|set|change|replace|flush|append|prepend|exec)$/.test(a)) ? verdict("privileged", `${show(argv)}: changes network configuration`) : READ_ONLY;

export const system: Family = {
  rules: {
    ...Object.fromEntries(INSPECT.map((n) => [n, readOnly])),
    ...Object.fromEntries(PRIVILEGED.map((n) => [n, privileged])),
    kill, pkill: kill, killall: kill, systemctl, crontab, sysctl, date, hostname, hostnamectl: systemctl, timedatectl: systemctl, ip, ifconfig: ip, route: ip,
  },
  anyArgs: ["ps", "pgrep", "pidof", "who", "w", "last", "jobs", "wait", "dirs"],
};
