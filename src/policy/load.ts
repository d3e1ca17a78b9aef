// loadPolicy: reads every layer (system, user, trusted project), validates
// it, layers it over the defaults, applies CLI flags, then the admin's caps.
import path = require("node:path");
import { parse as parseToml, TomlError } from "smol-toml";
import { SafeShError } from "../errors";
import { readRegular } from "../regular-file";
import { MAX_POLICY_FILE_BYTES, MAX_RULES_PER_FILE } from "./limits";
import {
  CLI_LABEL, DEFAULTS_LABEL, applyLayer, applyOverrides, defaultDraft, resolveRoot, toRules,
  type Draft, type RawConfig, type RawRule, type ResolvedPaths,
} from "./layers";
import { PROJECT_CONFIG, findProjectRoot, resolveLocations, type PolicyLocations } from "./locations";
import { checkExamples, describeRule } from "./rules";
import { CONFIG_SPEC, REQUIREMENTS_SPEC, type FieldSpec } from "./schema";
import { isTrusted } from "./trust-store";
import type { LayerName, Policy, PolicyOverrides, PolicySources, SourceFile } from "./types";
import { validate } from "./validate";

export interface LoadPolicyOptions extends PolicyLocations {
  /** Command-line flags; they win over every file, within requirements.toml. */
  overrides?: PolicyOverrides;
}

export interface LoadedPolicy {
  policy: Policy;
  sources: PolicySources;
}

interface RawRequirements {
  allowed_sandbox_modes?: Policy["requirements"]["allowedSandboxModes"];
  allowed_approval_modes?: Policy["requirements"]["allowedApprovalModes"];
  allowed_network_modes?: Policy["requirements"]["allowedNetworkModes"];
  allowed_read_modes?: Policy["requirements"]["allowedReadModes"];
  rules?: RawRule[];
}

const HINT = "fix the file (see docs/policy.md) or move it away";
/** Problems listed in one message; the rest are counted. */
const MAX_LISTED = 10;

function invalid(file: string, problems: string[]): SafeShError {
  const listed = problems.slice(0, MAX_LISTED).join("; ") + (problems.length > MAX_LISTED ? `; and ${problems.length - MAX_LISTED} more` : "");
  const message = problems.length === 1 ? `${file}: ${problems[0]}` : `${file}: ${problems.length} problems: ${listed}`;
  return new SafeShError("ERR_SAFESH_POLICY_INVALID", message, HINT);
}

/** Reads and validates one TOML file; undefined when it does not exist. Throws ERR_SAFESH_POLICY_INVALID. */
function readFile<T>(file: string, spec: FieldSpec): T | undefined {
  let text: string;
  try {
    text = readRegular(file, MAX_POLICY_FILE_BYTES).toString("utf8");
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    // Fail closed: an admin file we cannot read must not be silently skipped.
    if (code === "EFTYPE") throw invalid(file, [message.slice(file.length + 1)]);
    if (code === "EFBIG") throw invalid(file, [`cannot read: larger than ${MAX_POLICY_FILE_BYTES} bytes`]);
    throw invalid(file, [`cannot read: ${code ?? String(error)}`]);
  }
  let document: unknown;
  try {
    document = parseToml(text);
  } catch (error) {
    if (error instanceof TomlError) {
      const summary = error.message.split("\n", 1)[0]!.replace(/^Invalid TOML document: /, "");
      throw invalid(`${file}:${error.line}:${error.column}`, [`invalid TOML: ${summary}`]);
    }
    throw error;
  }
  const problems = validate(document, spec).map((p) => `${p.path}: ${p.message}`);
  if (problems.length > 0) throw invalid(file, problems);
  const rules = (document as { rules?: unknown[] }).rules;
  if (rules && rules.length > MAX_RULES_PER_FILE) throw invalid(file, [`rules: ${rules.length} rules, more than ${MAX_RULES_PER_FILE}`]);
  return document as T;
}

function checkRules(file: string, rules: RawRule[] | undefined): void {
  const problems = toRules(rules, file).flatMap((rule) => checkExamples(rule).map((failure) => `${describeRule(rule)}: ${failure}`));
  if (problems.length > 0) throw invalid(file, problems);
}

function resolvePaths(file: string, key: string, list: string[] | undefined, home: string, base: string | undefined): string[] {
  return (list ?? []).map((entry, i) => {
    const resolved = resolveRoot(entry, home, base);
    if (resolved === undefined) throw invalid(file, [`${key}[${i}]: expected an absolute path or one starting with ~/, got ${JSON.stringify(entry)}`]);
    return resolved;
  });
}

function paths(file: string, raw: RawConfig, home: string, base: string | undefined): ResolvedPaths {
  return {
    writableRoots: resolvePaths(file, "writable_roots", raw.writable_roots, home, base),
    denyRead: resolvePaths(file, "filesystem.deny_read", raw.filesystem?.deny_read, home, base),
    allowRead: resolvePaths(file, "filesystem.allow_read", raw.filesystem?.allow_read, home, base),
  };
}

/** Caps approval, sandbox, network and read mode; a default outside the caps becomes the first allowed value. */
function enforce(draft: Draft, file: string, raw: RawRequirements): void {
  const p = draft.policy;
  const caps = [
    ["approval", "allowed_approval_modes", raw.allowed_approval_modes, () => p.approval, (v: string) => (p.approval = v as Policy["approval"])],
    ["sandbox", "allowed_sandbox_modes", raw.allowed_sandbox_modes, () => p.sandbox, (v: string) => (p.sandbox = v as Policy["sandbox"])],
    ["network.mode", "allowed_network_modes", raw.allowed_network_modes, () => p.network.mode, (v: string) => (p.network.mode = v as Policy["network"]["mode"])],
    ["filesystem.read", "allowed_read_modes", raw.allowed_read_modes, () => p.filesystem.read, (v: string) => (p.filesystem.read = v as Policy["filesystem"]["read"])],
  ] as const;
  for (const [key, capKey, allowed, get, put] of caps) {
    if (!allowed) continue;
    const value = get();
    if ((allowed as readonly string[]).includes(value)) continue;
    const source = draft.values[key]?.at(-1) ?? DEFAULTS_LABEL;
    if (source === DEFAULTS_LABEL) {
      put(allowed[0]!);
      draft.values[key] = [file];
      continue;
    }
    const where = source === CLI_LABEL ? `command line: --${key.replace(".mode", "")}` : `${source}: ${key}`;
    throw new SafeShError(
      "ERR_SAFESH_POLICY_INVALID",
      `${where}: ${JSON.stringify(value)} is not allowed by ${file} (${capKey} = ${JSON.stringify(allowed)})`,
      `use one of ${allowed.join(", ")}, or ask the administrator`,
    );
  }
  p.requirements = {
    allowedSandboxModes: [...(raw.allowed_sandbox_modes ?? p.requirements.allowedSandboxModes)],
    allowedApprovalModes: [...(raw.allowed_approval_modes ?? p.requirements.allowedApprovalModes)],
    allowedNetworkModes: [...(raw.allowed_network_modes ?? p.requirements.allowedNetworkModes)],
    allowedReadModes: [...(raw.allowed_read_modes ?? p.requirements.allowedReadModes)],
  };
}

/**
 * Loads the effective policy and where each value came from.
 * Throws ERR_SAFESH_POLICY_INVALID naming the file, the line or key path and
 * what was expected (also for a failing rule example or a value the admin's
 * requirements.toml does not allow).
 */
export function loadPolicy(options: LoadPolicyOptions = {}): LoadedPolicy {
  const where = resolveLocations(options);
  const userFile = path.join(where.userConfigDir, "config.toml");
  const draft = defaultDraft(userFile);
  const files: SourceFile[] = [];
  const note = (layer: LayerName, file: string, status: SourceFile["status"]) => files.push({ layer, path: file, status });

  const requirementsFile = path.join(where.systemDir, "requirements.toml");
  const requirements = readFile<RawRequirements>(requirementsFile, REQUIREMENTS_SPEC);
  note("requirements", requirementsFile, requirements ? "loaded" : "missing");
  if (requirements) checkRules(requirementsFile, requirements.rules);

  const layer = (name: LayerName, file: string, base: string | undefined) => {
    const raw = readFile<RawConfig>(file, CONFIG_SPEC);
    note(name, file, raw ? "loaded" : "missing");
    if (!raw) return;
    checkRules(file, raw.rules);
    applyLayer(draft, raw, file, paths(file, raw, where.home, base));
  };
  layer("system", path.join(where.systemDir, "config.toml"), undefined);
  layer("user", userFile, undefined);

  const projectRoot = findProjectRoot(where.cwd);
  if (projectRoot !== undefined) {
    const projectFile = path.join(projectRoot, PROJECT_CONFIG);
    if (isTrusted(where.stateDir, projectRoot)) layer("project", projectFile, projectRoot);
    else note("project", projectFile, "untrusted");
  }
  if (options.overrides) applyOverrides(draft, options.overrides);

  if (requirements) {
    enforce(draft, requirementsFile, requirements);
    // Admin rules come first and, with strictest-wins, no layer can loosen them.
    const adminRules = toRules(requirements.rules, requirementsFile);
    draft.policy.rules.unshift(...adminRules);
    if (adminRules.length > 0) draft.values.rules = [requirementsFile, ...(draft.values.rules ?? [])];
  }
  return { policy: draft.policy, sources: { files, values: draft.values, ...(projectRoot ? { projectRoot } : {}) } };
}
