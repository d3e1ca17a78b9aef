// safe-sh doctor on macOS: the Seatbelt checks as a table (or JSON).
import { spawnSync } from "node:child_process";
import { darwinChecks, type RunProgram } from "../sandbox/darwin/doctor";

const runProgram: RunProgram = (file, args, options = {}) => {
  const result = spawnSync(file, args, { encoding: "utf8", timeout: 10_000, ...options });
  return { status: result.status, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
};

/** Prints the checks; returns 0 when a confined run is possible. */
export function doctorDarwin(json: boolean, out: NodeJS.WritableStream): number {
  const { checks, ready } = darwinChecks(runProgram);
  if (json) {
    out.write(`${JSON.stringify({ platform: "darwin", ready, rows: checks }, null, 2)}\n`);
  } else {
    const width = Math.max(...checks.map((row) => row.feature.length));
    for (const row of checks) out.write(`${row.feature.padEnd(width)}  ${row.status.padEnd(7)}  ${row.detail}\n`);
    out.write(ready ? "ready: commands run confined by Seatbelt\n" : "not ready: Seatbelt cannot confine commands here\n");
  }
  return ready ? 0 : 1;
}
