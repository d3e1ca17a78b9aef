// The CLI's arguments as the bytes it was given: Node decodes argv as UTF-8,
// turning bytes that are not UTF-8 into U+FFFD (3 bytes each), so the
// command would run with other bytes than the agent wrote.
import fs = require("node:fs");

/** Our own argv after the script path, as bytes (from /proc/self/cmdline); undefined without procfs. */
function argvBytes(count: number): Buffer[] | undefined {
  let cmdline: Buffer;
  try {
    cmdline = fs.readFileSync("/proc/self/cmdline");
  } catch {
    return undefined;
  }
  const words: Buffer[] = [];
  for (let start = 0; start < cmdline.length; ) {
    const end = cmdline.indexOf(0, start);
    words.push(cmdline.subarray(start, end < 0 ? cmdline.length : end));
    start = end < 0 ? cmdline.length : end + 1;
  }
  // node's own options come first; the script's arguments are the last `count` words.
  return words.length >= count ? words.slice(words.length - count) : undefined;
}

/**
 * `words` (the run's argv, whose words after any prefix the CLI added are
 * the tail of `args`) with each word that arrived as bytes that are not
 * UTF-8 replaced by those exact bytes. Words that are valid UTF-8 stay
 * strings, and anything that does not line up is left as it is.
 */
export function withArgvBytes(words: readonly string[], args: readonly string[] = process.argv.slice(2)): (string | Buffer)[] {
  const raw = argvBytes(args.length);
  if (!raw) return [...words];
  return words.map((word, k) => {
    const j = args.length - words.length + k;
    const bytes = j >= 0 ? raw[j] : undefined;
    if (!bytes || args[j] !== word || bytes.toString("utf8") !== word) return word;
    return Buffer.from(word, "utf8").equals(bytes) ? word : bytes;
  });
}
