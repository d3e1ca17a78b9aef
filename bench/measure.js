// Timing primitives: wall time of a child process, and interleaved rounds over
// several variants (rotating the order each round) so load drift hits all alike.
const { spawnSync } = require("node:child_process");

const CHILD_TIMEOUT_MS = 120_000;

function msSince(start) {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Wall time of one synchronous child run. Throws when it fails, so a broken case crashes the bench. */
function timeSync(command, args, options = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { stdio: ["ignore", "ignore", "pipe"], timeout: CHILD_TIMEOUT_MS, ...options });
  const ms = msSince(start);
  check(command, args, result);
  return ms;
}

function check(command, args, result) {
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const stderr = result.stderr ? String(result.stderr).trim() : "";
    throw new Error(`${command} ${args.join(" ")} exited with ${result.status ?? result.signal}${stderr ? `: ${stderr}` : ""}`);
  }
}

/** Wall time of an async operation. */
async function timeAsync(operation) {
  const start = process.hrtime.bigint();
  await operation();
  return msSince(start);
}

/**
 * Runs every variant once per round (order rotated each round) after `warmup`
 * discarded rounds. `variants` maps a name to a function returning (a promise
 * of) milliseconds. Returns name → samples, aligned by round for pairing.
 */
async function interleave(variants, rounds, warmup = 1) {
  const names = Object.keys(variants);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = -warmup; round < rounds; round++) {
    const shift = ((round % names.length) + names.length) % names.length;
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + shift) % names.length];
      const ms = await variants[name]();
      if (round >= 0) samples[name].push(ms);
    }
  }
  return samples;
}

/** Why argv can't run here (a peer not installed or refused), or null when it can. */
function unavailable(argv, options = {}) {
  const result = spawnSync(argv[0], argv.slice(1), { encoding: "utf8", timeout: 10_000, ...options });
  if (result.error) return result.error.code === "ENOENT" ? `${argv[0]} not installed` : result.error.message;
  return result.status === 0 ? null : `exits ${result.status}: ${result.stderr.trim().split("\n")[0]}`;
}

module.exports = { timeSync, timeAsync, interleave, check, unavailable, CHILD_TIMEOUT_MS };
