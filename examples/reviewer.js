#!/usr/bin/env node
"use strict";
// An example reviewer program for [approval.reviewer]: a rule-based stand-in
// for an LLM reviewer. Reads one request (docs/reviewer-protocol.md) on stdin
// and prints one verdict on stdout.
//
//   privileged anywhere                → deny
//   a wider grant (escalation)         → escalate (let a human decide)
//   destructive, every path under /tmp → allow; otherwise deny
//   unknown (could not be analysed)    → escalate
//   read-only, write, network, execute → allow

const TMP_DIRS = ["/tmp/", "/var/tmp/"];

function underTmp(word) {
  return TMP_DIRS.some((dir) => word.startsWith(dir)) && !word.split("/").includes("..");
}

/** The verdict for one request object. */
function review(request) {
  const commands = Array.isArray(request.commands) ? request.commands : [];
  const privileged = commands.find((c) => c.risk === "privileged");
  if (privileged) return { verdict: "deny", reason: `privileged: ${privileged.argv.join(" ")}` };
  if (request.escalation) return { verdict: "escalate", reason: "wider sandbox grant: a human should decide" };
  const destructive = commands.filter((c) => c.risk === "destructive");
  if (request.risk === "destructive" && destructive.length === 0) {
    return { verdict: "deny", reason: "destructive script structure" };
  }
  for (const command of destructive) {
    const targets = command.argv.slice(1).filter((word) => !word.startsWith("-"));
    if (targets.length === 0 || !targets.every(underTmp)) {
      return { verdict: "deny", reason: `destructive outside /tmp: ${command.argv.join(" ")}` };
    }
  }
  if (request.risk === "unknown" || commands.some((c) => c.risk === "unknown")) {
    return { verdict: "escalate", reason: "could not be analysed" };
  }
  return { verdict: "allow", reason: `${request.risk}: confined by the sandbox` };
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  let request;
  try {
    request = JSON.parse(input);
  } catch {
    process.stderr.write("reviewer: stdin is not JSON\n");
    process.exit(2); // safe-sh treats a non-zero exit as deny
  }
  process.stdout.write(`${JSON.stringify(review(request))}\n`);
});
