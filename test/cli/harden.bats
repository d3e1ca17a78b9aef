#!/usr/bin/env bats
# Hostile and broken input to bin/safe-sh: wide workspaces, a deleted working
# directory, bad --timeout values, config and audit files of the wrong type.
# Every configuration, state and audit location is a temp dir outside /tmp.

bats_require_minimum_version 1.5.0

setup() {
  load '../../node_modules/bats-support/load'
  load '../../node_modules/bats-assert/load'
  SAFE_SH="$BATS_TEST_DIRNAME/../../bin/safe-sh"
  ROOT="$(mktemp -d "${SAFE_SH_TEST_TMPDIR:-/var/tmp}/safe-sh-harden.XXXXXX")"
  mkdir -p "$ROOT/etc" "$ROOT/user" "$ROOT/state" "$ROOT/ws"
  export SAFE_SH_SYSTEM_CONFIG_DIR="$ROOT/etc" SAFE_SH_CONFIG_DIR="$ROOT/user" SAFE_SH_STATE_DIR="$ROOT/state"
  export SAFE_SH_AUDIT_LOG="$ROOT/state/audit.jsonl"
  cd "$ROOT/ws"
}

teardown() {
  cd /
  rm -rf "$ROOT"
}

@test "a workspace inside a system tree is refused under never, naming it" {
  printf 'approval = "never"\n' > "$ROOT/user/config.toml"
  run "$SAFE_SH" --workspace /proc -c 'echo hi'
  assert_failure 126
  assert_output --partial "workspace /proc is inside the system tree /proc"
  refute_line "hi"
}

@test "an ordinary workspace under never runs without asking (the other side)" {
  printf 'approval = "never"\n' > "$ROOT/user/config.toml"
  run "$SAFE_SH" explain -c 'echo hi'
  assert_success
  assert_line "decision: allow"
}

@test "explain shows running from / as an escalation" {
  cd /
  run "$SAFE_SH" explain -c 'ls'
  assert_success
  assert_line "decision: ask"
  assert_output --partial "escalation: workspace / is the whole filesystem"
}

@test "explain, config show and trust in a deleted working directory fail in one line" {
  mkdir "$ROOT/gone" && cd "$ROOT/gone" && rmdir "$ROOT/gone"
  for sub in "explain -c ls" "config show" "trust"; do
    run $SAFE_SH $sub
    assert_failure 125
    assert_output --partial "the working directory no longer exists [ERR_SAFESH_WORKSPACE]"
    refute_output --partial "    at "
  done
}

@test "a refusal by requirements.toml carries a hint line" {
  printf 'allowed_sandbox_modes = ["read-only", "workspace-write"]\n' > "$ROOT/etc/requirements.toml"
  run "$SAFE_SH" --sandbox full-access -c 'true'
  assert_failure 126
  assert_output --partial "requirements.toml does not allow sandbox full-access"
  assert_line --regexp "^hint: requirements.toml is the administrator's"
}

@test "the rule a denial suggests is TOML that can be pasted as printed" {
  printf 'approval = "untrusted"\n' > "$ROOT/user/config.toml"
  run setsid -w "$SAFE_SH" -c 'touch made-here'
  assert_failure 126
  assert_line --regexp "^hint: run interactively, or add to $ROOT/user/config.toml:$"
  # Everything after the hint line is the TOML: paste it, and the same command runs.
  sed -n '/^hint: /,$p' <<<"$output" | tail -n +2 >> "$ROOT/user/config.toml"
  run "$SAFE_SH" config show
  assert_success
  run "$SAFE_SH" explain -c 'touch made-here'
  assert_line "decision: allow"
}

@test "audit verify on a FIFO refuses at once instead of hanging" {
  mkfifo "$ROOT/state/fifo.jsonl"
  run timeout 20 "$SAFE_SH" audit verify --log "$ROOT/state/fifo.jsonl"
  assert_failure 125
  assert_output --partial "is a FIFO, not a regular file [ERR_SAFESH_AUDIT_UNAVAILABLE]"
}

@test "a FIFO as the audit log refuses the run instead of losing records" {
  mkfifo "$ROOT/state/fifo.jsonl"
  SAFE_SH_AUDIT_LOG="$ROOT/state/fifo.jsonl" run timeout 20 "$SAFE_SH" -c 'echo ran'
  assert_failure 125
  assert_output --partial "is a FIFO, not a regular file"
  refute_line "ran"
}

@test "audit verify and tail read the log the config's audit.path names" {
  printf '[audit]\npath = "%s"\n' "$ROOT/configured/audit.jsonl" > "$ROOT/user/config.toml"
  node -e '
    const log = require(process.argv[1]).openAudit({ path: process.argv[2] });
    log.append({ event: "decision", command: "echo configured", risk: "read-only", reasons: [], decision: "allow" });
  ' "$BATS_TEST_DIRNAME/../../dist/audit" "$ROOT/configured/audit.jsonl"
  run "$SAFE_SH" audit verify
  assert_success
  assert_output --partial "ok: 1 records"
  run "$SAFE_SH" audit tail
  assert_success
  assert_output --partial "echo configured"
}

@test "--timeout of a millisecond fraction is a usage error; 2^31 ms and more does not kill at once" {
  printf 'approval = "on-failure"\n' > "$ROOT/user/config.toml"
  run "$SAFE_SH" --timeout 0.0001 -c 'echo ran'
  assert_failure 125
  assert_output --partial "at least 0.001"
  run "$SAFE_SH" --timeout 2200000 -c 'sleep 0.2; echo ran'
  assert_success
  assert_output "ran"
}

@test "HOME=\"\" is a clear error naming HOME, not a launcher message" {
  printf 'approval = "on-failure"\n' > "$ROOT/user/config.toml"
  HOME= run "$SAFE_SH" -c 'echo ran'
  assert_failure 125
  assert_output --partial 'HOME is "": the credentials under it'
  refute_output --partial "--mask"
  refute_line "ran"
}

@test "bytes that are not UTF-8 reach the command as bash would pass them" {
  printf 'approval = "on-failure"\n' > "$ROOT/user/config.toml"
  "$SAFE_SH" -- printf '%s|' $'caf\xe9' $'\xff\xfe' > "$ROOT/out.safe-sh"
  bash -c 'printf "%s|" "$@"' _ $'caf\xe9' $'\xff\xfe' > "$ROOT/out.bash"
  cmp "$ROOT/out.safe-sh" "$ROOT/out.bash"
  "$SAFE_SH" -c $'printf \'%s\' caf\xe9' > "$ROOT/out.safe-sh"
  bash -c $'printf \'%s\' caf\xe9' > "$ROOT/out.bash"
  cmp "$ROOT/out.safe-sh" "$ROOT/out.bash"
}

@test "a 50 KB argument of bytes that are not UTF-8 runs (no 3x growth into E2BIG)" {
  printf 'approval = "on-failure"\n' > "$ROOT/user/config.toml"
  run "$SAFE_SH" -- sh -c 'printf %s "$1" | wc -c' sh "$(head -c 50000 /dev/zero | tr '\0' '\351')"
  assert_success
  assert_output --regexp "^ *50000$"
}

@test "the audit trail keeps a command's bytes that are not UTF-8, in base64 beside the text" {
  printf 'approval = "on-failure"\n' > "$ROOT/user/config.toml"
  run "$SAFE_SH" -- printf '%s' $'caf\xe9'
  assert_success
  run node -e '
    const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
    const decision = lines.find((r) => r.event === "decision");
    process.stdout.write(Buffer.from(decision.commandBytes.base64, "base64").toString("hex") + " " + decision.commandBytes.argv);
  ' "$SAFE_SH_AUDIT_LOG"
  assert_output "7072696e746600257300636166e900 true"
}

@test "a write outside the workspace under never: the hint names writable_roots, never an allow rule, and following it writes" {
  printf 'approval = "never"\n' > "$ROOT/user/config.toml"
  run --separate-stderr "$SAFE_SH" -c 'touch /etc/safe-sh-hint-test'
  assert_failure 126
  [[ "${stderr_lines[1]}" == "hint: the sandbox lets a command write only the workspace and its writable roots"* ]]
  [[ "$stderr" == *"writable_roots in $ROOT/user/config.toml, together with an allow rule"* ]]
  [[ "$stderr" != *"[[rules]]"* ]]
  [ ! -e /etc/safe-sh-hint-test ]
  # The other side: a directory that is no system tree, made a writable root, with an allow rule.
  mkdir -p "$ROOT/home/notes"
  printf 'approval = "never"\nwritable_roots = ["%s"]\n[[rules]]\nprefix = ["touch"]\ndecision = "allow"\n' "$ROOT/home/notes" > "$ROOT/user/config.toml"
  HOME="$ROOT/home" run "$SAFE_SH" -c 'touch ~/notes/written'
  assert_success
  [ -e "$ROOT/home/notes/written" ]
}

@test "a write outside the workspace nobody can approve: the hint says approving is not enough and names the grant" {
  run --separate-stderr setsid -w "$SAFE_SH" -c 'echo hi > /etc/safe-sh-hint-test'
  assert_failure 126
  [[ "$stderr" == *"so approving it is not enough"*"--sandbox full-access"* ]]
  [[ "$stderr" != *"[[rules]]"* ]]
}
