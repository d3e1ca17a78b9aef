// The TS validator's schema and the published JSON Schemas describe the same
// keys and the same allowed values.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIG_SPEC, REQUIREMENTS_SPEC, type FieldSpec } from "../../../src/policy/schema";

type Json = Record<string, any>;

/** "key.path → allowed values" for every key, from the TS spec. */
function fromSpec(spec: FieldSpec, at: string, out: Map<string, string>): Map<string, string> {
  switch (spec.type) {
    case "string":
      out.set(at, spec.enum ? `enum ${[...spec.enum].sort().join(",")}` : "string");
      break;
    case "boolean":
    case "integer":
      out.set(at, spec.type);
      break;
    case "array":
      out.set(at, "array");
      fromSpec(spec.items, `${at}[]`, out);
      break;
    case "table":
      out.set(at, `table required=${[...(spec.required ?? [])].sort().join(",")}`);
      for (const [key, field] of Object.entries(spec.fields)) fromSpec(field, at ? `${at}.${key}` : key, out);
      break;
    case "map":
      out.set(at, "table");
      fromSpec(spec.values, `${at}.*`, out);
      break;
    case "either":
      for (const option of spec.options) fromSpec(option, at, out);
      out.set(at, "either");
      break;
  }
  return out;
}

/** The same, from a JSON Schema document. */
function fromJson(schema: Json, at: string, out: Map<string, string>): Map<string, string> {
  if (schema.oneOf) {
    for (const option of schema.oneOf) fromJson(option, at, out);
    out.set(at, "either");
  } else if (schema.type === "string") {
    out.set(at, schema.enum ? `enum ${[...schema.enum].sort().join(",")}` : "string");
  } else if (schema.type === "boolean" || schema.type === "integer") {
    out.set(at, schema.type);
  } else if (schema.type === "array") {
    out.set(at, "array");
    fromJson(schema.items, `${at}[]`, out);
  } else if (schema.type === "object" && schema.properties) {
    expect(schema.additionalProperties, `${at} must reject unknown keys`).toBe(false);
    out.set(at, `table required=${[...(schema.required ?? [])].sort().join(",")}`);
    for (const [key, field] of Object.entries(schema.properties)) fromJson(field as Json, at ? `${at}.${key}` : key, out);
  } else if (schema.type === "object") {
    out.set(at, "table");
    fromJson(schema.additionalProperties, `${at}.*`, out);
  } else {
    throw new Error(`${at}: unexpected JSON Schema node ${JSON.stringify(schema)}`);
  }
  return out;
}

const load = (name: string): Json => JSON.parse(fs.readFileSync(path.join(__dirname, "../../../schema", name), "utf8"));

describe("JSON Schema and the TS validator agree", () => {
  it.each([
    ["config.schema.json", CONFIG_SPEC],
    ["requirements.schema.json", REQUIREMENTS_SPEC],
  ] as const)("%s", (file, spec) => {
    const ts = fromSpec(spec, "", new Map());
    const json = fromJson(load(file), "", new Map());
    expect(Object.fromEntries([...json].sort())).toEqual(Object.fromEntries([...ts].sort()));
  });
});
