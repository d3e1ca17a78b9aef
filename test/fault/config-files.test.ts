// Config and requirements files of every file type and of hostile size or
// content: each fails at once with ERR_SAFESH_POLICY_INVALID naming the file,
// never a hang, a stack overflow or a message echoing megabytes.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SafeShError } from "../../src/errors";
import { loadPolicy, type LoadPolicyOptions } from "../../src/policy/load";

let root: string;
let options: LoadPolicyOptions;
let userFile: string;
let requirementsFile: string;

beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-fault-config-")));
  for (const dir of ["etc", "user", "state", "ws"]) fs.mkdirSync(path.join(root, dir));
  options = { systemDir: path.join(root, "etc"), userConfigDir: path.join(root, "user"), stateDir: path.join(root, "state"), cwd: path.join(root, "ws"), env: { HOME: path.join(root, "home") } };
  userFile = path.join(root, "user", "config.toml");
  requirementsFile = path.join(root, "etc", "requirements.toml");
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function policyError(): SafeShError {
  const started = Date.now();
  try {
    loadPolicy(options);
  } catch (error) {
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(SafeShError);
    expect((error as SafeShError).code).toBe("ERR_SAFESH_POLICY_INVALID");
    expect((error as SafeShError).message.length).toBeLessThan(2_000);
    return error as SafeShError;
  }
  throw new Error("expected ERR_SAFESH_POLICY_INVALID");
}

const kinds: [string, (file: string) => void, RegExp][] = [
  ["a FIFO", (file) => execFileSync("mkfifo", [file]), /is a FIFO, not a regular file/],
  ["a symlink to /dev/urandom", (file) => fs.symlinkSync("/dev/urandom", file), /is a character device/],
  ["a symlink to /dev/zero", (file) => fs.symlinkSync("/dev/zero", file), /is a character device/],
  ["a directory", (file) => fs.mkdirSync(file), /is a directory/],
  ["a 2 MiB file", (file) => fs.writeFileSync(file, `# ${"x".repeat(2 * 1024 * 1024)}\n`), /larger than 1048576 bytes/],
];

describe("config and requirements files that are not small regular files", () => {
  it("a regular config file loads (the other side)", () => {
    fs.writeFileSync(userFile, 'approval = "never"\n');
    fs.writeFileSync(requirementsFile, 'allowed_network_modes = ["none"]\n');
    expect(loadPolicy(options).policy.approval).toBe("never");
  });

  it.each(kinds)("a config.toml that is %s is refused, naming the file", (_kind, make, why) => {
    make(userFile);
    const error = policyError();
    expect(error.message).toContain(userFile);
    expect(error.message).toMatch(why);
  });

  it.each(kinds)("a requirements.toml that is %s is refused, naming the file", (_kind, make, why) => {
    make(requirementsFile);
    const error = policyError();
    expect(error.message).toContain(requirementsFile);
    expect(error.message).toMatch(why);
  });

  it("a socket as config.toml is refused", async () => {
    // Unix socket paths are short: make it in a short directory.
    const dir = fs.mkdtempSync("/tmp/ss-");
    const server = net.createServer().listen(path.join(dir, "config.toml"));
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      options.userConfigDir = dir;
      expect(policyError().message).toMatch(/is a socket/);
    } finally {
      server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("hostile content", () => {
  it("200,000 rules fail with a clear error, not a stack overflow", () => {
    fs.writeFileSync(userFile, `rules = [${'{prefix=["a"],decision="allow"},'.repeat(200_000)}]\n`);
    expect(policyError().message).toMatch(/larger than|more than 10000/);
  });

  it("10,001 rules within the size cap are refused by the rule count cap; 100 load", () => {
    fs.writeFileSync(userFile, `rules = [${'{prefix=["a"],decision="allow"},'.repeat(100)}]\n`);
    expect(loadPolicy(options).policy.rules.length).toBeGreaterThanOrEqual(100);
    fs.writeFileSync(userFile, `rules = [${'{prefix=["a"],decision="allow"},'.repeat(10_001)}]\n`);
    expect(policyError().message).toMatch(/10001 rules, more than 10000/);
  });

  it("a huge wrong value is quoted truncated, with its length", () => {
    fs.writeFileSync(userFile, `sandbox = "${"y".repeat(500_000)}"\n`);
    expect(policyError().message).toMatch(/… \(500000 characters\)/);
  });

  it("a thousand wrong values are counted, not all listed", () => {
    fs.writeFileSync(userFile, `[env]\nkeep = [${'"1x",'.repeat(1000)}]\n`);
    expect(policyError().message).toMatch(/1000 problems: .*; and 990 more$/);
  });

  it("[network.hosts] values must be addresses", () => {
    fs.writeFileSync(userFile, '[network.hosts]\n"api.example" = "127.0.0.1"\n"v6.example" = "[::1]"\n');
    expect(loadPolicy(options).policy.network.hosts).toEqual({ "api.example": "127.0.0.1", "v6.example": "[::1]" });
    fs.writeFileSync(userFile, '[network.hosts]\n"api.example" = "example.com"\n');
    expect(policyError().message).toMatch(/network\.hosts\."api\.example": expected an IPv4 or IPv6 address, got "example\.com"/);
  });

  it("a relative audit.path is refused, naming the file, the key and what was expected", () => {
    fs.writeFileSync(userFile, '[audit]\npath = "/var/log/safe-sh/audit.jsonl"\n');
    expect(loadPolicy(options).policy.audit.path).toBe("/var/log/safe-sh/audit.jsonl");
    fs.writeFileSync(userFile, '[audit]\npath = "audit.jsonl"\n');
    const error = policyError();
    expect(error.message).toContain(userFile);
    expect(error.message).toMatch(/audit\.path: expected an absolute path, got "audit\.jsonl"/);
  });
});
