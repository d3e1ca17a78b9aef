// Parsing JSON that must be an object (a reviewer's verdict, a tool's config
// file): anything else — invalid JSON, an array, a bare value — is undefined.

/** The object `text` holds as JSON, or undefined when it holds anything else. */
export function jsonObject(text: string): Record<string, unknown> | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
