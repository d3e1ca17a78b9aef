// safe-sh explain: classify a script or an argv and print the risk, the
// reasons and every command found (or the Classification as JSON).
import { quote } from "shell-quote";
import { SafeShError } from "../errors";
import { classifyArgv, classifyScriptSync, loadParser } from "../classify";
import { onDisk } from "../classify/disk";
import { decide } from "../decide/decide";
import { loadPolicy } from "../policy/load";
import { envChanges, planSecrets, type EnvChanges } from "../secrets";
import { RISKS, type Classification } from "../types";
import { VERDICTS, type Verdict } from "../verdict";

const HELP = `safe-sh explain — how safe-sh classifies a command, without running it

Usage:
  safe-sh explain [--json] -c 'SCRIPT'     classify a bash script (parsed with tree-sitter-bash)
  safe-sh explain [--json] -- ARGV...      classify a command run without a shell
  safe-sh explain --help

Output: the risk (${RISKS.join(" < ")}),
the reasons naming the exact token, then each command with its argv and the wrappers
peeled off it (sudo, env, timeout, xargs, bash -c, …). --json prints the Classification.
A \`>\` onto a file that exists in the current directory counts as destructive.
Then the policy's verdict (${VERDICTS.join(", ")}, and why), and which environment
variables the command would lose and gain (secrets included by name, never value).

Exit status: 0 classified; 125 usage error.
`;

type Request = { kind: "help" } | { kind: "script"; script: string; json: boolean } | { kind: "argv"; argv: string[]; json: boolean };

function usage(message: string): SafeShError {
  return new SafeShError("ERR_SAFESH_USAGE", message, "see `safe-sh explain --help`");
}

function parse(args: string[]): Request {
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--help" || arg === "-h") return { kind: "help" };
    if (arg === "--json") json = true;
    else if (arg === "-c") {
      const script = args[i + 1];
      if (script === undefined) throw usage("-c needs a script");
      if (args.length > i + 2) throw usage(`unexpected ${args[i + 2]} after the script`);
      return { kind: "script", script, json };
    } else if (arg === "--") {
      const argv = args.slice(i + 1);
      if (argv.length === 0) throw usage("-- needs a command");
      return { kind: "argv", argv, json };
    } else throw usage(`unknown option ${arg}`);
  }
  throw usage("nothing to explain: give -c 'SCRIPT' or -- COMMAND [ARGS...]");
}

interface Explanation {
  decision: { verdict: Verdict; reasons: string[]; grant: unknown };
  environment: EnvChanges;
  /** The policy's read rules: what the command could read if it ran. */
  reads: { mode: string; denyRead: string[]; allowRead: string[] };
}

function renderPolicy(explanation: Explanation): string {
  const { decision, environment, reads } = explanation;
  const lines = [`decision: ${decision.verdict}`, ...decision.reasons.map((reason) => `  - ${reason}`)];
  lines.push(reads.mode === "allowlist"
    ? `reads: only ${reads.allowRead.join(", ") || "nothing extra"}, the writable roots and the system directories${reads.denyRead.length ? `; never ${reads.denyRead.join(", ")}` : ""}`
    : `reads: everywhere except the credential masks${reads.denyRead.length ? ` and ${reads.denyRead.join(", ")}` : ""}`);
  lines.push(`environment: loses ${environment.lose.join(", ") || "nothing"}; gains ${environment.gain.join(", ") || "nothing"}`);
  for (const secret of environment.withheld) lines.push(`  secret ${secret.name} withheld: ${secret.reason}`);
  return `${lines.join("\n")}\n`;
}

function render(result: Classification): string {
  const lines = [`risk: ${result.risk}`];
  if (result.parseError) lines.push(`parse error: ${result.parseError}`);
  lines.push(...result.reasons.map((reason) => `  - ${reason}`));
  lines.push(`commands (${result.commands.length}):`);
  for (const info of result.commands) {
    const via = info.wrappers.length > 0 ? `  [via ${info.wrappers.join(" → ")}]` : "";
    lines.push(`  ${info.risk.padEnd(11)} ${quote(info.argv)}${via}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Runs `safe-sh explain`. Returns the exit status.
 * @throws SafeShError ERR_SAFESH_USAGE on bad arguments; ERR_SAFESH_NATIVE when the bash grammar cannot load.
 */
export async function command(args: string[]): Promise<number> {
  const request = parse(args);
  if (request.kind === "help") {
    process.stdout.write(HELP);
    return 0;
  }
  const options = onDisk(process.cwd());
  await loadParser(); // an argv can hold a script too (bash -c '…')
  const result = request.kind === "script" ? classifyScriptSync(request.script, options) : classifyArgv(request.argv, options);
  const { policy } = loadPolicy({ cwd: process.cwd() });
  const decision = decide(result, policy, { cwd: process.cwd(), workspace: process.cwd() });
  const rules = Object.entries(policy.secrets).map(([name, secret]) => ({ name, env: secret.env, commands: secret.commands }));
  const environment = envChanges(process.env, policy.env, [], planSecrets(result.commands.map((info) => info.argv), rules));
  const reads = { mode: policy.filesystem.read, denyRead: policy.filesystem.denyRead, allowRead: policy.filesystem.allowRead };
  const explanation: Explanation = { decision: { verdict: decision.verdict, reasons: decision.reasons, grant: decision.grant }, environment, reads };
  process.stdout.write(request.json ? `${JSON.stringify({ ...result, ...explanation }, null, 2)}\n` : render(result) + renderPolicy(explanation));
  return 0;
}
