// Case 5: peak memory (max RSS) of the CLI and of the launcher alone, read by
// /usr/bin/time (Debian package `time`); n/a when it is missing.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { check, CHILD_TIMEOUT_MS } = require("../measure");
const { summary } = require("../stats");
const { gitWorkspace, isolatedCliEnv } = require("../fixture");
const { defaultLaunch } = require("../launcher");

const TIME = "/usr/bin/time";

/** Max RSS in MB of one run of argv (the largest of it and the children it waited for). */
function maxRssMB(argv, options) {
  const out = path.join(os.tmpdir(), `safe-sh-bench-rss-${process.pid}`);
  try {
    const result = spawnSync(TIME, ["-f", "%M", "-o", out, ...argv], { stdio: ["ignore", "ignore", "pipe"], timeout: CHILD_TIMEOUT_MS, ...options });
    check(TIME, argv, result);
    return Number(fs.readFileSync(out, "utf8").trim().split("\n").pop()) / 1024;
  } finally {
    fs.rmSync(out, { force: true });
  }
}

async function run({ root, smoke }) {
  const labels = ["safe-sh -c true", "node -e 0", "safe-sh-exec (default plan) true", "/bin/true"];
  if (!fs.existsSync(TIME)) {
    const na = "n/a (/usr/bin/time missing: install the Debian package `time`)";
    return { rows: labels.map((label) => ({ label, na })), budgets: [] };
  }
  const cwd = gitWorkspace("memory");
  const launch = defaultLaunch(root, cwd);
  const env = isolatedCliEnv(process.env);
  const argvs = [
    [path.join(root, "bin", "safe-sh"), "-c", "true"],
    ["node", "-e", "0"],
    [launch.command, ...launch.args(["true"])],
    ["/bin/true"],
  ];
  const rows = labels.map((label, i) => {
    const samples = Array.from({ length: smoke ? 2 : 7 }, () => maxRssMB(argvs[i], { cwd, env }));
    return { label, unit: "MB", value: summary(samples) };
  });
  return { rows, budgets: [], notes: ["max RSS of the process and its waited-for children (wait4 rusage)"] };
}

module.exports = { id: "memory", title: "5. Peak memory (max RSS)", run };
