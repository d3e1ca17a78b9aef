// Public types of the allowlist proxy: options, the approver and audit callbacks,
// and the handle startProxy() returns.

/** How the client reached the proxy. */
export type ProxyProtocol = "connect" | "http" | "socks5";

/** An approver's answer for a destination no allow/deny entry matched. */
export type AskAnswer = "once" | "session" | "always" | "deny";

/** One finished connection (CONNECT tunnel, SOCKS5 tunnel) or forwarded plain-HTTP request. */
export interface ConnectionEvent {
  /** Normalised host as requested (ASCII, lower case), or the raw text when it was not a host. */
  host: string;
  port: number;
  protocol: ProxyProtocol;
  decision: "allow" | "deny";
  /**
   * What decided: the allow/deny/allow_private entry as written, `session` (cached approval),
   * `ask:once|session|always|deny`, `default` (unknown, no approver), `invalid-host`,
   * or `private:<kind>` when the resolved address was refused.
   */
  rule: string;
  /** Bytes sent to / received from the destination (headers included); 0 when denied. */
  bytesUp: number;
  bytesDown: number;
  durationMs: number;
  /** The address actually connected to (or refused). */
  address?: string;
  /** Why an allowed connection failed (DNS, connect, timeout), when it did. */
  error?: string;
}

/** Where the proxy listens: a Unix socket in a fresh 0700 directory (default), or TCP for tests. */
export type ListenOptions = { socketDir?: string } | { host: string; port: number };

export interface ProxyOptions {
  /** Allowed destinations: `example.com`, `*.example.com`, `203.0.113.7`, `[2001:db8::1]:443`. */
  allow?: string[];
  /** Refused destinations, same syntax; a deny entry wins over any allow entry. */
  deny?: string[];
  /**
   * Private, loopback, link-local, CGNAT, multicast and metadata addresses that may be
   * connected to: address blocks (`10.0.0.0/8`, `127.0.0.1`, `fd00::/8`) or host patterns
   * (`intranet.example`, `*.corp.example:8443`) whose resolved addresses are all accepted.
   * Cloud metadata addresses need their exact address listed. Does not allow a host by itself.
   */
  allowPrivate?: string[];
  /** Static name → address mappings used instead of DNS (like curl's --resolve). */
  hosts?: Record<string, string>;
  /** Consulted for destinations no entry matches; rejections and errors deny. */
  ask?: (host: string, port: number) => Promise<AskAnswer>;
  /** Called with the host after an "always" answer, to write it into the user's config. */
  persist?: (host: string) => void | Promise<void>;
  /** The config file the rules came from, named in every refusal; default a generic pointer. */
  configFile?: string;
  /** Called once per connection when it ends; exceptions are swallowed. */
  onConnection?: (event: ConnectionEvent) => void;
  /** Default: a Unix socket in a new private directory under os.tmpdir(). */
  listen?: ListenOptions;
  timeouts?: {
    /** SOCKS5 negotiation and HTTP request headers must arrive within this (default 10 s). */
    handshakeMs?: number;
    /** A tunnel or request with no traffic either way for this long is closed (default 10 min). */
    idleMs?: number;
    /** Connecting to the destination (default 10 s per address). */
    connectMs?: number;
  };
  /** Largest accepted HTTP request head (default 64 KiB). */
  maxHeaderBytes?: number;
}

/** Live counters of one proxy. */
export interface ProxyStats {
  /** Client connections currently open. */
  active: number;
  /** Destinations decided (tunnels and forwarded requests). */
  allowed: number;
  denied: number;
  bytesUp: number;
  bytesDown: number;
}

export interface ProxyHandle {
  /** The Unix socket path, when listening on one. */
  socketPath?: string;
  /** The TCP port, when listening on TCP. */
  port?: number;
  /** Stops listening, destroys open connections and removes the socket directory. */
  close(): Promise<void>;
  /** A snapshot of the counters. */
  readonly stats: ProxyStats;
}
