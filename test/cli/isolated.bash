# Shared by bats files that run bin/safe-sh against config, state and an audit
# trail of their own, in a workspace outside /tmp (the sandbox's /tmp is private).
# Sets SAFE_SH, ROOT (with etc/, user/, ws/) and cds into $ROOT/ws.
isolated_setup() { # $1: a label for the temp dir
  load '../../node_modules/bats-support/load'
  load '../../node_modules/bats-assert/load'
  SAFE_SH="$(cd "$BATS_TEST_DIRNAME/../../bin" && pwd -P)/safe-sh"
  ROOT="$(cd "$(mktemp -d "${SAFE_SH_TEST_TMPDIR:-/var/tmp}/safe-sh-$1.XXXXXX")" && pwd -P)"
  export SAFE_SH_SYSTEM_CONFIG_DIR="$ROOT/etc" SAFE_SH_CONFIG_DIR="$ROOT/user" SAFE_SH_STATE_DIR="$ROOT/state"
  export SAFE_SH_AUDIT_LOG="$ROOT/audit.jsonl"
  mkdir -p "$ROOT/etc" "$ROOT/user" "$ROOT/ws"
  cd "$ROOT/ws"
}

isolated_teardown() {
  cd /
  rm -rf "$ROOT"
}

# The value at a dotted path of the JSON on stdin (strings bare, the rest as JSON).
field() { node -e 'let v = JSON.parse(require("fs").readFileSync(0, "utf8")); for (const k of process.argv[1].split(".")) v = v?.[k]; console.log(typeof v === "string" ? v : JSON.stringify(v))' "$1"; }
