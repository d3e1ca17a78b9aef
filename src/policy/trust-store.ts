// Trusted projects: real paths in <stateDir>/trusted-projects.json. Only a
// trusted project's .safe-sh/config.toml is loaded.
import fs = require("node:fs");
import path = require("node:path");
import { SafeShError } from "../errors";
import { readRegular } from "../regular-file";
import { MAX_POLICY_FILE_BYTES } from "./limits";

interface TrustFile {
  version: 1;
  projects: Record<string, { trustedAt: string }>;
}

function storePath(stateDir: string): string {
  return path.join(stateDir, "trusted-projects.json");
}

function realDir(dir: string): string {
  try {
    const real = fs.realpathSync(dir);
    if (fs.statSync(real).isDirectory()) return real;
  } catch {
    // reported below
  }
  throw new SafeShError("ERR_SAFESH_WORKSPACE", `${dir} is not an existing directory`, "pass the project's directory");
}

/** Throws ERR_SAFESH_POLICY_INVALID when the store exists but is not ours. */
function read(stateDir: string): TrustFile {
  const file = storePath(stateDir);
  let text: string;
  try {
    text = readRegular(file, MAX_POLICY_FILE_BYTES).toString("utf8");
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === "ENOENT") return { version: 1, projects: {} };
    if (code === "EFTYPE" || code === "EFBIG") throw new SafeShError("ERR_SAFESH_POLICY_INVALID", message, `remove ${file} and trust your projects again`);
    throw error;
  }
  try {
    const data = JSON.parse(text) as TrustFile;
    if (data.version === 1 && typeof data.projects === "object" && data.projects !== null) return data;
  } catch {
    // reported below
  }
  throw new SafeShError("ERR_SAFESH_POLICY_INVALID", `${file}: expected {"version":1,"projects":{...}}`, `remove ${file} and trust your projects again`);
}

function write(stateDir: string, data: TrustFile): void {
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const file = storePath(stateDir);
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temp, file); // atomic: a concurrent reader sees the old or the new list
}

/** True when the directory's real path is trusted. Throws ERR_SAFESH_POLICY_INVALID (corrupt store). */
export function isTrusted(stateDir: string, dir: string): boolean {
  let real: string;
  try {
    real = fs.realpathSync(dir);
  } catch {
    return false;
  }
  return Object.hasOwn(read(stateDir).projects, real);
}

/**
 * Trusts (or untrusts) a directory by real path; returns that path and
 * whether the list changed. Throws ERR_SAFESH_WORKSPACE, ERR_SAFESH_POLICY_INVALID.
 */
export function setTrusted(stateDir: string, dir: string, trusted: boolean): { path: string; changed: boolean } {
  const real = realDir(dir);
  const data = read(stateDir);
  const had = Object.hasOwn(data.projects, real);
  if (had === trusted) return { path: real, changed: false };
  if (trusted) data.projects[real] = { trustedAt: new Date().toISOString() };
  else delete data.projects[real];
  write(stateDir, data);
  return { path: real, changed: true };
}

/** Every trusted real path. Throws ERR_SAFESH_POLICY_INVALID (corrupt store). */
export function listTrusted(stateDir: string): string[] {
  return Object.keys(read(stateDir).projects).sort();
}
