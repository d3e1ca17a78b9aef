// Child process of the classifier case, so each figure starts from a fresh
// process: `load <root> native|wasm` or `throughput <root> <corpus> <minMs>`; prints JSON.
const fs = require("node:fs");
const path = require("node:path");

async function load(root, backend) {
  const started = performance.now();
  const { loadBashParser } = require(path.join(root, "dist", "parse", "parser.js"));
  const parser = await loadBashParser(backend);
  return { ms: performance.now() - started, backend: parser.backend };
}

async function throughput(root, corpusFile, minMs) {
  const { loadParser, classifyScriptSync } = require(path.join(root, "dist", "classify", "index.js"));
  await loadParser();
  const scripts = fs.readFileSync(corpusFile, "utf8").split("\n").filter((line) => line.trim() !== "");
  for (const script of scripts) classifyScriptSync(script); // warm-up pass
  let classified = 0;
  const started = performance.now();
  while (performance.now() - started < minMs) {
    for (const script of scripts) classifyScriptSync(script);
    classified += scripts.length;
  }
  return { commandsPerSecond: classified / ((performance.now() - started) / 1000), scripts: scripts.length, classified };
}

const [mode, root, ...rest] = process.argv.slice(2);
(mode === "load" ? load(root, rest[0]) : throughput(root, rest[0], Number(rest[1]))).then(
  (result) => process.stdout.write(JSON.stringify(result)),
  (error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  },
);
