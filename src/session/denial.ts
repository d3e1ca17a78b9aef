// on-failure's evidence: whether a failed command's stderr shows the sandbox
// stopping it, read only from output the command itself wrote (not a login
// profile's), and the hint for a write the protected paths refused.

/**
 * What a denial leaves on stderr, in any case: EACCES, EPERM, EROFS as libc
 * words or as Node/Python print them, and EBUSY, which a write onto a
 * read-only bind mount of a single file (the protected .git/config) reports.
 */
export const DENIAL = /permission denied|operation not permitted|read-only file system|device or resource busy|\b(EACCES|EPERM|EROFS|EBUSY)\b/i;

/** Protected names whose refusal gets a way around it, beyond "do it outside". */
const WAYS_AROUND: Record<string, string> = {
  ".git/config": "for one command use `git -c key=value ...`; to change the repository's config, run `git config` outside safe-sh",
  ".git/hooks": "install or change hooks outside safe-sh",
};

/**
 * Watches a stderr stream for denial text. With a `startMarker`, bytes before
 * the marker (a login shell's start-up files) are passed on unread, and the
 * marker itself is removed from what is passed on. Bytes pass through
 * untouched: only a copy is decoded, for matching.
 */
export class DenialWatch {
  suspected = false;
  /** Protected paths (relative to the workspace) named in denial lines. */
  readonly protectedHits = new Set<string>();
  private pending: Buffer | undefined;

  constructor(
    private readonly protectedNames: readonly string[],
    private readonly startMarker?: string,
  ) {
    if (startMarker) this.pending = Buffer.alloc(0);
  }

  /** The bytes to pass on for this chunk (the marker stripped). */
  push(chunk: Buffer): Buffer {
    if (this.pending !== undefined) {
      this.pending = Buffer.concat([this.pending, chunk]);
      const at = this.pending.indexOf(this.startMarker!);
      if (at < 0) return Buffer.alloc(0);
      const before = this.pending.subarray(0, at);
      const after = this.pending.subarray(at + Buffer.byteLength(this.startMarker!));
      this.pending = undefined;
      this.scan(after);
      return Buffer.concat([before, after]);
    }
    this.scan(chunk);
    return chunk;
  }

  /** What was held back when the stream ends before the marker (the shell failed to start). */
  flush(): Buffer {
    const rest = this.pending ?? Buffer.alloc(0);
    this.pending = undefined;
    return rest;
  }

  private scan(chunk: Buffer): void {
    // latin1 maps every byte to one character: the ASCII patterns match whatever the encoding.
    for (const line of chunk.toString("latin1").split("\n")) {
      if (!DENIAL.test(line)) continue;
      this.suspected = true;
      for (const name of this.protectedNames) if (line.includes(name)) this.protectedHits.add(name);
    }
  }
}

/** One hint line per protected path a command was refused on: the protection and the way around it. */
export function protectedHints(hits: Iterable<string>): string[] {
  return [...hits].map((name) => {
    const around = WAYS_AROUND[name] ?? `make the change outside safe-sh`;
    return `hint: ${name} is protected (read-only inside the sandbox, so nothing run here can plant code that runs later outside it); ${around}`;
  });
}

/** The script a login shell runs: a marker on stderr once its start-up files are done, then the script. */
export function markedScript(script: string, marker: string): string {
  return `printf '%s' '${marker}' >&2\n${script}`;
}
