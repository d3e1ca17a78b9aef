#!/usr/bin/env node
// Checks that binding.gyp and CMakeLists.txt build the same native sources,
// and that every .cc under native/ is built by both. Exit 1 with a diff if not.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");

function gypLists() {
  const gyp = JSON.parse(fs.readFileSync(path.join(root, "binding.gyp"), "utf8"));
  const byName = Object.fromEntries(gyp.targets.map((t) => [t.target_name, t.sources]));
  return { addon: byName["safe_sh"], launcher: byName["safe-sh-exec"] };
}

function cmakeList(name) {
  const text = fs.readFileSync(path.join(root, "CMakeLists.txt"), "utf8");
  const match = new RegExp(`set\\(${name}\\s+([^)]*)\\)`).exec(text);
  if (!match) throw new Error(`CMakeLists.txt: no set(${name} ...)`);
  return match[1].split(/\s+/).filter(Boolean);
}

function nativeSources(dir = path.join(root, "native")) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "darwin" ? [] : nativeSources(full);
    return entry.name.endsWith(".cc") ? [path.relative(root, full)] : [];
  });
}

const sorted = (list) => [...list].sort();
const gyp = gypLists();
const cmake = { addon: cmakeList("SAFE_SH_ADDON_SOURCES"), launcher: cmakeList("SAFE_SH_LAUNCHER_SOURCES") };
const problems = [];
for (const target of ["addon", "launcher"]) {
  const a = sorted(gyp[target]);
  const b = sorted(cmake[target]);
  if (JSON.stringify(a) !== JSON.stringify(b)) problems.push(`${target}: binding.gyp [${a}] != CMakeLists.txt [${b}]`);
}
const built = new Set([...gyp.addon, ...gyp.launcher]);
for (const file of nativeSources()) if (!built.has(file)) problems.push(`${file}: not built by either target`);

if (problems.length > 0) {
  for (const problem of problems) console.error(`check-sources: ${problem}`);
  process.exit(1);
}
console.log(`check-sources: binding.gyp and CMakeLists.txt agree (${built.size} sources)`);
