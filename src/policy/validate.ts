// Validates a parsed TOML document against a FieldSpec; every problem names
// the key path and what was expected. Unknown keys are problems too.
import type { FieldSpec } from "./schema";

/** One problem: `path` is a key path such as `rules[2].decision`. */
export interface Problem {
  path: string;
  message: string;
}

/** Characters of a wrong string value quoted in a problem. */
const SHOWN = 80;

function describe(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (value === null || value === undefined) return "nothing";
  if (typeof value === "object") return value instanceof Date ? "a date" : "a table";
  // A value may be megabytes long: never echo it whole.
  if (typeof value === "string") return value.length > SHOWN ? `${JSON.stringify(value.slice(0, SHOWN))}… (${value.length} characters)` : JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}

function join(path: string, key: string): string {
  const part = /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
  return path === "" ? part : `${path}.${part}`;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** What a spec accepts, in words. */
export function expectation(spec: FieldSpec): string {
  switch (spec.type) {
    case "string":
      if (spec.enum) return `one of ${spec.enum.map((v) => JSON.stringify(v)).join(", ")}`;
      return spec.expected ?? "a string";
    case "boolean":
      return "true or false";
    case "integer":
      return `an integer from ${spec.minimum} to ${spec.maximum}`;
    case "array":
      return spec.minItems ? `a non-empty array of ${expectation(spec.items)}` : `an array of ${expectation(spec.items)}`;
    case "table":
    case "map":
      return "a table";
    case "either":
      return spec.options.map(expectation).join(" or ");
  }
}

/** Returns every problem found (empty when the value conforms). */
export function validate(value: unknown, spec: FieldSpec, path = ""): Problem[] {
  const wrong = (): Problem[] => [{ path, message: `expected ${expectation(spec)}, got ${describe(value)}` }];
  switch (spec.type) {
    case "string":
      if (typeof value !== "string") return wrong();
      if (spec.enum && !spec.enum.includes(value)) return wrong();
      if (spec.pattern && !spec.pattern.test(value)) return wrong();
      if (spec.test && !spec.test(value)) return wrong();
      return [];
    case "boolean":
      return typeof value === "boolean" ? [] : wrong();
    case "integer":
      return Number.isInteger(value) && (value as number) >= spec.minimum && (value as number) <= spec.maximum ? [] : wrong();
    case "array": {
      if (!Array.isArray(value)) return wrong();
      if (spec.minItems && value.length < spec.minItems) return [{ path, message: `expected ${expectation(spec)}, got an empty array` }];
      return value.flatMap((item, i) => validate(item, spec.items, `${path}[${i}]`));
    }
    case "table": {
      if (!isTable(value)) return wrong();
      const problems: Problem[] = [];
      for (const key of Object.keys(value)) {
        const field = Object.hasOwn(spec.fields, key) ? spec.fields[key] : undefined;
        if (!field) {
          problems.push({ path: join(path, key), message: `unknown key (expected one of ${Object.keys(spec.fields).join(", ")})` });
        } else {
          problems.push(...validate(value[key], field, join(path, key)));
        }
      }
      for (const key of spec.required ?? []) {
        if (!(key in value)) problems.push({ path: join(path, key), message: `missing (expected ${expectation(spec.fields[key]!)})` });
      }
      return problems;
    }
    case "map": {
      if (!isTable(value)) return wrong();
      return Object.entries(value).flatMap(([key, item]) =>
        spec.keyPattern.test(key)
          ? validate(item, spec.values, join(path, key))
          : [{ path: join(path, key), message: `invalid name (expected ${spec.expected})` }],
      );
    }
    case "either": {
      let best: Problem[] | undefined;
      for (const option of spec.options) {
        const problems = validate(value, option, path);
        if (problems.length === 0) return [];
        // Report against the option of the value's own shape (a table vs a string).
        if (best === undefined || (option.type === "table") === isTable(value)) best = problems;
      }
      return best ?? wrong();
    }
  }
}
