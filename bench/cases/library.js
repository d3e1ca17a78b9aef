// Case 1: library SafeShell.run() of `true` (argv and script) against a plain
// child_process.spawn of the same thing, and with the network allowlist when supported.
const { spawn } = require("node:child_process");
const path = require("node:path");
const { interleave, timeAsync } = require("../measure");
const { summary, pairedDiff } = require("../stats");
const { gitWorkspace } = require("../fixture");

/** spawn + wait for close, with the same stdio shape run() uses. */
function plainSpawn(command, args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["pipe", "pipe", "pipe"] });
    child.stdin.end();
    child.stdout.resume();
    child.stderr.resume();
    child.once("error", reject);
    child.once("close", (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`))));
  });
}

async function confined(shell, command, options) {
  const result = await shell.run(command, options);
  if (result.exitCode !== 0) throw new Error(`run(${JSON.stringify(command)}) exited with ${result.exitCode}: ${result.stderr.trim()}`);
}

/** The allowlist variant's options, or the reason it can't run yet. */
async function allowlistSupport(shell) {
  try {
    await confined(shell, ["true"], { network: "allowlist" });
    return { options: { network: "allowlist" } };
  } catch (error) {
    return { reason: `allowlist not supported by SafeShell yet (${String(error.message).split("\n")[0]})` };
  }
}

async function run({ root, smoke }) {
  const { SafeShell } = require(path.join(root, "dist", "run.js"));
  const workspace = gitWorkspace("library");
  const shell = new SafeShell({ workspace });
  try {
    return await measure(shell, workspace, smoke);
  } finally {
    await shell.close?.(); // stops the allowlist proxy, which would keep the bench alive
  }
}

async function measure(shell, workspace, smoke) {
  const allowlist = await allowlistSupport(shell);
  const variants = {
    "spawn true": () => timeAsync(() => plainSpawn("true", [], workspace)),
    'run(["true"])': () => timeAsync(() => confined(shell, ["true"])),
    "spawn bash -c true": () => timeAsync(() => plainSpawn("bash", ["-c", "true"], workspace)),
    'run("true")': () => timeAsync(() => confined(shell, "true")),
  };
  if (allowlist.options) variants['run(["true"]) allowlist'] = () => timeAsync(() => confined(shell, ["true"], allowlist.options));
  const samples = await interleave(variants, smoke ? 3 : 200, smoke ? 1 : 10);

  const added = (name, base) => pairedDiff(samples[name], samples[base]);
  const argvAdded = added('run(["true"])', "spawn true");
  const scriptAdded = added('run("true")', "spawn bash -c true");
  const allowAdded = allowlist.options ? added('run(["true"]) allowlist', "spawn true") : null;
  const row = (label, name, base) => ({ label, unit: "ms", value: summary(samples[name]), vs: base && `+${added(name, base).median.toFixed(2)} ms` });
  const rows = [
    row("child_process.spawn true", "spawn true"),
    row('SafeShell.run(["true"])', 'run(["true"])', "spawn true"),
    row("child_process.spawn bash -c true", "spawn bash -c true"),
    row('SafeShell.run("true")', 'run("true")', "spawn bash -c true"),
    allowlist.options ? row('run(["true"]) network allowlist', 'run(["true"]) allowlist', "spawn true") : { label: 'run(["true"]) network allowlist', na: allowlist.reason },
  ];
  const budget = (label, limit, stat) => ({
    label,
    target: `≤ ${limit} ms added (median)`,
    measured: stat ? `+${stat.median.toFixed(2)} ms (paired min–max ${stat.min.toFixed(2)}–${stat.max.toFixed(2)})` : "n/a",
    met: stat ? stat.median <= limit : null,
    value: stat,
  });
  return {
    rows,
    budgets: [
      budget('run(["true"]) vs spawn, default policy', 3, argvAdded),
      budget('run("true") vs spawn bash -c, default policy', 3, scriptAdded),
      budget("run() with network allowlist vs spawn", 5, allowAdded),
    ],
  };
}

module.exports = { id: "library", title: "1. Library run() of `true` vs child_process.spawn", run };
