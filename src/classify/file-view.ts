// File viewing and inspection: cat, ls, head, stat, … (read-only), and the
// pagers that can run commands (less, more, man).
import { replaces } from "./overwrite";
import { optionValue, READ_ONLY, verdict, type Family, type ProgramRule } from "./risk";

const readOnly: ProgramRule = () => READ_ONLY;

// Programs that only read files and print: no option writes or runs anything.
const VIEWERS = [
  "cat", "tac", "nl", "head", "tail", "wc", "ls", "dir", "vdir", "stat", "du", "df", "pwd", "echo", "printf",
  "true", "false", "test", "[", ":", "basename", "dirname", "realpath", "readlink", "which", "whereis", "type",
  "whoami", "id", "groups", "uname", "printenv", "nproc", "uptime", "free", "sleep", "seq", "od", "hexdump",
  "md5sum", "sha1sum", "sha224sum", "sha256sum", "sha384sum", "sha512sum", "b2sum", "cksum", "sum", "cmp",
  "comm", "diff", "lsblk", "lscpu", "locale", "tty", "arch", "logname", "users", "getconf", "pathchk", "numfmt",
  "yes", "expr", "bc", "zcat", "bzcat", "xzcat", "zstdcat", "lzcat", "gzcat",
] as const;

// Pagers and manuals: `!cmd` inside them, LESSOPEN and MANPAGER run programs.
const pager: ProgramRule = ({ name }) => verdict("execute", `${name}: interactive pager can run commands (!cmd, LESSOPEN)`);

const tree: ProgramRule = ({ argv }, ctx) => {
  const out = optionValue(argv, ["-o"]);
  if (out) return replaces(out, ctx, `tree -o ${out}`);
  // -R with -H writes an 00Tree.html into every directory.
  return argv.includes("-R") && argv.some((a) => a.startsWith("-H")) ? verdict("write", `${argv.join(" ")}: tree -R -H writes 00Tree.html files`) : READ_ONLY;
};

// file -C compiles a magic file and writes FILE.mgc.
const file: ProgramRule = ({ argv }) =>
  argv.some((a) => /^-[a-zA-Z]*C/.test(a) || a === "--compile") ? verdict("write", "file -C: writes a compiled magic file") : READ_ONLY;

const xxd: ProgramRule = ({ argv }, ctx) => {
  const files = argv.slice(1).filter((a) => !a.startsWith("-"));
  return files.length >= 2 ? replaces(files[1]!, ctx, `xxd … ${files[1]}`) : READ_ONLY;
};

export const fileView: Family = {
  rules: {
    ...Object.fromEntries(VIEWERS.map((name) => [name, readOnly])),
    less: pager, more: pager, most: pager, man: pager, info: pager, pg: pager,
    tree, xxd, file,
  },
  anyArgs: [...VIEWERS, "file"],
};
