// doctor's macOS checks with the programs it runs (sw_vers, the launcher,
// csrutil) replaced: what each answer makes of the table and of "ready".
import { describe, expect, it } from "vitest";
import { darwinChecks, sipCheck, type RunProgram } from "../../../../src/sandbox/darwin/doctor";

const fakeLaunch = (() => ({ file: "/pkg/build/Release/safe-sh-exec", args: ["--", "/usr/bin/true"], plan: { env: {}, cwd: "/w" }, cleanup: () => undefined })) as never;
const answers = (launcherStatus: number, csrutil = "System Integrity Protection status: enabled."): RunProgram => (file) => {
  if (file === "/usr/bin/sw_vers") return { status: 0, output: "15.1\n" };
  if (file === "/usr/bin/csrutil") return { status: 0, output: csrutil };
  return { status: launcherStatus, output: launcherStatus === 0 ? "" : "safe-sh-exec: sandbox_init_with_parameters: EINVAL (Invalid argument): unbound variable\n" };
};

describe("darwinChecks", () => {
  it("is ready when sandbox-exec exists and the profile confines /usr/bin/true", () => {
    const { checks, ready } = darwinChecks(answers(0), () => true, fakeLaunch);
    expect(ready).toBe(true);
    expect(checks.map((c) => [c.feature, c.status])).toEqual([
      ["platform", "yes"], ["sandbox-exec", "yes"], ["launcher", "yes"], ["Seatbelt profile", "yes"], ["SIP", "yes"],
      ["containment", "partial"], ["network allowlist", "yes"], ["read allowlist", "no"], ["resource limits", "no"],
    ]);
  });

  it("is not ready when the profile fails, and says why", () => {
    const { checks, ready } = darwinChecks(answers(125), () => true, fakeLaunch);
    expect(ready).toBe(false);
    expect(checks.find((c) => c.feature === "Seatbelt profile")).toMatchObject({ status: "no", detail: expect.stringContaining("unbound variable") });
  });

  it("is not ready without sandbox-exec or without a launcher", () => {
    expect(darwinChecks(answers(0), () => false, fakeLaunch).ready).toBe(false);
    const missing = (() => {
      throw new Error("safe-sh-exec is not built");
    }) as never;
    const { checks, ready } = darwinChecks(answers(0), () => true, missing);
    expect(ready).toBe(false);
    expect(checks.find((c) => c.feature === "launcher")).toMatchObject({ status: "no" });
  });
});

describe("sipCheck", () => {
  it("reads enabled, custom and disabled SIP", () => {
    expect(sipCheck("System Integrity Protection status: enabled.").status).toBe("yes");
    expect(sipCheck("System Integrity Protection status: enabled (Custom Configuration).").status).toBe("partial");
    expect(sipCheck("System Integrity Protection status: disabled.").status).toBe("partial");
  });
});
