// Search programs: find, grep, rg, fd, … read-only unless they execute
// (find -exec, rg --pre, fd -x), delete (find -delete) or write (find -fprint).
import { optionValue, READ_ONLY, shortFlags, show, verdict, worst, type Family, type ProgramRule, type RiskVerdict } from "./risk";

const readOnly: ProgramRule = () => READ_ONLY;

const EXEC_ACTIONS = new Set(["-exec", "-execdir", "-ok", "-okdir"]);
const WRITE_ACTIONS = new Set(["-fprint", "-fprint0", "-fprintf", "-fls"]);

const find: ProgramRule = ({ argv }, ctx) => {
  const verdicts: RiskVerdict[] = [];
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (EXEC_ACTIONS.has(arg)) {
      const end = argv.findIndex((a, j) => j > i && (a === ";" || a === "+"));
      const inner = argv.slice(i + 1, end === -1 ? undefined : end);
      verdicts.push(inner.length > 0 ? ctx.inner(inner, `find ${arg}`) : verdict("unknown", `find ${arg}: no command`));
      i = end === -1 ? argv.length : end;
    } else if (arg === "-delete") {
      verdicts.push(verdict("destructive", "find -delete: deletes every match"));
    } else if (WRITE_ACTIONS.has(arg)) {
      verdicts.push(verdict("write", `find ${arg} ${argv[i + 1] ?? ""}: writes a file`));
    }
  }
  return worst(READ_ONLY, ...verdicts);
};

const rg: ProgramRule = ({ argv }, ctx) => {
  const pre = optionValue(argv, ["--pre"]);
  if (pre !== undefined) return worst(verdict("execute", `rg --pre ${pre}: runs a preprocessor on every file`), ctx.inner([pre], "rg --pre"));
  const hostname = optionValue(argv, ["--hostname-bin"]);
  if (hostname !== undefined) return worst(verdict("execute", `rg --hostname-bin ${hostname}: runs a program`), ctx.inner([hostname], "rg --hostname-bin"));
  if (argv.includes("--search-zip") || shortFlags(argv).has("z")) {
    return verdict("execute", "rg --search-zip: runs decompression programs found on PATH");
  }
  return READ_ONLY;
};

// fd -x/-X: every word after the option up to `;` is the command.
const fd: ProgramRule = ({ argv }, ctx) => {
  const at = argv.findIndex((a) => ["-x", "--exec", "-X", "--exec-batch"].includes(a));
  if (at === -1) return READ_ONLY;
  const end = argv.indexOf(";", at);
  const inner = argv.slice(at + 1, end === -1 ? undefined : end);
  return inner.length > 0 ? ctx.inner(inner, `fd ${argv[at]}`) : verdict("unknown", `fd ${argv[at]}: no command`);
};

const ack: ProgramRule = ({ argv }) =>
  argv.some((a) => a.startsWith("--pager")) ? verdict("execute", `${show(argv)}: --pager runs a program`) : READ_ONLY;

const GREPS = ["grep", "egrep", "fgrep", "zgrep", "locate", "plocate"] as const;

export const search: Family = {
  rules: { ...Object.fromEntries(GREPS.map((n) => [n, readOnly])), find, rg, fd, fdfind: fd, ack, ag: ack },
  anyArgs: GREPS,
};
