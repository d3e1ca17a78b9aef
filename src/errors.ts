// SafeShError: a stable code, a one-line hint the CLI prints, and the exit
// status of docs/design.md §3 (126 refused, 127 not found, 125 safe-sh failed).

export type ErrorCode =
  | "ERR_SAFESH_USAGE"
  | "ERR_SAFESH_NOT_ENFORCED"
  | "ERR_SAFESH_UNSUPPORTED_PLATFORM"
  | "ERR_SAFESH_NATIVE"
  | "ERR_SAFESH_WORKSPACE"
  | "ERR_SAFESH_POLICY_INVALID"
  | "ERR_SAFESH_AUDIT_UNAVAILABLE"
  | "ERR_SAFESH_KEYRING_UNAVAILABLE"
  | "ERR_SAFESH_SECRET_UNAVAILABLE";

export const EXIT_FAILED = 125;
export const EXIT_REFUSED = 126;
export const EXIT_NOT_FOUND = 127;

const exitCodes: Record<ErrorCode, number> = {
  ERR_SAFESH_USAGE: EXIT_FAILED,
  ERR_SAFESH_NOT_ENFORCED: EXIT_REFUSED,
  ERR_SAFESH_UNSUPPORTED_PLATFORM: EXIT_REFUSED,
  ERR_SAFESH_NATIVE: EXIT_FAILED,
  ERR_SAFESH_WORKSPACE: EXIT_FAILED,
  ERR_SAFESH_POLICY_INVALID: EXIT_FAILED,
  ERR_SAFESH_AUDIT_UNAVAILABLE: EXIT_FAILED,
  ERR_SAFESH_KEYRING_UNAVAILABLE: EXIT_FAILED,
  ERR_SAFESH_SECRET_UNAVAILABLE: EXIT_REFUSED,
};

export class SafeShError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, hint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SafeShError";
    this.code = code;
    this.hint = hint;
    this.exitCode = exitCodes[code];
  }
}
