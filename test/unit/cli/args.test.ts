// safe-sh's command-line parsing.
import { describe, expect, it } from "vitest";
import { parseArgs } from "../../../src/cli/args";

describe("parseArgs", () => {
  it("turns -c SCRIPT into bash -c, with further words as $0 and $1", () => {
    expect(parseArgs(["-c", "echo $1", "name", "one"])).toMatchObject({ kind: "run", argv: ["bash", "-c", "echo $1", "name", "one"] });
  });

  it("turns -lc into a login shell so it can replace bash -lc", () => {
    expect(parseArgs(["-lc", "true"])).toMatchObject({ kind: "run", argv: ["bash", "-lc", "true"] });
  });

  it("runs argv after -- directly, with options before it", () => {
    expect(parseArgs(["--sandbox", "read-only", "--network=full", "--", "ls", "-la"])).toEqual({
      kind: "run",
      argv: ["ls", "-la"],
      options: { sandbox: "read-only", network: "full", keepEnv: [], allowDegraded: false },
    });
  });

  it("leaves sandbox and network to the policy when no flag names them", () => {
    expect(parseArgs(["-c", "true"])).toEqual({
      kind: "run",
      argv: ["bash", "-c", "true"],
      options: { keepEnv: [], allowDegraded: false },
    });
  });

  it("takes --timeout down to a millisecond and past setTimeout's 2^31 ms range", () => {
    expect(parseArgs(["--timeout", "0.001", "-c", "x"])).toMatchObject({ options: { timeoutMs: 1 } });
    expect(parseArgs(["--timeout", "0.0015", "-c", "x"])).toMatchObject({ options: { timeoutMs: 2 } });
    expect(parseArgs(["--timeout", "3000000", "-c", "x"])).toMatchObject({ options: { timeoutMs: 3_000_000_000 } });
  });

  it("collects --keep-env and --timeout", () => {
    expect(parseArgs(["--keep-env", "A", "--keep-env", "B", "--timeout", "1.5", "-c", "x"])).toMatchObject({ options: { keepEnv: ["A", "B"], timeoutMs: 1500 } });
  });

  it.each([
    [["--sandbox", "open"]],
    [["--network", "wide", "-c", "x"]],
    [["--bogus"]],
    [["-c"]],
    [["--"]],
    [[]],
    [["ls"]],
    [["--timeout", "-1", "-c", "x"]],
    [["--timeout", "0.0001", "-c", "x"]],
    [["--timeout", "NaN", "-c", "x"]],
    [["--timeout", "Infinity", "-c", "x"]],
  ])("rejects %j with ERR_SAFESH_USAGE", (args) => {
    expect(() => parseArgs(args)).toThrow(expect.objectContaining({ code: "ERR_SAFESH_USAGE", exitCode: 125 }));
  });

  it("recognises doctor, --help and --version", () => {
    expect(parseArgs(["doctor", "--json"])).toEqual({ kind: "doctor", json: true });
    expect(parseArgs(["--help"])).toEqual({ kind: "help" });
    expect(parseArgs(["--version"])).toEqual({ kind: "version" });
  });
});
