// on-failure with stderr on a real terminal (tmux): safe-sh leaves the
// terminal alone, so a failing command is offered a re-run on /dev/tty and
// the human's "once" re-runs it with more access.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { waitFor } from "../helpers/wait";
import { canConfine } from "../helpers/gate";
import { removeTempDirs, tempDir } from "../helpers/sandbox";

const TMUX = "/usr/bin/tmux";
const BIN = path.resolve(__dirname, "../../bin/safe-sh");


describe.runIf(canConfine() && fs.existsSync(TMUX))("on-failure at a terminal", () => {
  let root: string;
  const tmux = (...args: string[]): string => execFileSync(TMUX, ["-S", path.join(root, "tmux.sock"), "-f", "/dev/null", ...args], { encoding: "utf8" });

  beforeEach(() => {
    root = tempDir("terminal");
    for (const dir of ["etc", "user", "ws", "outside"]) fs.mkdirSync(path.join(root, dir));
    fs.writeFileSync(path.join(root, "user", "config.toml"), 'approval = "on-failure"\n');
  });
  afterEach(() => {
    try {
      tmux("kill-server");
    } catch {
      // already gone
    }
    removeTempDirs();
  });

  /** Runs a write outside the workspace at the terminal, answers the re-run prompt with `key`; returns the pane. */
  async function answerRerun(key: string): Promise<{ prompt: string; done: string }> {
    const env = `SAFE_SH_SYSTEM_CONFIG_DIR=${root}/etc SAFE_SH_CONFIG_DIR=${root}/user SAFE_SH_STATE_DIR=${root}/state SAFE_SH_AUDIT_LOG=${root}/audit.jsonl`;
    const command = `env ${env} ${process.execPath} ${BIN} -c 'echo escaped > ${root}/outside/file'; echo "status=$?"; sleep 30`;
    tmux("new-session", "-d", "-s", "t", "-x", "200", "-y", "50", "-c", path.join(root, "ws"), command);
    const prompt = await waitFor("the re-run prompt", () => {
      const text = tmux("capture-pane", "-p", "-t", "t");
      return text.includes("Run it?") ? text : undefined;
    }, 20_000);
    // Nothing written yet: the first, confined run was denied.
    expect(fs.existsSync(path.join(root, "outside", "file"))).toBe(false);
    tmux("send-keys", "-t", "t", key, "Enter");
    const done = await waitFor("the exit status", () => {
      const text = tmux("capture-pane", "-p", "-t", "t");
      return /status=\d+/.test(text) ? text : undefined;
    }, 20_000);
    return { prompt, done };
  }

  it("offers the re-run on the terminal and runs it with more access on 'once'", async () => {
    const { prompt, done } = await answerRerun("o");
    expect(prompt).toContain("re-run it with more access");
    expect(done).toContain("status=0");
    expect(fs.readFileSync(path.join(root, "outside", "file"), "utf8")).toBe("escaped\n");
  });

  it("keeps the command's own status and the outside untouched on 'deny'", async () => {
    const { done } = await answerRerun("d");
    expect(done).toContain("status=1");
    expect(fs.existsSync(path.join(root, "outside", "file"))).toBe(false);
  });
});
