// What a command prints when that is known without running it, so the next
// command in a pipeline can be given it as stdin (`echo rm -rf src | sh`).
import type { RawCommand } from "./extract";
import type { Word } from "./words";

/** What a command prints when that is known statically: echo of literal words, cat of a literal heredoc or here-string. */
export function literalOutput(command: RawCommand): Word | undefined {
  const [head, ...args] = command.words;
  if (!head?.literal || args.some((w) => !w.literal) || command.redirects.some((r) => r.op.includes(">"))) return undefined;
  if (head.text === "echo" && !/^-[neE]+$/.test(args[0]?.text ?? "")) return { text: args.map((w) => w.text).join(" "), literal: true };
  const stdin = command.redirects.find((r) => r.op === "<<" || r.op === "<<<" || r.op === "<<-")?.target;
  if (head.text === "cat" && args.length === 0 && stdin?.literal) return stdin;
  if (head.text === "printf" && args.length > 0) {
    const [format, ...values] = args.map((w) => w.text) as [string, ...string[]];
    // A format without conversions prints itself; '%s\n' prints each value on a line.
    if (!format.includes("%")) return { text: unescape(format), literal: true };
    if (format === "%s\\n") return { text: values.map((v) => `${v}\n`).join(""), literal: true };
  }
  return undefined;
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", "\\": "\\" };

function unescape(format: string): string {
  return format.replace(/\\([nt\\])/g, (_, c: string) => ESCAPES[c]!);
}

/** A workspace path as the map of written files keys it (`./x.sh` and `x.sh` are one file). */
export function scriptPath(file: string): string {
  return file.replace(/^(\.\/)+/, "");
}

/** The files a script writes with text known statically (`echo … > x.sh`, `cat <<EOF > x.sh`), path → content. */
export function writtenFiles(commands: readonly RawCommand[], known: ReadonlyMap<string, string>): ReadonlyMap<string, string> {
  let files: Map<string, string> | undefined;
  for (const command of commands) {
    for (const { op, target } of command.redirects) {
      if (!target?.literal || ![">", ">|", ">>", "&>"].includes(op)) continue;
      const text = literalOutput({ ...command, redirects: command.redirects.filter((r) => !r.op.includes(">")) })?.text;
      const file = scriptPath(target.text);
      files ??= new Map(known);
      // Text not known statically: the file's content is not known either.
      if (text === undefined) files.delete(file);
      else files.set(file, op === ">>" ? `${files.get(file) ?? ""}\n${text}` : text);
    }
  }
  return files ?? known;
}
