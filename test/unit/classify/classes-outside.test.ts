// Issue 15, classes 13–15: what reaches outside the sandbox is privileged, even
// though the kernel would refuse it — the decision and the audit trail see it.
import { beforeAll, describe, it } from "vitest";
import { loadParser } from "../../../src/classify";
import { expectRisk } from "./helpers";

beforeAll(async () => {
  await loadParser();
});

describe("class 13: targets outside the workspace are privileged", () => {
  it.each([
    ["cp evil /etc/cron.d/x", "changes /etc/cron.d/x, outside the workspace"],
    ["cp -t /usr/local/bin tool", "changes /usr/local/bin, outside the workspace"],
    ["install -m 755 tool /usr/local/bin/tool", "outside the workspace"],
    ["ln -sf /tmp/x /bin/ls", "changes /bin/ls"],
    ["mv a ~/.bashrc", "changes ~/.bashrc"],
    ["touch /etc/nologin", "changes /etc/nologin"],
    ["mkdir -p /Library/LaunchDaemons/x", "outside the workspace"],
    ["echo 1 > /proc/sys/vm/drop_caches", "> /proc/sys/vm/drop_caches: writes outside the workspace"],
    ["echo 'ssh-ed25519 AAAA' >> ~/.ssh/authorized_keys", ">> ~/.ssh/authorized_keys: writes outside the workspace"],
    ["echo x | sudo tee -a /etc/hosts", "tee -a /etc/hosts"],
    ["dd if=x of=/dev/sda", "changes /dev/sda"],
    ["chown root:root ./x", "chown gives files to another user or group"],
    ["tar -xzf a.tgz -C /usr", "changes /usr"],
    ["rm -f $HOME/.profile", "changes $HOME/.profile"],
  ])("%s", (script, reason) => {
    expectRisk(script, "privileged", reason);
  });

  it("an absolute path into the workspace itself is not outside", () => {
    expectRisk("touch /work/new.txt", "write", "changes files");
  });

  it("/dev/null and /tmp stay ordinary", () => {
    expectRisk("cp a /tmp/b; echo x > /dev/null", "write");
  });

  it("a /dev/tcp redirect is a connection, not a file outside", () => {
    expectRisk("echo hi > /dev/tcp/example.com/80", "network", "opens a network connection");
  });
});

describe("class 14: signals to processes outside the sandbox are privileged", () => {
  it.each([
    ["kill 1", "signals 1, which this script did not start"],
    ["kill -9 -1", "signals -1"],
    ["kill -- -1", "signals -1"],
    ["kill -HUP $PPID", "signals $PPID"],
    ["kill $(pgrep sshd)", "which this script did not start"],
    ["kill -s TERM 4242", "signals 4242"],
    ["pkill -u root", "pkill signals processes by name or user"],
    ["killall node", "killall signals processes by name"],
    ["sudo kill 1", "signals 1"],
  ])("%s", (script, reason) => {
    expectRisk(script, "privileged", reason);
  });

  it("signalling the script's own background job is a write", () => {
    expectRisk("sleep 10 & kill $!", "execute");
    expectRisk("kill %1", "write", "signals the script's own job");
  });

  it("kill -l only lists signals", () => {
    expectRisk("kill -l", "read-only");
  });
});

describe("class 15: asking something outside the sandbox to run a command is privileged", () => {
  it.each([
    ["tmux send-keys -t 0 'rm -rf ~' Enter", "tmux changes the system"],
    ["screen -S main -X stuff 'id\\n'", "screen changes the system"],
    ["echo 'rm -rf ~' | at now", "at changes the system"],
    ["batch < job.sh", "batch changes the system"],
    ["crontab job.txt", "installs scheduled commands"],
    ["systemd-run --user sh -c id", "systemd-run changes the system"],
    ["git maintenance start", "git maintenance start: schedules git"],
    ["dbus-send --session --dest=org.x / org.x.Run", "dbus-send changes the system"],
    ["busctl --user call org.x / org.x Run", "busctl changes the system"],
    ["gdbus call --session -d org.x -o / -m org.x.Run", "gdbus changes the system"],
    ["docker run --rm -v /:/host alpine", "root-equivalent"],
    ["podman exec c id", "root-equivalent"],
    ["curl --unix-socket /var/run/docker.sock http://x/containers/json", "--unix-socket /var/run/docker.sock"],
    ["socat - UNIX-CONNECT:/run/docker.sock", "system daemon's socket"],
    ["ssh localhost id", "to this machine or as root"],
    ["ssh root@build.example.com id", "to this machine or as root"],
    ["ssh -l root example.com", "to this machine or as root"],
    ["gdb -p 1234", "gdb attaches to a running process"],
    ["strace -p 1", "strace attaches to a running process"],
    ["run0 id", "run0 changes the system"],
    ["sudoedit /etc/hosts", "sudoedit changes the system"],
    ["pkexec id", "pkexec changes the system"],
    ["doas id", "doas: runs the command as another user"],
    ["sshfs host:/ mnt", "sshfs changes the system"],
    ["osascript -e 'do shell script \"id\"'", "osascript changes the system"],
    ["open -a Terminal .", "open changes the system"],
    ["launchctl load x.plist", "launchctl changes the system"],
    ["spctl --master-disable", "spctl changes the system"],
    ["csrutil disable", "csrutil changes the system"],
    ["diskutil eraseDisk APFS x disk2", "diskutil erases or deletes"],
    ["tmutil delete /Volumes/b/x", "tmutil erases or deletes"],
  ])("%s", (script, reason) => {
    expectRisk(script, "privileged", reason);
  });

  it("tracing a command the script runs is only execute", () => {
    expectRisk("strace -f -o trace.txt ls", "execute", "strace: traces a program");
  });

  it("ssh to another host stays network", () => {
    expectRisk("ssh deploy@example.com uptime", "network", "ssh connects to a remote host");
  });
});
