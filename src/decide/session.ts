// Session approvals: "this session" answers, keyed by the exact command, cwd
// and grant, held in memory for the life of one SafeShell.
import type { Grant } from "./types";

export class ApprovalSession {
  private readonly approved = new Set<string>();

  /** The key of one approval: any difference in command, cwd or grant asks again. */
  static key(command: string, cwd: string, grant: Grant): string {
    return JSON.stringify([command, cwd, grant.sandbox, grant.network, [...grant.writableRoots].sort()]);
  }

  has(command: string, cwd: string, grant: Grant): boolean {
    return this.approved.has(ApprovalSession.key(command, cwd, grant));
  }

  add(command: string, cwd: string, grant: Grant): void {
    this.approved.add(ApprovalSession.key(command, cwd, grant));
  }
}
