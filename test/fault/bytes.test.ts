// Bytes pass through as bytes: Buffers in a script or an argv reach execve
// unchanged; a word too long for execve is a one-line typed error.
import { afterEach, describe, expect, it } from "vitest";
import { SafeShell } from "../../dist/index.js";
import { canConfine } from "../helpers/gate";
import { removeTempDirs, tempDir } from "../helpers/sandbox";

afterEach(removeTempDirs);
const cafe = Buffer.from([0x63, 0x61, 0x66, 0xe9]); // "caf" + Latin-1 é: not UTF-8

async function stdoutBytes(command: Parameters<SafeShell["start"]>[0]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const run = new SafeShell().start(command, { workspace: tempDir("bytes"), onData: (_stream, chunk) => void chunks.push(chunk) });
  expect(await run.closed).toEqual({ exitCode: 0, signal: null });
  return Buffer.concat(chunks);
}

describe.runIf(canConfine())("bytes end to end", () => {
  it("a Buffer argv word reaches the command byte for byte; the same word as a string arrives as UTF-8", async () => {
    expect(await stdoutBytes(["printf", "%s", cafe])).toEqual(cafe);
    expect(await stdoutBytes(["printf", "%s", cafe.toString("utf8")])).toEqual(Buffer.from("caf\uFFFD"));
  });

  it("a Buffer script runs as bash would run those bytes", async () => {
    expect(await stdoutBytes(Buffer.concat([Buffer.from("printf '%s' '"), cafe, Buffer.from("'")]))).toEqual(cafe);
  });

  it("a NUL inside a Buffer word is refused before anything starts", () => {
    expect(() => new SafeShell().start(["printf", Buffer.from([0x61, 0, 0x62])], { workspace: tempDir("bytes") })).toThrow(expect.objectContaining({ code: "ERR_SAFESH_USAGE" }));
  });

  it("a word past execve's 128 KiB is ERR_SAFESH_NATIVE naming E2BIG, not an internal error", async () => {
    await expect(new SafeShell().run(["echo", "a".repeat(200_000)], { workspace: tempDir("bytes") })).rejects.toMatchObject({
      code: "ERR_SAFESH_NATIVE",
      message: expect.stringMatching(/E2BIG/),
    });
  });
});
