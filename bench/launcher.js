// The launcher's argv for the default plan (workspace-write, network none) of a
// workspace, built by the library itself so the bench follows the plan as it changes.
const path = require("node:path");
const { gitWorkspace } = require("./fixture");

/** { command, args(argv), env, cwd } for running argv confined without Node in between; `options` change the plan (e.g. readAllowlist). */
function defaultLaunch(root, workspace, options = {}) {
  const { SafeShell } = require(path.join(root, "dist", "run.js"));
  const { launcherArgs } = require(path.join(root, "dist", "sandbox", "linux.js"));
  const { launcherPath } = require(path.join(root, "dist", "sandbox", "native.js"));
  const plan = new SafeShell({ workspace, ...options }).plan({}, () => gitWorkspace("tmpdir"));
  return { command: launcherPath(), args: (argv) => launcherArgs(plan, argv), env: plan.env, cwd: plan.cwd };
}

module.exports = { defaultLaunch };
