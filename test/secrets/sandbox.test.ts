// Keyrings seen from inside the sandbox: a secret stored in a real Secret
// Service (or the kernel keyring) is readable outside and unreachable inside.
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type SecretStore } from "../../dist/secrets/index.js";
import { canConfine } from "../helpers/gate";
import { confined, removeTempDirs, tempDir, tryConfined } from "../helpers/sandbox";
import { tryBinary } from "../helpers/build";
import { HAVE_KEYUTILS, HAVE_SECRET_SERVICE_TOOLS, inSecretService, keyringProbe, uniqueName } from "./helpers";

describe.runIf(canConfine() && HAVE_SECRET_SERVICE_TOOLS)("Secret Service (gnome-keyring) from inside the sandbox", () => {
  const value = `ss-value-${process.pid}-0123456789`;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let out: any;

  beforeAll(() => {
    // HOME and XDG_RUNTIME_DIR must be visible inside (not on the private /tmp), so only the masks can hide them.
    const root = tempDir("secret-service");
    const run = inSecretService(root, path.join(__dirname, "fixtures", "secret-service-sandbox.js"), [tempDir("ss-ws"), tryBinary(), uniqueName("ss"), value]);
    expect(run.status, run.stderr).toBe(0);
    out = JSON.parse(run.stdout);
  }, 120_000);
  afterAll(removeTempDirs);

  it("stores through safe-sh's store and reads back outside (store and secret-tool)", () => {
    expect(out.backend).toBe("secret-service");
    expect(out.storeGet).toBe(true);
    expect(out.secretToolOutside).toBe(true);
    expect(out.busOutside).toEqual({ result: "OK", exitCode: 0 });
    expect(out.keyringFilesOutside).toBe(true);
    expect(out.deleted).toBe(true);
  });

  it("reads the rest of $XDG_RUNTIME_DIR inside (the masks are targeted)", () => {
    expect(out.siblingInside).toMatchObject({ exitCode: 0, stdout: "visible\n" });
  });

  it("can't reach the bus inside: its path is masked, so connect(2) is refused (EACCES)", () => {
    expect(out.busInside).toEqual({ result: "EACCES", exitCode: 1 });
  });

  it("sees the bus socket and every other host socket masked by an empty file inside", () => {
    const [bus, sibling] = out.typesInside.trim().split("\n");
    expect(bus).toMatch(/\/bus regular empty file$/);
    expect(sibling).toMatch(/\/sibling\.sock regular empty file$/);
  });

  it("can't open the masked bus path inside (EACCES)", () => {
    expect(out.busOpenInside).toEqual({ result: "EACCES", exitCode: 1 });
  });

  it("can't list or read ~/.local/share/keyrings or $XDG_RUNTIME_DIR/keyring inside (EACCES)", () => {
    for (const run of [out.keyringDirInside, out.keyringFileInside, out.keyringRuntimeDirInside]) {
      expect(run.exitCode).not.toBe(0);
      expect(run.stderr).toContain("Permission denied");
    }
  });

  it("doesn't pass DBUS_SESSION_BUS_ADDRESS in, and secret-tool inside gets nothing", () => {
    expect(out.envInside).not.toContain("DBUS_SESSION_BUS_ADDRESS");
    expect(out.secretToolInside.exitCode).not.toBe(0);
    expect(out.secretToolInside.stdout).not.toContain(value);
    expect(out.secretToolInside.stderr).not.toContain(value);
  });
});

describe.runIf(canConfine() && HAVE_KEYUTILS)("kernel keyring (keyutils) from inside the sandbox", () => {
  const name = uniqueName("ku");
  const value = `ku-value-${process.pid}-0123456789`;
  const description = `keyring:${name}@safe-sh`;
  let store: SecretStore;
  let probe: string;
  let workspace: string;

  beforeAll(async () => {
    store = await openStore({ backend: "keyutils" });
    await store.set(name, value);
    workspace = tempDir("ku-ws");
    probe = keyringProbe(tempDir("ku-bin"));
  });
  afterAll(async () => {
    await store?.delete(name);
    removeTempDirs();
  });

  it("reads the stored secret outside through the syscalls (baseline)", async () => {
    expect(await store.get(name)).toBe(value);
    const { spawnSync } = await import("node:child_process");
    expect(spawnSync(probe, ["persistent-read", description], { encoding: "utf8" }).stdout).toBe(`OK ${value}\n`);
  });

  it("refuses keyctl(KEYCTL_GET_PERSISTENT) inside (EPERM)", async () => {
    const run = await confined(workspace, [probe, "persistent-read", description]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe("keyctl(KEYCTL_GET_PERSISTENT) EPERM\n");
  });

  it("refuses request_key inside (EPERM)", async () => {
    const run = await confined(workspace, [probe, "request-key", description]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toBe("request_key EPERM\n");
  });

  it("refuses keyctl(KEYCTL_READ) and add_key inside (EPERM)", async () => {
    expect(await tryConfined(workspace, ["keyctl-read"])).toMatchObject({ result: "EPERM", exitCode: 1 });
    expect(await tryConfined(workspace, ["add-key"])).toMatchObject({ result: "EPERM", exitCode: 1 });
  });
});
