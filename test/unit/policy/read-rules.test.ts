// [filesystem] read rules in config.toml and requirements.toml: deny_read and
// allow_read with ~ expanded and extended across layers, the read mode
// replaced, and an admin able to force the allowlist.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SafeShError } from "../../../src/errors";
import { loadPolicy, type LoadPolicyOptions } from "../../../src/policy/load";

let root: string;
let options: LoadPolicyOptions;
const write = (rel: string, text: string) => {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
};

beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-read-rules-")));
  options = { systemDir: path.join(root, "etc"), userConfigDir: path.join(root, "user"), stateDir: path.join(root, "state"), cwd: root, env: { HOME: path.join(root, "home") } };
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe("read rules", () => {
  it("default to reads everywhere with no extra masks", () => {
    expect(loadPolicy(options).policy.filesystem).toEqual({ read: "everywhere", denyRead: [], allowRead: [] });
  });

  it("expand ~ and extend deny_read and allow_read across layers, naming each file", () => {
    const system = write("etc/config.toml", '[filesystem]\ndeny_read = ["/srv/keys"]\n');
    const user = write("user/config.toml", '[filesystem]\nread = "allowlist"\ndeny_read = ["~/private"]\nallow_read = ["~/lib", "/data"]\n');
    const { policy, sources } = loadPolicy(options);
    expect(policy.filesystem).toEqual({ read: "allowlist", denyRead: ["/srv/keys", path.join(root, "home/private")], allowRead: [path.join(root, "home/lib"), "/data"] });
    expect(sources.values["filesystem.deny_read"]).toEqual([system, user]);
    expect(sources.values["filesystem.read"]).toEqual([user]);
  });

  it("refuse a relative path outside a project, naming the key", () => {
    write("user/config.toml", '[filesystem]\ndeny_read = ["secrets"]\n');
    expect(() => loadPolicy(options)).toThrow(expect.objectContaining({ code: "ERR_SAFESH_POLICY_INVALID", message: expect.stringContaining("filesystem.deny_read[0]") }));
  });

  it("refuse an unknown read mode", () => {
    write("user/config.toml", '[filesystem]\nread = "sometimes"\n');
    expect(() => loadPolicy(options)).toThrow(SafeShError);
  });

  it("can be forced to the allowlist by requirements.toml", () => {
    const requirements = write("etc/requirements.toml", 'allowed_read_modes = ["allowlist"]\n');
    const { policy, sources } = loadPolicy(options);
    expect(policy.filesystem.read).toBe("allowlist");
    expect(sources.values["filesystem.read"]).toEqual([requirements]);
    expect(policy.requirements.allowedReadModes).toEqual(["allowlist"]);
  });

  it("refuse a user who asks for reads everywhere past a forced allowlist", () => {
    write("etc/requirements.toml", 'allowed_read_modes = ["allowlist"]\n');
    write("user/config.toml", '[filesystem]\nread = "everywhere"\n');
    expect(() => loadPolicy(options)).toThrow(expect.objectContaining({ code: "ERR_SAFESH_POLICY_INVALID", message: expect.stringContaining("allowed_read_modes") }));
  });
});
