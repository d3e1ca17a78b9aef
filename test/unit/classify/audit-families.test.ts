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
    ["git config --global core.pager 'rm -rf src'", "rm -rf src"],
  ])("%s", (script, reason) => {
    expectRisk(script, "destructive", reason);
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
