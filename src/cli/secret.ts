// `safe-sh secret set|list|rm`: store, list and remove keyring secrets. Values
// come from stdin or a no-echo prompt, never from argv, and are never printed.
import fs = require("node:fs");
import os = require("node:os");
import path = require("node:path");
import tty = require("node:tty");
import { parse as parseToml } from "smol-toml";
import { EXIT_FAILED, SafeShError } from "../errors";
import type { SecretRule } from "../secrets/inject";
import { MIN_REDACTED_LENGTH } from "../secrets/redact";
import { checkSecretName, openStore, type OpenStoreOptions, type SecretStore } from "../secrets/store";

export const SECRET_HELP = `Usage: safe-sh secret set NAME      store a value (from stdin, or a no-echo prompt on a terminal)
       safe-sh secret list [--json]  configured secrets: name, variable, commands, whether stored
       safe-sh secret rm NAME        remove a stored value

Values live in the OS keyring (service "safe-sh", account NAME) and reach only
the commands that [secrets.NAME] in config.toml names. SAFE_SH_KEYRING=
secret-service|keyutils picks the Linux backend. See docs/secrets.md.
`;

/** Largest value `set` accepts (a token or key, not a file). */
const MAX_VALUE_BYTES = 64 * 1024;

export interface SecretCommandOptions {
  /** Secret rules from the policy; default: read from the user's config.toml. */
  rules?: SecretRule[];
  store?: OpenStoreOptions;
}

function usage(message: string, hint = "see `safe-sh secret --help`"): SafeShError {
  return new SafeShError("ERR_SAFESH_USAGE", message, hint);
}

// --- Minimal reader of [secrets.*] from the user's config.toml. -------------
// TEMPORARY: to be replaced by loadPolicy(...).secrets from src/policy when
// the CLI is connected to it; kept tiny on purpose (no layering, no project file).
function readSecretRules(env: NodeJS.ProcessEnv = process.env): SecretRule[] {
  const configHome = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(env.HOME || os.homedir(), ".config");
  const file = path.join(env.SAFE_SH_CONFIG_DIR || path.join(configHome, "safe-sh"), "config.toml");
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const invalid = (what: string, cause?: unknown) => new SafeShError("ERR_SAFESH_POLICY_INVALID", `${file}: ${what}`, "fix the file; see docs/secrets.md", { cause });
  let secrets: unknown;
  try {
    secrets = (parseToml(text) as { secrets?: unknown }).secrets ?? {};
  } catch (error) {
    throw invalid((error as Error).message, error);
  }
  if (typeof secrets !== "object" || secrets === null) throw invalid("secrets must be a table");
  return Object.entries(secrets as Record<string, { env?: unknown; commands?: unknown }>).map(([name, rule]) => {
    const commandsOk = Array.isArray(rule?.commands) && rule.commands.every((c) => Array.isArray(c) && c.every((w) => typeof w === "string"));
    if (typeof rule?.env !== "string" || !commandsOk) throw invalid(`secrets.${name} needs env = "NAME" and commands = [["program", ...], ...]`);
    return { name, env: rule.env, commands: rule.commands as string[][] };
  });
}
// --- end of the temporary reader ---------------------------------------------

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_VALUE_BYTES) throw usage(`the value on stdin is longer than ${MAX_VALUE_BYTES} bytes`);
    chunks.push(chunk);
  }
  // `echo "$TOKEN" | safe-sh secret set X` stores the token, not its newline.
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

/** Reads one line from /dev/tty with echo off; Ctrl-C cancels. */
function promptHidden(prompt: string): Promise<string> {
  const fd = fs.openSync("/dev/tty", "r+");
  const input = new tty.ReadStream(fd);
  fs.writeSync(fd, prompt);
  input.setRawMode(true);
  return new Promise((resolve, reject) => {
    let value = "";
    const finish = (error?: SafeShError) => {
      input.setRawMode(false);
      fs.writeSync(fd, "\n");
      input.destroy();
      if (error) reject(error);
      else resolve(value);
    };
    input.on("data", (data: Buffer) => {
      for (const char of data.toString("utf8")) {
        if (char === "\r" || char === "\n" || char === "\u0004") return finish();
        if (char === "\u0003") return finish(usage("cancelled", "run it again to store the secret"));
        if (char === "\u007f" || char === "\b") value = value.slice(0, -1);
        else value += char;
      }
    });
  });
}

async function setSecret(store: SecretStore, name: string, rules: SecretRule[]): Promise<number> {
  const value = process.stdin.isTTY ? await promptHidden(`Value for ${name} (not shown): `) : await readStdin();
  if (value.length < MIN_REDACTED_LENGTH) {
    throw usage(`the value is shorter than ${MIN_REDACTED_LENGTH} characters`, "such a short value could not be redacted from output; store the real secret");
  }
  await store.set(name, value);
  process.stderr.write(`stored secret ${name} in the ${store.backend} keyring\n`);
  if (!rules.some((rule) => rule.name === name)) {
    process.stderr.write(`note: no [secrets.${name}] rule in config.toml yet; no command gets it until one names it\n`);
  }
  return 0;
}

async function listSecrets(rules: SecretRule[], json: boolean, storeOptions: OpenStoreOptions): Promise<number> {
  let store: SecretStore | undefined;
  try {
    store = await openStore(storeOptions);
  } catch (error) {
    // Without a keyring the rules are still worth listing; anything else (a bad SAFE_SH_KEYRING) is an error.
    if (!(error instanceof SafeShError) || error.code !== "ERR_SAFESH_KEYRING_UNAVAILABLE") throw error;
    process.stderr.write(`safe-sh: ${error.message} [${error.code}]\nhint: ${error.hint}\n`);
  }
  const rows = [];
  for (const rule of rules) rows.push({ ...rule, stored: store ? (await store.get(rule.name)) !== null : null });
  if (json) {
    process.stdout.write(`${JSON.stringify({ backend: store?.backend ?? null, secrets: rows }, null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    process.stderr.write("no secrets configured: add [secrets.NAME] with env and commands to config.toml\n");
    return 0;
  }
  const table = [["NAME", "ENV", "STORED", "COMMANDS"], ...rows.map((r) => [r.name, r.env, r.stored === null ? "unknown" : r.stored ? "yes" : "no", r.commands.map((c) => c.join(" ")).join("; ")])];
  const widths = [0, 1, 2].map((i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table) process.stdout.write(`${row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i]!) : cell)).join("  ")}\n`);
  return 0;
}

/**
 * Runs `safe-sh secret ...` and returns the exit status. Throws
 * ERR_SAFESH_USAGE (a value given in argv, bad name, unknown subcommand),
 * ERR_SAFESH_KEYRING_UNAVAILABLE, ERR_SAFESH_POLICY_INVALID (unreadable rules).
 */
export async function command(args: string[], options: SecretCommandOptions = {}): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === "--help" || sub === "-h" || rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(SECRET_HELP);
    return sub === undefined ? EXIT_FAILED : 0;
  }
  const storeOptions = options.store ?? {};
  const rules = () => options.rules ?? readSecretRules();
  switch (sub) {
    case "set":
    case "rm": {
      const [name, ...extra] = rest;
      if (name === undefined) throw usage(`safe-sh secret ${sub} needs a NAME`);
      if (extra.length > 0) {
        throw usage(
          sub === "set" ? "secret set takes no value argument: argv is visible in ps and shell history" : `unexpected argument ${JSON.stringify(extra[0])}`,
          sub === "set" ? `pipe it in (\`safe-sh secret set ${name} < token-file\`) or type it at the prompt` : "see `safe-sh secret --help`",
        );
      }
      checkSecretName(name);
      const store = await openStore(storeOptions);
      if (sub === "set") return setSecret(store, name, rules());
      if (await store.delete(name)) {
        process.stderr.write(`removed secret ${name} from the ${store.backend} keyring\n`);
        return 0;
      }
      process.stderr.write(`safe-sh: no secret ${name} in the ${store.backend} keyring\n`);
      return 1;
    }
    case "list": {
      const unknown = rest.find((arg) => arg !== "--json");
      if (unknown !== undefined) throw usage(`unexpected argument ${JSON.stringify(unknown)}`);
      return listSecrets(rules(), rest.includes("--json"), storeOptions);
    }
    default:
      throw usage(`unknown subcommand ${JSON.stringify(sub)}`);
  }
}
