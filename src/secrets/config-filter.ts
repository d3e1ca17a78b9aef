// Filters tool config files that mix settings and credentials: the sandbox
// sees every setting (registry, nodedir, user.name) but no secret. Pure text
// in, text out; a file that doesn't parse returns undefined (stay masked).
import { jsonObject } from "../json-object";

/** A filter for one config file format; undefined means "can't filter, keep it hidden". */
export type ConfigFilter = (text: string) => string | undefined;

/** Key names that hold a secret in ini-style files (npmrc, pypirc), compared case-insensitively. */
const SECRET_KEY = /(^|[:.])(_auth|_password|password|passwd|token|secret|otp|api[-_]?key|access[-_]?key|private[-_]?key)$|authtoken$/i;

/** `scheme://user:secret@host` → `scheme://host`: credentials embedded in URLs. */
export function stripUrlCredentials(value: string): string {
  return value.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s"]*@/gi, "$1");
}

/** The key of an ini `key = value` line (npmrc keys may contain `//host/:`), or undefined. */
function iniKey(line: string): string | undefined {
  const trimmed = line.trim();
  if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";") || trimmed.startsWith("[")) return undefined;
  const eq = trimmed.indexOf("=");
  const colon = trimmed.indexOf(":");
  // pypirc also allows `key: value`; npmrc keys contain ':' themselves, so '=' wins when present.
  const end = eq >= 0 ? eq : colon;
  return end > 0 ? trimmed.slice(0, end).trim() : trimmed;
}

/**
 * ~/.npmrc (and .yarnrc, .pypirc): removes `_authToken`, `_auth`,
 * `_password`, `password`, `token`… lines (scoped `//host/:_authToken` too),
 * and credentials inside URLs; keeps everything else byte for byte.
 */
export const filterIni: ConfigFilter = (text) =>
  text
    .split("\n")
    .filter((line) => {
      const key = iniKey(line);
      return key === undefined || !SECRET_KEY.test(key);
    })
    .map(stripUrlCredentials)
    .join("\n");

/** Keys of a Docker `auths` entry that are credentials. */
const DOCKER_SECRET_FIELDS = ["auth", "password", "identitytoken", "registrytoken"];
const SECRET_HEADER = /auth|token|cookie|key|secret/i;

/**
 * ~/.docker/config.json: keeps every registry entry (so `auths` still lists
 * where the user logs in) without `auth`, `password`, `identitytoken` and
 * `registrytoken`, and drops HttpHeaders that carry credentials. Credential
 * helpers stay named: they need the keyring, which the sandbox can't reach.
 */
export const filterDockerConfig: ConfigFilter = (text) => {
  const config = jsonObject(text);
  if (config === undefined) return undefined;
  const out = { ...config };
  const auths = out.auths;
  if (typeof auths === "object" && auths !== null) {
    out.auths = Object.fromEntries(
      Object.entries(auths as Record<string, unknown>).map(([registry, entry]) => {
        if (typeof entry !== "object" || entry === null) return [registry, {}];
        const kept = Object.entries(entry as Record<string, unknown>).filter(([field]) => !DOCKER_SECRET_FIELDS.includes(field.toLowerCase()));
        return [registry, Object.fromEntries(kept)];
      }),
    );
  }
  const headers = out.HttpHeaders;
  if (typeof headers === "object" && headers !== null) {
    out.HttpHeaders = Object.fromEntries(Object.entries(headers as Record<string, unknown>).filter(([name]) => !SECRET_HEADER.test(name)));
  }
  return `${JSON.stringify(out, null, "\t")}\n`;
};

/** Git config variables (section.key, lower case) whose values are credentials or hand them out. */
const GIT_SECRET_KEY = /^(http\..*extraheader|.*\.(token|oauthtoken|password|pass|smtppass|secret))$/;

/**
 * ~/.gitconfig: drops `[credential]` sections (helpers hand out
 * credentials), `http.extraHeader` (often `Authorization: …`), keys named
 * token/password/…, and `user:token@` inside URLs (also in section names such
 * as `[url "https://user:token@host/"]`); keeps user, core, alias, url
 * rewrites without credentials, includes and everything else.
 */
export const filterGitconfig: ConfigFilter = (text) => {
  let section = "";
  let dropSection = false;
  let dropContinuation = false;
  const kept: string[] = [];
  for (const raw of text.split("\n")) {
    const line = stripUrlCredentials(raw);
    // A value continued with a trailing backslash belongs to the line before.
    if (dropContinuation) {
      dropContinuation = line.endsWith("\\");
      continue;
    }
    const header = /^\s*\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]/.exec(line);
    // The old `[section.subsection]` form with a URL in it, or anything else unexpected: can't filter.
    if (!header && /^\s*\[/.test(line)) return undefined;
    if (header) {
      // `[section] key = value` on one line is valid git syntax, but rare: don't guess.
      if (!/^\s*([#;].*)?$/.test(line.slice(header[0].length))) return undefined;
      section = header[1]!.toLowerCase();
      dropSection = section === "credential";
      if (!dropSection) kept.push(line);
      continue;
    }
    const key = /^\s*([A-Za-z][A-Za-z0-9-]*)\s*(=|$)/.exec(line)?.[1]?.toLowerCase();
    if (dropSection || (key !== undefined && GIT_SECRET_KEY.test(`${section}.${key}`))) {
      dropContinuation = line.endsWith("\\");
      continue;
    }
    kept.push(line);
  }
  return kept.join("\n");
};

/** Config files filtered by default, relative to $HOME, with their filter. */
export const FILTERED_CONFIGS: ReadonlyArray<{ path: string; filter: ConfigFilter }> = [
  { path: ".npmrc", filter: filterIni },
  { path: ".yarnrc", filter: filterIni },
  { path: ".pypirc", filter: filterIni },
  { path: ".docker/config.json", filter: filterDockerConfig },
  { path: ".gitconfig", filter: filterGitconfig },
  { path: ".config/git/config", filter: filterGitconfig },
];
