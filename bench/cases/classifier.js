// Case 3: classifier throughput on the mixed corpus (in-process, commands/s) and
// the one-time grammar load, native tree-sitter vs web-tree-sitter wasm, each in a fresh process.
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { interleave, check, CHILD_TIMEOUT_MS } = require("../measure");
const { summary } = require("../stats");

const WORKER = path.join(__dirname, "classify-worker.js");

function worker(...args) {
  const result = spawnSync(process.execPath, [WORKER, ...args], { encoding: "utf8", timeout: CHILD_TIMEOUT_MS });
  check("classify-worker", args, result);
  return JSON.parse(result.stdout);
}

async function run({ root, smoke }) {
  const corpus = path.join(root, "test", "fixtures", "classify-corpus.txt");
  const missing = !fs.existsSync(path.join(root, "dist", "classify", "index.js"))
    ? "n/a (classifier not built)"
    : !fs.existsSync(corpus)
      ? "n/a (corpus test/fixtures/classify-corpus.txt missing)"
      : null;
  if (missing) {
    return {
      rows: [{ label: "classifyScriptSync throughput", na: missing }],
      budgets: [{ label: "classifier throughput", target: "≥ 20,000 commands/s", measured: missing, met: null }],
    };
  }
  const loads = await interleave(
    { native: () => worker("load", root, "native").ms, wasm: () => worker("load", root, "wasm").ms },
    smoke ? 2 : 10,
    0,
  );
  const runs = [];
  let scripts = 0;
  for (let i = 0; i < (smoke ? 1 : 5); i++) {
    const result = worker("throughput", root, corpus, String(smoke ? 200 : 2000));
    runs.push(result.commandsPerSecond);
    scripts = result.scripts;
  }
  const rate = summary(runs);
  return {
    rows: [
      { label: `classifyScriptSync throughput (${scripts}-line corpus)`, unit: "cmd/s", value: rate },
      { label: "grammar load, native tree-sitter (fresh process)", unit: "ms", value: summary(loads.native) },
      { label: "grammar load, web-tree-sitter wasm (fresh process)", unit: "ms", value: summary(loads.wasm) },
    ],
    budgets: [
      {
        label: "classifier throughput",
        target: "≥ 20,000 commands/s",
        measured: `${Math.round(rate.median).toLocaleString("en")} cmd/s (min–max ${Math.round(rate.min)}–${Math.round(rate.max)})`,
        met: rate.median >= 20000,
        value: rate,
      },
    ],
    notes: ["a command here is one corpus line (a script of one or more commands)"],
  };
}

module.exports = { id: "classifier", title: "3. Classifier", run };
