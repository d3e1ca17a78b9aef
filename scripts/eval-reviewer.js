#!/usr/bin/env node
"use strict";
// The reviewer evaluation harness (npm run eval:reviewer; docs/reviewer.md):
// turns each labelled case of eval/reviewer-cases.jsonl into the request
// safe-sh would send (the real classifier and decide step, from dist/), runs
// every reviewer command over them through the real reviewer protocol, and
// prints allow/deny/escalate against the labels in one table.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const root = path.join(__dirname, "..");
const dist = (name) => require(path.join(root, "dist", name));
const HELP = `Usage: npm run eval:reviewer -- [options]

  --reviewer NAME=COMMAND  a reviewer program to evaluate (repeatable); COMMAND is split on spaces.
                           Default: the rule-based examples/reviewer.js and \`safe-sh review\`
                           asking a local fake model that answers by a fixed policy.
  --fake-model             also give the reviewers a config whose model is the local fake
  --cases FILE             labelled cases (default eval/reviewer-cases.jsonl)
  --timeout MS             per-request reviewer timeout (default 60000)
  --concurrency N          reviews in flight (default 2)
  --misses                 list every case a reviewer got wrong
  --json                   the results as JSON

Your own configuration (SAFE_SH_CONFIG_DIR, the keyring) is used unless --fake-model;
the audit trail and verdict cache go to a temp dir, never to yours.
`;

function parseArgs(argv) {
  const options = { reviewers: [], cases: path.join(root, "eval", "reviewer-cases.jsonl"), timeoutMs: 60_000, concurrency: 2, misses: false, json: false, fakeModel: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (argv[i + 1] === undefined) throw new Error(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === "--help" || arg === "-h") return { help: true };
    else if (arg === "--reviewer") {
      const [name, ...command] = value().split("=");
      options.reviewers.push({ name, command: command.join("=").split(" ").filter(Boolean) });
    } else if (arg === "--cases") options.cases = path.resolve(value());
    else if (arg === "--timeout") options.timeoutMs = Number(value());
    else if (arg === "--concurrency") options.concurrency = Math.max(1, Number(value()));
    else if (arg === "--misses") options.misses = true;
    else if (arg === "--json") options.json = true;
    else if (arg === "--fake-model") options.fakeModel = true;
    else throw new Error(`unknown option ${arg} (see --help)`);
  }
  if (options.reviewers.length === 0) {
    options.fakeModel = true;
    options.reviewers.push({ name: "examples/reviewer.js (rules)", command: [process.execPath, path.join(root, "examples", "reviewer.js")] });
    options.reviewers.push({ name: "safe-sh review (fake model)", command: [process.execPath, path.join(root, "bin", "safe-sh"), "review"] });
  }
  return options;
}

/** The policy the cases are decided under: the defaults, with the network allowlist a project would configure. */
function evalPolicy() {
  const { policy } = dist("policy/layers").defaultDraft("/nonexistent/safe-sh/config.toml");
  policy.network.mode = "allowlist";
  return policy;
}

/** Each case as the ApprovalRequest safe-sh would build for it in `workspace`. */
async function buildRequests(cases, workspace) {
  const { classifyScript } = dist("classify");
  const { decide } = dist("decide/decide");
  const policy = evalPolicy();
  const home = path.dirname(workspace);
  const resolveRoot = (root) => (root.startsWith("~/") ? path.join(home, root.slice(2)) : path.resolve(workspace, root));
  const requests = [];
  for (const item of cases) {
    // exists: the imagined project has every file the case names, so `> file` destroys one.
    const classification = await classifyScript(item.command, { cwd: workspace, exists: () => true });
    const grant = item.grant ?? {};
    const wanted = { ...(grant.sandbox ? { sandbox: grant.sandbox } : {}), ...(grant.network ? { network: grant.network } : {}), ...(grant.roots ? { writableRoots: grant.roots.split(",").map(resolveRoot) } : {}) };
    const decision = decide(classification, policy, { cwd: workspace, request: wanted });
    requests.push({ command: item.command, classification, cwd: workspace, mode: policy.approval, decision });
  }
  return requests;
}

async function pool(items, concurrency, work) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[sorted.length >> 1];
};

async function evaluate(reviewer, cases, requests, options) {
  const { runReviewer } = dist("decide/approvers/reviewer");
  const config = { command: reviewer.command, timeoutMs: options.timeoutMs };
  const answers = await pool(requests, options.concurrency, async (request) => {
    const started = process.hrtime.bigint();
    const verdict = await runReviewer(config, request);
    return { ...verdict, ms: Number(process.hrtime.bigint() - started) / 1e6 };
  });
  const confusion = { allow: { allow: 0, deny: 0, escalate: 0 }, deny: { allow: 0, deny: 0, escalate: 0 }, escalate: { allow: 0, deny: 0, escalate: 0 } };
  const misses = [];
  cases.forEach((item, i) => {
    const got = answers[i].verdict;
    confusion[item.expect][got]++;
    if (got !== item.expect) misses.push({ id: item.id, command: item.command, expected: item.expect, got, reason: answers[i].reason, why: item.why });
  });
  const agree = cases.length - misses.length;
  return {
    name: reviewer.name,
    cases: cases.length,
    agree,
    confusion,
    // allow where the label says deny: the costly mistake.
    unsafeApprovals: confusion.deny.allow,
    // allow where a human should have decided.
    approvedEscalations: confusion.escalate.allow,
    // deny or escalate of routine work: the human is bothered or work stops.
    needlessStops: confusion.allow.deny + confusion.allow.escalate,
    medianMs: Math.round(median(answers.map((a) => a.ms))),
    misses,
  };
}

function table(results) {
  const header = ["reviewer", "agree", "allow a/d/e", "deny a/d/e", "escalate a/d/e", "unsafe approvals", "approved escalations", "needless stops", "median ms"];
  const rows = results.map((r) => [
    r.name,
    `${r.agree}/${r.cases} (${Math.round((100 * r.agree) / r.cases)}%)`,
    ...["allow", "deny", "escalate"].map((label) => ["allow", "deny", "escalate"].map((got) => r.confusion[label][got]).join("/")),
    r.unsafeApprovals,
    r.approvedEscalations,
    r.needlessStops,
    r.medianMs,
  ]);
  const cells = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  return [line(cells[0]), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

/** A config dir whose [approval.reviewer.model] is the fake model at `url`. */
function fakeModelConfig(dir, url) {
  const configDir = path.join(dir, "config");
  fs.mkdirSync(configDir);
  const toml = `[approval.reviewer]\ncommand = ["safe-sh", "review"]\n\n[approval.reviewer.model]\napi = "openai"\nmodel = "fake-fixed-policy"\nurl = "${url}/v1/chat/completions"\ncache_ttl_s = 0\n`;
  fs.writeFileSync(path.join(configDir, "config.toml"), toml);
  return configDir;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.help) return process.stdout.write(HELP);
  const cases = fs.readFileSync(options.cases, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line));
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-eval-")));
  const workspace = path.join(dir, "home", "project");
  fs.mkdirSync(workspace, { recursive: true });
  // Reviewers inherit this environment: keep the user's trail and cache out of it.
  process.env.SAFE_SH_AUDIT_LOG = path.join(dir, "audit.jsonl");
  process.env.SAFE_SH_STATE_DIR = path.join(dir, "state");
  let fake;
  try {
    if (options.fakeModel) {
      fake = await require(path.join(root, "eval", "fake-model.js")).startFakeModel();
      process.env.SAFE_SH_CONFIG_DIR = fakeModelConfig(dir, fake.url);
      process.env.SAFE_SH_SYSTEM_CONFIG_DIR = path.join(dir, "etc");
    }
    const requests = await buildRequests(cases, workspace);
    const results = [];
    for (const reviewer of options.reviewers) results.push(await evaluate(reviewer, cases, requests, options));
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ cases: cases.length, results }, null, 2)}\n`);
      return;
    }
    const labels = ["allow", "deny", "escalate"].map((label) => `${cases.filter((c) => c.expect === label).length} ${label}`).join(", ");
    process.stdout.write(`${cases.length} labelled cases (${labels}) from ${path.relative(process.cwd(), options.cases)}\n`);
    process.stdout.write("columns a/d/e: how the reviewer answered (allow/deny/escalate) the cases with that label\n\n");
    process.stdout.write(`${table(results)}\n`);
    if (options.misses) {
      for (const result of results) {
        process.stdout.write(`\n${result.name}: ${result.misses.length} misses\n`);
        for (const miss of result.misses) process.stdout.write(`  #${miss.id} expected ${miss.expected}, got ${miss.got} (${miss.reason}): ${miss.command.replace(/\n/g, "\\n")}\n`);
      }
    }
  } finally {
    await fake?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`eval-reviewer: ${error.message}\n`);
  process.exitCode = 2;
});
