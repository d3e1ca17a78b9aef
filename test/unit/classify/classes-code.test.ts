// Issue 15, classes 1–7 and 10–12: places where bash (or a "read-only"
// program) runs code the script does not show at first sight.
import { beforeAll, describe, it } from "vitest";
import { loadParser } from "../../../src/classify";
import { expectRisk } from "./helpers";

beforeAll(async () => {
  await loadParser();
});

describe("class 1: arithmetic evaluation runs code", () => {
  it.each([
    ["echo $((x + 1))", "$x: value not known statically, evaluated as arithmetic"],
    ["(( count++ ))", "$count: value not known statically"],
    ["read n; echo $((n * 2))", "$n: value not known statically"],
    ["n=$(cat f); (( n > 3 ))", "$n: value not known statically"],
    ["[[ $1 -eq 3 ]] && echo three", "$1: value not known statically"],
    ["echo $(( $(cat f) + 1 ))", "value not known statically"],
    ["echo ${arr[$i]}", "$i: value not known statically"],
    ["let 'y = x + 1'", "$x: value not known statically"],
    ["printf -v 'a[$(rm -rf src)]' x", "is evaluated and can run commands"],
    ["read 'a[$(id)]' < f", "is evaluated and can run commands"],
    ["test -v 'a[$(id)]'", "is evaluated and can run commands"],
    ["[[ -v a[$(id)] ]]", "is evaluated and can run commands"],
    ["declare 'a[$(id)]=1'", "is evaluated and can run commands"],
    ["unset 'a[$(id)]'", "is evaluated and can run commands"],
  ])("%s", (script, reason) => {
    expectRisk(script, "unknown", reason);
  });

  it.each([
    "x=5; echo $((x + 1))", "for ((i = 0; i < 10; i++)); do echo $i; done", "for i in 1 2 3; do echo ${a[$i]}; done",
    "echo $(( ${#s} + $# ))", "let x=1 y=x+1", "[[ -n $x ]]", "echo $((RANDOM % 6))",
  ])("stays read-only when every value is known: %s", (script) => {
    expectRisk(script, "read-only");
  });
});

describe("class 2: builtins that evaluate or call back", () => {
  it.each([
    ["mapfile -C 'rm -rf src' -c 1 lines < f", "destructive", "rm -rf src"],
    ["readarray -C 'curl x' -c 1 a < f", "execute", "curl x: curl contacts the network"],
    ["trap 'rm -rf src' EXIT", "destructive", "rm -rf src"],
    ["complete -C 'rm -rf src' git", "destructive", "rm -rf src"],
    ["complete -F _f git", "unknown", "runs a function on completion"],
    ["PROMPT_COMMAND='id' ls", "unknown", "PROMPT_COMMAND=id"],
    ["export PS1='$(id)'", "unknown", "PS1="],
    ["enable -f ./x.so x", "unknown", "enable changes how later commands"],
    ["source ./setup.sh", "execute", "source ./setup.sh: runs a script in this shell"],
  ])("%s", (script, risk, reason) => {
    expectRisk(script, risk as never, reason);
  });
});

describe("class 3: substitutions in every word-part form", () => {
  it.each([
    ["echo \"${V:-$(rm -rf src)}\"", "rm -rf src"],
    ["echo \"${V/a/`rm -rf src`}\"", "rm -rf src"],
    ["echo \"a `rm -rf src` b\"", "rm -rf src"],
    ["cat <<EOF\n$(rm -rf src)\nEOF", "rm -rf src"],
    ["cat <<EOF\n${X:-`rm -rf src`}\nEOF", "rm -rf src"],
    ["echo $(echo $(rm -rf src))", "rm -rf src"],
    ["x=$(rm -rf src)", "rm -rf src"],
  ])("%s", (script, reason) => {
    expectRisk(script, "destructive", reason);
  });

  it.each(["echo '$(rm -rf src)'", "echo $'$(rm -rf src)'", "cat <<'EOF'\n$(rm -rf src)\nEOF", "cat <<\"EOF\"\n`rm -rf src`\nEOF"])(
    "knows %s does not expand",
    (script) => {
      expectRisk(script, "read-only");
    },
  );

  it("${V@P} runs what the value holds", () => {
    expectRisk("echo \"${V@P}\"", "unknown", "prompt expansion");
  });
});

describe("class 5: globs and expansions that can become options", () => {
  it.each([
    ["rg foo *", "*: a glob that can match a file named like an option could be any option of rg"],
    ["sed -n 1p *.txt", "could be any option of sed"],
    ["sort ?", "could be any option of sort"],
    ["git diff $OPTS", "$OPTS: an expanded word could be any option of git"],
  ])("%s", (script, reason) => {
    expectRisk(script, "unknown", reason);
  });

  it.each(["rg foo -- *", "rg foo src/*.ts", "cat *", "wc -l *.ts", "git log -- $path", "ls -la *"])("stays read-only: %s", (script) => {
    expectRisk(script, "read-only");
  });
});

describe("class 6: programs that first run project-controlled code", () => {
  it.each([
    ["yarn --version", "yarn runs code named by the project's config"],
    ["pnpm ls", "pnpm runs code named by the project's config"],
    ["bun pm ls", "bun runs code named by the project's config"],
    ["cargo tree", "cargo runs the toolchain the project names"],
    ["go version", "go runs the toolchain go.mod names"],
    ["python3 -m json.tool f.json", "python3 -m json.tool: runs a module found from the working directory"],
    ["corepack enable", "corepack runs or loads project code"],
    ["npx tsc --noEmit", "npx downloads and runs a package"],
    ["eslint .", "eslint runs or loads project code"],
  ])("%s", (script, reason) => {
    expectRisk(script, "execute", reason);
  });
});

describe("class 7: bytes bash does not split on, and text bash rejects", () => {
  it.each([
    ["ls\f-la", "U+000C: bash does not split words on this character"],
    ["ls\v-la", "U+000B"],
    ["ls\u00a0-la", "U+00A0"],
    ["ls\u3000-la", "U+3000"],
    ["echo caf\uFFFD", "U+FFFD: the script had bytes that are not UTF-8"],
    ["echo a;; ls", ";; outside case"],
    ["echo 'abc", "parse error"],
    ["if true; then ls", "parse error"],
  ])("%s is unknown", (script, reason) => {
    expectRisk(script, "unknown", reason);
  });

  it("keeps ;; inside case", () => {
    expectRisk("case $x in a) ls;; esac", "read-only");
  });
});

describe("class 10: wrappers that run their arguments", () => {
  it.each([
    ["busybox rm -rf src", "rm -rf src: recursive forced delete"],
    ["toybox rm -rf src", "recursive forced delete"],
    ["flock /tmp/lock rm -rf src", "recursive forced delete"],
    ["flock -w 5 /tmp/lock -c 'rm -rf src'", "rm -rf src"],
    ["parallel rm -rf ::: src lib", "rm -rf src"],
    ["coproc rm -rf src", "recursive forced delete"],
    ["find . -ok rm -rf {} \\;", "rm -rf {}"],
    ["find . -execdir rm -rf {} +", "rm -rf {}"],
    ["watch -n 5 rm -rf src", "rm -rf src"],
    ["ls | entr -s 'rm -rf src'", "rm -rf src"],
    ["script -qc 'rm -rf src' /dev/null", "rm -rf src"],
    ["unbuffer rm -rf src", "recursive forced delete"],
    ["chronic rm -rf src", "recursive forced delete"],
    ["bash -s <<< 'rm -rf src'", "rm -rf src"],
    ["sh <<'EOF'\nrm -rf src\nEOF", "rm -rf src"],
    ["timeout 5 nice -n 5 nohup rm -rf src", "recursive forced delete"],
  ])("%s", (script, reason) => {
    expectRisk(script, "destructive", reason);
  });

  it("a shell reading an unquoted heredoc with substitutions is unknown", () => {
    expectRisk("sh <<EOF\nrm $(cat f)\nEOF", "unknown", "runs commands read from stdin");
  });
});

describe("class 11: words bash assembles", () => {
  it.each([
    ["r\\\nm -rf src", "rm -rf src"],
    ["r'm' -r\"f\" src", "rm -rf src"],
    ["$'\\x72\\x6d' -rf src", "rm -rf src"],
    ["\\rm -rf src", "rm -rf src"],
    ["'rm' -rf src", "rm -rf src"],
  ])("%s", (script, reason) => {
    expectRisk(script, "destructive", reason);
  });

  it.each([
    ["{rm,-rf,src}", "destructive", "rm -rf src"],
    ["{rm,-rf} src", "destructive", "rm -rf src"],
    ["r{m,} -rf src", "destructive", "rm r -rf src"],
    ["{git,clean,-fdx}", "destructive", "git clean -fdx"],
    ["x=1; {git,reset,--h{a,}rd}", "destructive", "git reset --hard"],
    ["sudo {rm,-rf,src}", "privileged", "sudo"],
    ["echo ok && {find,.,-delete}", "destructive", "find -delete"],
    ["{ls,-la}", "read-only", undefined],
    ["ls src/{a,b}.ts {1..3}", "read-only", undefined],
    ["x{a,b}", "unknown", "xa: unknown program"],
    ["{rm,-r}{f,} src", "unknown", "rmf: unknown program"],
  ] as const)("brace expansion: %s is %s", (script, risk, reason) => {
    expectRisk(script, risk, reason);
  });

  it("a brace expansion too large to follow is not literal", () => {
    expectRisk("{1..100000}", "unknown", "command name is not literal");
  });

  it("quoted, escaped and parameter braces are not brace expansion", () => {
    expectRisk("'{rm,-rf,src}'", "unknown", "{rm,-rf,src}: unknown program");
    expectRisk("\\{rm,-rf,src}", "unknown", "unknown program");
    expectRisk("echo ${x:-{a,b}}", "read-only");
  });
});

describe("class 12: order on the line around heredocs", () => {
  it("a command after the heredoc body is a command", () => {
    expectRisk("cat <<EOF\nhello\nEOF\nrm -rf src", "destructive", "rm -rf src");
  });

  it.each([
    ["cat <<EOF && rm -rf src\nhello\nEOF", "rm -rf src"],
    ["cat <<EOF; rm -rf src\nhello\nEOF", "rm -rf src"],
    ["cat <<-EOF; git clean -fdx\n\thello\n\tEOF", "git clean -fdx"],
    ["cat <<A <<'B'; rm -rf src\na\nA\nb $x\nB", "rm -rf src"],
    ["cat <<EOF | sh\nrm -rf src\nEOF", "rm -rf src"],
    ["cat <<'EOF' | bash -s\ngit reset --hard\nEOF", "git reset --hard"],
    ["echo rm -rf src | sh", "rm -rf src"],
    ["cat <<EOF >out; rm -rf src\nx\nEOF", "rm -rf src"],
  ])("a command after a heredoc operator on the same line is a command: %s", (script, reason) => {
    expectRisk(script, "destructive", reason);
  });

  it("the heredoc body stays the command's stdin, expansions included", () => {
    expectRisk("cat <<EOF; echo ok\n$(rm -rf src)\nEOF", "destructive", "rm -rf src");
    expectRisk("cat <<'EOF'; echo ok\n$(rm -rf src)\nEOF", "read-only");
  });

  it("a pipe gives the shell its text only when nothing else is its stdin", () => {
    expectRisk("echo ls | sh < mark.sh", "unknown", "runs commands read from stdin");
    expectRisk("echo ls > f | sh", "unknown", "runs commands read from stdin");
    expectRisk("echo ls | sh", "read-only");
  });
});
