// Case 4: a syscall-heavy workload (walk + read a tree of small files, and
// `git status` in it), through the launcher with the default plan vs unconfined,
// and bwrap --ro-bind / / --unshare-all in the same rounds for scale; the walk
// also under a read allowlist (Landlock's read rights handled again: its cost).
// The budget is about what confinement costs the work (Landlock path checks,
// the seccomp filter on every call), so a single `git status` (~100 ms, of
// which one launcher start is a fixed ~10 ms: case 1's budget) is shown for
// information and the budget is checked on ten of them in one sandbox.
const { interleave, timeSync, unavailable } = require("../measure");
const { summary, pairedRatio } = require("../stats");
const { gitWorkspace, fileTree } = require("../fixture");
const { defaultLaunch } = require("../launcher");

const WORKLOADS = {
  "walk + read": { script: "find . -path ./.git -prune -o -type f -print0 | xargs -0 cat > /dev/null", budget: true },
  "git status": { script: "git status --porcelain > /dev/null", budget: false },
  "git status ×10": { script: "for i in 1 2 3 4 5 6 7 8 9 10; do git status --porcelain > /dev/null; done", budget: true },
};
const BUDGET = 1.05;
// bwrap's --ro-bind is nodev (so /dev/null would be EACCES): --dev /dev gives
// it a minimal /dev; the workspace is writable, as in safe-sh's plan.
const bwrap = (cwd) => ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--bind", cwd, cwd, "--unshare-all", "--die-with-parent", "--"];

async function run({ root, smoke }) {
  const files = smoke ? 200 : 20000;
  const cwd = gitWorkspace("tree");
  fileTree(cwd, files);
  const launch = defaultLaunch(root, cwd);
  const allowlist = defaultLaunch(root, cwd, { readAllowlist: [] });
  const walk = WORKLOADS["walk + read"].script;
  // Same env and cwd on both sides: only the confinement differs.
  const options = { cwd, env: launch.env };
  const BWRAP = bwrap(cwd);
  const bwrapMissing = unavailable([...BWRAP, "true"], { cwd });
  const variants = {};
  for (const [name, { script }] of Object.entries(WORKLOADS)) {
    variants[`${name} unconfined`] = () => timeSync("bash", ["-c", script], options);
    variants[`${name} confined`] = () => timeSync(launch.command, launch.args(["bash", "-c", script]), options);
    if (!bwrapMissing) variants[`${name} bwrap`] = () => timeSync(BWRAP[0], [...BWRAP.slice(1), "bash", "-c", script], options);
  }
  variants["walk + read confined, read allowlist"] = () => timeSync(allowlist.command, allowlist.args(["bash", "-c", walk]), options);
  const samples = await interleave(variants, smoke ? 3 : 9, 1);

  const rows = [];
  const budgets = [];
  const percent = (ratio) => `${((ratio.median - 1) * 100).toFixed(1)} % (paired min–max ${((ratio.min - 1) * 100).toFixed(1)}…${((ratio.max - 1) * 100).toFixed(1)} %)`;
  for (const [name, { budget }] of Object.entries(WORKLOADS)) {
    const ratio = pairedRatio(samples[`${name} confined`], samples[`${name} unconfined`]);
    rows.push({ label: `${name}, unconfined (${files} files)`, unit: "ms", value: summary(samples[`${name} unconfined`]) });
    rows.push({ label: `${name}, confined (${files} files)`, unit: "ms", value: summary(samples[`${name} confined`]), vs: `${ratio.median.toFixed(3)}×` });
    const bwrapSamples = samples[`${name} bwrap`];
    if (bwrapSamples) rows.push({ label: `${name}, bwrap --ro-bind / / --unshare-all (${files} files)`, unit: "ms", value: summary(bwrapSamples), vs: `${pairedRatio(bwrapSamples, samples[`${name} unconfined`]).median.toFixed(3)}×` });
    else rows.push({ label: `${name}, bwrap`, na: `n/a (${bwrapMissing})` });
    if (name === "walk + read") {
      const allowlisted = samples["walk + read confined, read allowlist"];
      rows.push({ label: `${name}, confined, read allowlist (${files} files)`, unit: "ms", value: summary(allowlisted), vs: `${pairedRatio(allowlisted, samples[`${name} unconfined`]).median.toFixed(3)}×` });
    }
    if (!budget) continue;
    budgets.push({ label: `${name} confined vs unconfined`, target: `within ${Math.round((BUDGET - 1) * 100)} %`, measured: percent(ratio), met: ratio.median <= BUDGET, value: ratio });
    if (!bwrapSamples) continue;
    const vsBwrap = pairedRatio(samples[`${name} confined`], bwrapSamples);
    budgets.push({ label: `${name} confined vs bwrap`, target: "not slower", measured: percent(vsBwrap), met: vsBwrap.median <= 1, value: vsBwrap });
  }
  return {
    rows,
    budgets,
    notes: [
      "confined time includes the launcher's own start (namespaces, mounts, Landlock, seccomp)",
      "a single git status is shown for information: its one launcher start is budgeted by case 1; the budget is checked on ten in one sandbox",
    ],
  };
}

module.exports = { id: "workload", title: "4. Syscall-heavy workload", run };
