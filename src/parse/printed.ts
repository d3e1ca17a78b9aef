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
  return undefined;
}
