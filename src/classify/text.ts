// Text processing: sed, awk, sort, cut, jq, … read-only when they only print;
// sed -i / w and sort -o write, sed e and awk system() or pipes execute.
import { isLong, optionValue, READ_ONLY, shortFlags, show, verdict, worst, type Family, type ProgramRule, type RiskVerdict } from "./risk";
import { replaces } from "./overwrite";
import { sedEffects } from "./sed-script";

const readOnly: ProgramRule = () => READ_ONLY;

const FILTERS = [
  "cut", "tr", "paste", "join", "fmt", "fold", "column", "rev", "expand", "unexpand", "strings", "base32",
  "basenc", "jq", "gojq", "envsubst", "look", "tsort", "pr",
] as const;

// Encoders and shuf with an output-file option (macOS base64 -o, BSD uuencode -o, shuf -o/--output).
const outputOption: ProgramRule = ({ argv, name }, ctx) => {
  const out = optionValue(argv, ["-o", "--output"]);
  return out !== undefined ? replaces(out, ctx, `${name} -o ${out}`) : READ_ONLY;
};

const SED_VALUE_OPTIONS = new Set(["-l", "--line-length"]);

const sed: ProgramRule = ({ argv }, ctx) => {
  const verdicts: RiskVerdict[] = [];
  const scripts: string[] = [];
  let fromFile = false;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "-e" || arg === "--expression") scripts.push(argv[++i] ?? "");
    else if (arg.startsWith("--expression=")) scripts.push(arg.slice(13));
    else if (arg === "-f" || arg.startsWith("--file")) {
      fromFile = true;
      verdicts.push(verdict("unknown", `sed ${arg}: program read from a file`));
    }
    else if (/^-[^-]*[iI]/.test(arg) || isLong(arg, "--in-place")) verdicts.push(verdict("write", `sed ${arg}: edits files in place`));
    else if (SED_VALUE_OPTIONS.has(arg)) i++;
    else if (/^-e./.test(arg)) scripts.push(arg.slice(2));
    else if (!arg.startsWith("-") && scripts.length === 0 && !fromFile) scripts.push(arg); // the first operand is the program
  }
  for (const effect of scripts.flatMap(sedEffects)) {
    if (effect.kind === "write") verdicts.push(verdict("write", `sed ${effect.detail}: writes a file`));
    else if (effect.kind === "unreadable") verdicts.push(verdict("unknown", `sed: cannot read the program (${effect.detail})`));
    else if (effect.detail.startsWith("e ")) verdicts.push(ctx.script(effect.detail.slice(2), "sed e"));
    else verdicts.push(verdict("unknown", `sed ${effect.detail}: executes the pattern space as a command`));
  }
  return worst(READ_ONLY, ...verdicts);
};

// Remove string literals so `print "a|b"` is not read as a pipe.
function stripStrings(program: string): string {
  return program.replace(/"(\\.|[^"\\])*"/g, '""');
}

const AWK_VALUE_OPTIONS = new Set(["-F", "-v", "--field-separator", "--assign"]);

const awk: ProgramRule = ({ argv, name }) => {
  let program: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "-f" || arg.startsWith("--file") || arg === "-i" || arg.startsWith("--include") || arg === "-l" || arg.startsWith("--load") || arg === "-E" || arg === "--exec") {
      return verdict("unknown", `${name} ${arg}: program read from a file`);
    }
    // gawk --pretty-print, --profile and --dump-variables write files (awkprof.out, awkvars.out by default).
    if (/^-[opd]/.test(arg) || ["--pretty-print", "--profile", "--dump-variables"].some((n) => isLong(arg, n))) {
      return verdict("write", `${name} ${arg}: writes a file`);
    }
    if (AWK_VALUE_OPTIONS.has(arg)) i++;
    else if (arg === "--") { program = argv[i + 1]; break; }
    else if (!arg.startsWith("-")) { program = arg; break; }
  }
  if (program === undefined) return verdict("unknown", `${name}: no program text`);
  const code = stripStrings(program);
  const found: RiskVerdict[] = [];
  if (/\bsystem\s*\(/.test(code)) found.push(verdict("unknown", `${name} system(): runs a shell command`));
  if (/\|\s*&?\s*getline|\|&/.test(code)) found.push(verdict("unknown", `${name} "cmd" | getline: runs a shell command`));
  const output = code.replace(/\|\|/g, "");
  if (/\b(print|printf)\b[^;{}\n]*\|/.test(output)) found.push(verdict("unknown", `${name} print | "cmd": pipes output to a shell command`));
  else if (/\b(print|printf)\b[^;{}\n]*>/.test(output)) {
    // Only a literal file name is known; an expression could name any file.
    found.push(/\b(print|printf)\b[^;{}\n]*>>?\s*""\s*(;|}|$)/.test(output) ? verdict("write", `${name} print > "file": writes a file`) : verdict("unknown", `${name} print >: writes to a file named by an expression`));
  }
  if (/@(load|include)\b/.test(code)) found.push(verdict("unknown", `${name} @load: loads code`));
  return worst(READ_ONLY, ...found);
};

const sort: ProgramRule = ({ argv }, ctx) => {
  const out = optionValue(argv, ["-o", "--output"]);
  const compress = optionValue(argv, ["--compress-program"]);
  if (compress !== undefined) return worst(verdict("execute", `sort --compress-program=${compress}: runs a program`), ctx.inner([compress], "sort --compress-program"));
  if (out === undefined) return READ_ONLY;
  // `sort -o f f` sorts f in place (an edit, like sed -i); onto another existing file it replaces it.
  const inputs = argv.slice(1).filter((a, i) => !a.startsWith("-") && argv[i] !== "-o" && argv[i] !== "--output");
  if (inputs.includes(out)) return verdict("write", `sort -o ${out}: sorts the file in place`);
  return replaces(out, ctx, `sort -o ${out}`);
};

const uniq: ProgramRule = ({ argv }, ctx) => {
  const files = argv.slice(1).filter((a) => !a.startsWith("-"));
  return files.length >= 2 ? replaces(files[1]!, ctx, `uniq … ${files[1]}`) : READ_ONLY;
};

const yq: ProgramRule = ({ argv }) =>
  shortFlags(argv).has("i") || argv.includes("--inplace") ? verdict("write", `${show(argv)}: edits files in place`) : READ_ONLY;

export const text: Family = {
  rules: {
    ...Object.fromEntries(FILTERS.map((n) => [n, readOnly])),
    base64: outputOption, uuencode: outputOption, shuf: outputOption, iconv: outputOption,
    sed, gsed: sed, awk, gawk: awk, mawk: awk, nawk: awk, sort, uniq, yq,
  },
  anyArgs: FILTERS,
};
