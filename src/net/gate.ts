// Admission of one destination: allow/deny entries, the approver, then resolution
// (static hosts or DNS) and the private-address check on the exact addresses used.
import { lookup } from "node:dns/promises";
import { SafeShError } from "../errors";
import { classifyAddress, parseIp } from "./addresses";
import { compileRules, matchHost, normalizeHost, privateAllowance, type NormalHost, type RuleSet } from "./rules";
import type { AskAnswer, ProxyOptions } from "./types";

/** Why a destination was refused. */
export type DenyReason = "invalid-host" | "denied" | "not-allowed" | "private-address";

/** The gate's answer for one destination. */
export type Admission =
  | { outcome: "allow"; host: string; rule: string; addresses: string[] }
  | { outcome: "deny"; host: string; rule: string; reason: DenyReason; address?: string }
  | { outcome: "unresolved"; host: string; rule: string; error: string };

/** An admission that does not lead to a connection. */
export type Refused = Exclude<Admission, { outcome: "allow" }>;

const answers: readonly AskAnswer[] = ["once", "session", "always", "deny"];

/** Named in denials when the caller didn't say which config file holds the rules. */
const UNKNOWN_CONFIG = "your safe-sh config file (see `safe-sh config`)";

/** Admits or refuses the destinations a run connects to (the command gate is src/gate.ts). */
export class HostGate {
  private readonly rules: RuleSet;
  private readonly hosts = new Map<string, string>();
  private readonly session = new Set<string>();
  private readonly pending = new Map<string, Promise<AskAnswer>>();

  /** @throws SafeShError ERR_SAFESH_POLICY_INVALID for a malformed entry or hosts mapping. */
  /** The config file the rules came from: where a denial tells the user to edit. */
  readonly configFile: string;

  constructor(private readonly options: Pick<ProxyOptions, "allow" | "deny" | "allowPrivate" | "hosts" | "ask" | "persist" | "configFile">) {
    this.configFile = options.configFile ?? UNKNOWN_CONFIG;
    this.rules = compileRules(options);
    for (const [name, address] of Object.entries(options.hosts ?? {})) {
      const host = normalizeHost(name);
      const ip = parseIp(address);
      if (!host || !ip) {
        throw new SafeShError("ERR_SAFESH_POLICY_INVALID", `invalid hosts mapping "${name}" → "${address}"`, "map a host name to an IPv4 or IPv6 address");
      }
      this.hosts.set(host.host, address.replace(/^\[(.*)\]$/, "$1"));
    }
  }

  /** Decides whether `rawHost:port` may be reached and which addresses to connect to. */
  async admit(rawHost: string, port: number): Promise<Admission> {
    const host = normalizeHost(rawHost);
    if (!host) return { outcome: "deny", host: rawHost, rule: "invalid-host", reason: "invalid-host" };
    const match = matchHost(this.rules, host, port);
    let rule = match.rule ?? "default";
    if (match.verdict === "deny") return { outcome: "deny", host: host.host, rule, reason: "denied" };
    if (match.verdict === "unknown") {
      // Ask before resolving: a name nobody approved must not even leak into a DNS query.
      const approval = await this.consult(host.host, port);
      rule = approval.rule;
      if (!approval.allowed) return { outcome: "deny", host: host.host, rule, reason: "not-allowed" };
    }
    return this.resolve(host, port, rule);
  }

  private async consult(host: string, port: number): Promise<{ allowed: boolean; rule: string }> {
    const key = `${host}:${port}`;
    if (this.session.has(key)) return { allowed: true, rule: "session" };
    const ask = this.options.ask;
    if (!ask) return { allowed: false, rule: "default" };
    let answer = this.pending.get(key);
    if (!answer) {
      // Concurrent connections to the same destination share one question.
      answer = this.ask(ask, host, port, key);
      this.pending.set(key, answer);
      void answer.finally(() => this.pending.delete(key));
    }
    const result = await answer;
    return { allowed: result !== "deny", rule: `ask:${result}` };
  }

  private async ask(ask: NonNullable<ProxyOptions["ask"]>, host: string, port: number, key: string): Promise<AskAnswer> {
    let answer: AskAnswer;
    try {
      const given = await ask(host, port);
      answer = answers.includes(given) ? given : "deny";
    } catch {
      answer = "deny"; // a failing approver fails closed
    }
    if (answer === "session" || answer === "always") this.session.add(key);
    if (answer === "always" && this.options.persist) {
      try {
        await this.options.persist(host);
      } catch {
        // The session approval stands; the caller's persist reports its own failures.
      }
    }
    return answer;
  }

  private async resolve(host: NormalHost, port: number, rule: string): Promise<Admission> {
    let addresses: string[];
    const mapped = this.hosts.get(host.host);
    if (mapped) addresses = [mapped];
    else if (host.ip) addresses = [host.host];
    else {
      try {
        addresses = (await lookup(host.host, { all: true, verbatim: true })).map((a) => a.address);
      } catch (err) {
        return { outcome: "unresolved", host: host.host, rule, error: (err as NodeJS.ErrnoException).code ?? String(err) };
      }
    }
    const usable = addresses.filter(
      (a) => classifyAddress(a) === "public" || privateAllowance(this.rules, host, port, a) !== undefined,
    );
    if (usable.length === 0) {
      const address = addresses[0] ?? "";
      return { outcome: "deny", host: host.host, rule: `private:${classifyAddress(address)}`, reason: "private-address", address };
    }
    return { outcome: "allow", host: host.host, rule, addresses: usable };
  }
}

/** Human-readable explanation of a denial, naming the host and how to allow it. */
export function denialMessage(a: Extract<Admission, { outcome: "deny" }>, port: number, configFile: string): string {
  const target = `${a.host}:${port}`;
  switch (a.reason) {
    case "invalid-host":
      return `safe-sh: "${a.host}" is not a valid host name or address.\n`;
    case "denied":
      return `safe-sh: ${target} is refused by the entry "${a.rule}" in [network] deny in ${configFile}.\n`;
    case "not-allowed":
      return (
        `safe-sh: ${target} is not in the network allowlist${a.rule === "ask:deny" ? " and the approver refused it" : ""}.\n` +
        `To allow it, add "${a.host}" to [network] allow in ${configFile}\n`
      );
    case "private-address": {
      const kind = classifyAddress(a.address ?? "");
      // Metadata addresses are only ever allowed by their exact address.
      const entries = kind === "metadata" ? `"${a.address}"` : `"${a.host}" or "${a.address}"`;
      return (
        `safe-sh: ${a.host} resolves to ${a.address} (${kind}), which is refused to keep sandboxed ` +
        `commands off the local network and cloud metadata (DNS rebinding protection).\n` +
        `To allow it, add ${entries} to [network] allow_private in ${configFile}\n`
      );
    }
  }
}
