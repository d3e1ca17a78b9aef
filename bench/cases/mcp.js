// Case 8: an MCP `shell` tool call of `true` (SDK client → `safe-sh mcp` over
// stdio: JSON-RPC, classify, decide, audit, confine) against a direct
// SafeShell.run(["true"]) in the bench process.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { interleave, timeAsync } = require("../measure");
const { summary, pairedDiff } = require("../stats");
const { gitWorkspace } = require("../fixture");

async function run({ root, smoke }) {
  const { SafeShell } = require(path.join(root, "dist", "run.js"));
  const { Client } = require("@modelcontextprotocol/sdk/client/index.js");
  const { StdioClientTransport } = require("@modelcontextprotocol/sdk/client/stdio.js");
  const workspace = gitWorkspace("mcp");
  // Config and trail of their own: the user's policy must not change what is measured.
  const state = fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-bench-mcp-state-"));
  const env = { ...process.env, SAFE_SH_SYSTEM_CONFIG_DIR: state, SAFE_SH_CONFIG_DIR: state, SAFE_SH_STATE_DIR: state, SAFE_SH_AUDIT_LOG: path.join(state, "audit.jsonl") };
  const client = new Client({ name: "safe-sh-bench", version: "1.0.0" });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [path.join(root, "bin", "safe-sh"), "mcp", "--workspace", workspace], env, stderr: "ignore" }));
  const shell = new SafeShell({ workspace });
  try {
    const call = async () => {
      const result = await client.callTool({ name: "shell", arguments: { argv: ["true"] } });
      if (result.structuredContent?.exitStatus !== 0) throw new Error(`mcp shell true: ${JSON.stringify(result.content)}`);
    };
    const direct = async () => {
      const result = await shell.run(["true"]);
      if (result.exitCode !== 0) throw new Error(`run(["true"]) exited with ${result.exitCode}`);
    };
    const samples = await interleave({ 'run(["true"])': () => timeAsync(direct), "mcp shell argv true": () => timeAsync(call) }, smoke ? 3 : 100, smoke ? 1 : 10);
    const added = pairedDiff(samples["mcp shell argv true"], samples['run(["true"])']);
    return {
      rows: [
        { label: 'SafeShell.run(["true"]) (in process)', unit: "ms", value: summary(samples['run(["true"])']) },
        { label: "MCP shell tool, argv [true] (stdio, audited)", unit: "ms", value: summary(samples["mcp shell argv true"]), vs: `+${added.median.toFixed(2)} ms` },
      ],
      budgets: [
        {
          label: "MCP shell call vs direct run()",
          target: "≤ 5 ms added (median)",
          measured: `+${added.median.toFixed(2)} ms (paired min–max ${added.min.toFixed(2)}–${added.max.toFixed(2)})`,
          met: added.median <= 5,
          value: added,
        },
      ],
      notes: ["the MCP call includes classification, the policy decision and four audit records (flock + append) besides JSON-RPC"],
    };
  } finally {
    await client.close();
    await shell.close();
    fs.rmSync(state, { recursive: true, force: true });
  }
}

module.exports = { id: "mcp", title: "8. MCP shell tool call vs direct run()", run };
