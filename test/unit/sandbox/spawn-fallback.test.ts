// The child_process stand-in for the addon's spawn() (Bun, Deno): same
// contract — piped input, stdout as 1 and stderr as 2, exit code or signal number.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { resumeChildPipe, spawnWithChildProcess } from "../../../src/sandbox/spawn-fallback";

function start(script: string, input?: string): Promise<{ out: string; err: string; code: number | null; signal: number | null; pid: number }> {
  return new Promise((resolve) => {
    let out = "";
    let err = "";
    const pid = spawnWithChildProcess(
      { file: "/bin/sh", argv: ["sh", "-c", script], env: ["PATH=/usr/bin:/bin", "GREETING=hi"], stdio: ["pipe", "pipe", "pipe"], newSession: true, ...(input === undefined ? {} : { input: Buffer.from(input) }) },
      {
        onData: (index, chunk) => (index === 1 ? (out += chunk.toString()) : (err += chunk.toString())),
        onClose: (code, signal) => resolve({ out, err, code, signal, pid }),
      },
    );
  });
}

describe("spawnWithChildProcess", () => {
  it("pipes input, separates stdout from stderr, passes env and the exit code", async () => {
    const run = await start('cat; echo "$GREETING" >&2; exit 3', "abc");
    expect(run).toMatchObject({ out: "abc", err: "hi\n", code: 3, signal: null });
    expect(run.pid).toBeGreaterThan(0);
  });

  it("reports a signal by number", async () => {
    expect(await start("kill -TERM $$")).toMatchObject({ code: null, signal: 15 });
  });

  it("gives the child a report pipe on fd 3 when asked, read as index 3 and ended once", async () => {
    const got = await new Promise<{ report: string; ends: number; code: number | null }>((resolve) => {
      let report = "";
      let ends = 0;
      spawnWithChildProcess(
        { file: "/bin/sh", argv: ["sh", "-c", "echo '{\"seccomp\":true}' >&3"], env: ["PATH=/usr/bin:/bin"], stdio: ["pipe", "pipe", "pipe"], reportPipe: true },
        {
          onData: (index, chunk) => void (index === 3 && (report += chunk.toString())),
          onEnd: (index) => void (index === 3 && ends++),
          onClose: (code) => resolve({ report, ends, code }),
        },
      );
    });
    expect(got).toEqual({ report: '{"seccomp":true}\n', ends: 1, code: 0 });
  });

  it("pauses an output whose onData returns false, so the child's writes block, until resumeChildPipe()", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "safe-sh-fallback-"));
    const marker = path.join(dir, "done");
    try {
      let bytes = 0;
      let paused = false;
      let blockedWhilePaused: boolean | undefined;
      const closed = new Promise<number | null>((resolve) => {
        const pid = spawnWithChildProcess(
          { file: "/bin/sh", argv: ["sh", "-c", `head -c 8388608 /dev/zero; touch '${marker}'`], env: ["PATH=/usr/bin:/bin"], stdio: ["pipe", "pipe", "pipe"] },
          {
            onData: (_index, chunk) => {
              bytes += chunk.length;
              if (paused) return true;
              paused = true;
              setTimeout(() => {
                // 8 MiB can't fit in the socket's buffer: the writer is still blocked.
                blockedWhilePaused = !fs.existsSync(marker);
                resumeChildPipe(pid, 1);
              }, 500);
              return false;
            },
            onClose: (code) => resolve(code),
          },
        );
      });
      expect(await closed).toBe(0);
      expect(blockedWhilePaused).toBe(true);
      expect(bytes).toBe(8 * 1024 * 1024);
      expect(fs.existsSync(marker)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("throws ERR_SAFESH_NATIVE-coded errors when the file cannot start", () => {
    expect(() => spawnWithChildProcess({ file: "/nonexistent/launcher", argv: ["x"], env: [], stdio: ["pipe", "pipe", "pipe"] }, { onData: () => undefined, onClose: () => undefined })).toThrow(
      expect.objectContaining({ code: "ERR_SAFESH_NATIVE" }),
    );
  });
});
