// Summaries of timing samples: median with min–max, and paired comparisons
// (round by round) so drift between rounds cancels out.

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** { n, median, min, max } of a non-empty list. */
function summary(values) {
  return { n: values.length, median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** Summary of a[i] - b[i]: what A adds to B, measured in the same rounds. */
function pairedDiff(a, b) {
  return summary(a.map((x, i) => x - b[i]));
}

/** Summary of a[i] / b[i]. */
function pairedRatio(a, b) {
  return summary(a.map((x, i) => x / b[i]));
}

module.exports = { median, summary, pairedDiff, pairedRatio };
