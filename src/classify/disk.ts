// The file-system view the classifier may use: whether a path exists and is a
// directory, resolved against the command's cwd. Used to tell overwriting an
// existing file (destructive) from creating one (write).
import fs = require("node:fs");
import type { ClassifyOptions } from "./index";

/** Options that let the classifier look at the real file system under `cwd` (read-only: stat only). */
export function onDisk(cwd: string): ClassifyOptions {
  return {
    cwd,
    exists: (file) => fs.existsSync(file),
    isDirectory: (file) => fs.statSync(file, { throwIfNoEntry: false })?.isDirectory() ?? false,
  };
}
