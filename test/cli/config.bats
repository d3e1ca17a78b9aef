#!/usr/bin/env bats
# safe-sh config show / trust / untrust, driven as a user would, with every
# configuration location in a temp dir through the SAFE_SH_* variables.

load '../../node_modules/bats-support/load'
load '../../node_modules/bats-assert/load'

SAFE_SH="$BATS_TEST_DIRNAME/../../bin/safe-sh"

setup() {
  ROOT="$(cd "$(mktemp -d)" && pwd -P)"
  export SAFE_SH_SYSTEM_CONFIG_DIR="$ROOT/etc"
  export SAFE_SH_CONFIG_DIR="$ROOT/user"
  export SAFE_SH_STATE_DIR="$ROOT/state"
  mkdir -p "$ROOT/etc" "$ROOT/user" "$ROOT/project/.safe-sh" "$ROOT/project/src"
  printf 'sandbox = "read-only"\n' > "$ROOT/project/.safe-sh/config.toml"
  cd "$ROOT/project/src"
}

teardown() {
  rm -rf "$ROOT"
}

@test "config show prints the built-in defaults and where they came from" {
  run "$SAFE_SH" config show
  assert_success
  assert_line --regexp '^approval +on-request +built-in defaults$'
  assert_line --regexp '^sandbox +workspace-write +built-in defaults$'
}

@test "config show names the file a value came from" {
  printf 'approval = "untrusted"\n' > "$ROOT/user/config.toml"
  run "$SAFE_SH" config show
  assert_success
  assert_line --regexp "^approval +untrusted +$ROOT/user/config.toml\$"
}

@test "config show --json has the policy and its sources" {
  printf '[network]\nmode = "allowlist"\nallow = ["example.com"]\n' > "$ROOT/user/config.toml"
  run "$SAFE_SH" config show --json
  assert_success
  run node -e 'const d = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(d.policy.network.mode, d.sources.values["network.mode"][0])' <<< "$output"
  assert_output "allowlist $ROOT/user/config.toml"
}

@test "a project's config is ignored until trusted, and again after untrust" {
  run "$SAFE_SH" config show
  assert_line --regexp '^sandbox +workspace-write'
  assert_line --partial "safe-sh trust $ROOT/project"

  run "$SAFE_SH" trust
  assert_success
  assert_output "trusted: $ROOT/project"
  run "$SAFE_SH" config show
  assert_line --regexp "^sandbox +read-only +$ROOT/project/.safe-sh/config.toml\$"

  run "$SAFE_SH" trust --list
  assert_output "$ROOT/project"

  run "$SAFE_SH" untrust "$ROOT/project"
  assert_success
  run "$SAFE_SH" config show
  assert_line --regexp '^sandbox +workspace-write'
}

@test "trusting a directory that does not exist fails" {
  run "$SAFE_SH" trust "$ROOT/nope"
  assert_failure 125
}

@test "an unknown key exits 125 naming the file and the key" {
  printf 'aproval = "never"\n' > "$ROOT/user/config.toml"
  run "$SAFE_SH" config show
  assert_failure 125
  assert_output --partial "$ROOT/user/config.toml"
  assert_output --partial "aproval"
  assert_output --partial "ERR_SAFESH_POLICY_INVALID"
}

@test "a bad value exits 125 naming the file and the key path" {
  printf '[network]\nmode = "sometimes"\n' > "$ROOT/etc/config.toml"
  run "$SAFE_SH" config show
  assert_failure 125
  assert_output --partial "$ROOT/etc/config.toml"
  assert_output --partial "network.mode"
}

@test "a TOML syntax error exits 125 naming the file and line" {
  printf 'approval = "never"\nsandbox =\n' > "$ROOT/user/config.toml"
  run "$SAFE_SH" config show
  assert_failure 125
  assert_output --partial "$ROOT/user/config.toml:2:"
}

@test "a rule whose match example fails exits 125 naming the rule" {
  printf '[[rules]]\nprefix = ["git", "push"]\ndecision = "ask"\nmatch = [["git", "pull"]]\n' > "$ROOT/user/config.toml"
  run "$SAFE_SH" config show
  assert_failure 125
  assert_output --partial 'rules[0]'
}

@test "requirements.toml refuses a user config that loosens past it" {
  printf 'allowed_sandbox_modes = ["read-only", "workspace-write"]\n' > "$ROOT/etc/requirements.toml"
  printf 'sandbox = "full-access"\n' > "$ROOT/user/config.toml"
  run "$SAFE_SH" config show
  assert_failure 125
  assert_output --partial "$ROOT/user/config.toml: sandbox"
}

@test "config without a subcommand is a usage error" {
  run "$SAFE_SH" config
  assert_failure 125
  assert_output --partial "ERR_SAFESH_USAGE"
}
