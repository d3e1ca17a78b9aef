#!/usr/bin/env bats
# bin/safe-sh on macOS for real (the GitHub macOS jobs): confined by the
# Seatbelt launcher, each rule both ways. Skipped, visibly, on Linux.

bats_require_minimum_version 1.5.0

load isolated

setup() {
  [ "$(uname -s)" = Darwin ] || skip "macOS only: runs in the GitHub macOS jobs"
  isolated_setup darwin
  mkdir -p "$ROOT/outside"
}

teardown() {
  [ "$(uname -s)" = Darwin ] || return 0
  isolated_teardown
}

exec_record() { node -e 'const r = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse).find((r) => r.event === "exec"); console.log(r.enforced.join("\n"))' "$SAFE_SH_AUDIT_LOG"; }

alive() { kill -0 "$1" 2>/dev/null; }

@test "macOS: a command runs confined with its own status, and the exec record lists Seatbelt's guarantees" {
  run "$SAFE_SH" -c 'echo hi; exit 3'
  assert_equal "$status" 3
  assert_output hi
  run exec_record
  assert_line "Seatbelt profile (deny default)"
  assert_line "process-group containment"
  refute_line --partial "landlock"
}

@test "macOS: writes in the workspace work, writes outside fail with EPERM" {
  run "$SAFE_SH" -c "echo in > inside && echo out > '$ROOT/outside/f'"
  assert_failure
  assert_output --partial "Operation not permitted"
  [ -f inside ]
  [ ! -e "$ROOT/outside/f" ]
}

@test "macOS: protected paths stay read-only inside the workspace" {
  mkdir -p .git && printf '[core]\n' > .git/config
  run "$SAFE_SH" -c 'echo ok > src.txt && echo evil >> .git/config'
  assert_failure
  assert_output --partial "Operation not permitted"
  [ "$(cat src.txt)" = ok ]
  [ "$(cat .git/config)" = "[core]" ]
}

@test "macOS: a deny_read path is unreadable, the rest readable" {
  mkdir -p "$ROOT/secret" && echo s3cret > "$ROOT/secret/token" && echo fine > "$ROOT/outside/public"
  printf '[filesystem]\ndeny_read = ["%s"]\n' "$ROOT/secret" > "$ROOT/user/config.toml"
  run "$SAFE_SH" -c "cat '$ROOT/outside/public'; cat '$ROOT/secret/token'"
  assert_failure
  assert_line fine
  refute_output --partial s3cret
  assert_output --partial "Operation not permitted"
}

@test "macOS: network none refuses every connection; allowlist reaches listed hosts (TLS verified) and refuses the rest" {
  run "$SAFE_SH" -c 'curl -sS --max-time 10 -o /dev/null https://example.com/'
  assert_failure
  printf '[network]\nmode = "allowlist"\nallow = ["example.com"]\n' > "$ROOT/user/config.toml"
  run "$SAFE_SH" -c 'curl -sS --max-time 20 -o /dev/null -w "%{http_code}\n" https://example.com/'
  assert_success
  assert_output 200
  run "$SAFE_SH" -c 'python3 -c "import urllib.request; print(urllib.request.urlopen(\"https://example.com/\").status)"'
  assert_success
  assert_output 200
  run "$SAFE_SH" -c 'curl -sS --max-time 20 -o /dev/null https://example.org/'
  assert_failure
}

@test "macOS: --timeout kills the whole tree" {
  run "$SAFE_SH" --timeout 1 -c 'sleep 300 & echo $! > pid; sleep 300'
  assert_equal "$status" 137
  pid="$(cat pid)"
  for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
  ! alive "$pid"
}

@test "macOS: what the command leaves in the background dies with it" {
  run "$SAFE_SH" -c 'sleep 300 & echo $!'
  assert_success
  pid="$output"
  for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
  ! alive "$pid"
}

@test "macOS: doctor says Seatbelt confines commands, and what applies differently" {
  run "$SAFE_SH" doctor
  assert_success
  assert_line --regexp '^Seatbelt profile +yes'
  assert_line --regexp '^containment +partial'
  assert_line "ready: commands run confined by Seatbelt"
}
