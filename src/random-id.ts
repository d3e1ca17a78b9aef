// Run and session ids: random version-4 UUIDs read from /dev/urandom, so the
// CLI needn't load node:crypto (and its ~35 modules) just for an id.
import fs = require("node:fs");

/** A random (version 4) UUID. */
export function randomId(): string {
  const bytes = Buffer.alloc(16);
  const fd = fs.openSync("/dev/urandom", "r");
  try {
    fs.readSync(fd, bytes, 0, 16, null);
  } finally {
    fs.closeSync(fd);
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
