// The reviewer-protocol request as `safe-sh review` receives it on stdin:
// checked field by field (it comes from safe-sh, but is shaped by the agent).
import type { Grant } from "../decide/types";

export interface ReviewCommand {
  argv: string[];
  wrappers: string[];
  risk: string;
  reasons: string[];
}

/** The fields of docs/reviewer-protocol.md the reviewer uses; unknown ones are ignored. */
export interface ReviewRequest {
  command: string;
  commands: ReviewCommand[];
  cwd: string;
  risk: string;
  reasons: string[];
  decisionReasons: string[];
  mode: string;
  grant: Grant;
  escalation: boolean;
}

const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === "string");
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function command(value: unknown): ReviewCommand | undefined {
  if (!isObject(value) || !isStrings(value.argv) || typeof value.risk !== "string") return undefined;
  return { argv: value.argv, wrappers: isStrings(value.wrappers) ? value.wrappers : [], risk: value.risk, reasons: isStrings(value.reasons) ? value.reasons : [] };
}

function grant(value: unknown): Grant | undefined {
  if (!isObject(value) || typeof value.sandbox !== "string" || typeof value.network !== "string" || !isStrings(value.writableRoots)) return undefined;
  return { sandbox: value.sandbox as Grant["sandbox"], network: value.network as Grant["network"], writableRoots: value.writableRoots };
}

/** Parses the request line; a string saying what is wrong when it is not a version-1 request. */
export function parseRequest(text: string): ReviewRequest | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return "the request is not JSON";
  }
  if (!isObject(data)) return "the request is not a JSON object";
  if (data.version !== 1) return `unsupported request version ${JSON.stringify(data.version)}`;
  const commands = Array.isArray(data.commands) ? data.commands.map(command) : undefined;
  const granted = grant(data.grant);
  if (typeof data.command !== "string") return "the request has no command";
  if (!commands || commands.some((item) => item === undefined)) return "the request's commands are malformed";
  if (typeof data.cwd !== "string" || typeof data.risk !== "string" || typeof data.mode !== "string") return "the request lacks cwd, risk or mode";
  if (!granted || typeof data.escalation !== "boolean") return "the request's grant is malformed";
  return {
    command: data.command,
    commands: commands as ReviewCommand[],
    cwd: data.cwd,
    risk: data.risk,
    reasons: isStrings(data.reasons) ? data.reasons : [],
    decisionReasons: isStrings(data.decisionReasons) ? data.decisionReasons : [],
    mode: data.mode,
    grant: granted,
    escalation: data.escalation,
  };
}
