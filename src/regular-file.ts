// Opening files safe-sh reads or appends to (config, requirements, audit log)
// so that a FIFO, a device or a huge file fails at once instead of hanging or
// exhausting memory: O_NONBLOCK open, fstat check, size cap.
import fs = require("node:fs");

/** The kind of a non-regular file, in words. */
export function fileKind(stats: fs.Stats): string {
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isDirectory()) return "a directory";
  if (stats.isSocket()) return "a socket";
  if (stats.isSymbolicLink()) return "a symbolic link";
  return "not a regular file";
}

/** An error like fs's own (code, syscall, path), so callers map it as they map ENOENT or EACCES. */
function notRegular(file: string, what: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${file} is ${what}, not a regular file`), { code: "EFTYPE", syscall: "open", path: file });
}

/**
 * Opens `file` with `flags` plus O_NONBLOCK (a FIFO must not block the open)
 * and returns the fd once fstat says it is a regular file. With
 * `noFollow`, a symlink as the last component fails (ELOOP) instead of being
 * followed. Throws the fs error, or one with code EFTYPE for any other kind of file.
 */
export function openRegular(file: string, flags: number, mode = 0o600, noFollow = false): number {
  const { O_NONBLOCK, O_NOFOLLOW } = fs.constants;
  let fd: number;
  try {
    fd = fs.openSync(file, flags | O_NONBLOCK | (noFollow ? O_NOFOLLOW : 0), mode);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ELOOP" && noFollow) throw notRegular(file, "a symbolic link");
    // A socket, or a FIFO opened for writing with no reader: say what it is.
    const stats = code === "ENXIO" ? fs.statSync(file, { throwIfNoEntry: false }) : undefined;
    if (stats && !stats.isFile()) throw notRegular(file, fileKind(stats));
    throw error;
  }
  const stats = fs.fstatSync(fd);
  if (!stats.isFile()) {
    fs.closeSync(fd);
    throw notRegular(file, fileKind(stats));
  }
  return fd;
}

/**
 * Reads a whole regular file of at most `maxBytes`. Throws the fs error, one
 * with code EFTYPE (not a regular file) or EFBIG (larger than maxBytes).
 */
export function readRegular(file: string, maxBytes: number): Buffer {
  const fd = openRegular(file, fs.constants.O_RDONLY);
  try {
    const size = fs.fstatSync(fd).size;
    if (size > maxBytes) throw Object.assign(new Error(`${file} is ${size} bytes, more than ${maxBytes}`), { code: "EFBIG", syscall: "read", path: file });
    // Read one byte past the stat'd size: a file still growing is too big all the same.
    const buffer = Buffer.alloc(Math.min(size + 1, maxBytes + 1));
    let length = 0;
    for (let got = -1; got !== 0 && length < buffer.length; length += got) got = fs.readSync(fd, buffer, length, buffer.length - length, null);
    if (length > maxBytes) throw Object.assign(new Error(`${file} grew past ${maxBytes} bytes`), { code: "EFBIG", syscall: "read", path: file });
    return buffer.subarray(0, length);
  } finally {
    fs.closeSync(fd);
  }
}
