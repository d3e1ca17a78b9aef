// `safe-sh mcp`: a stdio MCP server with one Session: the `shell` tool runs a
// command through the whole pipeline, `explain` says what it would decide.
import fs = require("node:fs");
import path = require("node:path");
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import { z } from "zod";
import { SafeShError } from "../errors";
import { NETWORK_MODES, SANDBOX_MODES } from "../types";
import { Session, type SessionOptions } from "../session";
import { elicitApproval } from "./approval";
import { errorAnswer, explainAnswer, shellAnswer, type ToolAnswer } from "./tools";
import { version } from "../../package.json";

export interface McpOptions {
  /** The workspace every command runs in (workdirs must be inside it); default process.cwd(). */
  workspace?: string;
  /** Bytes of stdout and of stderr returned per call; default 64 KiB. */
  maxOutputBytes?: number;
  /** Seconds between progress notifications of a long command; default 2. */
  progressSeconds?: number;
  /** Passed to the Session (policy, audit, env, ...); tests use it. */
  session?: SessionOptions;
}

const MODES = {
  sandbox: z.enum(SANDBOX_MODES),
  network: z.enum(NETWORK_MODES),
};

const COMMAND = {
  command: z.string().optional().describe("A bash script, run as `bash -c`."),
  argv: z.array(z.string()).min(1).optional().describe("A program and its arguments, run without a shell."),
  workdir: z.string().optional().describe("Working directory inside the workspace (relative to it or absolute)."),
};

/** The working directory of a call: inside the workspace, or a usage error. */
function workdirOf(workspace: string, workdir: string | undefined): string {
  const dir = path.resolve(workspace, workdir ?? ".");
  let real: string;
  try {
    real = fs.realpathSync(dir);
  } catch {
    throw new SafeShError("ERR_SAFESH_WORKSPACE", `workdir ${dir} does not exist`, "pass an existing directory inside the workspace");
  }
  const root = fs.realpathSync(workspace);
  if (real !== root && !real.startsWith(`${root}/`)) throw new SafeShError("ERR_SAFESH_WORKSPACE", `workdir ${dir} is outside the workspace ${root}`, "pass a directory inside the workspace");
  return real;
}

/** Exactly one of command and argv. */
function commandOf(args: { command?: string | undefined; argv?: string[] | undefined }): string | string[] {
  if ((args.command === undefined) === (args.argv === undefined)) throw new SafeShError("ERR_SAFESH_USAGE", "give exactly one of command and argv", "command: a bash script; argv: a program and its arguments");
  return args.command ?? args.argv!;
}

/** A tool handler that answers SafeShErrors as tool errors (other errors are the SDK's). */
function answering<A>(handler: (args: A, extra: Extra) => Promise<ToolAnswer>): (args: A, extra: Extra) => Promise<ToolAnswer> {
  return async (args, extra) => {
    try {
      return await handler(args, extra);
    } catch (error) {
      if (error instanceof SafeShError) return errorAnswer(`safe-sh: ${error.message} [${error.code}]`, error.hint);
      throw error;
    }
  };
}

interface Extra {
  signal: AbortSignal;
  _meta?: { progressToken?: string | number } | undefined;
  sendNotification: (notification: { method: "notifications/progress"; params: { progressToken: string | number; progress: number; message?: string } }) => Promise<void>;
}

/** Builds the server (not yet connected) and the function that closes its Session. */
export function createMcpServer(options: McpOptions = {}): { server: McpServer; close(): Promise<void> } {
  const workspace = path.resolve(options.workspace ?? process.cwd());
  const server = new McpServer({ name: "safe-sh", version }, { capabilities: { tools: {} } });
  let session: Session | undefined;
  // Created on first use: by then the client has said its name, which tags every record.
  const sessionFor = (): Session =>
    (session ??= new Session({
      workspace,
      notify: (line) => process.stderr.write(`${line}\n`),
      ask: elicitApproval(server.server),
      client: server.server.getClientVersion()?.name ?? "unknown MCP client",
      ...options.session,
    }));

  server.registerTool(
    "shell",
    {
      description:
        "Run a command confined by safe-sh (parsed, classified, decided by policy, kernel-confined, audited). " +
        "Returns the exit status, bounded stdout/stderr, the risk, the decision and its reasons. " +
        "sandbox/network ask for more access than the policy gives: an escalation the user must approve.",
      inputSchema: {
        ...COMMAND,
        timeout_seconds: z.number().positive().optional().describe("Kill the command's whole process tree after this many seconds."),
        login: z.boolean().optional().describe("Run the script as a login shell (bash -lc)."),
        sandbox: MODES.sandbox.optional().describe("Request a sandbox mode beyond the policy's (needs approval)."),
        network: MODES.network.optional().describe("Request a network mode beyond the policy's (needs approval)."),
      },
    },
    answering(async (args, extra: Extra) => {
      const current = sessionFor();
      const request = { ...(args.sandbox ? { sandbox: args.sandbox } : {}), ...(args.network ? { network: args.network } : {}) };
      const token = extra._meta?.progressToken;
      const started = Date.now();
      let bytes = 0;
      const ticker =
        token === undefined
          ? undefined
          : setInterval(() => {
              const seconds = Math.round((Date.now() - started) / 1000);
              void extra.sendNotification({ method: "notifications/progress", params: { progressToken: token, progress: seconds, message: `running for ${seconds}s, ${bytes} bytes of output so far` } }).catch(() => undefined);
            }, (options.progressSeconds ?? 2) * 1000);
      try {
        const notices: string[] = [];
        const result = await current.run(commandOf(args), {
          notify: (line) => notices.push(line),
          cwd: workdirOf(workspace, args.workdir),
          maxOutputBytes: options.maxOutputBytes ?? 64 * 1024,
          signal: extra.signal,
          onData: (_stream, chunk) => (bytes += chunk.length),
          ...(args.login ? { login: true } : {}),
          ...(args.timeout_seconds ? { timeoutMs: Math.round(args.timeout_seconds * 1000) } : {}),
          ...(Object.keys(request).length > 0 ? { request } : {}),
        });
        return shellAnswer(result, notices);
      } finally {
        if (ticker) clearInterval(ticker);
      }
    }),
  );

  server.registerTool(
    "explain",
    {
      description: "Say how safe-sh classifies a command and what the policy would do with it, without running it.",
      inputSchema: COMMAND,
    },
    answering(async (args) => {
      const { classification, decision } = await sessionFor().explain(commandOf(args), { cwd: workdirOf(workspace, args.workdir) });
      return explainAnswer(classification, decision.verdict, decision.reasons);
    }),
  );

  return { server, close: async () => void (await session?.close()) };
}

/** Serves MCP on a transport (default stdio) until the client goes away. */
export async function serveMcp(options: McpOptions = {}, transport: Transport = new StdioServerTransport()): Promise<void> {
  const { server, close } = createMcpServer(options);
  const closed = new Promise<void>((resolve) => (server.server.onclose = resolve));
  await server.connect(transport);
  await closed;
  await close();
}
