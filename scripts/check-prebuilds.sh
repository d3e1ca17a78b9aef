#!/usr/bin/env bash
# Checks prebuilds/ as shipped: checksums, the glibc floor of each glibc addon
# (objdump -T symbol versions), launchers static, each launcher run (arm64
# under qemu-user) for --version and a flag error. Usage: check-prebuilds.sh [DIR]
set -euo pipefail
dir="${1:-$(dirname "$0")/../prebuilds}"
floor=2.29
cd "$dir"
fail() { echo "check-prebuilds: $*" >&2; exit 1; }

sha256sum --quiet -c SHA256SUMS || fail "SHA256SUMS does not match"

objdump_for() {
  case "$1" in
    linux-x64) echo objdump ;;
    linux-arm64) echo aarch64-linux-gnu-objdump ;;
  esac
}
runner_for() {
  case "$1" in
    linux-x64) [ "$(uname -m)" = x86_64 ] && echo "" || echo qemu-x86_64 ;;
    linux-arm64) [ "$(uname -m)" = aarch64 ] && echo "" || echo qemu-aarch64 ;;
  esac
}

for platform in linux-x64 linux-arm64; do
  [ -d "$platform" ] || fail "$platform/ missing"
  od=$(objdump_for "$platform")
  # Newest glibc symbol version the addon needs must not pass the floor.
  newest=$("$od" -T "$platform/node.napi.glibc.node" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
  [ "$(printf '%s\n%s\n' "$newest" "$floor" | sort -V | tail -1)" = "$floor" ] ||
    fail "$platform addon needs GLIBC_$newest, above the $floor floor"
  # An unversioned libc function (the stubs of an older glibc lack it) would
  # fail to bind at load; only Node's own napi_/uv_ symbols may be unversioned.
  unversioned=$("$od" -T "$platform/node.napi.glibc.node" | awk '/\*UND\*/ && $(NF-1) == "Base" {print $NF}' | grep -Ev '^(napi_|uv_|__gmon_start__$)' || true)
  [ -z "$unversioned" ] || fail "$platform addon needs symbols glibc $floor lacks: $unversioned"
  "$od" -p "$platform/node.napi.musl.node" | grep 'NEEDED.*libc.musl\|NEEDED.*libc.so' >/dev/null ||
    fail "$platform musl addon does not link musl's libc"
  # The launcher loads no libc.so (static-pie): no interpreter, no NEEDED.
  ! "$od" -p "$platform/safe-sh-exec" | grep NEEDED >/dev/null || fail "$platform/safe-sh-exec is not static"
  "$od" -p "$platform/safe-sh-exec" | grep 'RELRO' >/dev/null || fail "$platform/safe-sh-exec lacks RELRO"
  run=$(runner_for "$platform")
  version=$($run "$platform/safe-sh-exec" --version)
  [[ "$version" == "safe-sh-exec "* ]] || fail "$platform/safe-sh-exec --version printed '$version'"
  status=0
  errors=$($run "$platform/safe-sh-exec" --network sideways -- true 2>&1) || status=$?
  [ "$status" = 125 ] && [[ "$errors" == *"--network"* ]] || fail "$platform/safe-sh-exec flag error: status $status, '$errors'"
  echo "check-prebuilds: $platform ok (glibc addon needs GLIBC_$newest <= $floor; launcher static, $version${run:+ under $run})"
done
