// Output redirections: which write, which truncate a file that already exists.
import path = require("node:path");
import type { Redirect } from "../parse/extract";
import { isDevSink, isNetworkPath, verdict, type RuleContext, type RiskVerdict } from "./risk";

const WRITES = new Set([">", ">|", "&>", ">&", "&>>", ">>", "<>"]);
const APPENDS = new Set([">>", "&>>", "<>"]);

/** Verdicts for a command's redirections; `>` onto an existing file is destructive. */
export function redirectVerdicts(redirects: readonly Redirect[], ctx: RuleContext): RiskVerdict[] {
  const out: RiskVerdict[] = [];
  for (const { op, target } of redirects) {
    if (!WRITES.has(op)) continue;
    const shown = `${op} ${target?.text ?? ""}`.trim();
    if (!target || !target.literal) {
      out.push(verdict("unknown", `${shown}: redirect target is not literal`));
      continue;
    }
    // `2>&1`, `>&-`: duplicating or closing a descriptor writes nothing.
    if ((op === ">&" || op === "<&") && /^([0-9]+|-)$/.test(target.text)) continue;
    if (isDevSink(target.text)) continue;
    if (isNetworkPath(target.text)) {
      out.push(verdict("network", `${shown}: opens a network connection`));
      continue;
    }
    if (ctx.outside(target.text)) {
      out.push(verdict("privileged", `${shown}: writes outside the workspace`));
      continue;
    }
    if (APPENDS.has(op)) out.push(verdict("write", `${shown}: appends to ${target.text}`));
    else if (ctx.exists(target.text)) out.push(verdict("destructive", `${shown}: truncates the existing file ${target.text}`));
    else out.push(verdict("write", `${shown}: writes ${path.posix.normalize(target.text)} (truncating it if it exists)`));
  }
  return out;
}
