// Programs that change files: rm, mv, cp, chmod, dd, tee, tar, … — write by
// default, destructive when they delete, replace an existing file (see
// overwrite.ts) or shred, privileged when what they change is outside the workspace (/etc, ~, …).
import { copyVerdict, replaces } from "./overwrite";
import { hasOption, isDevSink, isTemporaryPath, optionValue, READ_ONLY, shortFlags, show, verdict, worst, type Family, type ProgramRule, type RiskVerdict } from "./risk";

function operands(argv: readonly string[]): string[] {
  const out: string[] = [];
  let options = true;
  for (const arg of argv.slice(1)) {
    if (options && arg === "--") options = false;
    else if (!options || !arg.startsWith("-") || arg === "-") out.push(arg);
  }
  return out;
}

const writes: ProgramRule = ({ argv }) => verdict("write", `${show(argv)}: changes files`);

// gzip/xz/… -c (--stdout), -l (--list) and -t (--test) leave files alone.
const compressor: ProgramRule = (cmd, ctx) =>
  ["c", "l", "t"].some((f) => shortFlags(cmd.argv).has(f)) || hasOption(cmd.argv, ["--stdout", "--to-stdout", "--list", "--test"]) ? READ_ONLY : writes(cmd, ctx);

// cp, mv, install, ln -f: destructive when they replace a file that exists.
const copies: ProgramRule = ({ argv, name }, ctx) => copyVerdict(name, argv, ctx) ?? verdict("write", `${show(argv)}: changes files`);

/** Which of a command's words it writes: every operand, or the destination only (cp, install, ln). */
type Targets = (argv: readonly string[]) => string[];
const everyOperand: Targets = (argv) => operands(argv);
const destination: Targets = (argv) => {
  const dir = optionValue(argv, ["-t", "--target-directory"]);
  return dir !== undefined ? [dir] : operands(argv).slice(-1);
};
const outputFile: Targets = (argv) => argv.filter((a) => a.startsWith("of=")).map((a) => a.slice(3));
/** The directory an archiver extracts into: tar -C, unzip -d, cpio -D. */
const extractDir = (options: string[]): Targets => (argv) => [optionValue(argv, options)].filter((d): d is string => d !== undefined);
// 7z -oDIR (glued only).
const sevenZipDir: Targets = (argv) => argv.filter((a) => a.startsWith("-o") && a.length > 2).map((a) => a.slice(2));

/** A rule that is privileged, whatever else it does, when one of its targets is outside the workspace. */
function guarded(rule: ProgramRule, targets: Targets): ProgramRule {
  return (cmd, ctx) => {
    const outside = targets(cmd.argv).filter((t) => ctx.outside(t));
    const result = rule(cmd, ctx);
    return outside.length === 0 ? result : worst(result, verdict("privileged", `${show(cmd.argv)}: changes ${outside.join(" ")}, outside the workspace`));
  };
}

const rm: ProgramRule = ({ argv }) => {
  const flags = shortFlags(argv);
  const recursive = flags.has("r") || flags.has("R") || hasOption(argv, ["--recursive"]);
  const forced = flags.has("f") || hasOption(argv, ["--force"]);
  const targets = operands(argv);
  const outside = targets.filter((t) => !isTemporaryPath(t));
  if (hasOption(argv, ["--no-preserve-root"])) return verdict("destructive", `${show(argv)}: --no-preserve-root allows deleting /`);
  if ((recursive || forced) && (outside.length > 0 || targets.length === 0)) {
    const what = recursive && forced ? "recursive forced delete" : recursive ? "recursive delete" : "forced delete";
    return verdict("destructive", `${show(argv)}: ${what} of ${outside.join(" ") || "(operands not given here)"}`);
  }
  // Deleting a workspace file loses it (nothing keeps a copy); only temporary paths are routine.
  if (outside.length > 0) return verdict("destructive", `${show(argv)}: deletes ${outside.join(" ")}`);
  return verdict("write", `${show(argv)}: deletes files`);
};

const recursiveMode: ProgramRule = ({ argv, name }) => {
  if (name !== "chmod") return verdict("privileged", `${show(argv)}: ${name} gives files to another user or group (needs root)`);
  const recursive = shortFlags(argv).has("R") || hasOption(argv, ["--recursive"]);
  if (name === "chmod" && operands(argv).some((mode, i) => i === 0 && /(^[ugoa]*[+=][rwxXt]*s|^[2467][0-7]{3}$)/.test(mode))) {
    return verdict("privileged", `${show(argv)}: sets the setuid/setgid bit`);
  }
  return recursive ? verdict("destructive", `${show(argv)}: recursive ${name}`) : verdict("write", `${show(argv)}: changes file metadata`);
};

const dd: ProgramRule = ({ argv }, ctx) => {
  const of = argv.find((a) => a.startsWith("of="));
  return of ? replaces(of.slice(3), ctx, `dd ${of}`) : READ_ONLY;
};

// truncate -s to a smaller or zero size loses the end of an existing file; growing it (+N, >N) loses nothing.
const truncate: ProgramRule = ({ argv }, ctx) => {
  const size = optionValue(argv, ["-s", "--size"]) ?? "";
  const grows = /^[+>]/.test(size);
  return worst(READ_ONLY, ...operands(argv).filter((f) => f !== size).map((f) => (grows ? verdict("write", `truncate -s ${size} ${f}: grows the file`) : replaces(f, ctx, `truncate -s ${size} ${f}`))));
};

// fallocate --punch-hole/--collapse-range/--zero-range (-p, -c, -z) discard file content.
const fallocate: ProgramRule = ({ argv }) =>
  ["p", "c", "z"].some((f) => shortFlags(argv).has(f)) || hasOption(argv, ["--punch-hole", "--collapse-range", "--zero-range"])
    ? verdict("destructive", `${show(argv)}: discards file content`)
    : verdict("write", `${show(argv)}: allocates file space`);

const destroys: ProgramRule = ({ argv, name }) => verdict("destructive", `${show(argv)}: ${name} destroys data`);

const tee: ProgramRule = ({ argv }, ctx) => {
  const files = operands(argv).filter((f) => !isDevSink(f));
  if (shortFlags(argv).has("a") || hasOption(argv, ["--append"])) return files.length > 0 ? verdict("write", `tee -a ${files.join(" ")}: appends to files`) : READ_ONLY;
  return worst(READ_ONLY, ...files.map((f) => replaces(f, ctx, `tee ${f}`)));
};

// Extraction with an explicit overwrite option replaces existing files (which files is up to the archive).
const OVERWRITE: Record<string, (argv: readonly string[]) => boolean> = {
  tar: (argv) => hasOption(argv, ["--overwrite", "--unlink-first", "--recursive-unlink"]) || (argv[1] !== undefined && /^-?[^-]*U/.test(argv[1])),
  unzip: (argv) => shortFlags(argv).has("o"),
  "7z": (argv) => argv.some((a) => a === "-y" || a === "-aoa"),
  cpio: (argv) => shortFlags(argv).has("u") || hasOption(argv, ["--unconditional"]),
};

function extracts(name: string, argv: readonly string[]): RiskVerdict {
  return Object.hasOwn(OVERWRITE, name) && OVERWRITE[name]!(argv) ? verdict("destructive", `${show(argv)}: extracts over existing files`) : verdict("write", `${show(argv)}: extracts files (next to or over existing ones)`);
}

const tar: ProgramRule = ({ argv }, ctx) => {
  const runs = optionValue(argv, ["--to-command", "--use-compress-program", "-I", "--info-script", "-F", "--new-volume-script", "--rsh-command", "--rmt-command"]);
  if (runs !== undefined) return ctx.script(runs, "tar (program option)");
  const action = optionValue(argv, ["--checkpoint-action"]);
  if (action?.startsWith("exec=")) return ctx.script(action.slice(5), "tar --checkpoint-action=exec");
  const mode = argv[1] && !argv[1].startsWith("-") ? argv[1] : [...shortFlags(argv)].join("");
  // -t lists; -O/--to-stdout extracts to standard output only.
  if (/^[^-]*t/.test(mode) || hasOption(argv, ["--list", "--to-stdout"]) || /^-?[^-]*O/.test(mode) || argv.includes("-O")) return READ_ONLY;
  if (/x/.test(mode) || hasOption(argv, ["--extract", "--get"])) return extracts("tar", argv);
  return verdict("write", `${show(argv)}: writes an archive`);
};

const zip: ProgramRule = ({ argv, name }, ctx) => {
  const runs = optionValue(argv, ["-TT", "--unzip-command"]);
  if (runs !== undefined) return ctx.script(runs, "zip -TT");
  // -l/-t/-Z list or test; -p and -c extract to standard output only.
  if (name === "unzip" && ["l", "t", "Z", "p", "c"].some((f) => shortFlags(argv).has(f))) return READ_ONLY;
  return name === "unzip" ? extracts(name, argv) : verdict("write", `${show(argv)}: writes files`);
};

const sevenZip: ProgramRule = ({ argv }) => {
  const command = argv.slice(1).find((a) => !a.startsWith("-"));
  if (command === "l" || command === "t" || command === "h" || command === "i") return READ_ONLY;
  return command === "x" || command === "e" ? extracts("7z", argv) : verdict("write", `${show(argv)}: writes an archive`);
};

// cpio -i extracts, -o/-p write archives or copies, -t lists.
const cpio: ProgramRule = ({ argv }) => {
  const flags = shortFlags(argv);
  if (flags.has("t") || hasOption(argv, ["--list"])) return READ_ONLY;
  return flags.has("i") || hasOption(argv, ["--extract"]) ? extracts("cpio", argv) : verdict("write", `${show(argv)}: writes an archive or copies files`);
};

export const fileWrite: Family = {
  rules: {
    unlink: guarded(rm, everyOperand),
    ...Object.fromEntries(["rmdir", "mkdir", "touch", "split", "csplit", "mktemp", "mkfifo", "mknod", "patch"].map((n) => [n, guarded(writes, everyOperand)])),
    ...Object.fromEntries(["cp", "ln", "install"].map((n) => [n, guarded(copies, destination)])),
    mv: guarded(copies, everyOperand),
    ...Object.fromEntries(["gzip", "gunzip", "bzip2", "bunzip2", "xz", "unxz", "zstd", "unzstd", "lz4", "lzma"].map((n) => [n, compressor])),
    "7z": guarded(sevenZip, sevenZipDir), "7za": guarded(sevenZip, sevenZipDir), cpio: guarded(cpio, extractDir(["-D", "--directory"])),
    fallocate: guarded(fallocate, everyOperand), srm: guarded(destroys, everyOperand), wipe: guarded(destroys, everyOperand),
    rm: guarded(rm, everyOperand),
    chmod: guarded(recursiveMode, everyOperand), chown: guarded(recursiveMode, everyOperand), chgrp: guarded(recursiveMode, everyOperand),
    dd: guarded(dd, outputFile), shred: guarded(destroys, everyOperand), truncate: guarded(truncate, everyOperand),
    wipefs: destroys, mkswap: destroys, mkfs: destroys, mke2fs: destroys,
    tee: guarded(tee, everyOperand), tar: guarded(tar, extractDir(["-C", "--directory"])), zip, unzip: guarded(zip, extractDir(["-d"])),
  },
};
