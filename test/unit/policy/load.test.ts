// loadPolicy over real files in temp dirs: layering, provenance, trust,
// requirements caps, read rules, and errors naming the file and key.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SafeShError } from "../../../src/errors";
import { loadPolicy, type LoadPolicyOptions } from "../../../src/policy/load";
import { setTrusted } from "../../../src/policy/trust-store";

let root: string;
let options: LoadPolicyOptions;
const write = (rel: string, text: string) => {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
};

function policyError(run: () => unknown): SafeShError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SafeShError);
    expect((error as SafeShError).code).toBe("ERR_SAFESH_POLICY_INVALID");
    expect((error as SafeShError).exitCode).toBe(125);
    return error as SafeShError;
  }
  throw new Error("expected ERR_SAFESH_POLICY_INVALID");
}

beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-policy-")));
  fs.mkdirSync(path.join(root, "project/src"), { recursive: true });
  options = {
    systemDir: path.join(root, "etc"),
    userConfigDir: path.join(root, "user"),
    stateDir: path.join(root, "state"),
    cwd: path.join(root, "project/src"),
    env: { HOME: path.join(root, "home") },
  };
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe("layering", () => {
  it("merges [network] allow_private and hosts across files", () => {
    write("etc/config.toml", '[network]\nallow_private = ["10.0.0.0/8"]\n[network.hosts]\n"a.test" = "127.0.0.1"\n');
    write("user/config.toml", '[network]\nallow_private = ["a.test"]\n[network.hosts]\n"b.test" = "::1"\n');
    const { policy } = loadPolicy(options);
    expect(policy.network.allowPrivate).toEqual(["10.0.0.0/8", "a.test"]);
    expect(policy.network.hosts).toEqual({ "a.test": "127.0.0.1", "b.test": "::1" });
  });

  it("without files, the built-in defaults apply", () => {
    const { policy, sources } = loadPolicy(options);
    expect(policy).toMatchObject({ approval: "on-request", sandbox: "workspace-write", network: { mode: "none", allow: [], deny: [] }, rules: [] });
    expect(sources.values.approval).toEqual(["built-in defaults"]);
    expect(sources.files.map((f) => [f.layer, f.status])).toEqual([["requirements", "missing"], ["system", "missing"], ["user", "missing"]]);
  });

  it("later files replace scalars and extend lists, and each value names its file", () => {
    const system = write("etc/config.toml", 'approval = "untrusted"\n[network]\nmode = "allowlist"\nallow = ["example.com"]\n[[rules]]\nprefix = ["git", "push"]\ndecision = "ask"\n');
    const user = write("user/config.toml", '[approval]\nmode = "on-failure"\n[approval.reviewer]\ncommand = ["/usr/bin/review"]\n[network]\nallow = ["*.npmjs.org:443"]\n[[rules]]\nprefix = ["rm"]\ndecision = "deny"\nreason = "no"\n');
    const { policy, sources } = loadPolicy(options);
    expect(policy.approval).toBe("on-failure");
    expect(policy.reviewer).toEqual({ command: ["/usr/bin/review"], timeoutMs: 10_000 });
    expect(policy.network).toEqual({ mode: "allowlist", allow: ["example.com", "*.npmjs.org:443"], deny: [], allowPrivate: [], hosts: {} });
    expect(policy.rules.map((r) => [r.prefix, r.decision, r.source, r.index])).toEqual([
      [["git", "push"], "ask", system, 0],
      [["rm"], "deny", user, 0],
    ]);
    expect(sources.values.approval).toEqual([user]);
    expect(sources.values["network.mode"]).toEqual([system]);
    expect(sources.values["network.allow"]).toEqual([system, user]);
  });

  it("a project's config applies only after the project is trusted", () => {
    const project = write("project/.safe-sh/config.toml", 'sandbox = "read-only"\nwritable_roots = ["out", "~/cache"]\n');
    let loaded = loadPolicy(options);
    expect(loaded.policy.sandbox).toBe("workspace-write");
    expect(loaded.sources.files.at(-1)).toEqual({ layer: "project", path: project, status: "untrusted" });
    expect(loaded.sources.projectRoot).toBe(path.join(root, "project"));

    setTrusted(options.stateDir!, path.join(root, "project"), true);
    loaded = loadPolicy(options);
    expect(loaded.policy.sandbox).toBe("read-only");
    expect(loaded.policy.writableRoots).toEqual([path.join(root, "project/out"), path.join(root, "home/cache")]);
    expect(loaded.sources.values.sandbox).toEqual([project]);
  });

  it("command-line flags win over every file", () => {
    write("user/config.toml", 'sandbox = "read-only"\n');
    const { policy, sources } = loadPolicy({ ...options, overrides: { sandbox: "full-access", approval: "never" } });
    expect(policy.sandbox).toBe("full-access");
    expect(sources.values.sandbox).toEqual(["command line"]);
  });

  it("reads the SAFE_SH_* variables when no option names a directory", () => {
    write("elsewhere/config.toml", 'approval = "never"\n');
    const { policy } = loadPolicy({ cwd: options.cwd, env: { HOME: root, SAFE_SH_CONFIG_DIR: path.join(root, "elsewhere"), SAFE_SH_SYSTEM_CONFIG_DIR: path.join(root, "etc"), SAFE_SH_STATE_DIR: path.join(root, "state") } });
    expect(policy.approval).toBe("never");
    expect(policy.userConfigFile).toBe(path.join(root, "elsewhere/config.toml"));
  });
});

describe("requirements.toml", () => {
  it("refuses a file that loosens past the caps, naming that file and key", () => {
    const requirements = write("etc/requirements.toml", 'allowed_sandbox_modes = ["read-only", "workspace-write"]\n');
    const user = write("user/config.toml", 'sandbox = "full-access"\n');
    const error = policyError(() => loadPolicy(options));
    expect(error.message).toContain(user);
    expect(error.message).toContain("sandbox");
    expect(error.message).toContain(requirements);
  });

  it("refuses a command-line flag past the caps", () => {
    write("etc/requirements.toml", 'allowed_approval_modes = ["untrusted", "on-request"]\n');
    policyError(() => loadPolicy({ ...options, overrides: { approval: "never" } }));
  });

  it("moves a default outside the caps to the first allowed value", () => {
    const requirements = write("etc/requirements.toml", 'allowed_network_modes = ["allowlist"]\nallowed_approval_modes = ["untrusted"]\n');
    const { policy, sources } = loadPolicy(options);
    expect(policy.network.mode).toBe("allowlist");
    expect(policy.approval).toBe("untrusted");
    expect(sources.values.approval).toEqual([requirements]);
    expect(policy.requirements.allowedNetworkModes).toEqual(["allowlist"]);
  });

  it("puts admin rules first, where no allow rule can loosen them", () => {
    const requirements = write("etc/requirements.toml", '[[rules]]\nprefix = ["curl"]\ndecision = "deny"\n');
    write("user/config.toml", '[[rules]]\nprefix = ["curl"]\ndecision = "allow"\n');
    const { policy } = loadPolicy(options);
    expect(policy.rules.map((r) => [r.source, r.decision])).toEqual([[requirements, "deny"], [path.join(root, "user/config.toml"), "allow"]]);
  });
});

describe("errors name the file and the key", () => {
  it.each([
    ["an unknown key", 'aproval = "never"\n', "aproval"],
    ["a value outside the enum", '[network]\nmode = "some"\n', "network.mode"],
    ["a misspelt nested key", '[approval.reviewer]\ncomand = ["x"]\n', "approval.reviewer.comand"],
    ["a malformed domain", '[network]\nallow = ["http://example.com"]\n', "network.allow[0]"],
    ["a rule without a decision", '[[rules]]\nprefix = ["git"]\n', "rules[0].decision"],
    ["a bad secret", '[secrets.gh]\nenv = "GH TOKEN"\ncommands = [["gh"]]\n', "secrets.gh.env"],
    ["an empty prefix", '[[rules]]\nprefix = []\ndecision = "allow"\n', "rules[0].prefix"],
    ["a relative writable root outside a project", 'writable_roots = ["out"]\n', "writable_roots[0]"],
  ])("%s", (_what, text, key) => {
    const file = write("user/config.toml", text);
    const error = policyError(() => loadPolicy(options));
    expect(error.message).toContain(file);
    expect(error.message).toContain(key);
  });

  it("a TOML syntax error names the line", () => {
    const file = write("user/config.toml", 'approval = "never"\nsandbox =\n');
    expect(policyError(() => loadPolicy(options)).message).toContain(`${file}:2:`);
  });

  it("a failing match example names the rule", () => {
    write("etc/config.toml", '[[rules]]\nprefix = ["git", "push"]\ndecision = "ask"\nmatch = [["git", "push", "origin"]]\nnotMatch = [["git", "push"]]\n');
    const error = policyError(() => loadPolicy(options));
    expect(error.message).toContain("rules[0]");
    expect(error.message).toContain("notMatch");
  });

  it("a malformed requirements.toml is an error too", () => {
    write("etc/requirements.toml", 'allowed_sandbox_modes = []\n');
    expect(policyError(() => loadPolicy(options)).message).toContain("allowed_sandbox_modes");
  });
});

describe("read rules ([filesystem])", () => {
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
    expect(policyError(() => loadPolicy(options)).message).toContain("filesystem.deny_read[0]");
  });

  it("refuse an unknown read mode", () => {
    write("user/config.toml", '[filesystem]\nread = "sometimes"\n');
    policyError(() => loadPolicy(options));
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
    expect(policyError(() => loadPolicy(options)).message).toContain("allowed_read_modes");
  });
});
