// The launcher's enforcement report (one JSON line on a close-on-exec pipe,
// --report-fd; with run cgroups a second line after the run says which
// limits were reached): collecting it from a stream of chunks, reading it back.
import type { EnforcementReport, LimitName } from "../types";

/** The fd the launcher writes its report to: the first one after stdio. */
export const REPORT_FD = 3;

export interface ReportCollector {
  push(chunk: Buffer): void;
  end(): void;
  /** Settles at the first complete line (exec), or at EOF: undefined when the launcher ended before exec. */
  report: Promise<EnforcementReport | undefined>;
  /** Settles at EOF (the launcher's exit) with the limits the run reached. */
  limitsReached: Promise<LimitName[]>;
}

/** Collects the report's bytes from the pipe's chunks. */
export function reportCollector(): ReportCollector {
  const chunks: Buffer[] = [];
  let resolveReport!: (report: EnforcementReport | undefined) => void;
  let resolveReached!: (limits: LimitName[]) => void;
  const report = new Promise<EnforcementReport | undefined>((r) => (resolveReport = r));
  const limitsReached = new Promise<LimitName[]>((r) => (resolveReached = r));
  const lines = () => Buffer.concat(chunks).toString("utf8").split("\n");
  return {
    push(chunk) {
      chunks.push(chunk);
      if (chunk.includes(10)) resolveReport(parseLine(lines()[0], (parsed: EnforcementReport) => Array.isArray(parsed.missing)));
    },
    end() {
      const [first, second] = lines();
      resolveReport(parseLine(first, (parsed: EnforcementReport) => Array.isArray(parsed.missing)));
      const reached = parseLine(second, (parsed: { limitsReached: unknown[] }) => Array.isArray(parsed.limitsReached))?.limitsReached ?? [];
      resolveReached(reached.filter((name): name is LimitName => name === "pids" || name === "memory"));
    },
    report,
    limitsReached,
  };
}

/** The line as JSON when it is an object that passes `valid`. */
function parseLine<T extends object>(line: string | undefined, valid: (parsed: T) => boolean): T | undefined {
  try {
    const parsed = JSON.parse(line ?? "") as T;
    return typeof parsed === "object" && parsed !== null && valid(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The report as the short phrases of the audit trail's exec record. */
export function enforcedGuarantees(report: EnforcementReport): string[] {
  const enforced: string[] = [];
  if (report.landlock) {
    const { abi, fs, net, scoped } = report.landlock;
    enforced.push(`landlock ABI ${abi} (fs: ${fs.join(" ") || "none"}; net: ${net.join(" ") || "none"}; scoped: ${scoped.join(" ") || "none"})`);
  }
  if (report.seccomp) enforced.push("seccomp");
  if (report.noNewPrivs) enforced.push("no_new_privs");
  if (report.capabilitiesDropped) enforced.push("capabilities dropped");
  if (report.namespaces.length > 0) enforced.push(`${report.namespaces.join("/")} namespaces`);
  if (report.readOnlyView) enforced.push("read-only view outside writable roots (metadata included)");
  if (report.protected > 0) enforced.push(`protected paths (${report.protected})`);
  if (report.masked > 0) enforced.push(`credential masks (${report.masked})`);
  if (report.privateTmp) enforced.push("private /tmp");
  return enforced;
}
