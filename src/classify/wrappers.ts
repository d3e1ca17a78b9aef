// Peels wrappers (sudo, env, timeout, xargs, …) off a command so the program
// they run is classified; records each wrapper and what it adds.
import type { Assignment } from "../parse/extract";
import type { Word } from "../parse/words";
import { verdict, type RiskVerdict } from "./risk";

export interface Peeled {
  words: Word[];
  wrappers: string[];
  verdicts: RiskVerdict[];
  /** NAME=VALUE given to `env`. */
  assignments: Assignment[];
  /** xargs appends words read from stdin: they could be any option. */
  stdinArgs: boolean;
}

interface WrapperSpec {
  /** Options that take a value as the next word (or glued: -uroot, --user=root). */
  withValue: readonly string[];
  /** Positional words before the command (timeout's DURATION, taskset's mask, chrt's priority). */
  positionals?: number;
  /** Options after which there is no command to run (sudo -l, ionice -p). */
  noCommand?: readonly string[];
  verdict?: (name: string) => RiskVerdict;
  /** Options whose value is a shell command line (flock -c): it runs as `sh -c VALUE`. */
  shellOption?: readonly string[];
}

const privileged = (name: string): RiskVerdict => verdict("privileged", `${name}: runs the command as another user`);

const WRAPPERS: Record<string, WrapperSpec> = {
  sudo: { withValue: ["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-T", "-U", "--user", "--group", "--chdir", "--host", "--prompt", "--role", "--type", "--close-from", "--other-user", "--command-timeout"], noCommand: ["-l", "-v", "-k", "-K", "-e", "--list", "--validate", "--edit"], verdict: privileged },
  doas: { withValue: ["-u", "-C"], verdict: privileged },
  env: { withValue: ["-u", "-C", "--unset", "--chdir", "-S", "--split-string"] },
  command: { withValue: [], noCommand: ["-v", "-V"] },
  builtin: { withValue: [] },
  exec: { withValue: ["-a"] },
  nice: { withValue: ["-n", "--adjustment"] },
  nohup: { withValue: [] },
  timeout: { withValue: ["-k", "-s", "--kill-after", "--signal"], positionals: 1 },
  time: { withValue: ["-f", "-o", "--format", "--output"] },
  stdbuf: { withValue: ["-i", "-o", "-e", "--input", "--output", "--error"] },
  ionice: { withValue: ["-c", "-n", "--class", "--classdata"], noCommand: ["-p", "-P", "-u", "--pid", "--pgid", "--uid"] },
  setsid: { withValue: [] },
  chrt: { withValue: [], positionals: 1, noCommand: ["-p", "--pid"] },
  taskset: { withValue: [], positionals: 1, noCommand: ["-p", "--pid"] },
  unbuffer: { withValue: [] },
  // Multi-call binaries: the next word is the applet that runs.
  busybox: { withValue: [] },
  toybox: { withValue: [] },
  flock: { withValue: ["-w", "--timeout", "-E", "--conflict-exit-code"], positionals: 1, shellOption: ["-c", "--command"] },
  chronic: { withValue: [] },
  eatmydata: { withValue: [] },
  fakeroot: { withValue: ["-l", "--lib", "--faked", "-s", "-i"] },
  catchsegv: { withValue: [] },
  "xvfb-run": { withValue: ["-n", "--server-num", "-e", "--error-file", "-f", "--auth-file", "-p", "--xauth-protocol", "-s", "--server-args"] },
  "dbus-run-session": { withValue: ["--config-file", "--dbus-daemon"] },
  "systemd-inhibit": { withValue: ["--what", "--who", "--why", "--mode"], verdict: (name) => verdict("privileged", `${name}: asks systemd-logind to hold a lock`) },
  caffeinate: { withValue: ["-t", "-w"] },
  valgrind: { withValue: [] },
  coproc: { withValue: [], verdict: (name) => verdict("execute", `${name}: runs the command as a background co-process`) },
  xargs: { withValue: ["-a", "-d", "-E", "-I", "-L", "-n", "-P", "-s", "--arg-file", "--delimiter", "--eof", "--replace", "--max-lines", "--max-args", "--max-procs", "--max-chars", "--process-slot-var"] },
};

/**
 * Peels wrappers from the front of `words` until a program that is not a
 * wrapper. A wrapper whose own options cannot be read stops the peeling and
 * is classified like any other program.
 */
export function peelWrappers(given: Word[]): Peeled {
  let words = given;
  const out: Peeled = { words, wrappers: [], verdicts: [], assignments: [], stdinArgs: false };
  // An index into `words` rather than slices: a chain of n wrappers costs O(n), not O(n²).
  let start = 0;
  const said = new Set<string>();
  for (;;) {
    const head = words[start];
    const name = head?.literal ? head.text.replace(/^.*\//, "") : undefined;
    // Own keys only: a program named `toString` or `constructor` is no wrapper.
    const spec = name === undefined || !Object.hasOwn(WRAPPERS, name) ? undefined : WRAPPERS[name];
    if (!name || !spec) break;
    let i = start + 1;
    let positionals = spec.positionals ?? 0;
    let noCommand = false;
    while (i < words.length) {
      const word = words[i]!;
      const arg = word.text;
      if (!word.literal) break;
      if (arg === "--") { i++; break; }
      if (spec.shellOption?.includes(arg) && words[i + 1]) {
        // Rewrite to the shell it runs, so the command line is parsed and classified.
        words = [{ text: "sh", literal: true }, { text: "-c", literal: true }, words[i + 1]!];
        i = 0;
        break;
      }
      if (name === "env" && /^[A-Za-z_][A-Za-z0-9_]*=/.test(arg)) {
        const eq = arg.indexOf("=");
        out.assignments.push({ name: arg.slice(0, eq), value: { text: arg.slice(eq + 1), literal: true } });
        i++;
        continue;
      }
      if (arg.startsWith("-") && arg !== "-") {
        if (spec.noCommand?.some((flag) => arg === flag || arg.startsWith(`${flag}=`))) noCommand = true;
        if (name === "env" && /^(-S|--split-string)/.test(arg)) out.verdicts.push(verdict("unknown", `env ${arg}: splits a string into a command line`));
        i += spec.withValue.includes(arg) ? 2 : 1; // a bare option with a value consumes the next word
        continue;
      }
      if (positionals > 0) { positionals--; i++; continue; }
      break;
    }
    if (name === "xargs" && i >= words.length) {
      // Without a command xargs runs echo.
      out.wrappers.push(name);
      out.stdinArgs = true;
      out.words = [{ text: "echo", literal: true }];
      return out;
    }
    // Nothing to run (sudo -l, command -v ls, bare env): the wrapper's own rule classifies it.
    if (noCommand || i >= words.length) break;
    // The same wrapper twice adds nothing new to say (sudo sudo …).
    if (spec.verdict && !said.has(name)) out.verdicts.push(spec.verdict(name));
    said.add(name);
    out.wrappers.push(name);
    if (name === "xargs") out.stdinArgs = true;
    start = i;
  }
  out.words = start === 0 ? words : words.slice(start);
  return out;
}
