// `npm run bench [-- --smoke]`: runs every case, prints the table with each
// budget met/MISSED, writes bench/results.json. Exits non-zero only on a crash.
const os = require("node:os");
const path = require("node:path");
const { machineFacts } = require("./machine");
const { render, writeJson } = require("./report");
const { removeAll } = require("./fixture");

const ROOT = path.resolve(__dirname, "..");
const CASES = ["library", "cli", "classifier", "workload", "memory", "reference", "proxy", "mcp"].map((name) => require(`./cases/${name}`));

async function main() {
  const smoke = process.argv.includes("--smoke");
  const only = process.argv.find((arg) => arg.startsWith("--only="))?.slice("--only=".length).split(",");
  const facts = machineFacts(smoke);
  const results = [];
  try {
    for (const benchCase of CASES) {
      if (only && !only.includes(benchCase.id)) continue;
      process.stderr.write(`bench: ${benchCase.title}…\n`);
      results.push({ id: benchCase.id, title: benchCase.title, ...(await benchCase.run({ root: ROOT, smoke })) });
    }
  } finally {
    removeAll();
  }
  facts.loadAverageAtEnd = os.loadavg().map((x) => Number(x.toFixed(2)));
  process.stdout.write(render(facts, results));
  writeJson(path.join(__dirname, "results.json"), facts, results);
  // A handle some case forgot to close must not hang CI.
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`bench: crashed: ${error.stack ?? error}\n`);
  process.exit(1);
});
