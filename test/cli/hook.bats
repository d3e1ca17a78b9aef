#!/usr/bin/env bats
# `safe-sh hook claude-code|gemini` on recorded payloads of the documented
# shape: commands come back rewritten through safe-sh (and then run confined)
# or denied with the reason; other tools pass; a bad payload blocks.

bats_require_minimum_version 1.5.0

load isolated

setup() {
  isolated_setup hook
  FIXTURES="$BATS_TEST_DIRNAME/../fixtures/hooks"
}

teardown() { isolated_teardown; }

payload() { # $1: fixture, $2: the command: the fixture with WORKSPACE and COMMAND filled in
  node -e 'const [file, ws, cmd] = process.argv.slice(1); const fill = (v) => typeof v === "string" ? v.replace("WORKSPACE", ws).replace(/^COMMAND$/, cmd) : Array.isArray(v) ? v.map(fill) : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)])) : v; process.stdout.write(JSON.stringify(fill(JSON.parse(require("fs").readFileSync(file, "utf8")))))' "$FIXTURES/$1" "$ROOT/ws" "${2:-}"
}


@test "claude-code: a command the policy runs comes back rewritten through safe-sh, other fields kept, and it runs confined" {
  echo hello > greeting
  out="$(payload claude-code-bash.json 'cat greeting' | "$SAFE_SH" hook claude-code)"
  assert_equal "$(field hookSpecificOutput.hookEventName <<<"$out")" PreToolUse
  assert_equal "$(field hookSpecificOutput.permissionDecision <<<"$out")" allow
  assert_equal "$(field hookSpecificOutput.updatedInput.command <<<"$out")" "$SAFE_SH -c 'cat greeting'"
  assert_equal "$(field hookSpecificOutput.updatedInput.timeout <<<"$out")" 120000
  assert_equal "$(field hookSpecificOutput.updatedInput.description <<<"$out")" "Run the command"
  run bash -c "$(field hookSpecificOutput.updatedInput.command <<<"$out")"
  assert_success
  assert_output hello
  # It ran through safe-sh: the trail has it.
  grep -q '"event":"exec"' "$SAFE_SH_AUDIT_LOG"
}

@test "claude-code: a destructive command nobody can approve is denied with the reason and a hint, and nothing runs" {
  mkdir src
  out="$(payload claude-code-bash.json 'rm -rf src' | "$SAFE_SH" hook claude-code)"
  assert_equal "$(field hookSpecificOutput.permissionDecision <<<"$out")" deny
  [[ "$(field hookSpecificOutput.permissionDecisionReason <<<"$out")" == *"rm"*"hint:"* ]]
  [ -d src ]
}

@test "claude-code: a command a deny rule names is refused by the policy" {
  printf '[[rules]]\nprefix = ["make", "deploy"]\ndecision = "deny"\n' > "$ROOT/user/config.toml"
  out="$(payload claude-code-bash.json 'make deploy' | "$SAFE_SH" hook claude-code)"
  assert_equal "$(field hookSpecificOutput.permissionDecision <<<"$out")" deny
  [[ "$(field hookSpecificOutput.permissionDecisionReason <<<"$out")" == *"refuses"* ]]
}

@test "claude-code: quotes survive the rewrite, and a command already through safe-sh is not wrapped twice" {
  out="$(payload claude-code-bash.json "printf '%s\n' \"it's\"" | "$SAFE_SH" hook claude-code)"
  rewritten="$(field hookSpecificOutput.updatedInput.command <<<"$out")"
  run bash -c "$rewritten"
  assert_output "it's"
  again="$(payload claude-code-bash.json "$rewritten" | "$SAFE_SH" hook claude-code)"
  assert_equal "$(field hookSpecificOutput.updatedInput.command <<<"$again")" "$rewritten"
}

@test "claude-code: other tools pass untouched (no output)" {
  run --separate-stderr bash -c "$(declare -f payload); FIXTURES='$FIXTURES' ROOT='$ROOT' payload claude-code-read.json | '$SAFE_SH' hook claude-code"
  assert_success
  assert_output ""
}

@test "a payload that is not JSON blocks the call (exit 2, the reason on stderr)" {
  run --separate-stderr "$SAFE_SH" hook claude-code <<<'not json'
  assert_equal "$status" 2
  [[ "$stderr" == *ERR_SAFESH_USAGE* ]]
  run --separate-stderr "$SAFE_SH" hook no-such-harness </dev/null
  assert_equal "$status" 125
}

@test "gemini: run_shell_command comes back rewritten in hookSpecificOutput.tool_input, and runs confined" {
  echo hello > greeting
  out="$(payload gemini-shell.json 'cat greeting' | "$SAFE_SH" hook gemini)"
  assert_equal "$(field decision <<<"$out")" allow
  assert_equal "$(field hookSpecificOutput.tool_input.command <<<"$out")" "$SAFE_SH -c 'cat greeting'"
  run bash -c "$(field hookSpecificOutput.tool_input.command <<<"$out")"
  assert_output hello
}

@test "gemini: a destructive command is denied with a reason; other tools get an empty answer" {
  mkdir src
  out="$(payload gemini-shell.json 'rm -rf src' | "$SAFE_SH" hook gemini)"
  assert_equal "$(field decision <<<"$out")" deny
  [[ "$(field reason <<<"$out")" == *"hint:"* ]]
  [ -d src ]
  out="$(payload gemini-read.json | "$SAFE_SH" hook gemini)"
  assert_equal "$out" "{}"
}

@test "hook --help names both harnesses, and safe-sh --help lists hook and mcp" {
  run "$SAFE_SH" hook --help
  assert_success
  assert_output --partial "claude-code"
  assert_output --partial "gemini"
  run "$SAFE_SH" --help
  assert_output --partial "safe-sh hook claude-code|gemini"
  assert_output --partial "safe-sh mcp"
}

@test "claude-code: a write outside the workspace is denied with a hint naming writable_roots, not an allow rule" {
  out="$(payload claude-code-bash.json 'touch /etc/safe-sh-hook-test' | "$SAFE_SH" hook claude-code)"
  assert_equal "$(field hookSpecificOutput.permissionDecision <<<"$out")" deny
  reason="$(field hookSpecificOutput.permissionDecisionReason <<<"$out")"
  [[ "$reason" == *"hint: the sandbox lets a command write only the workspace"*"writable_roots"* ]]
  [[ "$reason" != *"[[rules]]"* ]]
  printf 'approval = "never"\n' > "$ROOT/user/config.toml"
  out="$(payload claude-code-bash.json 'touch /etc/safe-sh-hook-test' | "$SAFE_SH" hook claude-code)"
  [[ "$(field hookSpecificOutput.permissionDecisionReason <<<"$out")" == *"refuses this command"*"hint: "*"never becomes writable"* ]]
}
