// Per-program rules: which arguments keep a command read-only, and what makes
// it write, reach the network, destroy work or need privileges.
import { beforeAll, describe, expect, it } from "vitest";
import { classifyArgv, loadParser } from "../../../src/classify";
import { expectRisk } from "./helpers";

beforeAll(async () => {
  await loadParser();
});

describe("read-only commands", () => {
  it.each([
    "ls -la", "cat README.md | grep -n foo | head -5", "wc -l src/*.ts", "find . -name '*.ts' -type f",
    "rg -n 'TODO' src", "grep -rn foo . || true", "sed -n '1,20p' f", "sed 's/a/b/g; /x/d' f", "sed -e 's/a/b/' -e 'p' f",
    "awk -F: '{ print NF }' /etc/passwd", "awk 'NR > 100 && NF != 3 { n++ } END { print n }' f",
    "sort -u f | uniq -c", "jq '.name' package.json", "git status", "git log --oneline -5", "git diff HEAD~1",
    "git show HEAD:README.md", "git branch", "git branch -a", "git tag", "git stash list", "git config --get user.name",
    "git -C . status", "git remote -v", "git -c color.ui=never -c pager.log=false log -3", "npm ls", "pip list", "ps aux", "echo hi >/dev/null 2>&1", "tail -f log.txt",
    "stat -c %s f", "diff -u a b", "tar -tzf a.tgz", "systemctl status ssh", "crontab -l", "date +%s", "env", "command -v git",
    "cd src && ls", "test -f x && echo yes", "[ -d src ] || echo no", "[[ -n $x ]]", "x=1; echo $x", "echo \"$(date)\"",
    "printf '%s\\n' a b | sort", "cat <<'EOF'\n$(not run)\nEOF",
  ])("%s", (script) => {
    expectRisk(script, "read-only");
  });
});

describe("writes", () => {
  it.each([
    ["touch f", "touch f: changes files"],
    ["mkdir -p a/b", "changes files"],
    ["cp a b", "cp a b: changes files"],
    ["mv a b", "mv a b: changes files"],
    ["rm -rf /tmp/build", "deletes files"],
    ["sed -i 's/a/b/' f", "sed -i: edits files in place"],
    ["sed 'w out.txt' f", "sed w out.txt: writes a file"],
    ["sort -o out f", "sort -o out: writes out"],
    ["find . -fprint out", "find -fprint out: writes a file"],
    ["echo hi > new.txt", "> new.txt: writes new.txt"],
    ["echo hi >> log.txt", ">> log.txt: appends to log.txt"],
    ["ls | tee out.txt", "tee out.txt: writes out.txt"],
    ["git commit -m x", "git commit -m x: changes the repository"],
    ["git checkout -b feature", "switches or updates files"],
    ["git restore --staged f", "unstages files"],
    ["git branch -d old", "changes branches"],
    ["chmod 644 f", "changes file metadata"],
    ["tar -xzf a.tgz", "extracts files"],
  ])("%s", (script, reason) => {
    expectRisk(script, "write", reason);
  });
});

describe("network", () => {
  it.each([
    ["curl -fsSL https://example.com", "curl contacts the network"],
    ["wget https://example.com/x", "wget contacts the network"],
    ["ssh host uptime", "ssh connects to a remote host"],
    ["scp a host:b", "scp connects"],
    ["rsync -a src/ host:dst/", "copies to or from a remote host"],
    ["git fetch origin", "contacts a remote"],
    ["git pull", "contacts a remote"],
    ["git clone https://x/y", "contacts a remote"],
    ["git push origin main", "uploads commits"],
    ["nc example.com 80", "nc opens a connection"],
  ])("%s", (script, reason) => {
    expectRisk(script, "network", reason);
  });
});

describe("execute: code the kernel sandbox confines", () => {
  it.each([
    ["npm install", "npm install: runs the install scripts of the packages"],
    ["npm ci", "npm ci: runs the install scripts"],
    ["npm test", "npm test: runs package.json scripts"],
    ["npm run build", "npm run build: runs package.json scripts"],
    ["yarn", "yarn: yarn runs code named by the project's config"],
    ["npx eslint .", "npx eslint .: npx downloads and runs a package"],
    ["pip install requests", "pip install requests: builds run the packages' setup code"],
    ["python3 -m pip install x", "pip install x"],
    ["python3 -m venv .venv", "python3 -m venv: runs a module"],
    ["python3 -m pytest -q", "python3 -m pytest"],
    ["python3 -c 'print(1)'", "python3 -c runs inline code"],
    ["node -e 'process.exit()'", "node -e runs inline code"],
    ["perl -e 'print 1'", "perl -e runs inline code"],
    ["node scripts/build.js", "node runs a program"],
    ["bash ./run-tests.sh", "bash ./run-tests.sh: runs a script file"],
    ["source ./env.sh", "source ./env.sh: runs a script in this shell"],
    [". .venv/bin/activate", ". .venv/bin/activate: runs a script"],
    ["./configure --prefix=/usr", "./configure: runs a program from the workspace"],
    [".venv/bin/pytest", ".venv/bin/pytest: runs a program from the workspace"],
    ["make", "make runs recipes"],
    ["make -j4 test", "make runs recipes"],
    ["cmake -S . -B build", "cmake runs recipes"],
    ["cc -o hello hello.c", "cc runs or loads project code"],
    ["pytest -x tests/", "pytest runs or loads project code"],
    ["flake8 src", "flake8 runs or loads project code"],
    ["cargo test", "builds run build scripts"],
    ["go test ./...", "builds or runs code"],
    ["sleep 5 & wait", "&: runs a background job"],
    ["git -c user.name=x -c core.hooksPath=hooks commit -m m", "git -c core.hooksPath=hooks: config override can run programs"],
    ["git -c core.pager=cat log", "git -c core.pager=cat: config override"],
    ["git --exec-path=/tmp log", "--exec-path=/tmp"],
    ["git -C vendor/lib status", "git -C vendor/lib: uses another repository, whose config can run programs"],
    ["git diff --ext-diff", "--ext-diff"],
    ["git fetch --upload-pack=evil origin", "--upload-pack=evil"],
    ["rg -z foo", "rg --search-zip"],
    ["less README.md", "less: interactive pager"],
    ["eval ls", "eval: runs its arguments as shell code"],
  ])("%s", (script, reason) => {
    expectRisk(script, "execute", reason);
  });

  it("gives npm install the registry reason too", () => {
    expectRisk("npm install", "execute", "npm install: contacts the registry");
  });

  it("keeps what a git -c command key runs, when it is worse", () => {
    expectRisk("git -c core.pager='rm -rf src' log", "destructive", "rm -rf src: recursive forced delete");
    expectRisk("git -c alias.x='!git reset --hard' x", "destructive", "git reset --hard");
  });

  it("expanded arguments keep a build tool at execute", () => {
    expectRisk('make "$TARGET"', "execute", "make runs recipes");
    expectRisk("pytest $ARGS", "execute", "pytest runs or loads project code");
  });
});

describe("destructive", () => {
  it.each([
    ["rm -rf src", "rm -rf src: recursive forced delete of src"],
    ["rm -r build", "recursive delete of build"],
    ["rm -f notes.txt", "forced delete of notes.txt"],
    ["rm file.txt", "rm file.txt: deletes file.txt"],
    ["unlink file.txt", "deletes file.txt"],
    ["python3 -c 'import shutil; shutil.rmtree(\"src\")'", "code calls shutil.rmtree, which deletes files"],
    ["perl -e 'unlink 1'", "code calls unlink"],
    ["rm -rf /tmp/../home", "recursive forced delete of /tmp/../home"],
    ["git reset --hard HEAD~1", "git reset --hard HEAD~1: discards uncommitted changes"],
    ["git clean -fdx", "deletes untracked files"],
    ["git push --force origin main", "rewrites or deletes remote history"],
    ["git push -f", "rewrites or deletes remote history"],
    ["git push --force-with-lease", "rewrites or deletes remote history"],
    ["git push origin +main", "rewrites or deletes remote history"],
    ["git checkout -- .", "discards working-tree changes"],
    ["git restore .", "discards working-tree changes"],
    ["git branch -D feature", "deletes, overwrites or resets a branch"],
    ["git stash drop", "deletes stashed changes"],
    ["git stash clear", "deletes stashed changes"],
    ["find . -name '*.o' -delete", "find -delete: deletes every match"],
    ["mkfs.ext4 /dev/sdb1", "mkfs.ext4 destroys data"],
    ["shred -u secret", "shred destroys data"],
    ["chmod -R 777 .", "recursive chmod"],
    ["rsync -a --delete a/ b/", "deletes files at the destination"],
  ])("%s", (script, reason) => {
    expectRisk(script, "destructive", reason);
  });

  it("calls > onto an existing file destructive, and names it", () => {
    expectRisk("echo {} > package.json", "destructive", "> package.json: truncates the existing file package.json", ["/work/package.json"]);
  });

  it("calls > onto a file that does not exist a write", () => {
    expectRisk("echo {} > package.json", "write", "> package.json: writes package.json", []);
  });
});

describe("privileged", () => {
  it.each([
    ["sudo ls", "sudo: runs the command as another user"],
    ["doas ls", "doas: runs the command as another user"],
    ["su -", "su changes the system"],
    ["pkexec ls", "pkexec changes the system"],
    ["mount /dev/sdb1 /mnt", "mount changes the system"],
    ["systemctl restart nginx", "systemctl changes services"],
    ["service nginx stop", "service changes the system"],
    ["setcap cap_net_raw+ep ./x", "setcap changes the system"],
    ["modprobe dummy", "modprobe changes the system"],
    ["iptables -F", "iptables changes the system"],
    ["crontab -e", "installs scheduled commands"],
    ["kill -9 -1", "kill -9 -1: signals -1, which this script did not start"],
    ["chroot /mnt sh", "chroot changes the system"],
    ["useradd eve", "useradd changes the system"],
    ["passwd", "passwd changes the system"],
    ["apt-get install -y curl", "changes system packages"],
    ["chmod u+s ./x", "sets the setuid/setgid bit"],
    ["docker run --rm alpine", "root-equivalent"],
    ["chown -R me .", "chown gives files to another user or group"],
  ])("%s", (script, reason) => {
    expectRisk(script, "privileged", reason);
  });
});

describe("the script takes its highest risk", () => {
  it("network < destructive < privileged", () => {
    expectRisk("curl x; rm -rf src; sudo ls", "privileged", "sudo");
  });
});

describe("classifyArgv", () => {
  it("takes words literally: $HOME is a file name, not an expansion", () => {
    expect(classifyArgv(["cat", "$HOME"]).risk).toBe("read-only");
  });

  it("peels wrappers and classifies the program", () => {
    const result = classifyArgv(["timeout", "5", "rm", "-rf", "src"]);
    expect(result.risk).toBe("destructive");
    expect(result.commands[0]!.wrappers).toEqual(["timeout"]);
  });

  it("re-parses a literal bash -c script", () => {
    expect(classifyArgv(["bash", "-c", "ls; git push -f"]).reasons.join("\n")).toContain("rewrites or deletes remote history");
  });

  it("calls an empty argv unknown", () => {
    expect(classifyArgv([]).risk).toBe("unknown");
  });
});
