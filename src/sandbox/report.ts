// The launcher's enforcement report (one JSON line on a close-on-exec pipe,
// --report-fd): collecting it from a stream of chunks, and reading it back.
import type { EnforcementReport } from "../types";

/** The fd the launcher writes its report to: the first one after stdio. */
export const REPORT_FD = 3;

/**
 * Collects the report's bytes; `end()` resolves `report` with the parsed line,
 * or undefined when the launcher ended before exec (EOF without a line).
 */
export function reportCollector(): { push(chunk: Buffer): void; end(): void; report: Promise<EnforcementReport | undefined> } {
  const chunks: Buffer[] = [];
  let resolve!: (report: EnforcementReport | undefined) => void;
  const report = new Promise<EnforcementReport | undefined>((r) => (resolve = r));
  return {
    push: (chunk) => void chunks.push(chunk),
    end: () => resolve(parseReport(Buffer.concat(chunks).toString("utf8"))),
    report,
  };
}

function parseReport(text: string): EnforcementReport | undefined {
  const line = text.split("\n")[0] ?? "";
  try {
    const parsed = JSON.parse(line) as EnforcementReport;
    return typeof parsed === "object" && parsed !== null && Array.isArray(parsed.missing) ? parsed : undefined;
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
