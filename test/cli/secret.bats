#!/usr/bin/env bats
# Black-box tests of `safe-sh secret`: values from stdin only, never printed;
# no keyring → exit 125 with a hint. Uses the kernel keyring (keyutils).

bats_require_minimum_version 1.5.0

setup() {
  load '../../node_modules/bats-support/load'
  load '../../node_modules/bats-assert/load'
  SAFE_SH="$BATS_TEST_DIRNAME/../../bin/safe-sh"
  export SAFE_SH_CONFIG_DIR="$(mktemp -d "${TMPDIR:-/tmp}/safe-sh-bats-secret.XXXXXX")"
  # Unique per test: keyutils entries outlive the process (persistent keyring).
  NAME="bats-$$-$BATS_TEST_NUMBER-$RANDOM"
  VALUE="bats-value-$RANDOM$RANDOM-0123456789"
  cat > "$SAFE_SH_CONFIG_DIR/config.toml" <<TOML
[secrets.$NAME]
env = "GH_TOKEN"
commands = [["gh"], ["git", "push"]]
TOML
  export SAFE_SH_KEYRING=keyutils
}

teardown() {
  "$SAFE_SH" secret rm "$NAME" >/dev/null 2>&1 || true
  rm -rf "$SAFE_SH_CONFIG_DIR"
}

# keyutils needs no daemon; with SAFE_SH_REQUIRE_SANDBOX=1 (CI) a missing one fails instead.
needs_keyutils() {
  if [ "${SAFE_SH_REQUIRE_SANDBOX:-}" = 1 ]; then return 0; fi
  "$SAFE_SH" secret list >/dev/null 2>&1 && ! "$SAFE_SH" secret list 2>&1 | grep -q ERR_SAFESH_KEYRING_UNAVAILABLE \
    || skip "the kernel keyring is not usable here"
}

@test "set reads the value from stdin and list shows it stored, without the value" {
  needs_keyutils
  run bash -c 'printf "%s\n" "$1" | "$2" secret set "$3"' _ "$VALUE" "$SAFE_SH" "$NAME"
  assert_success
  refute_output --partial "$VALUE"
  run "$SAFE_SH" secret list
  assert_success
  assert_output --regexp "$NAME +GH_TOKEN +yes +gh; git push"
  refute_output --partial "$VALUE"
  run "$SAFE_SH" secret list --json
  assert_success
  refute_output --partial "$VALUE"
  run node -e 'const j = JSON.parse(require("fs").readFileSync(0, "utf8")); const s = j.secrets[0]; console.log(j.backend, s.name, s.env, s.stored, JSON.stringify(s.commands))' <<< "$output"
  assert_output "keyutils $NAME GH_TOKEN true [[\"gh\"],[\"git\",\"push\"]]"
}

@test "rm removes it; a second rm exits 1" {
  needs_keyutils
  printf '%s' "$VALUE" | "$SAFE_SH" secret set "$NAME"
  run "$SAFE_SH" secret rm "$NAME"
  assert_success
  run "$SAFE_SH" secret list
  assert_output --regexp "$NAME +GH_TOKEN +no "
  run "$SAFE_SH" secret rm "$NAME"
  assert_failure 1
}

@test "a value on the command line is refused (exit 125) and not stored" {
  needs_keyutils
  run "$SAFE_SH" secret set "$NAME" "$VALUE" </dev/null
  assert_failure 125
  assert_output --partial "ERR_SAFESH_USAGE"
  assert_output --partial "hint:"
  refute_output --partial "$VALUE"
  run "$SAFE_SH" secret list
  assert_output --regexp "$NAME +GH_TOKEN +no "
}

@test "a value too short to redact is refused (exit 125)" {
  needs_keyutils
  run bash -c 'printf abc | "$1" secret set "$2"' _ "$SAFE_SH" "$NAME"
  assert_failure 125
  assert_output --partial "ERR_SAFESH_USAGE"
}

@test "without a keyring, set fails with exit 125 and a hint" {
  run env -u DBUS_SESSION_BUS_ADDRESS SAFE_SH_KEYRING=secret-service "$SAFE_SH" secret set "$NAME" <<< "$VALUE"
  assert_failure 125
  assert_output --partial "ERR_SAFESH_KEYRING_UNAVAILABLE"
  assert_output --partial "hint:"
  refute_output --partial "$VALUE"
}

@test "without a keyring, list still shows the rules with stored unknown" {
  run env -u DBUS_SESSION_BUS_ADDRESS SAFE_SH_KEYRING=secret-service "$SAFE_SH" secret list
  assert_success
  assert_output --partial "ERR_SAFESH_KEYRING_UNAVAILABLE"
  assert_output --regexp "$NAME +GH_TOKEN +unknown +gh; git push"
}

@test "an unknown backend name is a usage error (exit 125)" {
  run env SAFE_SH_KEYRING=plaintext "$SAFE_SH" secret list
  assert_failure 125
  assert_output --partial "ERR_SAFESH_USAGE"
}

@test "--help prints usage; no subcommand is a usage error" {
  run "$SAFE_SH" secret --help
  assert_success
  assert_output --partial "safe-sh secret set NAME"
  run "$SAFE_SH" secret
  assert_failure 125
}

# A rule giving the secret, as MY_TOKEN, to printenv only; the audit log beside the config.
printenv_rule() {
  cat > "$SAFE_SH_CONFIG_DIR/config.toml" <<TOML
[secrets.$NAME]
env = "MY_TOKEN"
commands = [["printenv"]]
TOML
  export SAFE_SH_AUDIT_LOG="$SAFE_SH_CONFIG_DIR/audit.jsonl"
}

@test "a run gets a stored secret only when every command of its script is named by the rule, and the audit never sees the value" {
  needs_keyutils
  printf '%s\n' "$VALUE" | "$SAFE_SH" secret set "$NAME"
  printenv_rule
  cd "$(mktemp -d "${SAFE_SH_TEST_TMPDIR:-/var/tmp}/safe-sh-bats-secret-ws.XXXXXX")"
  run "$SAFE_SH" -- printenv MY_TOKEN
  assert_success
  assert_output "$VALUE"
  run "$SAFE_SH" -c 'printenv MY_TOKEN; echo done'
  assert_output done
  run grep -c -- "$VALUE" "$SAFE_SH_AUDIT_LOG"
  assert_output 0
}

@test "a run whose rule needs a secret that is not stored is refused (exit 126), not run without it" {
  needs_keyutils
  printenv_rule
  run --separate-stderr "$SAFE_SH" -- printenv MY_TOKEN
  assert_equal "$status" 126
  [[ "$stderr" == *ERR_SAFESH_SECRET_UNAVAILABLE* ]]
  assert_output ""
}
