#!/usr/bin/env node
// A minimal MCP client process for the bats tests (the MCP Inspector's CLI
// pulls a web UI, React and a dev server: too much for CI). Usage:
//   mcp-client.js [--elicit once|session|deny] TOOL JSON_ARGS -- SERVER_CMD...
// Prints the tool result as JSON on stdout; exit 0 when the call returned.
"use strict";
const { Client } = require("@modelcontextprotocol/sdk/client/index.js");
const { StdioClientTransport } = require("@modelcontextprotocol/sdk/client/stdio.js");
const { ElicitRequestSchema } = require("@modelcontextprotocol/sdk/types.js");

async function main(args) {
  let elicit;
  if (args[0] === "--elicit") {
    elicit = args[1];
    args = args.slice(2);
  }
  const split = args.indexOf("--");
  const [tool, json] = args.slice(0, split);
  const [command, ...commandArgs] = args.slice(split + 1);
  const client = new Client({ name: "bats-mcp-client", version: "1.0.0" }, { capabilities: elicit ? { elicitation: {} } : {} });
  if (elicit) client.setRequestHandler(ElicitRequestSchema, async () => (elicit === "deny" ? { action: "decline" } : { action: "accept", content: { answer: elicit } }));
  await client.connect(new StdioClientTransport({ command, args: commandArgs, env: process.env, stderr: "inherit" }));
  const result = await client.callTool({ name: tool, arguments: JSON.parse(json) });
  process.stdout.write(`${JSON.stringify(result)}\n`);
  await client.close();
}

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`mcp-client: ${error.stack ?? error}\n`);
  process.exit(1);
});
