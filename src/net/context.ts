// What the protocol handlers share with the server: the gate, timeouts, and the
// recorder that turns a finished connection into stats and an onConnection event.
import type { Socket } from "node:net";
import type { Gate, Refused } from "./gate";
import type { ConnectionEvent } from "./types";

export interface ProxyContext {
  gate: Gate;
  handshakeMs: number;
  idleMs: number;
  connectMs: number;
  /** Called exactly once per decided destination, when its connection or request ends. */
  record(event: ConnectionEvent): void;
  /** Connects to the first checked address that accepts; the socket is destroyed by close(). */
  connect(addresses: string[], port: number): Promise<{ socket: Socket; address: string }>;
}

/** Bytes and duration of one upstream socket, for events; zeros when none was opened. */
export function traffic(
  started: number,
  upstream?: { bytesRead: number; bytesWritten: number },
): Pick<ConnectionEvent, "bytesUp" | "bytesDown" | "durationMs"> {
  return {
    bytesUp: upstream?.bytesWritten ?? 0,
    bytesDown: upstream?.bytesRead ?? 0,
    durationMs: Date.now() - started,
  };
}

/** Event fields for a destination that was refused (deny) or allowed but not resolvable. */
export function refusalFields(a: Refused): Pick<ConnectionEvent, "decision" | "address" | "error"> {
  if (a.outcome === "unresolved") return { decision: "allow", error: a.error };
  return a.address ? { decision: "deny", address: a.address } : { decision: "deny" };
}
