#!/usr/bin/env bats
# safe-sh audit verify / tail, driven as a user would: exit codes and the line verify names.

load '../../node_modules/bats-support/load'
load '../../node_modules/bats-assert/load'

SAFE_SH="$BATS_TEST_DIRNAME/../../bin/safe-sh"

setup() {
  LOG="$BATS_TEST_TMPDIR/state/audit.jsonl"
  export SAFE_SH_AUDIT_LOG="$LOG"
}

# append N decision records through the built library
append() {
  node -e '
    const log = require(process.argv[1]).openAudit({});
    for (let i = 1; i <= Number(process.argv[2]); i++)
      log.append({ event: "decision", command: "echo " + i, risk: "read-only", reasons: ["echo"], decision: "allow" });
  ' "$BATS_TEST_DIRNAME/../../dist/audit" "$1"
}

@test "audit --help prints usage and exits 0" {
  run "$SAFE_SH" audit --help
  assert_success
  assert_output --partial "safe-sh audit verify"
}

@test "audit without a subcommand is a usage error (125)" {
  run "$SAFE_SH" audit
  assert_failure 125
  assert_output --partial "ERR_SAFESH_USAGE"
}

@test "audit verify exits 0 on an intact chain" {
  append 5
  run "$SAFE_SH" audit verify
  assert_success
  assert_output --partial "5 records"
}

@test "audit verify exits 1 and names the edited line" {
  append 5
  sed -i '3s/echo 3/echo X/' "$LOG"
  run "$SAFE_SH" audit verify --log "$LOG"
  assert_failure 1
  assert_output --partial "audit.jsonl:3: edited"
}

@test "audit verify --json reports a deleted line" {
  append 5
  sed -i '2d' "$LOG"
  run "$SAFE_SH" audit verify --json
  assert_failure 1
  assert_output --partial '"line":2,"reason":"deleted"'
}

@test "audit verify exits 1 on a truncated last line" {
  append 3
  truncate -s -5 "$LOG"
  run "$SAFE_SH" audit verify
  assert_failure 1
  assert_output --partial "audit.jsonl:3: truncated"
}

@test "audit verify exits 1 when there is no log" {
  run "$SAFE_SH" audit verify --log "$BATS_TEST_TMPDIR/none.jsonl"
  assert_failure 1
  assert_output --partial "missing"
}

@test "audit tail -n 2 prints the last two records, one line each" {
  append 5
  run "$SAFE_SH" audit tail -n 2
  assert_success
  assert_line --index 0 --regexp '^[0-9T:.-]+Z +decision +allow \(read-only\) +echo 4$'
  assert_line --index 1 --partial "echo 5"
  [ "${#lines[@]}" -eq 2 ]
}

@test "audit tail --json prints the raw lines" {
  append 2
  run "$SAFE_SH" audit tail --json
  assert_success
  assert_output "$(cat "$LOG")"
}

@test "audit tail rejects an unknown option (125)" {
  run "$SAFE_SH" audit tail --bogus
  assert_failure 125
}

@test "a trail of record version 1 (reviews said approve) still verifies, tails and counts in today's words" {
  mkdir -p "$(dirname "$LOG")"
  cp "$BATS_TEST_DIRNAME/../unit/audit/fixtures/audit-v1.jsonl" "$LOG"
  run "$SAFE_SH" audit verify
  assert_success
  assert_output --partial "8 records"
  run "$SAFE_SH" audit tail -n 8
  assert_success
  assert_line --partial "allow by gpt-4o-mini"
  refute_output --partial "approve by"
  run "$SAFE_SH" audit stats --json
  assert_success
  [[ "$(node -e 'const s=JSON.parse(require("fs").readFileSync(0,"utf8")); console.log(JSON.stringify(s.approvers.reviewer))' <<<"$output")" == '{"allow":1,"deny":0,"escalate":1}' ]]
}
