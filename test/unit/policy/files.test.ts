// Files safe-sh writes: the trusted-projects store and "always" rules
// appended to the user's config file.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SafeShError } from "../../../src/errors";
import { appendAllowRules } from "../../../src/policy/append-rule";
import { isTrusted, listTrusted, setTrusted } from "../../../src/policy/trust-store";
import { loadPolicy } from "../../../src/policy/load";

let root: string;
beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-files-")));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe("trusted projects", () => {
  it("are keyed by real path, so a symlink to a trusted project is trusted", () => {
    const state = path.join(root, "state");
    fs.mkdirSync(path.join(root, "project"));
    fs.symlinkSync(path.join(root, "project"), path.join(root, "link"));
    expect(setTrusted(state, path.join(root, "link"), true)).toEqual({ path: path.join(root, "project"), changed: true });
    expect(isTrusted(state, path.join(root, "project"))).toBe(true);
    expect(listTrusted(state)).toEqual([path.join(root, "project")]);
    expect(setTrusted(state, path.join(root, "project"), true).changed).toBe(false);
    setTrusted(state, path.join(root, "project"), false);
    expect(isTrusted(state, path.join(root, "link"))).toBe(false);
  });

  it("a directory that does not exist cannot be trusted", () => {
    expect(() => setTrusted(path.join(root, "state"), path.join(root, "nope"), true)).toThrow(SafeShError);
  });

  it("a corrupt store is a policy error, not an empty list", () => {
    fs.mkdirSync(path.join(root, "state"));
    fs.writeFileSync(path.join(root, "state/trusted-projects.json"), "[]");
    try {
      isTrusted(path.join(root, "state"), root);
      expect.unreachable();
    } catch (error) {
      expect((error as SafeShError).code).toBe("ERR_SAFESH_POLICY_INVALID");
    }
  });
});

describe("appendAllowRules", () => {
  it("keeps what the file had and adds rules that load", () => {
    const file = path.join(root, "user/config.toml");
    fs.mkdirSync(path.dirname(file));
    const before = '# my settings\napproval = "untrusted"  # careful\n[[rules]]\nprefix = ["ls"]\ndecision = "allow"';
    fs.writeFileSync(file, before);
    appendAllowRules(file, [["rm", "-r", "build"]], "approved always at the terminal");
    expect(fs.readFileSync(file, "utf8").startsWith(before)).toBe(true);
    const { policy } = loadPolicy({ userConfigDir: path.dirname(file), systemDir: path.join(root, "etc"), stateDir: root, cwd: root, env: {} });
    expect(policy.approval).toBe("untrusted");
    expect(policy.rules.map((r) => [r.prefix, r.decision])).toEqual([[["ls"], "allow"], [["rm", "-r", "build"], "allow"]]);
  });

  it("creates the file when there is none", () => {
    const file = path.join(root, "new/config.toml");
    appendAllowRules(file, [["make"]], "x");
    expect(fs.existsSync(file)).toBe(true);
  });

  it("refuses, leaving the file alone, when rules is an inline array", () => {
    const file = path.join(root, "config.toml");
    fs.writeFileSync(file, 'rules = [{ prefix = ["ls"], decision = "allow" }]\n');
    expect(() => appendAllowRules(file, [["make"]], "x")).toThrow(SafeShError);
    expect(fs.readFileSync(file, "utf8")).toBe('rules = [{ prefix = ["ls"], decision = "allow" }]\n');
  });
});
