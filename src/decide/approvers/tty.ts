// The terminal approver: asks on /dev/tty (never on stdin/stdout, which
// belong to the agent). Unavailable when there is no controlling terminal.
import fs = require("node:fs");
import readline = require("node:readline");
import tty = require("node:tty");
import { describeGrant } from "../grant";
import { outsideCaveat } from "./none";
import type { ApprovalRequest } from "../types";

export type TtyAnswer = "once" | "session" | "always" | "deny";
/** Unclear answers are asked again at most this many times, then denied. */
const MAX_TRIES = 3;

/** The prompt text shown on the terminal. */
export function promptText(request: ApprovalRequest, userConfigFile: string): string {
  const { classification, decision } = request;
  const lines = [
    "",
    "safe-sh: approval needed",
    `  command: ${request.command}`,
    `  cwd:     ${request.cwd}`,
    `  risk:    ${classification.risk}`,
    ...decision.reasons.map((reason) => `  why:     ${reason}`),
    ...(outsideCaveat(decision) ? [`  note:    ${outsideCaveat(decision)}`] : []),
    `  grant:   ${describeGrant(decision.grant)}`,
    decision.remember
      ? `Run it? [o]nce, [s]ession, [a]lways (adds an allow rule to ${userConfigFile}), [d]eny: `
      : "Run it? [o]nce, [s]ession, [d]eny: ",
  ];
  return lines.join("\n");
}

/** Maps a typed answer to a choice; undefined when it is not one. Empty means deny. */
export function parseAnswer(text: string, allowAlways: boolean): TtyAnswer | undefined {
  const word = text.trim().toLowerCase();
  if (word === "" || word === "d" || word === "deny" || word === "n" || word === "no") return "deny";
  if (word === "o" || word === "once" || word === "y" || word === "yes") return "once";
  if (word === "s" || word === "session") return "session";
  if (allowAlways && (word === "a" || word === "always")) return "always";
  return undefined;
}

function openTerminal(ttyPath: string): { input: tty.ReadStream; output: tty.WriteStream } | undefined {
  let inFd: number | undefined;
  let outFd: number | undefined;
  try {
    inFd = fs.openSync(ttyPath, "r");
    outFd = fs.openSync(ttyPath, "w");
    if (!tty.isatty(inFd)) throw new Error(`${ttyPath} is not a terminal`);
    return { input: new tty.ReadStream(inFd), output: new tty.WriteStream(outFd) };
  } catch {
    // No controlling terminal (ENXIO) or not a tty: this approver is unavailable.
    if (inFd !== undefined) fs.closeSync(inFd);
    if (outFd !== undefined) fs.closeSync(outFd);
    return undefined;
  }
}

/**
 * Asks on the terminal at `ttyPath` (default /dev/tty). Resolves with the
 * answer, or "unavailable" when the terminal cannot be opened. End of input
 * or a closed terminal is "deny".
 */
export async function askTerminal(request: ApprovalRequest, userConfigFile: string, ttyPath = "/dev/tty"): Promise<TtyAnswer | "unavailable"> {
  const terminal = openTerminal(ttyPath);
  if (!terminal) return "unavailable";
  const rl = readline.createInterface({ input: terminal.input, output: terminal.output, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  try {
    let prompt = promptText(request, userConfigFile);
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      terminal.output.write(prompt);
      const next = await lines.next();
      if (next.done) return "deny";
      const answer = parseAnswer(next.value, request.decision.remember !== undefined);
      if (answer) return answer;
      prompt = "Please answer o, s, " + (request.decision.remember ? "a, " : "") + "or d: ";
    }
    return "deny";
  } finally {
    rl.close();
    terminal.input.destroy();
    terminal.output.destroy();
  }
}
