#!/usr/bin/env bats
# `safe-sh mcp` driven by a real MCP client process over stdio: a command
# runs, a destructive one is refused (or approved through elicitation), and
# the audit trail shows each call tagged with the client's name.

bats_require_minimum_version 1.5.0

load isolated

setup() {
  isolated_setup mcp
  CLIENT="$BATS_TEST_DIRNAME/../helpers/mcp-client.js"
}

teardown() { isolated_teardown; }

@test "mcp: the shell tool runs a command and the trail names the client" {
  echo hello > greeting
  out="$("$CLIENT" shell '{"command":"cat greeting"}' -- "$SAFE_SH" mcp)"
  assert_equal "$(field structuredContent.exitStatus <<<"$out")" 0
  assert_equal "$(field structuredContent.stdout <<<"$out")" hello
  assert_equal "$(field structuredContent.risk <<<"$out")" read-only
  run node -e 'for (const l of require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n")) { const r = JSON.parse(l); console.log(r.event, r.client) }' "$SAFE_SH_AUDIT_LOG"
  assert_output "$(printf 'decision bats-mcp-client\napproval bats-mcp-client\nexec bats-mcp-client\nexit bats-mcp-client')"
}

@test "mcp: a destructive command is refused with a hint when the client can't be asked, and runs once the user approves by elicitation" {
  mkdir src
  out="$("$CLIENT" shell '{"command":"rm -rf src"}' -- "$SAFE_SH" mcp)"
  assert_equal "$(field isError <<<"$out")" true
  assert_equal "$(field structuredContent.exitStatus <<<"$out")" 126
  [[ "$(field structuredContent.hint <<<"$out")" != undefined ]]
  [ -d src ]
  out="$("$CLIENT" --elicit once shell '{"command":"rm -rf src"}' -- "$SAFE_SH" mcp)"
  assert_equal "$(field structuredContent.exitStatus <<<"$out")" 0
  [ ! -e src ]
}

@test "mcp --help describes the tools" {
  run "$SAFE_SH" mcp --help
  assert_success
  assert_output --partial "shell"
  assert_output --partial "explain"
}
