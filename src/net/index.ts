// Public surface of the network allowlist proxy.
export { startProxy, lazyProxy } from "./proxy";
export { compileRules, matchHost, normalizeHost, parseRule, parsePrivateRule, type HostRule, type Match, type RuleSet } from "./rules";
export { classifyAddress, type AddressKind } from "./addresses";
export { DENIED_HEADER } from "./http-proxy";
export type { AskAnswer, ConnectionEvent, ListenOptions, ProxyHandle, ProxyOptions, ProxyProtocol, ProxyStats } from "./types";
