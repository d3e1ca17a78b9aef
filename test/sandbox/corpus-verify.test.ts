// Verifies the labels of the adversarial corpus by running each script in a
// throwaway confined workspace (the project's own launcher, through SafeShell):
// a write changes something, destructive work loses something that existed,
// code that runs leaves a marker file, bash rejects what is called a parse error.
// Entries that act outside the sandbox or need the network say why they can't be shown.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changedSomething, loadCorpus, lostSomething, makeWorkspace, snapshot } from "../helpers/corpus";
import { canConfine } from "../helpers/gate";
import { confined, removeTempDirs, tempDir } from "../helpers/sandbox";

const corpus = loadCorpus();
const runnable = corpus.map((entry, i) => ({ ...entry, i })).filter((e) => ["changes", "loses", "marker"].includes(e.verify.kind));

describe("every corpus entry says how its label is shown", () => {
  it("non-read-only entries are verified by running them, or say why they can't be", () => {
    for (const entry of corpus) {
      if (entry.risk === "read-only") expect(entry.verify.kind).toBe("none");
      else expect({ script: entry.script, kind: entry.verify.kind }).not.toEqual({ script: entry.script, kind: "none" });
      if (entry.verify.kind === "unverifiable") expect(entry.verify.reason.length).toBeGreaterThan(10);
    }
  });

  it.each(corpus.map((e, i) => ({ ...e, i })).filter((e) => e.verify.kind === "rejected"))("#$i bash rejects $script", ({ script }) => {
    const run = spawnSync("bash", ["-n", "-c", script], { encoding: "utf8", timeout: 5_000 });
    expect(run.status).not.toBe(0);
  });
});

describe.runIf(canConfine())("corpus labels shown by running the script confined", () => {
  const after = new Map<number, Map<string, string>>();
  const before = new Map<boolean, Map<string, string>>();
  // git's view (refs, stashes, commits) is read only for scripts that run git: three spawns per entry otherwise.
  const usesGit = (script: string) => /\bgit\b/.test(script);
  // Long synchronous stretches starve vitest's worker RPC: yield between entries.
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  let batch = "";

  // One launch runs every entry, each in its own copy of the fixture workspace (launching
  // once per entry would take minutes); each copy is then compared with the fixture.
  beforeAll(async () => {
    const template = tempDir("corpus-template");
    makeWorkspace(template);
    for (const withGit of [true, false]) before.set(withGit, snapshot(template, withGit));
    batch = tempDir("corpus-batch");
    for (const entry of runnable) {
      fs.cpSync(template, path.join(batch, `e${entry.i}`), { recursive: true, verbatimSymlinks: true });
      const prelude = entry.verify.kind === "marker" && entry.verify.prelude ? `${entry.verify.prelude}\n` : "";
      fs.writeFileSync(path.join(batch, `s${entry.i}.sh`), `${prelude}${entry.script}\n`);
      await tick();
    }
    const driver = `for i in ${runnable.map((e) => e.i).join(" ")}; do (cd "e$i" && timeout -k 1 5 bash "../s$i.sh") </dev/null >/dev/null 2>&1; done`;
    const git = { GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", GIT_AUTHOR_NAME: "c", GIT_AUTHOR_EMAIL: "c@x.invalid", GIT_COMMITTER_NAME: "c", GIT_COMMITTER_EMAIL: "c@x.invalid" };
    await confined(batch, driver, { timeoutMs: 600_000, env: { ...process.env, ...git } });
    for (const entry of runnable) {
      after.set(entry.i, snapshot(path.join(batch, `e${entry.i}`), usesGit(entry.script)));
      await tick();
    }
  }, 660_000);
  afterAll(async () => {
    // Entries may have taken their own write or search bits away (chmod): give
    // them back first, as an unprivileged user can't remove such a tree otherwise.
    spawnSync("chmod", ["-R", "u+rwX", batch]);
    // Hundreds of workspace copies: removed asynchronously, for the same reason as tick().
    await fs.promises.rm(batch, { recursive: true, force: true });
    removeTempDirs();
  }, 300_000);

  it.each(runnable)("#$i [$risk, $verify.kind] $script", (entry) => {
    const now = after.get(entry.i)!;
    const was = before.get(usesGit(entry.script))!;
    if (entry.verify.kind === "loses") expect(lostSomething(was, now)).toBe(true);
    else if (entry.verify.kind === "changes") expect(changedSomething(was, now)).toBe(true);
    else expect(now.has(".ran")).toBe(true);
  });
});
