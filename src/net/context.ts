// What the protocol handlers share with the server: the gate, timeouts, and the
// recorder that turns a finished connection into stats and an onConnection event.
import type { Socket } from "node:net";
import type { HostGate, Refused } from "./gate";
import type { ConnectionEvent } from "./types";
import type { Relayed, TunnelStart } from "./upstream";

export interface ProxyContext {
  gate: HostGate;
  handshakeMs: number;
  idleMs: number;
  connectMs: number;
  /** Called exactly once per decided destination, when its connection or request ends. */
  record(event: ConnectionEvent): void;
  /** Connects to the first checked address that accepts; the socket is destroyed by close(). */
  connect(addresses: string[], port: number): Promise<{ socket: Socket; address: string }>;
  /** Relays an established tunnel until both sides closed; close() ends it too. */
  tunnel(client: Socket, upstream: Socket, start: TunnelStart): Promise<Relayed>;
}

/** Bytes and duration of one destination connection, for events; zeros when none was opened. */
export function traffic(started: number, relayed?: Relayed): Pick<ConnectionEvent, "bytesUp" | "bytesDown" | "durationMs"> {
  return {
    bytesUp: relayed?.bytesUp ?? 0,
    bytesDown: relayed?.bytesDown ?? 0,
    durationMs: Date.now() - started,
  };
}

/** Event fields for a destination that was refused (deny) or allowed but not resolvable. */
export function refusalFields(a: Refused): Pick<ConnectionEvent, "decision" | "address" | "error"> {
  if (a.outcome === "unresolved") return { decision: "allow", error: a.error };
  return a.address ? { decision: "deny", address: a.address } : { decision: "deny" };
}
