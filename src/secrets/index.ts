// Public surface of src/secrets: scrubbing and [env] policy, the keyring
// store, which secrets a script gets, and output redaction.
export { scrubEnv, isScrubbed, type ScrubbedEnv } from "./env";
export { applyEnvPolicy, envChanges, matchesEnvPattern, type EnvPolicy, type EnvPolicyResult, type EnvChanges } from "./env-policy";
export { planSecrets, resolveSecrets, matchesPrefix, valuesByName, type SecretRule, type SecretPlan } from "./inject";
export { createRedactor, redact, MIN_REDACTED_LENGTH, type Redactor } from "./redact";
export {
  openStore,
  requestedBackend,
  checkSecretName,
  KEYRING_SERVICE,
  KEYRING_BACKENDS,
  type KeyringBackend,
  type OpenStoreOptions,
  type SecretReader,
  type SecretStore,
} from "./store";
