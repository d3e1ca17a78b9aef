// The adversarial corpus (test/fixtures/adversarial-corpus.jsonl) and the
// workspace its scripts run in: the same files decide `>` onto an existing file
// when classifying, and are what a run changes or destroys when verifying.
import { spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Risk } from "../../src/types";

export type Verify =
  | { kind: "none" }
  | { kind: "changes" }
  | { kind: "loses" }
  | { kind: "marker"; prelude?: string }
  | { kind: "rejected" }
  | { kind: "unverifiable"; reason: string };

export interface CorpusEntry {
  script: string;
  risk: Risk;
  why: string;
  verify: Verify;
}

export function loadCorpus(): CorpusEntry[] {
  const text = fs.readFileSync(path.join(__dirname, "../fixtures/adversarial-corpus.jsonl"), "utf8");
  return text.split("\n").filter(Boolean).map((line) => JSON.parse(line) as CorpusEntry);
}

const MARK = "#!/bin/sh\n: > .ran\n";
/** Files of the workspace, relative to it; contents are small and fixed. */
export const FIXTURE_FILES: Record<string, string> = {
  "README.md": "# demo\nTODO: write more\n",
  "notes.txt": "alpha\nbeta\nTODO gamma\n",
  "data.csv": "name,n\na,1\nb,2\n",
  "package.json": JSON.stringify({ name: "demo", scripts: { test: ": > .ran", build: ": > .ran", start: ": > .ran" } }),
  "src/a.ts": "export const a = 1; // TODO\n",
  "src/b.ts": "import { a } from './a';\nexport const b = a;\n",
  "src/util/c.ts": "export function c() { return 3; }\n",
  "lib/x.js": "module.exports = 1;\n",
  "docs/guide.md": "guide\n",
  "build/out.o": "binary\n",
  "Makefile": "all: ran\nran:\n\t: > .ran\nclean:\n\trm -rf build\n",
  "mark.sh": MARK,
  "bin/mark": MARK,
  "mark.py": "open('.ran', 'w')\n",
  "mark.js": "require('fs').writeFileSync('.ran', '')\n",
  "mark.pl": "open(F, '>.ran');\n",
  "hello.c": "#include <stdio.h>\nint main(void) { FILE *f = fopen(\".ran\", \"w\"); return f ? 0 : 1; }\n",
  ".gitignore": "build/\n",
  "hooks/pre-commit": MARK,
  "empty/.keep": "",
};
const EXECUTABLE = ["mark.sh", "bin/mark", "hooks/pre-commit"];

function git(cwd: string, args: string[]): string {
  const run = spawnSync("git", ["-c", "user.name=Corpus", "-c", "user.email=corpus@example.invalid", "-c", "commit.gpgsign=false", ...args], {
    cwd, encoding: "utf8", timeout: 10_000, env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" },
  });
  if (run.status !== 0) throw new Error(`git ${args.join(" ")}: ${run.stderr}`);
  return run.stdout;
}

/** Fills `dir` with the fixture: files, a git history with a branch and a stash, an uncommitted change and an untracked file. */
export function makeWorkspace(dir: string): void {
  for (const [name, content] of Object.entries(FIXTURE_FILES)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  for (const name of EXECUTABLE) fs.chmodSync(path.join(dir, name), 0o755);
  git(dir, ["init", "-q", "-b", "master"]);
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-qm", "first"]);
  git(dir, ["checkout", "-qb", "topic"]);
  fs.writeFileSync(path.join(dir, "docs/topic.md"), "topic\n");
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-qm", "topic work"]);
  git(dir, ["checkout", "-q", "master"]);
  fs.appendFileSync(path.join(dir, "docs/guide.md"), "second\n");
  git(dir, ["commit", "-qam", "second"]);
  spawnSync("tar", ["-czf", "fixture.tgz", "docs"], { cwd: dir, timeout: 10_000 });
  fs.appendFileSync(path.join(dir, "notes.txt"), "stashed\n");
  git(dir, ["stash", "-q"]);
  fs.appendFileSync(path.join(dir, "src/a.ts"), "// uncommitted\n");
  fs.writeFileSync(path.join(dir, "scratch.txt"), "untracked\n");
}

/** Every file (outside .git/objects) with its mode and a hash of its content, plus (withGit) git's refs, stashes and reachable commits. */
export function snapshot(dir: string, withGit = true): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const name = path.join(rel, entry.name);
      if (name === ".git/objects" || name.endsWith(".lock")) continue;
      const mode = fs.lstatSync(path.join(dir, name)).mode.toString(8);
      if (entry.isDirectory()) {
        out.set(`${name}/`, mode);
        try {
          walk(name);
        } catch {
          out.set(`${name}/`, `${mode} unreadable`);
        }
      } else {
        let content = "";
        try {
          content = entry.isFile() ? crypto.createHash("sha256").update(fs.readFileSync(path.join(dir, name))).digest("hex") : fs.readlinkSync(path.join(dir, name));
        } catch {
          content = "unreadable";
        }
        out.set(name, `${mode} ${content}`);
      }
    }
  };
  walk(".");
  if (!withGit) return out;
  try {
    for (const line of git(dir, ["for-each-ref", "--format=%(refname) %(objectname)"]).split("\n").filter(Boolean)) out.set(`ref:${line.split(" ")[0]}`, line);
    out.set("stash", git(dir, ["stash", "list"]));
    out.set("objects", git(dir, ["rev-list", "--all", "--reflog"]));
  } catch {
    out.set("git", "broken");
  }
  return out;
}

/** Whether anything that existed before is gone or different (work lost). */
export function lostSomething(before: Map<string, string>, after: Map<string, string>): boolean {
  for (const [key, value] of before) {
    if (key === ".ran") continue;
    if (key.startsWith(".git/") || key === "./") continue; // judged through refs, stashes and reachable objects
    if (after.get(key) !== value) return true;
  }
  for (const key of ["stash", "objects"]) if ((before.get(key) ?? "").split("\n").some((line) => line && !(after.get(key) ?? "").includes(line))) return true;
  return [...before.keys()].some((key) => key.startsWith("ref:") && after.get(key) !== before.get(key));
}

/** Whether anything was added, changed or removed. */
export function changedSomething(before: Map<string, string>, after: Map<string, string>): boolean {
  if (before.size !== after.size) return true;
  for (const [key, value] of before) if (after.get(key) !== value) return true;
  return false;
}
