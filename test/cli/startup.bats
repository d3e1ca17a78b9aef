#!/usr/bin/env bats
# What `safe-sh -c` loads at start-up. Each of Node's heavier builtins costs
# the CLI milliseconds (docs/benchmark.md): a plain run must load none of them,
# and code that needs one loads it where it is used.

bats_require_minimum_version 1.5.0

load isolated

setup() { isolated_setup startup; }
teardown() { isolated_teardown; }

# bin/safe-sh ARGS with a preload that lists, at exit, each builtin module
# loaded after Node's own bootstrap as "loaded: NAME" on stderr.
safe_sh_listing_modules() {
  cat > "$ROOT/preload.js" <<'JS'
const bootstrap = new Set(process.moduleLoadList);
process.on("exit", () => {
  for (const entry of process.moduleLoadList)
    if (!bootstrap.has(entry) && entry.startsWith("NativeModule ")) process.stderr.write(`loaded: ${entry.slice("NativeModule ".length)}\n`);
});
JS
  node --require "$ROOT/preload.js" "$SAFE_SH" "$@"
}

@test "a plain run loads no network, crypto, stream, tty or child_process module" {
  run --separate-stderr safe_sh_listing_modules -c 'echo ran'
  assert_success
  assert_output "ran"
  for heavy in net crypto stream tty child_process http internal/fs/rimraf; do
    run grep -Fx "loaded: $heavy" <<<"$stderr"
    assert_failure
  done
}

@test "a config with a host address loads node:net to check it, and still runs" {
  printf '[network.hosts]\n"db.example" = "10.0.0.5"\n' > "$ROOT/user/config.toml"
  run --separate-stderr safe_sh_listing_modules -c 'echo ran'
  assert_success
  assert_output "ran"
  run grep -Fx "loaded: net" <<<"$stderr"
  assert_success
}
