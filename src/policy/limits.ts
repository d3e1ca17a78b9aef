// Size limits of the files the policy is read from.

/** A policy is a few KiB; a FIFO, /dev/zero or a runaway file must not hang or exhaust memory. */
export const MAX_POLICY_FILE_BYTES = 1024 * 1024;
/** Rules per file: far beyond any real policy, well below what would strain the decide step. */
export const MAX_RULES_PER_FILE = 10_000;
