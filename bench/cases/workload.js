// Case 4: a syscall-heavy workload (walk + read a tree of small files, and
// `git status` in it), through the launcher with the default plan vs unconfined.
const { interleave, timeSync } = require("../measure");
const { summary, pairedRatio } = require("../stats");
const { gitWorkspace, fileTree } = require("../fixture");
const { defaultLaunch } = require("../launcher");

const WORKLOADS = {
  "walk + read": "find . -path ./.git -prune -o -type f -print0 | xargs -0 cat > /dev/null",
  "git status": "git status --porcelain > /dev/null",
};
const BUDGET = 1.03;

async function run({ root, smoke }) {
  const files = smoke ? 200 : 20000;
  const cwd = gitWorkspace("tree");
  fileTree(cwd, files);
  const launch = defaultLaunch(root, cwd);
  // Same env and cwd on both sides: only the confinement differs.
  const options = { cwd, env: launch.env };
  const variants = {};
  for (const [name, script] of Object.entries(WORKLOADS)) {
    variants[`${name} unconfined`] = () => timeSync("bash", ["-c", script], options);
    variants[`${name} confined`] = () => timeSync(launch.command, launch.args(["bash", "-c", script]), options);
  }
  const samples = await interleave(variants, smoke ? 3 : 9, 1);

  const rows = [];
  const budgets = [];
  for (const name of Object.keys(WORKLOADS)) {
    const ratio = pairedRatio(samples[`${name} confined`], samples[`${name} unconfined`]);
    rows.push({ label: `${name}, unconfined (${files} files)`, unit: "ms", value: summary(samples[`${name} unconfined`]) });
    rows.push({ label: `${name}, confined (${files} files)`, unit: "ms", value: summary(samples[`${name} confined`]), vs: `${ratio.median.toFixed(3)}×` });
    budgets.push({
      label: `${name} confined vs unconfined`,
      target: `within ${Math.round((BUDGET - 1) * 100)} %`,
      measured: `${((ratio.median - 1) * 100).toFixed(1)} % (paired min–max ${((ratio.min - 1) * 100).toFixed(1)}…${((ratio.max - 1) * 100).toFixed(1)} %)`,
      met: ratio.median <= BUDGET,
      value: ratio,
    });
  }
  return { rows, budgets, notes: ["confined time includes the launcher's own start (namespaces, mounts, Landlock, seccomp)"] };
}

module.exports = { id: "workload", title: "4. Syscall-heavy workload", run };
