#!/usr/bin/env node
// Checks that binding.gyp and CMakeLists.txt build the same native sources
// for Linux and for macOS, and that every .cc under native/ is built by one
// of them. Exit 1 with a diff if not.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { root, gypSources } = require("./native-sources");

function cmakeList(name) {
  const text = fs.readFileSync(path.join(root, "CMakeLists.txt"), "utf8");
  const match = new RegExp(`set\\(${name}\\s+([^)$]*)\\)`).exec(text);
  if (!match) throw new Error(`CMakeLists.txt: no set(${name} ...)`);
  return match[1].split(/\s+/).filter(Boolean).sort();
}

function nativeSources(dir = path.join(root, "native")) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return nativeSources(full);
    return entry.name.endsWith(".cc") ? [path.relative(root, full)] : [];
  });
}

const gyp = gypSources();
const cmake = {
  addon: { linux: cmakeList("SAFE_SH_ADDON_SOURCES"), mac: cmakeList("SAFE_SH_ADDON_DARWIN_SOURCES") },
  launcher: { linux: cmakeList("SAFE_SH_LAUNCHER_SOURCES"), mac: cmakeList("SAFE_SH_LAUNCHER_DARWIN_SOURCES") },
};
const problems = [];
const built = new Set();
for (const target of ["addon", "launcher"]) {
  for (const os of ["linux", "mac"]) {
    const a = gyp[target][os];
    const b = cmake[target][os];
    a.forEach((file) => built.add(file));
    if (JSON.stringify(a) !== JSON.stringify(b)) problems.push(`${target} (${os}): binding.gyp [${a}] != CMakeLists.txt [${b}]`);
  }
}
for (const file of nativeSources()) if (!built.has(file)) problems.push(`${file}: not built by either target`);

if (problems.length > 0) {
  for (const problem of problems) console.error(`check-sources: ${problem}`);
  process.exit(1);
}
console.log(`check-sources: binding.gyp and CMakeLists.txt agree for Linux and macOS (${built.size} sources)`);
