// Renders the results as a plain-text table on stdout and writes them, with
// the machine facts, to bench/results.json.
const fs = require("node:fs");

function number(value, unit) {
  if (unit === "cmd/s") return Math.round(value).toLocaleString("en");
  return value.toFixed(value < 10 ? 2 : 1);
}

function pad(text, width) {
  return String(text).padEnd(width);
}

function rowLine(row) {
  if (row.na) return `  ${pad(row.label, 54)} ${row.na}`;
  const { median, min, max, n } = row.value;
  const figure = `${number(median, row.unit)} ${row.unit}`;
  const spread = `[${number(min, row.unit)}–${number(max, row.unit)}] n=${n}`;
  return `  ${pad(row.label, 54)} ${pad(figure, 14)} ${pad(spread, 26)} ${row.vs ?? ""}`.trimEnd();
}

function verdict(met) {
  return met === null ? "n/a" : met ? "met" : "MISSED";
}

/** The whole report as text. */
function render(facts, results) {
  const lines = [
    `safe-sh benchmark${facts.smoke ? " (smoke: tiny counts, figures not meaningful)" : ""}`,
    `${facts.date}  ${facts.kernel}  ${facts.cpuModel} ×${facts.cores}  node ${facts.node}  NODE_EXTRA_CA_CERTS ${facts.nodeExtraCaCerts}  load ${facts.loadAverageAtStart.join(" ")} → ${facts.loadAverageAtEnd.join(" ")}`,
    "figures: median [min–max] over n interleaved runs; comparisons are paired medians (same rounds)",
  ];
  for (const result of results) {
    lines.push("", result.title);
    for (const row of result.rows) lines.push(rowLine(row));
    for (const note of result.notes ?? []) lines.push(`  note: ${note}`);
  }
  lines.push("", "Budgets (docs/design.md §4)");
  for (const result of results) {
    for (const budget of result.budgets) {
      lines.push(`  ${pad(verdict(budget.met), 7)} ${pad(budget.label, 58)} ${pad(budget.target, 24)} ${budget.measured}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

function writeJson(file, facts, results) {
  const cases = results.map(({ id, title, rows, budgets, notes }) => ({
    id,
    title,
    rows,
    budgets: budgets.map((budget) => ({ ...budget, verdict: verdict(budget.met) })),
    notes: notes ?? [],
  }));
  fs.writeFileSync(file, `${JSON.stringify({ machine: facts, cases }, null, 2)}\n`);
}

module.exports = { render, writeJson };
