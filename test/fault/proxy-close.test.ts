// 200 concurrent allowlist runs on one SafeShell share one proxy: after
// close() no listening socket or proxy directory is left, and the process exits.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { canConfine } from "../helpers/gate";
import { removeTempDirs, tempDir } from "../helpers/sandbox";

afterEach(removeTempDirs);

const SCRIPT = `
const { SafeShell } = require(process.argv[1]);
const shell = new SafeShell({ network: "allowlist", networkRules: { allow: ["example.com"] }, workspace: process.argv[2] });
Promise.all(Array.from({ length: Number(process.argv[3]) }, () => shell.run("true", { timeoutMs: 60000 }))).then(async (results) => {
  const proxyDirs = () => require("fs").readdirSync(process.env.TMPDIR).filter((name) => name.startsWith("safe-sh-proxy-")).length;
  const during = proxyDirs();
  await shell.close();
  console.log(JSON.stringify({ ok: results.every((r) => r.exitCode === 0), during, after: proxyDirs() }));
});
`;

describe.runIf(canConfine())("allowlist proxy lifecycle", () => {
  it("200 concurrent runs use one proxy; close() removes it and the process exits by itself", () => {
    const tmp = tempDir("proxy-tmp");
    const child = spawnSync(process.execPath, ["-e", SCRIPT, path.resolve("dist/index.js"), tempDir("proxy-ws"), "200"], {
      encoding: "utf8",
      timeout: 150_000,
      env: { ...process.env, TMPDIR: tmp },
    });
    expect(child.error).toBeUndefined(); // ETIMEDOUT: the process did not exit
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual({ ok: true, during: 1, after: 0 });
    expect(fs.readdirSync(tmp).filter((name) => name.startsWith("safe-sh-proxy-"))).toEqual([]);
  }, 160_000);
});
