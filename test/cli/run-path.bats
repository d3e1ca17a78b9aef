#!/usr/bin/env bats
# The whole run path of bin/safe-sh: decide before running, refuse with a
# hint, on-failure's re-run after a sandbox denial, and the audit trail of it.

bats_require_minimum_version 1.5.0

setup() {
  load '../../node_modules/bats-support/load'
  load '../../node_modules/bats-assert/load'
  SAFE_SH="$BATS_TEST_DIRNAME/../../bin/safe-sh"
  # Not under /tmp: the sandbox's /tmp is private.
  ROOT="$(cd "$(mktemp -d "${SAFE_SH_TEST_TMPDIR:-/var/tmp}/safe-sh-runpath.XXXXXX")" && pwd -P)"
  export SAFE_SH_SYSTEM_CONFIG_DIR="$ROOT/etc" SAFE_SH_CONFIG_DIR="$ROOT/user" SAFE_SH_STATE_DIR="$ROOT/state"
  export SAFE_SH_AUDIT_LOG="$ROOT/audit.jsonl"
  mkdir -p "$ROOT/etc" "$ROOT/user" "$ROOT/ws" "$ROOT/outside"
  cd "$ROOT/ws"
}

teardown() {
  cd /
  [ -z "${ORIGIN_PID:-}" ] || kill "$ORIGIN_PID" 2>/dev/null || true
  rm -rf "$ROOT"
}

reviewer() { # $1: the reviewer's verdict, $2: the approval mode
  printf '#!/bin/sh\ncat >/dev/null\necho "{\\"verdict\\": \\"%s\\", \\"reason\\": \\"test reviewer\\"}"\n' "$1" > "$ROOT/reviewer.sh"
  chmod +x "$ROOT/reviewer.sh"
  printf '[approval]\nmode = "%s"\n[approval.reviewer]\ncommand = ["%s"]\ntimeout_ms = 5000\n' "$2" "$ROOT/reviewer.sh" > "$ROOT/user/config.toml"
}

events() { node -e 'for (const l of require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n")) { const r = JSON.parse(l); console.log(r.event, r.decision ?? r.verdict ?? r.exitCode ?? "") }' "$SAFE_SH_AUDIT_LOG"; }

@test "the exec record carries what the launcher reported enforcing, not a prediction" {
  run "$SAFE_SH" -c 'true'
  assert_success
  run node -e 'const r = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse).find((r) => r.event === "exec"); console.log(r.enforced.join("\n")); console.log("degraded:", r.degraded.length)' "$SAFE_SH_AUDIT_LOG"
  assert_line --partial "landlock ABI"
  assert_line "seccomp"
  assert_line "read-only view outside writable roots (metadata included)"
  assert_line "user/mount/pid/net namespaces"
  assert_line "degraded: 0"
}

@test "a read-only command runs without asking, and its decision, approval, exec and exit are recorded" {
  echo hello > greeting
  run "$SAFE_SH" -c 'cat greeting'
  assert_success
  assert_output hello
  run events
  assert_output "$(printf 'decision allow\napproval allow\nexec \nexit 0')"
  run "$SAFE_SH" audit verify --log "$SAFE_SH_AUDIT_LOG"
  assert_success
}

@test "a destructive command with nobody to ask is refused with exit 126 and a hint, and nothing runs" {
  mkdir src && touch src/keep
  run --separate-stderr "$SAFE_SH" -c 'rm -rf src'
  assert_equal "$status" 126
  assert_equal "${stderr_lines[0]%%:*}" "safe-sh"
  [[ "${stderr_lines[1]}" == hint:* ]]
  [ -e src/keep ]
  run events
  assert_output "$(printf 'decision ask\napproval deny')"
}

@test "a reviewer program's allow lets an asked command run" {
  reviewer allow on-request
  mkdir src
  run "$SAFE_SH" -c 'rm -rf src && echo removed'
  assert_success
  assert_output removed
  run node -e 'const l=require("fs").readFileSync(process.argv[1],"utf8").trim().split("\n").map(JSON.parse); console.log(l[1].approver, l[1].verdict)' "$SAFE_SH_AUDIT_LOG"
  assert_output "reviewer allow"
}

@test "a reviewer program written before allow, answering approve, still lets it run" {
  reviewer approve on-request
  mkdir src
  run "$SAFE_SH" -c 'rm -rf src && echo removed'
  assert_success
  assert_output removed
}

@test "a reviewer's denial refuses the command" {
  reviewer deny on-request
  run "$SAFE_SH" -c 'rm -rf src'
  assert_equal "$status" 126
}

@test "--network full from the agent is an escalation, refused when nobody approves it" {
  run "$SAFE_SH" --network full -- true
  assert_equal "$status" 126
}

@test "on-failure: a write the sandbox stopped is re-run with more access once a reviewer approves" {
  reviewer allow on-failure
  run --separate-stderr "$SAFE_SH" -c "echo escaped > '$ROOT/outside/file'"
  assert_success
  [[ "$stderr" == *"Read-only file system"* ]]
  [[ "$stderr" == *"re-run it with more access"* ]]
  assert_equal "$(cat "$ROOT/outside/file")" escaped
}

@test "on-failure: without an approver the re-run is refused, the command's own status stands and the outside stays untouched" {
  printf 'approval = "on-failure"\n' > "$ROOT/user/config.toml"
  run --separate-stderr "$SAFE_SH" -c "echo escaped > '$ROOT/outside/file'"
  assert_equal "$status" 1
  [[ "$stderr" == *"re-run refused"* ]]
  [ ! -e "$ROOT/outside/file" ]
}

@test "a config error names the file and the key, and nothing runs (exit 125)" {
  printf 'approval = "sometimes"\n' > "$ROOT/user/config.toml"
  run --separate-stderr "$SAFE_SH" -c 'touch ran'
  assert_equal "$status" 125
  [[ "$stderr" == *"$ROOT/user/config.toml"* ]]
  [[ "$stderr" == *approval* ]]
  [ ! -e ran ]
}

@test "an audit log that can't be written refuses the command (exit 125)" {
  export SAFE_SH_AUDIT_LOG="$ROOT/no-such-dir-file/audit.jsonl"
  touch "$ROOT/no-such-dir-file"
  run --separate-stderr "$SAFE_SH" -c 'touch ran'
  assert_equal "$status" 125
  [[ "$stderr" == *ERR_SAFESH_AUDIT_UNAVAILABLE* ]]
  [ ! -e ran ]
}

start_origin() { # an HTTP server on 127.0.0.1 answering "origin": its port in PORT, its pid in ORIGIN_PID
  node -e 'const s=require("http").createServer((q,r)=>r.end("origin")).listen(0,"127.0.0.1",()=>console.log(s.address().port))' > "$ROOT/origin.port" 3>&- &
  ORIGIN_PID=$!
  for _ in $(seq 200); do [ -s "$ROOT/origin.port" ] && break; sleep 0.05; done
  PORT=$(cat "$ROOT/origin.port")
}

allowlist_config() { # $1: the approval mode; $2: the reviewer's verdict
  printf '#!/bin/sh\ncat >/dev/null\necho "{\\"verdict\\": \\"%s\\", \\"reason\\": \\"test reviewer\\"}"\n' "$2" > "$ROOT/reviewer.sh"
  chmod +x "$ROOT/reviewer.sh"
  cat > "$ROOT/user/config.toml" <<TOML
[approval]
mode = "$1"
[approval.reviewer]
command = ["$ROOT/reviewer.sh"]
[network]
mode = "allowlist"
allow = ["known.test"]
allow_private = ["known.test", "other.test"]
[network.hosts]
"known.test" = "127.0.0.1"
"other.test" = "127.0.0.1"
TOML
}

@test "allowlist: a listed host is reached, an unknown one goes to the approver, and each connection is recorded" {
  start_origin
  port=$PORT
  allowlist_config on-request allow
  run "$SAFE_SH" -c "curl -sS --max-time 10 http://known.test:$port/; echo; curl -sS --max-time 10 http://other.test:$port/"
  assert_success
  assert_output "$(printf 'origin\norigin')"
  run node -e 'for (const l of require("fs").readFileSync(process.argv[1],"utf8").trim().split("\n")) { const r=JSON.parse(l); if (r.event==="network"||r.command.startsWith("connect")) console.log(r.event, r.host ?? r.command, r.decision ?? r.verdict) }' "$SAFE_SH_AUDIT_LOG"
  assert_line "approval connect to other.test:$port allow"
  assert_line "network known.test allow"
  assert_line "network other.test allow"
}

@test "allowlist: an unknown host the approver denies gets 403 with a hint; in never mode nobody is asked" {
  start_origin
  port=$PORT
  allowlist_config on-request deny
  run "$SAFE_SH" -c "curl -sS -i --max-time 10 http://other.test:$port/"
  assert_line --partial "403"
  allowlist_config never allow
  run --separate-stderr "$SAFE_SH" -c "curl -sS -o /dev/null -w '%{http_code}' --max-time 10 http://other.test:$port/"
  assert_output 403
  # safe-sh itself says which host and which setting, in the config file in use.
  [[ "$stderr" == *"other.test:$port"*"[network] allow in $ROOT/user/config.toml"* ]]
}

@test "the audit trail can be neither read nor written from inside the sandbox, wherever it lives" {
  run "$SAFE_SH" -c 'true'
  assert_success
  run --separate-stderr "$SAFE_SH" -c "cat '$SAFE_SH_AUDIT_LOG'; echo forged >> '$SAFE_SH_AUDIT_LOG'"
  [[ "$stderr" == *"Permission denied"* ]]
  refute_output --partial '"event"'
  run "$SAFE_SH" audit verify --log "$SAFE_SH_AUDIT_LOG"
  assert_success
}

@test "stderr read for on-failure passes through byte for byte (invalid UTF-8 included)" {
  "$SAFE_SH" -c "printf 'a\\377\\376b\\n' >&2" 2> "$ROOT/err" || true
  assert_equal "$(od -An -tx1 "$ROOT/err" | tr -d ' \n')" "61fffe620a"
}
