// Every command anywhere in a script is found: lists, pipelines, substitutions,
// heredocs, compound statements, functions, subshells, nested shells.
import { beforeAll, describe, expect, it } from "vitest";
import { loadParser } from "../../../src/classify";
import { classify, expectRisk } from "./helpers";

beforeAll(async () => {
  await loadParser();
});

const argvs = (script: string) => classify(script).commands.map((c) => c.argv.join(" "));

describe("every command is extracted", () => {
  it.each([
    ["after ;", "ls; rm -rf src"],
    ["after &&", "ls && rm -rf src"],
    ["after ||", "ls || rm -rf src"],
    ["after |", "ls | rm -rf src"],
    ["after a newline", "ls\nrm -rf src"],
    ["after &", "ls & rm -rf src"],
    ["inside $(…)", "echo $(rm -rf src)"],
    ["inside backticks", "echo `rm -rf src`"],
    ["inside $(…) in double quotes", 'echo "today: $(rm -rf src)"'],
    ["inside a heredoc", "cat <<EOF\n$(rm -rf src)\nEOF"],
    ["inside process substitution <(…)", "diff <(rm -rf src) b"],
    ["inside process substitution >(…)", "ls > >(rm -rf src)"],
    ["inside arithmetic", "echo $(( 1 + $(rm -rf src) ))"],
    ["inside an arithmetic subscript", "echo $(( a[$(rm -rf src)] ))"],
    ["inside ${x:-…}", "echo ${x:-$(rm -rf src)}"],
    ["inside a herestring", "cat <<< $(rm -rf src)"],
    ["inside a redirect target", "ls > $(rm -rf src)"],
    ["inside if", "if true; then rm -rf src; fi"],
    ["inside an if condition", "if rm -rf src; then :; fi"],
    ["inside elif/else", "if false; then :; elif false; then :; else rm -rf src; fi"],
    ["inside for", "for f in a b; do rm -rf src; done"],
    ["inside a for list", "for f in $(rm -rf src); do :; done"],
    ["inside a C-style for", "for ((i=0; i<1; i++)); do rm -rf src; done"],
    ["inside while", "while true; do rm -rf src; done"],
    ["inside until", "until false; do rm -rf src; done"],
    ["inside case", "case x in x) rm -rf src;; esac"],
    ["inside a function body", "f() { rm -rf src; }"],
    ["inside a subshell", "(rm -rf src)"],
    ["inside a brace group", "{ rm -rf src; }"],
    ["inside a negation", "! rm -rf src"],
    ["inside [[ … ]]", "[[ $(rm -rf src) == x ]]"],
    ["inside an assignment", "x=$(rm -rf src)"],
    ["inside export", "export x=$(rm -rf src)"],
    ["inside bash -c", "bash -c 'rm -rf src'"],
    ["inside sh -c inside bash -c", `bash -c "sh -c 'rm -rf src'"`],
    ["inside eval", "eval 'rm -rf src'"],
    ["behind sudo env timeout", "sudo env A=1 timeout 5 rm -rf src"],
    ["behind xargs", "find . | xargs rm -rf src"],
    ["behind find -exec", "find . -exec rm -rf src {} +"],
  ])("%s", (_where, script) => {
    const result = expectRisk(script, script.includes("sudo") ? "privileged" : "destructive", "rm -rf src");
    expect(result.commands.some((c) => c.argv.join(" ").startsWith("rm -rf src"))).toBe(true);
  });

  it("keeps reading order, outer command before its substitution", () => {
    expect(argvs('echo "$(id)"; ls')).toEqual(['echo "$(id)"', "id", "ls"]);
  });

  it("finds all of more than 50 sub-commands, the last one included", () => {
    const script = `${Array.from({ length: 60 }, (_, i) => `echo ${i}`).join(" && ")} && rm -rf src`;
    const result = expectRisk(script, "destructive", "rm -rf src");
    expect(result.commands).toHaveLength(61);
  });

  it("calls a script nested deeper than the stack can follow unknown, with parseError", () => {
    const result = expectRisk(`${Array(15_000).fill("ls").join(" && ")} && rm -rf src`, "unknown", "nests too deeply");
    expect(result.parseError).toContain("nests too deeply");
  });

  it("records wrappers in the order they were peeled", () => {
    const [cmd] = classify("sudo -u root env -i A=1 nice -n 5 nohup timeout -s KILL 5 stdbuf -oL ionice -c 3 ls -l").commands;
    expect(cmd!.wrappers).toEqual(["sudo", "env", "nice", "nohup", "timeout", "stdbuf", "ionice"]);
    expect(cmd!.argv).toEqual(["ls", "-l"]);
  });

  it("records a nested shell as a wrapper of the commands it runs", () => {
    const inner = classify("bash -c 'ls -l'").commands.find((c) => c.argv[0] === "ls");
    expect(inner!.wrappers).toEqual(["bash -c"]);
  });

  it("decodes quotes and escapes in literal words", () => {
    expect(classify(`r\\m -r"f" 'src' $'x\\ty'`).commands[0]!.argv).toEqual(["rm", "-rf", "src", "x\ty"]);
  });

  it("stops following nested shells past a bounded depth", () => {
    let script = "ls";
    for (let i = 0; i < 8; i++) script = `bash -c ${JSON.stringify(script).replace(/\$/g, "\\$")}`;
    expectRisk(script, "unknown", "nested more than");
  });
});
