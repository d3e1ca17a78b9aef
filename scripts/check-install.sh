#!/usr/bin/env bash
# Installs a packed safe-sh tarball into an empty project with --ignore-scripts
# while every compiler and make is hidden (a private mount namespace binds
# /dev/null over them), then runs the installed CLI: a command, doctor, and a
# write outside the workspace that must be refused. Needs root (unshare -m).
# Usage: check-install.sh safe-sh-X.Y.Z.tgz
set -euo pipefail
tarball=$(realpath "$1")
work=$(mktemp -d /var/tmp/safe-sh-install.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/project" "$work/ws" "$work/outside"

unshare -m bash -euo pipefail -s "$tarball" "$work" <<'INNER'
tarball=$1 work=$2
for tool in cc c++ gcc g++ clang clang++ make cmake ld; do
  for path in $(type -ap "$tool"); do mount --bind /dev/null "$(realpath "$path")"; done
done
hash -r
for tool in cc c++ gcc g++ make; do
  if "$tool" --version >/dev/null 2>&1; then echo "check-install: $tool still runs" >&2; exit 1; fi
done
cd "$work/project"
npm init -y >/dev/null
npm install --ignore-scripts --no-audit --no-fund "$tarball" >/dev/null
addon=$(node -e 'console.log(require("node-gyp-build").path("node_modules/safe-sh"))')
case "$addon" in */prebuilds/*) ;; *) echo "check-install: loaded $addon, not a prebuild" >&2; exit 1 ;; esac
cd "$work/ws"
[ "$(npx --prefix "$work/project" safe-sh -c 'echo confined-hello')" = confined-hello ]
npx --prefix "$work/project" safe-sh doctor
npx --prefix "$work/project" safe-sh -c 'touch inside'
[ -e inside ]
if npx --prefix "$work/project" safe-sh -c "touch '$work/outside/escaped'" 2>/dev/null; then
  echo "check-install: a write outside the workspace succeeded" >&2; exit 1
fi
[ ! -e "$work/outside/escaped" ]
echo "check-install: installed from $(basename "$tarball") with no compiler; ran confined with $addon"
INNER
