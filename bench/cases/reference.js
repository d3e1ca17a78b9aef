// Case 6: the launcher alone against bare exec and against peers for scale:
// bwrap --unshare-all and unshare -rn, "n/a" when missing or refused here.
const { interleave, timeSync, unavailable } = require("../measure");
const { summary, pairedDiff } = require("../stats");
const { gitWorkspace } = require("../fixture");
const { defaultLaunch } = require("../launcher");

const PEERS = {
  "bwrap --ro-bind / / --unshare-all true": ["bwrap", "--ro-bind", "/", "/", "--unshare-all", "true"],
  "unshare -rn true": ["unshare", "-rn", "true"],
};

async function run({ root, smoke }) {
  const cwd = gitWorkspace("reference");
  const launch = defaultLaunch(root, cwd);
  const variants = {
    "/bin/true": () => timeSync("/bin/true", [], { cwd }),
    "safe-sh-exec, default plan, true": () => timeSync(launch.command, launch.args(["true"]), { cwd, env: launch.env }),
  };
  const missing = {};
  for (const [name, argv] of Object.entries(PEERS)) {
    missing[name] = unavailable(argv);
    if (!missing[name]) variants[name] = () => timeSync(argv[0], argv.slice(1), { cwd });
  }
  const samples = await interleave(variants, smoke ? 3 : 100, smoke ? 1 : 5);
  const rows = Object.keys(variants).map((name) => ({
    label: name,
    unit: "ms",
    value: summary(samples[name]),
    vs: name === "/bin/true" ? undefined : `+${pairedDiff(samples[name], samples["/bin/true"]).median.toFixed(2)} ms`,
  }));
  for (const [name, reason] of Object.entries(missing)) if (reason) rows.push({ label: name, na: `n/a (${reason})` });
  return { rows, budgets: [], notes: ["spawnSync wall time from Node, so every row carries the same spawn overhead"] };
}

module.exports = { id: "reference", title: "6. Launcher alone and peers, for reference", run };
