#!/usr/bin/env bash
# Runs the library (import, run(), spawn()) and the CLI under Bun and Deno, from
# the npm packages that carry their binaries, and checks a write outside the
# workspace is refused. Usage: check-runtimes.sh (from the checkout, after the build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /var/tmp/safe-sh-runtimes.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tools" "$work/ws" "$work/outside"
(cd "$work/tools" && npm init -y >/dev/null &&
  npm install --no-audit --no-fund @oven/bun-linux-x64@1.3.5 @deno/linux-x64-glibc@2.6.3 >/dev/null)
bun="$work/tools/node_modules/@oven/bun-linux-x64/bin/bun"
deno="$work/tools/node_modules/@deno/linux-x64-glibc/deno"

cat > "$work/tools/lib.cjs" <<JS
const { SafeShell } = require("$root/dist/index.js");
(async () => {
  const shell = new SafeShell();
  const run = await shell.run("echo run-ok", { workspace: "$work/ws" });
  if (run.exitCode !== 0 || run.stdout.trim() !== "run-ok") throw new Error("run(): " + JSON.stringify(run));
  const child = shell.spawn("echo spawn-ok", { workspace: "$work/ws" });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.on("close", (code) => {
    if (code !== 0 || out.trim() !== "spawn-ok") throw new Error("spawn(): " + code + " " + out);
    console.log("library ok");
  });
})();
JS

for runtime in bun deno; do
  if [ "$runtime" = bun ]; then exe=("$bun"); else exe=("$deno" run -A); fi
  "${exe[@]}" "$work/tools/lib.cjs"
  cd "$work/ws"
  [ "$("${exe[@]}" "$root/bin/safe-sh" -c 'echo cli-ok')" = cli-ok ]
  if "${exe[@]}" "$root/bin/safe-sh" -c "touch '$work/outside/escaped'" 2>/dev/null || [ -e "$work/outside/escaped" ]; then
    echo "check-runtimes: $runtime: a write outside the workspace succeeded" >&2; exit 1
  fi
  cd "$root"
  echo "check-runtimes: $runtime ok (import, run(), spawn(), CLI; write outside refused)"
done
