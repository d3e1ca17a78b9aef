// Families the fresh held-out-style audit found recognised too low: operands
// xargs reads, command names read from variables, commands stored in git
// config, installs outside the workspace, network settings, database clients.
import { beforeAll, describe, it } from "vitest";
import { loadParser } from "../../../src/classify";
import { expectRisk } from "./helpers";

beforeAll(async () => {
  await loadParser();
});

describe("xargs gives the program operands read from stdin", () => {
  it.each(["git ls-files | xargs rm", "find . -name '*.txt' -print0 | xargs -0 rm", "xargs -n1 unlink < list"])("%s deletes them", (script) => {
    expectRisk(script, "destructive", "(words from stdin)");
  });

  it.each(["ls | xargs echo", "find . -name '*.ts' | xargs grep -n TODO", "git ls-files | xargs wc -l"])("%s stays read-only", (script) => {
    expectRisk(script, "read-only");
  });
});

describe("a command name read from a variable is as risky as each literal value assigned to it", () => {
  it.each([
    ["R=rm; $R -rf src", "rm -rf src"],
    ['R="rm -rf"; $R src', "rm -rf src"],
    ["if x; then G=git; fi; ${G} clean -fdx", "git clean -fdx"],
  ])("%s", (script, reason) => {
    expectRisk(script, "destructive", reason);
  });

  it.each(["R=ls; $R", 'R=$(which rm); $R -rf src', '"$R" x', 'R="rm -rf"; "$R" src'])("never below unknown: %s", (script) => {
    expectRisk(script, "unknown", "command name is not literal");
  });
});

describe("commands stored in git config count as if they ran", () => {
  it.each([
    ["git config alias.x '!rm -rf src'", "rm -rf src"],
    ["git config core.pager 'rm -rf src'", "rm -rf src"],
  ])("%s", (script, reason) => {
    expectRisk(script, "destructive", reason);
  });

  it.each(["git config --global core.editor vim", "git config --system alias.x '!rm -rf src'"])("the user's or the system's config is outside the workspace: %s", (script) => {
    expectRisk(script, "privileged", "changes the user's or the system's git config");
  });

  it("other settings stay unknown (later git commands obey them)", () => {
    expectRisk("git config user.name x", "unknown", "persists configuration");
  });
});

describe("installs that land outside the workspace are privileged", () => {
  it.each([
    "npm install -g x", "npm i --global x", "npm uninstall -g x", "npm install --location=global x", "yarn global add x", "pnpm add -g x",
    "pip install --user x", "pip3 install --break-system-packages x", "gem install x", "cargo install ripgrep", "go install x@latest",
    "pipx install black", "uv tool install ruff", "brew install x",
  ])("%s", (script) => {
    expectRisk(script, "privileged", "outside the workspace");
  });

  it.each([["npm install", "execute"], ["pip install -r requirements.txt", "execute"], ["gem install -i vendor x", "execute"], ["go build ./...", "execute"], ["cargo build", "execute"], ["brew list", "read-only"]] as const)(
    "a project-local install is not: %s",
    (script, risk) => {
      expectRisk(script, risk);
    },
  );
});

describe("network settings", () => {
  it.each(["ifconfig eth0 down", "ifconfig eth0 10.0.0.2 netmask 255.0.0.0", "route add default gw 10.0.0.1"])("%s is privileged", (script) => {
    expectRisk(script, "privileged", "changes network configuration");
  });

  it.each(["ifconfig", "ifconfig -a", "ifconfig eth0", "route -n"])("%s is read-only", (script) => {
    expectRisk(script, "read-only");
  });
});

describe("database clients", () => {
  it.each([
    ["redis-cli FLUSHALL", "FLUSHALL"],
    ["psql -c 'DROP TABLE users'", "DROP TABLE"],
    ["mysql -e 'delete from users'", "delete from"],
    ["sqlite3 app.db 'TRUNCATE TABLE t'", "TRUNCATE TABLE t"],
  ])("%s deletes data", (script, reason) => {
    expectRisk(script, "destructive", reason);
  });

  it("a shell escape is unknown", () => {
    expectRisk("sqlite3 app.db '.shell touch x'", "unknown", ".shell runs a shell command");
  });

  it.each([["psql -c 'select 1'", "network"], ["redis-cli GET k", "network"], ["sqlite3 app.db 'select 1'", "write"]] as const)("%s is %s", (script, risk) => {
    expectRisk(script, risk);
  });
});

describe("cloud and cluster CLIs", () => {
  it.each([
    "kubectl delete ns prod", "helm uninstall x", "aws s3 rm s3://b --recursive", "aws s3 rb s3://b --force", "aws s3 sync . s3://b --delete",
    "aws ec2 terminate-instances --instance-ids i-1", "gsutil rm -r gs://b", "gcloud compute instances delete x", "az group delete -n x",
    "gh repo delete x --yes", "terraform destroy -auto-approve", "pulumi destroy --yes",
  ])("%s deletes resources", (script) => {
    expectRisk(script, "destructive", "deletes resources or data");
  });

  it.each([["kubectl get pods", "network"], ["aws s3 ls", "network"], ["gh pr list", "network"], ["terraform plan", "execute"]] as const)("%s is %s", (script, risk) => {
    expectRisk(script, risk);
  });
});

describe("inline interpreter code that hands a literal command to a shell", () => {
  it.each([
    "python3 -c \"import os; os.system('rm -rf src')\"", "node -e \"require('child_process').execSync('rm -rf src')\"", "perl -e 'system(\"rm -rf src\")'",
    "ruby -e '%x(rm -rf src)'", "ruby -e 'puts `rm -rf src`'", "perl -e 'print `rm -rf src`'", "php -r 'echo `rm -rf src`;'", "php -r 'shell_exec(\"rm -rf src\");'", "python3 -c 'import subprocess; subprocess.run([\"rm\", \"-rf\", \"src\"])'",
  ])("%s", (script) => {
    expectRisk(script, "destructive", "rm -rf src");
  });

  it("other inline code stays execute", () => {
    expectRisk("python3 -c 'print(1)'", "execute", "runs inline code");
  });

  // Backticks run a shell in Perl, Ruby and PHP; in JavaScript they are template literals.
  it.each(["node -e 'const u=`http://127.0.0.1:${port}/`; console.log(u)'", "node -e 'console.log(`${1 + 1} rm -rf src`)'", "nodejs --eval 'x=`$(id)`'"])("a JavaScript template literal is not a shell call: %s", (script) => {
    expectRisk(script, "execute", "inline code");
  });

  it.each(["npx rimraf dist", "pnpx rimraf@5 node_modules"])("packages that only delete: %s", (script) => {
    expectRisk(script, "destructive", "deletes its operands");
  });
});

describe("package-manager config outside the workspace", () => {
  it("npm config set writes ~/.npmrc", () => {
    expectRisk("npm config set registry http://x", "privileged", "global npm config");
  });

  it("with --location=project it writes the project's .npmrc", () => {
    expectRisk("npm config set registry http://x --location=project", "write");
  });
});

describe("everyday read-only forms the audit found unknown", () => {
  it.each([
    "journalctl -u ssh --no-pager -n 50", "ss -tlnp", "netstat -an", "yes | head -3", "zcat fixture.tgz | tar -t", "gzip -dc x.gz | head",
    "tar -xzf x.tgz -O docs/guide.md", "unzip -p x.zip README.md", "while IFS= read -r line; do echo \"$line\"; done < notes.txt",
    "IFS=, read -r a b <<< \"x,y\"", "time (ls -la)", "sort -u <(cat a b)", "diff <(sort a) <(sort b)", "hash",
  ])("%s", (script) => {
    expectRisk(script, "read-only");
  });

  it.each([
    ["journalctl --vacuum-size=1M", "privileged"], ["ss -K dst 10.0.0.1", "privileged"], ["gzip notes.txt", "write"], ["IFS=/ ls", "unknown"],
    ["time (rm -rf src)", "destructive"], ["cat <(rm -rf src)", "destructive"], ["hash -p ./x ls", "unknown"],
  ] as const)("but not %s", (script, risk) => {
    expectRisk(script, risk);
  });
});

describe("more forms that lose work or reach outside", () => {
  it.each([
    ["git tag -d v1", "deletes a tag"], ["git mv -f notes.txt README.md", "moves over an existing file"],
  ])("%s", (script, reason) => {
    expectRisk(script, "destructive", reason);
  });

  it("ln -n does not mean no-clobber", () => {
    expectRisk("ln -sfn notes.txt README.md", "destructive", "replaces the existing file README.md", ["/work/README.md"]);
  });

  it.each(["curl -sSLo README.md http://x", "wget -qO README.md http://x"])("a short-option cluster ending in -o/-O names the file: %s", (script) => {
    expectRisk(script, "destructive", "replaces the existing file README.md", ["/work/README.md"]);
  });

  it("a value glued to a cluster's first option is not read as a later option", () => {
    expectRisk("mysql -psecret -e 'drop table t'", "destructive", "drop table");
  });

  it.each(["scp mark.sh root@localhost:/usr/bin/", "rsync -a src/ root@127.0.0.1:/etc/", "scp x localhost:y"])("copies to this machine or as root: %s", (script) => {
    expectRisk(script, "privileged", "reaches outside the sandbox");
  });
});

describe("a quoted expansion names the same place outside the workspace", () => {
  it.each(['rm -rf "$HOME"', 'cp a "${HOME}/.bashrc"', 'rm -rf "$HOME/.ssh"'])("%s", (script) => {
    expectRisk(script, "privileged", "outside the workspace");
  });
});

describe("variables whose values the script shows", () => {
  it.each(['for f in README.md; do : > "$f"; done', "f=README.md; echo > $f"])("a redirection to one of them is as risky as the value: %s", (script) => {
    expectRisk(script, "destructive", "truncates the existing file README.md", ["/work/README.md"]);
  });

  it("a loop over a glob stays read-only for a reader", () => {
    expectRisk('for f in *.md; do cat "$f"; done', "read-only");
  });

  it("a loop variable named like an injection vector changes how later commands run", () => {
    expectRisk("for PATH in x; do ls; done", "unknown", "PATH=x");
  });
});

describe("calculators and release info are read-only", () => {
  it.each(["expr 2 + 3", "echo 1+2 | bc", "lsb_release -a"])("%s", (script) => {
    expectRisk(script, "read-only");
  });
});

describe("a script the script writes itself, then runs", () => {
  it.each([
    ["echo 'rm -rf src' > x.sh; bash x.sh", "bash x.sh (written by this script)"],
    ["printf 'rm -rf src\\n' > x.sh && chmod +x x.sh && ./x.sh", "./x.sh (written by this script)"],
    ["cat > run.sh <<'EOF'\ngit clean -fdx\nEOF\nsource run.sh", "source run.sh (written by this script)"],
    ["echo ls > x.sh; echo 'git reset --hard' >> x.sh; sh ./x.sh", "git reset --hard"],
    ["printf 'rm -rf src' | sh", "rm -rf src"],
  ])("%s", (script, reason) => {
    expectRisk(script, "destructive", reason);
  });

  it.each(["echo ls > x.sh; sh x.sh", "echo $X > x.sh; sh x.sh", "sh x.sh"])("is at least execute: %s", (script) => {
    expectRisk(script, "execute");
  });
});
