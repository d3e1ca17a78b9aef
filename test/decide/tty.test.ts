// The terminal approver in a real terminal: tmux runs a client that prompts
// on /dev/tty; we read the prompt with capture-pane and answer with send-keys.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildSync } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/wait";

const TMUX = "/usr/bin/tmux";
const name = `safe-sh-tty-${process.pid}`;
let dir: string;
let client: string;

// Our own server socket inside our temp dir: no other tmux user is touched, nothing is left behind.
const tmux = (...args: string[]): string => execFileSync(TMUX, ["-S", path.join(dir, "tmux.sock"), "-f", "/dev/null", ...args], { encoding: "utf8" });


interface Outcome {
  pane: string;
  result: { first: { verdict: string; approver: string }; second?: { verdict: string; approver: string } };
  userConfig: string;
}

/** Starts the client in its own tmux session, answers the prompt, returns what happened. */
async function answerWith(test: string, keys: string): Promise<Outcome> {
  const session = `${name}-${test}`;
  const out = path.join(dir, `${test}.json`);
  const userConfig = path.join(dir, test, "config.toml");
  tmux("new-session", "-d", "-s", session, "-x", "200", "-y", "50", "-c", dir, `${process.execPath} ${client} ${out} ${userConfig}; echo client-exited; sleep 30`);
  try {
    const pane = await waitFor("the prompt", () => {
      const text = tmux("capture-pane", "-p", "-t", session);
      return text.includes("Run it?") ? text : undefined;
    });
    tmux("send-keys", "-t", session, keys, "Enter");
    const result = await waitFor("the verdict file", () => (fs.existsSync(out) ? JSON.parse(fs.readFileSync(out, "utf8")) : undefined));
    // The terminal is released: nothing keeps the client's event loop alive.
    await waitFor("the client to exit", () => (tmux("capture-pane", "-p", "-t", session).includes("client-exited") ? true : undefined));
    return { pane, result, userConfig: fs.existsSync(userConfig) ? fs.readFileSync(userConfig, "utf8") : "" };
  } finally {
    tmux("kill-session", "-t", session);
  }
}

beforeAll(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-tty-")));
  client = path.join(dir, "tty-client.js");
  buildSync({ entryPoints: [path.join(__dirname, "fixtures/tty-client.ts")], bundle: true, platform: "node", target: "node20", outfile: client, logLevel: "error" });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe.runIf(fs.existsSync(TMUX))("the terminal prompt", () => {
  it("shows the command, risk, reasons and grant", async () => {
    const { pane } = await answerWith("show", "d");
    expect(pane).toContain("rm -r build");
    expect(pane).toContain("destructive");
    expect(pane).toContain("recursive delete of build");
    expect(pane).toContain("sandbox workspace-write, network none");
  });

  it("deny is a denial by the human", async () => {
    expect((await answerWith("deny", "d")).result.first).toMatchObject({ verdict: "deny", approver: "human" });
  });

  it("once approves this run only", async () => {
    const { result } = await answerWith("once", "o");
    expect(result.first).toMatchObject({ verdict: "allow", approver: "human" });
    expect(result.second).toMatchObject({ verdict: "deny", approver: "none" });
  });

  it("session approves the same command again without asking", async () => {
    const { result } = await answerWith("session", "s");
    expect(result.first).toMatchObject({ verdict: "allow", approver: "human" });
    expect(result.second).toMatchObject({ verdict: "allow", approver: "session" });
  });

  it("always appends an allow rule for that argv to the user config", async () => {
    const { result, userConfig } = await answerWith("always", "a");
    expect(result.first).toMatchObject({ verdict: "allow", approver: "human" });
    expect(userConfig).toContain("[[rules]]");
    expect(userConfig).toMatch(/prefix = \[ "rm", "-r", "build" \]\ndecision = "allow"/);
  });

  it("an unclear answer is asked again", async () => {
    const { result } = await answerWith("unclear", "maybe\ns");
    expect(result.first).toMatchObject({ verdict: "allow", approver: "human" });
  });
});
