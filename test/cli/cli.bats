#!/usr/bin/env bats
# Black-box tests of bin/safe-sh, driven as a user would: output, exit
# statuses, usage errors, --help/--version/doctor, and the confinement options.
# Every configuration, state and audit location is a temp dir (SAFE_SH_* variables).

bats_require_minimum_version 1.5.0

setup() {
  load '../../node_modules/bats-support/load'
  load '../../node_modules/bats-assert/load'
  SAFE_SH="$BATS_TEST_DIRNAME/../../bin/safe-sh"
  # Not under /tmp: the sandbox has a private /tmp, where an outside dir would
  # just be absent rather than refused.
  base="${SAFE_SH_TEST_TMPDIR:-/var/tmp}"
  WS="$(mktemp -d "$base/safe-sh-bats-ws.XXXXXX")"
  OUTSIDE="$(mktemp -d "$base/safe-sh-bats-outside.XXXXXX")"
  TMP_WS="$(mktemp -d "${TMPDIR:-/tmp}/safe-sh-bats-tmpws.XXXXXX")"
  CONF="$(mktemp -d "$base/safe-sh-bats-conf.XXXXXX")"
  mkdir -p "$CONF/etc" "$CONF/user" "$CONF/state"
  export SAFE_SH_SYSTEM_CONFIG_DIR="$CONF/etc" SAFE_SH_CONFIG_DIR="$CONF/user" SAFE_SH_STATE_DIR="$CONF/state"
  export SAFE_SH_AUDIT_LOG="$CONF/state/audit.jsonl"
  cd "$WS"
}

teardown() {
  cd /
  rm -rf "$WS" "$OUTSIDE" "$TMP_WS" "$CONF"
}

# For tests of what the sandbox passes through (statuses, signals, shells):
# run every command confined without asking first, whatever its risk.
run_everything_confined() {
  printf 'approval = "on-failure"\n' > "$SAFE_SH_CONFIG_DIR/config.toml"
}

# Confinement tests need Landlock + seccomp; with SAFE_SH_REQUIRE_SANDBOX=1 (CI) they run and fail instead.
needs_sandbox() {
  if [ "${SAFE_SH_REQUIRE_SANDBOX:-}" = 1 ]; then return 0; fi
  "$SAFE_SH" doctor >/dev/null 2>&1 || skip "this machine cannot confine (see safe-sh doctor)"
}

@test "-c runs a script and prints its output" {
  needs_sandbox
  run "$SAFE_SH" -c 'echo hi'
  assert_success
  assert_output "hi"
}

@test "-c passes further words as \$0 and \$1 like bash" {
  needs_sandbox
  run "$SAFE_SH" -c 'echo "$0 $1"' name first
  assert_success
  assert_output "name first"
}

@test "-lc runs the script in a login shell" {
  needs_sandbox
  run_everything_confined
  run --separate-stderr "$SAFE_SH" -lc 'shopt -q login_shell && echo login'
  assert_success
  assert_equal "${lines[-1]}" "login"
}

@test "-- runs an argv directly, without a shell" {
  needs_sandbox
  run "$SAFE_SH" -- printf '%s\n' one 'two words' '$HOME'
  assert_success
  assert_output $'one\ntwo words\n$HOME'
}

@test "the command's exit status is safe-sh's" {
  needs_sandbox
  run "$SAFE_SH" -c 'exit 3'
  assert_equal "$status" 3
}

@test "a command killed by SIGTERM exits 128+15" {
  needs_sandbox
  run_everything_confined
  run "$SAFE_SH" -c 'kill -TERM $$'
  assert_equal "$status" 143
}

@test "a missing program exits 127 and is named on stderr" {
  needs_sandbox
  run_everything_confined
  run -127 --separate-stderr "$SAFE_SH" -- safe-sh-no-such-program
  assert_equal "${#stderr_lines[@]}" 1
  [[ "$stderr" == *safe-sh-no-such-program* ]]
}

@test "a working directory deleted under safe-sh exits 125 with an error and a hint, and nothing runs" {
  mkdir "$WS/gone"
  cd "$WS/gone"
  rmdir "$WS/gone"
  run --separate-stderr "$SAFE_SH" -c "touch $OUTSIDE/ran"
  assert_equal "$status" 125
  [[ "${stderr_lines[0]}" == *"working directory no longer exists"*ERR_SAFESH_WORKSPACE* ]]
  [[ "${stderr_lines[1]}" == hint:* ]]
  [ ! -e "$OUTSIDE/ran" ]
}

@test "an unknown option exits 125 with one error line naming it and a hint" {
  run --separate-stderr "$SAFE_SH" --no-such-option -c 'echo should-not-run'
  assert_equal "$status" 125
  assert_equal "$output" ""
  assert_equal "${#stderr_lines[@]}" 2
  [[ "${stderr_lines[0]}" == *--no-such-option* ]]
  [[ "${stderr_lines[1]}" == hint:* ]]
}

@test "--help mentions every option and exits 0" {
  run "$SAFE_SH" --help
  assert_success
  for option in -c -lc -- --workspace --sandbox --network --keep-env --allow-degraded --timeout doctor --version --help; do
    assert_output --partial -- "$option"
  done
  for value in read-only workspace-write full-access none full; do
    assert_output --partial "$value"
  done
}

@test "--version prints the version and exits 0" {
  run "$SAFE_SH" --version
  assert_success
  assert_output --regexp '^safe-sh [0-9]+\.[0-9]+\.[0-9]+'
}

@test "doctor prints one row per feature and exits 0 on a machine that confines" {
  needs_sandbox
  run "$SAFE_SH" doctor
  assert_success
  assert_line --regexp '^Landlock +yes'
  assert_line --regexp '^seccomp +yes'
  assert_line --regexp '^launcher +yes'
}

@test "writing outside the workspace fails and creates nothing" {
  needs_sandbox
  run "$SAFE_SH" -c "echo leaked > '$OUTSIDE/file'"
  assert_equal "$status" 1
  [ ! -e "$OUTSIDE/file" ]
}

@test "writing inside the workspace (the current directory) works" {
  needs_sandbox
  run "$SAFE_SH" -c 'echo kept > file'
  assert_success
  assert_equal "$(cat "$WS/file")" "kept"
}

@test "--workspace DIR makes DIR writable" {
  needs_sandbox
  run "$SAFE_SH" --workspace "$OUTSIDE" -c "echo granted > '$OUTSIDE/file'"
  assert_success
  assert_equal "$(cat "$OUTSIDE/file")" "granted"
}

@test "--sandbox read-only makes the workspace read-only but readable" {
  needs_sandbox
  run_everything_confined
  echo before > "$WS/file"
  run --separate-stderr "$SAFE_SH" --sandbox read-only -c 'cat file; echo after > file'
  assert_failure
  assert_output "before"
  assert_equal "$(cat "$WS/file")" "before"
}

@test "--sandbox read-only works for a workspace under /tmp" {
  needs_sandbox
  echo before > "$TMP_WS/file"
  cd "$TMP_WS"
  run "$SAFE_SH" --sandbox read-only -c 'cat file'
  assert_success
  assert_output "before"
}

@test "stdin passes through to the command" {
  needs_sandbox
  run bash -c "printf 'piped\n' | '$SAFE_SH' -c 'cat'"
  assert_success
  assert_output "piped"
}

@test "secrets are scrubbed from the environment unless kept with --keep-env" {
  needs_sandbox
  GITHUB_TOKEN=not-a-real-token run "$SAFE_SH" -c 'echo "${GITHUB_TOKEN-unset}"'
  assert_output "unset"
  GITHUB_TOKEN=not-a-real-token run "$SAFE_SH" --keep-env GITHUB_TOKEN -c 'echo "${GITHUB_TOKEN-unset}"'
  assert_output "not-a-real-token"
}

@test "--timeout kills the command and exits 128+9" {
  needs_sandbox
  run --separate-stderr timeout 20 "$SAFE_SH" --timeout 0.3 -c 'sleep 30'
  assert_equal "$status" 137
}

@test "the default limits apply to every command" {
  needs_sandbox
  run_everything_confined
  run --separate-stderr "$SAFE_SH" -c "$(cat "$BATS_TEST_DIRNAME/limits-seen.sh")"
  assert_success
  assert_output "1024
8388608"
}

@test "[limits] in config.toml sets the process and memory limits" {
  needs_sandbox
  run_everything_confined
  printf '[limits]\npids = 64\nmemory = 512\n' >> "$SAFE_SH_CONFIG_DIR/config.toml"
  run --separate-stderr "$SAFE_SH" -c "$(cat "$BATS_TEST_DIRNAME/limits-seen.sh")"
  assert_success
  assert_output "64
524288"
}

@test "[limits] with 0 turns a limit off" {
  needs_sandbox
  run_everything_confined
  printf '[limits]\nmemory = 0\n' >> "$SAFE_SH_CONFIG_DIR/config.toml"
  run --separate-stderr "$SAFE_SH" -c "{ $(cat "$BATS_TEST_DIRNAME/limits-seen.sh")
} | tail -1"
  assert_success
  assert_output "$(ulimit -d)"
}

@test "a fork bomb ends at the process limit with one line naming [limits] pids and the config file, also in the audit trail" {
  needs_sandbox
  [[ "$("$BATS_TEST_DIRNAME/../../build/Release/safe-sh-exec" --probe-limits)" == '{"pids":{"version":"cgroup'* ]] || skip "no run cgroup for pids here: rlimits cannot tell (docs/limits.md)"
  run_everything_confined
  printf '[limits]\npids = 16\n' >> "$SAFE_SH_CONFIG_DIR/config.toml"
  # The classic bomb; it ends with the script (the pid namespace dies with its command).
  run --separate-stderr timeout 60 "$SAFE_SH" --timeout 20 -c 'b() { b | b & }; b; sleep 2'
  assert_success
  [[ "$stderr" == *"safe-sh: the command reached the process limit (16); raise [limits] pids in $SAFE_SH_CONFIG_DIR/config.toml if it needs more"* ]]
  grep '"event":"exit"' "$SAFE_SH_AUDIT_LOG" | grep -q '"limitsReached":\["pids"\]'
}

@test "an allocation past the memory limit is killed (exit 137) with one line naming [limits] memory" {
  needs_sandbox
  [[ "$("$BATS_TEST_DIRNAME/../../build/Release/safe-sh-exec" --probe-limits)" == *'"memory":{"version":"cgroup'* ]] || skip "no run cgroup for memory here: rlimits cannot tell (docs/limits.md)"
  command -v python3 >/dev/null || skip "no python3"
  run_everything_confined
  printf '[limits]\nmemory = 128\n' >> "$SAFE_SH_CONFIG_DIR/config.toml"
  run --separate-stderr timeout 60 "$SAFE_SH" -c 'python3 -c "block = bytearray(512 * 1024 * 1024)"'
  assert_equal "$status" 137
  [[ "$stderr" == *"safe-sh: the command hit the memory limit (128 MiB) and a process of it was killed; raise [limits] memory in $SAFE_SH_CONFIG_DIR/config.toml if it needs more"* ]]
}

@test "a [limits] value that isn't a whole number is a config error naming the key (exit 125)" {
  printf '[limits]\npids = "many"\n' > "$SAFE_SH_CONFIG_DIR/config.toml"
  run --separate-stderr "$SAFE_SH" -c 'true'
  assert_equal "$status" 125
  [[ "$stderr" == *limits.pids* ]]
}

@test "doctor shows the limits that apply" {
  printf '[limits]\npids = 64\n' > "$SAFE_SH_CONFIG_DIR/config.toml"
  run "$SAFE_SH" doctor
  assert_line --regexp '^process limit +(yes|no) +processes: (64 |none for root)'
  assert_line --regexp '^memory limit +yes +memory: 8192 MiB'
}
