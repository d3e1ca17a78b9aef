#!/usr/bin/env node
// The real-project suite: each project's steps run twice, unconfined with
// `bash -c` and through `safe-sh -c` with the default policy (the registry
// allowlisted), both with no terminal, and must end the same way.
//
//   node test/projects/run.js [--only ID] [--keep]
"use strict";
const { spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { PROJECTS } = require("./projects");

const ROOT = path.resolve(__dirname, "../..");
const SAFE_SH = path.join(ROOT, "bin", "safe-sh");
const CACHE = path.join(ROOT, ".cache", "projects");
const STEP_TIMEOUT_MS = 5 * 60_000;

function sh(command, cwd) {
  const result = spawnSync("bash", ["-c", command], { cwd, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${command}: exit ${result.status}\n${result.stderr}`);
  return result.stdout;
}

/** The pristine source tree of a project, fetched once into the cache. */
function pristine(project) {
  const dir = path.join(CACHE, project.id);
  if (fs.existsSync(path.join(dir, ".complete"))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const { source } = project;
  if (source.kind === "npm") {
    const tarball = sh(`npm pack --silent ${source.spec}`, dir).trim().split("\n").pop();
    sh(`tar -xzf ${tarball} --strip-components=1 --no-same-owner && rm ${tarball}`, dir);
  } else if (source.kind === "debian") {
    // The upstream tarball is what the suite needs; the mirror may lack the
    // Debian packaging tarball, so apt's own status is not the verdict.
    const download = fs.mkdtempSync(path.join(CACHE, `${project.id}-src-`));
    spawnSync("apt-get", ["source", "-qq", "--download-only", source.package], { cwd: download, stdio: "ignore" });
    const orig = fs.readdirSync(download).find((name) => /\.orig\.tar\.[a-z0-9]+$/.test(name));
    if (!orig) throw new Error(`apt-get source ${source.package}: no upstream tarball was downloaded`);
    // Owned by whoever runs the suite, as a checkout of theirs would be (root's
    // tar would keep the tarball's uids, and the sandbox drops the capability
    // that lets root write other users' files).
    sh(`tar -xf ${orig} -C ${JSON.stringify(dir)} --strip-components=1 --no-same-owner`, download);
    fs.rmSync(download, { recursive: true, force: true });
  }
  fs.writeFileSync(path.join(dir, ".complete"), "");
  return dir;
}

/** A fresh copy of the project under `base`, committed as a repository the way an agent finds one. */
function workingCopy(project, base) {
  const dir = path.join(base, project.id);
  fs.mkdirSync(dir, { recursive: true });
  sh(`cp -a ${JSON.stringify(pristine(project))}/. . && rm -f .complete`, dir);
  fs.writeFileSync(path.join(dir, ".gitignore"), `${project.ignore.join("\n")}\n`);
  sh("git init -q && git add -A && git -c user.name=setup -c user.email=setup@example.invalid commit -qm initial --allow-empty", dir);
  return dir;
}

/** Runs one step with no terminal (its own session) and bounded time. */
function runStep(argv, cwd, env) {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const out = [];
    const err = [];
    child.stdout.on("data", (chunk) => out.push(chunk));
    child.stderr.on("data", (chunk) => err.push(chunk));
    const timer = setTimeout(() => process.kill(-child.pid, "SIGKILL"), STEP_TIMEOUT_MS);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ status: signal ? `signal ${signal}` : code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
  });
}

function tail(text, lines = 15) {
  return text.trimEnd().split("\n").slice(-lines).map((line) => `      | ${line}`).join("\n");
}

/** The user's safe-sh config for the run: the default policy plus the npm registry allowlisted. */
function configure(base) {
  const config = path.join(base, "config", "safe-sh");
  fs.mkdirSync(config, { recursive: true });
  fs.writeFileSync(path.join(config, "config.toml"), '[network]\nmode = "allowlist"\nallow = ["registry.npmjs.org"]\n');
  return {
    ...process.env,
    XDG_CONFIG_HOME: path.dirname(config),
    SAFE_SH_STATE_DIR: path.join(base, "state"),
    SAFE_SH_AUDIT_LOG: path.join(base, "state", "audit.jsonl"),
  };
}

async function main() {
  const args = process.argv.slice(2);
  const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
  const keep = args.includes("--keep");
  const base = fs.mkdtempSync("/var/tmp/safe-sh-projects-");
  const env = configure(base);
  let passed = 0;
  let failed = 0;
  for (const project of PROJECTS.filter((p) => !only || p.id === only)) {
    console.log(`\n## ${project.name}`);
    const plain = workingCopy(project, path.join(base, "unconfined"));
    const confined = workingCopy(project, path.join(base, "confined"));
    for (const step of project.steps) {
      const started = Date.now();
      const a = await runStep(["bash", "-c", step.script], plain, env);
      const middle = Date.now();
      const b = await runStep([SAFE_SH, "-c", step.script], confined, env);
      const ok = a.status === 0 && b.status === 0 && (!step.sameOutput || a.stdout === b.stdout);
      const timing = `${((middle - started) / 1000).toFixed(1)}s / ${((Date.now() - middle) / 1000).toFixed(1)}s`;
      console.log(`  ${ok ? "ok  " : "FAIL"} ${step.name.padEnd(16)} unconfined ${String(a.status).padEnd(3)} confined ${String(b.status).padEnd(3)} (${timing})`);
      if (ok) {
        passed++;
        continue;
      }
      failed++;
      if (a.status !== 0) console.log(`    unconfined output:\n${tail(a.stdout + a.stderr)}`);
      if (b.status !== 0 || a.stdout !== b.stdout) console.log(`    confined output:\n${tail(b.stdout + b.stderr)}`);
    }
  }
  if (!keep) fs.rmSync(base, { recursive: true, force: true });
  else console.log(`\nkept ${base}`);
  console.log(`\nreal projects: ${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
