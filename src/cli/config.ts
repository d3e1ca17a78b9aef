// `safe-sh config show [--json]`: the effective policy and the file each
// value came from.
import { SafeShError } from "../errors";
import { loadPolicy, type LoadedPolicy } from "../policy/load";
import { describeRule } from "../policy/rules";

function usage(message: string): SafeShError {
  return new SafeShError("ERR_SAFESH_USAGE", message, "usage: safe-sh config show [--json]");
}

function show({ policy, sources }: LoadedPolicy): string {
  const from = (key: string) => (sources.values[key] ?? []).join(", ");
  const list = (items: readonly string[]) => (items.length > 0 ? items.join(", ") : "(none)");
  const rows: [string, string, string][] = [
    ["approval", policy.approval, from("approval")],
    ["approval.reviewer", policy.reviewer ? `${policy.reviewer.command.join(" ")} (timeout ${policy.reviewer.timeoutMs} ms)` : "(none)", from("approval.reviewer")],
    ["sandbox", policy.sandbox, from("sandbox")],
    ["network.mode", policy.network.mode, from("network.mode")],
    ["network.allow", list(policy.network.allow), from("network.allow")],
    ["network.deny", list(policy.network.deny), from("network.deny")],
    ["writable_roots", list(policy.writableRoots), from("writable_roots")],
    ["filesystem.read", policy.filesystem.read, from("filesystem.read")],
    ["filesystem.deny_read", list(policy.filesystem.denyRead), from("filesystem.deny_read")],
    ["filesystem.allow_read", list(policy.filesystem.allowRead), from("filesystem.allow_read")],
    ["audit.path", policy.audit.path ?? "(default)", from("audit.path")],
    ["audit.best_effort", String(policy.audit.bestEffort), from("audit.best_effort")],
    ["env.keep", list(policy.env.keep), from("env.keep")],
    ["env.drop", list(policy.env.drop), from("env.drop")],
    ["env.set", list(Object.keys(policy.env.set)), from("env.set")],
    ...Object.entries(policy.secrets).map(([name, secret]): [string, string, string] => [`secrets.${name}`, `$${secret.env} for ${secret.commands.map((c) => c.join(" ")).join(" | ")}`, from(`secrets.${name}`)]),
  ];
  const width = Math.max(...rows.map(([key]) => key.length));
  const valueWidth = Math.min(40, Math.max(...rows.map(([, value]) => value.length)));
  const lines = rows.map(([key, value, source]) => `${key.padEnd(width)}  ${value.padEnd(valueWidth)}  ${source}`.trimEnd());
  lines.push("", policy.rules.length > 0 ? "rules (strictest match wins):" : "rules: (none)");
  for (const rule of policy.rules) {
    lines.push(`  ${rule.decision.padEnd(5)}  ${JSON.stringify(rule.prefix)}${rule.reason ? `  ${rule.reason}` : ""}  (${rule.source} ${describeRule(rule).split(" ")[0]})`);
  }
  lines.push("", "files:");
  for (const file of sources.files) lines.push(`  ${file.layer.padEnd(12)}  ${file.status.padEnd(9)}  ${file.path}`);
  const untrusted = sources.files.find((file) => file.status === "untrusted");
  if (untrusted) lines.push(`note: ${untrusted.path} is ignored until you run \`safe-sh trust ${sources.projectRoot}\``);
  return `${lines.join("\n")}\n`;
}

/** Throws ERR_SAFESH_USAGE, ERR_SAFESH_POLICY_INVALID. */
export async function command(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== "show") throw usage(sub === undefined ? "config: missing subcommand" : `config: unknown subcommand ${sub}`);
  for (const arg of rest) if (arg !== "--json") throw usage(`config show: unknown argument ${arg}`);
  const loaded = loadPolicy();
  process.stdout.write(rest.includes("--json") ? `${JSON.stringify(loaded, null, 2)}\n` : show(loaded));
  return 0;
}
