// Temporary workspaces for the cases: a git repository (so the plan protects
// .git/hooks and .git/config as in real use) and a bounded tree of small files.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

const made = [];
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "bench",
  GIT_AUTHOR_EMAIL: "bench@example.invalid",
  GIT_COMMITTER_NAME: "bench",
  GIT_COMMITTER_EMAIL: "bench@example.invalid",
};
const FILES_PER_DIR = 100;

function git(dir, ...args) {
  execFileSync("git", ["-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", ...args], { cwd: dir, env: GIT_ENV, stdio: "ignore", timeout: 300_000 });
}

/** A fresh git repository under the temp dir, removed by removeAll(). */
function gitWorkspace(label) {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `safe-sh-bench-${label}-`)));
  made.push(dir);
  git(dir, "init", "-q");
  return dir;
}

/** `count` small files in directories of FILES_PER_DIR, committed once. */
function fileTree(dir, count) {
  const line = "the quick brown fox jumps over the lazy dog\n";
  for (let i = 0; i < count; i++) {
    const sub = path.join(dir, "src", `d${Math.floor(i / FILES_PER_DIR)}`);
    if (i % FILES_PER_DIR === 0) fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, `f${i}.txt`), line.repeat(1 + (i % 20)));
  }
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "tree");
}

/** `env` with safe-sh's config, state and audit log in a temp dir: CLI runs must not touch the user's. */
function isolatedCliEnv(env) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-bench-state-"));
  made.push(dir);
  return { ...env, SAFE_SH_CONFIG_DIR: path.join(dir, "config"), SAFE_SH_STATE_DIR: path.join(dir, "state"), SAFE_SH_AUDIT_LOG: path.join(dir, "audit.jsonl") };
}

function removeAll() {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

module.exports = { gitWorkspace, fileTree, isolatedCliEnv, removeAll };
