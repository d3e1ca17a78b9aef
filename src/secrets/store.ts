// The OS keyring behind `safe-sh secret`: service "safe-sh", account = the
// secret's name. Picks a Linux backend that answers (or the one asked for).
import { AsyncEntry, Entry } from "@napi-rs/keyring";
import { SafeShError } from "../errors";

/** Keyring service every safe-sh secret is stored under. */
export const KEYRING_SERVICE = "safe-sh";

/** Linux backends; elsewhere the platform's own store (macOS Keychain, Windows Credential Manager) is used. */
export type KeyringBackend = "secret-service" | "keyutils";

export const KEYRING_BACKENDS: readonly KeyringBackend[] = ["secret-service", "keyutils"];

/** Secret names: what `[secrets.NAME]` accepts (letters, digits, _ and -). */
export const SECRET_NAME = /^[A-Za-z0-9_-]{1,128}$/;

/** What injection needs from a store. */
export interface SecretReader {
  /** The stored value, or null when there is none. Throws what the keyring throws. */
  get(name: string): Promise<string | null>;
}

export interface SecretStore extends SecretReader {
  /** "default" off Linux. */
  readonly backend: KeyringBackend | "default";
  set(name: string, value: string): Promise<void>;
  /** True when a value was removed, false when there was none. */
  delete(name: string): Promise<boolean>;
}

export interface OpenStoreOptions {
  /** Backend from the configuration; SAFE_SH_KEYRING in env overrides it. */
  backend?: KeyringBackend;
  /** Where SAFE_SH_KEYRING is read; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** How long a backend may take to answer the probe; default 5000 ms. */
  probeTimeoutMs?: number;
}

/** Account used to probe a backend with a lookup that changes nothing. */
const PROBE_ACCOUNT = "__safe-sh-probe__";

function entryOptions(backend: KeyringBackend | "default") {
  return backend === "default" ? undefined : { linux: { store: backend } };
}

function keyringError(message: string, cause?: unknown): SafeShError {
  return new SafeShError(
    "ERR_SAFESH_KEYRING_UNAVAILABLE",
    message,
    "start a Secret Service (gnome-keyring, KeePassXC) in your D-Bus session, or use the kernel keyring from a login session " +
      "(SAFE_SH_KEYRING=keyutils; in a container run under `keyctl session -`)",
    { cause },
  );
}

/** Checks a secret name; throws ERR_SAFESH_USAGE. */
export function checkSecretName(name: string): void {
  if (!SECRET_NAME.test(name)) {
    throw new SafeShError("ERR_SAFESH_USAGE", `invalid secret name ${JSON.stringify(name)}`, "use letters, digits, _ and - (as in [secrets.NAME])");
  }
}

/** The keyring calls for one account. */
interface Account {
  getPassword(): Promise<string | null>;
  setPassword(value: string): Promise<void>;
  deleteCredential(): Promise<boolean>;
}

/**
 * keyutils is used synchronously, on the calling thread: the kernel's
 * session keyring belongs to each thread's credentials, and a thread-pool
 * thread started before the keyring was joined (below) would not possess the
 * keys. Its calls are syscalls that don't block. Other backends go through
 * D-Bus or a platform service that may be slow, so they run off-thread.
 */
function account(backend: KeyringBackend | "default", name: string): Account {
  if (backend !== "keyutils") return new AsyncEntry(KEYRING_SERVICE, name, entryOptions(backend));
  const entry = new Entry(KEYRING_SERVICE, name, entryOptions(backend));
  return {
    getPassword: async () => entry.getPassword(),
    setPassword: async (value) => entry.setPassword(value),
    deleteCredential: async () => entry.deleteCredential(),
  };
}

/** Answers the probe lookup within the timeout, or throws why the backend can't be used. */
async function probe(backend: KeyringBackend | "default", timeoutMs: number): Promise<void> {
  if (backend === "keyutils") {
    // keyring-rs reads the session keyring's id and then asks for the
    // persistent keyring, which makes the kernel join a new session keyring
    // when the thread had none (no pam_keyinit, e.g. a container): an entry
    // made first would live in the old one, unreachable (EACCES). One entry
    // made up front lets every later entry see the joined keyring.
    new Entry(KEYRING_SERVICE, PROBE_ACCOUNT, entryOptions(backend));
    await account(backend, PROBE_ACCOUNT).getPassword();
    return;
  }
  await new AsyncEntry(KEYRING_SERVICE, PROBE_ACCOUNT, entryOptions(backend)).getPassword(AbortSignal.timeout(timeoutMs));
}

function storeFor(backend: KeyringBackend | "default"): SecretStore {
  const entry = (name: string) => {
    checkSecretName(name);
    return account(backend, name);
  };
  const failed = (what: string, name: string) => (error: unknown) => {
    throw keyringError(`could not ${what} secret ${name} in the ${backend} keyring: ${(error as Error).message}`, error);
  };
  return {
    backend,
    get: async (name) => entry(name).getPassword().catch(failed("read", name)),
    set: async (name, value) => entry(name).setPassword(value).catch(failed("store", name)),
    delete: async (name) => entry(name).deleteCredential().catch(failed("remove", name)),
  };
}

/** The backend SAFE_SH_KEYRING or the configuration asks for; throws ERR_SAFESH_USAGE for an unknown one. */
export function requestedBackend(options: OpenStoreOptions = {}): KeyringBackend | undefined {
  const fromEnv = (options.env ?? process.env).SAFE_SH_KEYRING;
  const requested = fromEnv || options.backend;
  if (requested === undefined) return undefined;
  if (!(KEYRING_BACKENDS as readonly string[]).includes(requested)) {
    throw new SafeShError("ERR_SAFESH_USAGE", `unknown keyring backend ${JSON.stringify(requested)}`, `SAFE_SH_KEYRING must be one of: ${KEYRING_BACKENDS.join(", ")}`);
  }
  return requested as KeyringBackend;
}

/**
 * Opens the keyring. On Linux, the requested backend (SAFE_SH_KEYRING, then
 * options.backend) or else the first of Secret Service and keyutils whose
 * probe lookup answers; a requested backend that fails is not replaced.
 * Throws ERR_SAFESH_KEYRING_UNAVAILABLE when none answers, ERR_SAFESH_USAGE
 * for an unknown backend name.
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<SecretStore> {
  const timeoutMs = options.probeTimeoutMs ?? 5_000;
  const requested = requestedBackend(options);
  const candidates: (KeyringBackend | "default")[] = process.platform !== "linux" ? ["default"] : requested ? [requested] : [...KEYRING_BACKENDS];
  const failures: string[] = [];
  for (const backend of candidates) {
    try {
      await probe(backend, timeoutMs);
      return storeFor(backend);
    } catch (error) {
      failures.push(`${backend}: ${(error as Error).message}`);
    }
  }
  throw keyringError(`no usable keyring (${failures.join("; ")})`);
}
