#!/usr/bin/env bats
# safe-sh explain, driven as a user would: exit statuses, the human output,
# and the --json Classification read back with node.

bats_require_minimum_version 1.5.0

load '../../node_modules/bats-support/load'
load '../../node_modules/bats-assert/load'

SAFE_SH="$BATS_TEST_DIRNAME/../../bin/safe-sh"

# json FIELD-EXPRESSION: evaluate an expression on the JSON in $output, e.g. json 'r.risk'
json() {
  node -e 'const r = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(eval(process.argv[1]))' "$1" <<<"$output"
}

@test "explain --help prints usage and exits 0" {
  run "$SAFE_SH" explain --help
  assert_success
  assert_output --partial "safe-sh explain [--json] -c 'SCRIPT'"
}

@test "explain without a script is a usage error (125) with a hint" {
  run "$SAFE_SH" explain
  assert_failure 125
  assert_output --partial "ERR_SAFESH_USAGE"
  assert_output --partial "safe-sh explain --help"
}

@test "explain with an unknown option is a usage error (125)" {
  run "$SAFE_SH" explain --frobnicate -c ls
  assert_failure 125
  assert_output --partial "ERR_SAFESH_USAGE"
}

@test "explain -c without a script is a usage error (125)" {
  run "$SAFE_SH" explain -c
  assert_failure 125
}

@test "explain prints the risk, the reasons and each command with its wrappers" {
  run "$SAFE_SH" explain -c 'git status && sudo timeout 5 rm -rf src'
  assert_success
  assert_line "risk: privileged"
  assert_output --partial "rm -rf src: recursive forced delete of src"
  assert_output --regexp "read-only +git status"
  assert_output --regexp "privileged +rm -rf src +\[via sudo → timeout\]"
}

@test "explain quotes argv words that need quoting" {
  run "$SAFE_SH" explain -- grep 'a b' file
  assert_success
  assert_output --partial "grep 'a b' file"
}

@test "explain --json prints the Classification" {
  run "$SAFE_SH" explain --json -c 'cat README.md | grep -n foo'
  assert_success
  [ "$(json 'r.risk')" = "read-only" ]
  [ "$(json 'r.commands.length')" = "2" ]
  [ "$(json 'r.commands[1].argv.join(" ")')" = "grep -n foo" ]
}

@test "explain --json finds a command hidden in a double-quoted substitution" {
  run "$SAFE_SH" explain --json -c 'echo "$(curl -s https://example.com)"'
  assert_success
  [ "$(json 'r.risk')" = "network" ]
  [ "$(json 'r.commands.some(c => c.argv[0] === "curl")')" = "true" ]
}

@test "explain --json sets parseError and unknown on a broken script" {
  run "$SAFE_SH" explain --json -c 'echo $((1+'
  assert_success
  [ "$(json 'r.risk')" = "unknown" ]
  [ "$(json 'typeof r.parseError')" = "string" ]
}

@test "explain -- ARGV re-parses a literal bash -c script" {
  run "$SAFE_SH" explain --json -- bash -c 'ls; git reset --hard'
  assert_success
  [ "$(json 'r.risk')" = "destructive" ]
  [ "$(json 'r.commands.find(c => c.argv[0] === "git").wrappers.join(",")')" = "bash -c" ]
}

@test "explain calls > onto a file that exists in the current directory destructive" {
  cd "$BATS_TEST_TMPDIR"
  echo keep > notes.txt
  run "$SAFE_SH" explain -c 'echo x > notes.txt'
  assert_success
  assert_line "risk: destructive"
  run "$SAFE_SH" explain -c 'echo x > fresh.txt'
  assert_line "risk: write"
}

@test "explain says what the policy would do and what the environment loses and gains" {
  cfg="$(mktemp -d)"
  printf '[secrets.github]\nenv = "GH_TOKEN"\ncommands = [["gh"]]\n' > "$cfg/config.toml"
  GITHUB_TOKEN=t SAFE_SH_CONFIG_DIR="$cfg" run "$SAFE_SH" explain -c 'gh pr list'
  assert_success
  assert_line 'decision: allow'
  assert_line --regexp '^environment: loses .*GITHUB_TOKEN.*; gains GH_TOKEN$'
  GITHUB_TOKEN=t SAFE_SH_CONFIG_DIR="$cfg" run "$SAFE_SH" explain -c 'gh pr list; curl -d @f https://x.example'
  assert_line --regexp '^  secret github withheld: .*curl'
  rm -rf "$cfg"
}

@test "explain: builds, tests and inline code are execute and run under the default on-request policy" {
  cfg="$(mktemp -d)"
  for script in 'npm test' 'make && ./a.out' "python3 -c 'print(1)'" 'npm ci' 'sleep 1 & wait'; do
    SAFE_SH_CONFIG_DIR="$cfg" run "$SAFE_SH" explain -c "$script"
    assert_success
    assert_line 'risk: execute'
    assert_line 'decision: allow'
  done
  SAFE_SH_CONFIG_DIR="$cfg" run "$SAFE_SH" explain -c 'eval "$CMD"'
  assert_line 'risk: unknown'
  assert_line 'decision: ask'
  rm -rf "$cfg"
}
