#!/usr/bin/env bats
# Resource limits from the config file: `[limits]` reaches the command, and
# doctor shows the limits that apply.

bats_require_minimum_version 1.5.0

setup() {
  load '../../node_modules/bats-support/load'
  load '../../node_modules/bats-assert/load'
  SAFE_SH="$BATS_TEST_DIRNAME/../../bin/safe-sh"
  # Not under /tmp: the sandbox's /tmp is private.
  ROOT="$(cd "$(mktemp -d "${SAFE_SH_TEST_TMPDIR:-/var/tmp}/safe-sh-limits.XXXXXX")" && pwd -P)"
  export SAFE_SH_SYSTEM_CONFIG_DIR="$ROOT/etc" SAFE_SH_CONFIG_DIR="$ROOT/user" SAFE_SH_STATE_DIR="$ROOT/state"
  export SAFE_SH_AUDIT_LOG="$ROOT/audit.jsonl"
  mkdir -p "$ROOT/etc" "$ROOT/user" "$ROOT/ws"
  cd "$ROOT/ws"
}

teardown() {
  cd /
  rm -rf "$ROOT"
}

@test "the default limits apply to every command" {
  run --separate-stderr "$SAFE_SH" -c 'ulimit -u; ulimit -d'
  assert_success
  assert_output "1024
8388608"
}

@test "[limits] in config.toml sets the process and memory limits" {
  printf '[limits]\npids = 64\nmemory = 512\n' > "$ROOT/user/config.toml"
  run --separate-stderr "$SAFE_SH" -c 'ulimit -u; ulimit -d'
  assert_success
  assert_output "64
524288"
}

@test "[limits] with 0 turns a limit off" {
  printf '[limits]\nmemory = 0\n' > "$ROOT/user/config.toml"
  run --separate-stderr "$SAFE_SH" -c 'ulimit -d'
  assert_success
  assert_output "$(ulimit -d)"
}

@test "a [limits] value that isn't a whole number is a config error naming the key (exit 125)" {
  printf '[limits]\npids = "many"\n' > "$ROOT/user/config.toml"
  run --separate-stderr "$SAFE_SH" -c 'true'
  assert_equal "$status" 125
  [[ "$stderr" == *limits.pids* ]]
}

@test "doctor shows the limits that apply" {
  printf '[limits]\npids = 64\n' > "$ROOT/user/config.toml"
  run "$SAFE_SH" doctor
  assert_line --regexp '^process limit +(yes|no) +processes: (64 |none for root)'
  assert_line --regexp '^memory limit +yes +memory: 8192 MiB'
}
