#!/usr/bin/env bats
# bin/safe-sh setup apparmor and doctor's AppArmor row, with the sysctl
# simulated through SAFE_SH_APPARMOR_SYSCTL (a file holding 0 or 1).

bats_require_minimum_version 1.5.0

setup() {
  load '../../node_modules/bats-support/load'
  load '../../node_modules/bats-assert/load'
  SAFE_SH="$BATS_TEST_DIRNAME/../../bin/safe-sh"
  SYSCTL="$(mktemp "${TMPDIR:-/tmp}/safe-sh-bats-sysctl.XXXXXX")"
}

teardown() {
  rm -f "$SYSCTL"
}

needs_sandbox() {
  SAFE_SH_APPARMOR_SYSCTL=/nonexistent "$SAFE_SH" doctor >/dev/null 2>&1 || skip "this machine cannot confine (see safe-sh doctor)"
}

@test "doctor: restricted user namespaces without the profile: not ready, prints the exact set-up command" {
  needs_sandbox
  echo 1 > "$SYSCTL"
  SAFE_SH_APPARMOR_SYSCTL="$SYSCTL" run "$SAFE_SH" doctor
  assert_failure 1
  assert_line --regexp '^AppArmor userns +no +kernel\.apparmor_restrict_unprivileged_userns=1'
  assert_line --partial "fix: sudo $(command -v node) "
  assert_line --regexp 'bin/safe-sh setup apparmor$'
  assert_line --partial "not ready"
}

@test "doctor: unrestricted user namespaces: the row says so and the machine is ready" {
  needs_sandbox
  echo 0 > "$SYSCTL"
  SAFE_SH_APPARMOR_SYSCTL="$SYSCTL" run "$SAFE_SH" doctor
  assert_success
  assert_line --regexp '^AppArmor userns +yes +not restricted'
}

@test "setup with no target prints usage and exits 125" {
  run "$SAFE_SH" setup
  assert_failure 125
  assert_output --partial "safe-sh setup apparmor"
}

@test "setup with an unknown target exits 125 and names it" {
  run "$SAFE_SH" setup selinux
  assert_failure 125
  assert_output --partial "selinux"
}

@test "setup apparmor --print-profile prints the profile granting userns to the fixed path" {
  run "$SAFE_SH" setup apparmor --print-profile
  assert_success
  assert_line "profile safe-sh-exec /usr/local/libexec/safe-sh/safe-sh-exec flags=(unconfined) {"
  assert_line "  userns,"
}

@test "setup apparmor as a user exits 125 with the sudo command as hint" {
  [ "$(id -u)" != 0 ] || skip "runs as root here; the unprivileged CI step covers it"
  run "$SAFE_SH" setup apparmor
  assert_failure 125
  assert_line --partial "must run as root"
  assert_line --regexp '^hint: run: sudo .* setup apparmor$'
}
