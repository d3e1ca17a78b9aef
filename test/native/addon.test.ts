// The contract of safe_sh.node (native/index.d.ts): probe() shape, launcherPath(),
// flock(), and typed errors for bad input and failed system calls.
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NativeAddon } from "../../native/index";
import { REQUIRE_SANDBOX } from "../helpers/gate";

const ADDON_PATH = path.join(__dirname, "..", "..", "build", "Release", "safe_sh.node");
const EBADF = 9;

function loadAddon(): NativeAddon {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(ADDON_PATH) as NativeAddon;
}

function thrown(fn: () => unknown): (Error & Record<string, unknown>) | undefined {
  try {
    fn();
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  return undefined;
}

describe.runIf(process.platform === "linux" || REQUIRE_SANDBOX)("the native addon", () => {
  describe("probe()", () => {
    it("returns the kernel facts with their types", () => {
      const facts = loadAddon().probe();
      expect(facts.platform).toBe("linux");
      expect(Number.isInteger(facts.landlockAbi)).toBe(true);
      expect(facts.landlockAbi).toBeGreaterThanOrEqual(0);
      expect(typeof facts.seccomp).toBe("boolean");
      expect(typeof facts.userNamespaces).toBe("boolean");
      expect(typeof facts.netNamespaces).toBe("boolean");
      expect(Array.isArray(facts.reasons)).toBe(true);
      for (const reason of facts.reasons) expect(typeof reason).toBe("string");
    });

    it("gives a reason for every missing feature", () => {
      const facts = loadAddon().probe();
      const missing = [facts.landlockAbi === 0, !facts.seccomp, !facts.userNamespaces || !facts.netNamespaces].filter(Boolean).length;
      expect(facts.reasons.length).toBe(missing);
    });

    it.runIf(REQUIRE_SANDBOX)("finds Landlock and seccomp on a machine that must confine (SAFE_SH_REQUIRE_SANDBOX=1)", () => {
      const facts = loadAddon().probe();
      expect(facts.landlockAbi, facts.reasons.join("; ")).toBeGreaterThan(0);
      expect(facts.seccomp, facts.reasons.join("; ")).toBe(true);
    });

    it("rejects arguments with a TypeError coded ERR_INVALID_ARG_TYPE", () => {
      const error = thrown(() => (loadAddon().probe as (arg: unknown) => unknown)({}));
      expect(error).toBeInstanceOf(TypeError);
      expect(error?.code).toBe("ERR_INVALID_ARG_TYPE");
    });
  });

  describe("launcherPath()", () => {
    it("names an executable file next to the addon", () => {
      const launcher = loadAddon().launcherPath();
      expect(path.isAbsolute(launcher)).toBe(true);
      expect(path.dirname(launcher)).toBe(path.dirname(fs.realpathSync(ADDON_PATH)));
      expect(fs.statSync(launcher).isFile()).toBe(true);
      expect(() => fs.accessSync(launcher, fs.constants.X_OK)).not.toThrow();
    });
  });

  it("exposes its version as a string", () => {
    expect(loadAddon().version).toMatch(/^\d+\.\d+\.\d+/);
  });

  describe("flock()", () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-test-flock-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("holds an exclusive lock that another process cannot take until it is released", () => {
      const file = path.join(dir, "lock");
      const fd = fs.openSync(file, "w");
      try {
        const tryLock = () => spawnSync("flock", ["--nonblock", file, "true"], { timeout: 10_000 }).status;
        loadAddon().flock(fd, "exclusive");
        expect(tryLock()).toBe(1);
        loadAddon().flock(fd, "unlock");
        expect(tryLock()).toBe(0);
      } finally {
        fs.closeSync(fd);
      }
    });

    it.each([
      ["no arguments", []],
      ["a string fd", ["3", "exclusive"]],
      ["a missing mode", [3]],
      ["an unknown mode", [3, "sideways"]],
      ["a mode that is not a string", [3, 1]],
    ])("rejects %s with a TypeError coded ERR_INVALID_ARG_TYPE", (_label, args) => {
      const error = thrown(() => (loadAddon().flock as (...a: unknown[]) => void)(...args));
      expect(error).toBeInstanceOf(TypeError);
      expect(error?.code).toBe("ERR_INVALID_ARG_TYPE");
    });

    // Int32 conversion would otherwise lock a different descriptor (1.5 → 1, NaN → 0, 2**32+1 → 1).
    it.each([
      ["a fractional fd", 1.5],
      ["NaN", Number.NaN],
      ["an fd beyond 32 bits", 2 ** 32 + 1],
    ])("rejects %s with a TypeError coded ERR_INVALID_ARG_TYPE", (_label, fd) => {
      const error = thrown(() => loadAddon().flock(fd, "unlock"));
      expect(error).toBeInstanceOf(TypeError);
      expect(error?.code).toBe("ERR_INVALID_ARG_TYPE");
    });

    it("reports a closed fd as ERR_SAFESH_NATIVE with errno EBADF and syscall flock", () => {
      const error = thrown(() => loadAddon().flock(999, "exclusive"));
      expect(error).toBeInstanceOf(Error);
      expect(error).toMatchObject({ code: "ERR_SAFESH_NATIVE", errno: EBADF, syscall: "flock" });
    });
  });

  describe("sha256()", () => {
    const nodeSha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

    it("gives the FIPS 180-4 example digests", () => {
      const sha = (text: string) => loadAddon().sha256(Buffer.from(text));
      expect(sha("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
      expect(sha("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
      expect(sha("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
      expect(sha("a".repeat(1_000_000))).toBe("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    });

    it("agrees with node:crypto at every padding boundary and on a large buffer", () => {
      for (let size = 0; size <= 200; size++) {
        const bytes = randomBytes(size);
        expect(loadAddon().sha256(bytes)).toBe(nodeSha(bytes));
      }
      const large = randomBytes(3 * 1024 * 1024 + 17);
      expect(loadAddon().sha256(large)).toBe(nodeSha(large));
    });

    it("rejects anything but a Buffer with a TypeError", () => {
      expect(thrown(() => (loadAddon().sha256 as (x: unknown) => string)("abc"))).toMatchObject({ code: "ERR_INVALID_ARG_TYPE" });
    });
  });

  describe("isatty()", () => {
    it("is true for a terminal and false for a file, /dev/null and a closed fd", () => {
      const terminal = fs.openSync("/dev/ptmx", "r+");
      const file = fs.openSync(__filename, "r");
      const devNull = fs.openSync("/dev/null", "r");
      try {
        expect(loadAddon().isatty(terminal)).toBe(true);
        expect(loadAddon().isatty(file)).toBe(false);
        expect(loadAddon().isatty(devNull)).toBe(false);
      } finally {
        for (const fd of [terminal, file, devNull]) fs.closeSync(fd);
      }
      expect(loadAddon().isatty(file)).toBe(false);
      expect(thrown(() => (loadAddon().isatty as (x: unknown) => boolean)("1"))).toMatchObject({ code: "ERR_INVALID_ARG_TYPE" });
    });
  });

  describe("relayStart()", () => {
    const done = (): void => undefined;
    it.each([
      ["no arguments", []],
      ["no callback", [{ client: 0, upstream: 1, idleMs: 0 }]],
      ["a string fd", [{ client: "3", upstream: 1, idleMs: 0 }, done]],
      ["a fractional fd", [{ client: 1.5, upstream: 1, idleMs: 0 }, done]],
      ["a missing idleMs", [{ client: 0, upstream: 1 }, done]],
    ])("rejects %s with a TypeError coded ERR_INVALID_ARG_TYPE", (_label, args) => {
      const error = thrown(() => (loadAddon().relayStart as (...a: unknown[]) => void)(...args));
      expect(error).toBeInstanceOf(TypeError);
      expect(error?.code).toBe("ERR_INVALID_ARG_TYPE");
    });

    it("reports a closed fd as ERR_SAFESH_NATIVE with errno EBADF and syscall dup, and never calls back", async () => {
      let called = false;
      const error = thrown(() => loadAddon().relayStart({ client: 999, upstream: 998, idleMs: 0 }, () => (called = true)));
      expect(error).toMatchObject({ code: "ERR_SAFESH_NATIVE", errno: EBADF, syscall: "dup" });
      await new Promise((r) => setTimeout(r, 50));
      expect(called).toBe(false);
    });

    it("ignores relayAbort() of an unknown tunnel", () => {
      expect(() => loadAddon().relayAbort(123456)).not.toThrow();
    });
  });
});
