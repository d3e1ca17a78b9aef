// Case 2: CLI cold start, `safe-sh -c true` vs `node -e 0` vs `sh -c true`,
// with the caller's NODE_EXTRA_CA_CERTS and without it.
const path = require("node:path");
const { interleave, timeSync } = require("../measure");
const { summary, pairedRatio } = require("../stats");
const { gitWorkspace, isolatedCliEnv } = require("../fixture");

function environments() {
  const withCa = isolatedCliEnv(process.env);
  const withoutCa = { ...withCa };
  delete withoutCa.NODE_EXTRA_CA_CERTS;
  return process.env.NODE_EXTRA_CA_CERTS
    ? { "NODE_EXTRA_CA_CERTS set": withCa, "NODE_EXTRA_CA_CERTS unset": withoutCa }
    : { "NODE_EXTRA_CA_CERTS unset": withoutCa };
}

async function run({ root, smoke }) {
  const envs = environments();
  const cwd = gitWorkspace("cli");
  const bin = path.join(root, "bin", "safe-sh");
  const commands = { "safe-sh -c true": [bin, "-c", "true"], "node -e 0": ["node", "-e", "0"], "sh -c true": ["sh", "-c", "true"] };
  const variants = {};
  for (const [envName, env] of Object.entries(envs)) {
    for (const [name, [command, ...args]] of Object.entries(commands)) {
      variants[`${name} | ${envName}`] = () => timeSync(command, args, { cwd, env });
    }
  }
  const samples = await interleave(variants, smoke ? 3 : 30, smoke ? 1 : 2);

  const rows = [];
  const budgets = [];
  for (const envName of Object.keys(envs)) {
    const key = (name) => `${name} | ${envName}`;
    const ratio = pairedRatio(samples[key("safe-sh -c true")], samples[key("node -e 0")]);
    for (const name of Object.keys(commands)) {
      const vs = name === "safe-sh -c true" ? `${ratio.median.toFixed(2)}× node -e 0` : undefined;
      rows.push({ label: `${name} (${envName})`, unit: "ms", value: summary(samples[key(name)]), vs });
    }
    budgets.push({
      label: `safe-sh -c true vs node -e 0, ${envName}`,
      target: "≤ 1.5× node -e 0",
      measured: `${ratio.median.toFixed(2)}× (paired min–max ${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})`,
      met: ratio.median <= 1.5,
      value: ratio,
    });
  }
  return { rows, budgets };
}

module.exports = { id: "cli", title: "2. CLI cold start", run };
