// The reviewer protocol: the request safe-sh writes has exactly the keys of
// schema/reviewer-request.schema.json, and verdicts are parsed strictly.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parseVerdict, reviewerRequest } from "../../../src/decide/approvers/reviewer";
import { decide } from "../../../src/decide/decide";
import { RISKS } from "../../../src/types";
import { command, policyWith, script } from "./helpers";

const schema = (name: string) => JSON.parse(fs.readFileSync(path.join(__dirname, "../../../schema", name), "utf8"));

describe("reviewer request", () => {
  const classification = script([command(["git", "push"], "network")]);
  const request = reviewerRequest({ command: "git push", classification, cwd: "/w", mode: "untrusted", decision: decide(classification, policyWith({ approval: "untrusted" }), { cwd: "/w" }) });
  const requestSchema = schema("reviewer-request.schema.json");

  it("has the schema's keys, all of them required", () => {
    expect(Object.keys(request).sort()).toEqual(Object.keys(requestSchema.properties).sort());
    expect([...requestSchema.required].sort()).toEqual(Object.keys(requestSchema.properties).sort());
  });

  it("lists the risks of src/types.ts, in order", () => {
    expect(requestSchema.$defs.risk.enum).toEqual([...RISKS]);
  });

  it("describes each command and the grant with the schema's keys", () => {
    const commands = request.commands as Record<string, unknown>[];
    expect(Object.keys(commands[0]!).sort()).toEqual(Object.keys(requestSchema.properties.commands.items.properties).sort());
    expect(Object.keys(request.grant as object).sort()).toEqual(Object.keys(requestSchema.properties.grant.properties).sort());
  });
});

describe("parseVerdict", () => {
  it("accepts the three verdicts, with or without a reason", () => {
    expect(parseVerdict('{"verdict":"allow","reason":"fine"}')).toEqual({ verdict: "allow", reason: "fine" });
    expect(parseVerdict('{"verdict":"escalate"}\n')).toEqual({ verdict: "escalate", reason: "" });
    expect(parseVerdict('{"verdict":"deny","reason":"no","extra":1}')).toEqual({ verdict: "deny", reason: "no" });
  });

  it("reads approve, the word reviewers answered before allow, as allow", () => {
    expect(parseVerdict('{"verdict":"approve","reason":"fine"}')).toEqual({ verdict: "allow", reason: "fine" });
  });

  it.each(['"allow"', '{"verdict":"ALLOW"}', '{"verdict":"allow","reason":3}', '{"verdict":"ask"}', '{"verdict":"run"}', '{"verdict":"refuse"}', "[]", "", "allow"])("rejects %s", (text) => {
    expect(parseVerdict(text)).toBeUndefined();
  });
});
