// The native source lists per target and OS, read from binding.gyp (its
// `OS=='mac'` condition swaps native/linux/ for native/darwin/). Shared by
// check-sources.js and cross-build-darwin.js so there is one list.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const root = path.join(__dirname, "..");

/** { addon: { linux, mac }, launcher: { linux, mac } }: sorted source paths. */
function gypSources() {
  const gyp = JSON.parse(fs.readFileSync(path.join(root, "binding.gyp"), "utf8"));
  const names = { addon: "safe_sh", launcher: "safe-sh-exec" };
  const out = {};
  for (const [key, name] of Object.entries(names)) {
    const target = gyp.targets.find((t) => t.target_name === name);
    const mac = (target.conditions ?? []).find(([condition]) => condition === "OS=='mac'")?.[1] ?? {};
    const excluded = (mac["sources/"] ?? []).filter(([verb]) => verb === "exclude").map(([, pattern]) => new RegExp(pattern));
    out[key] = {
      linux: [...target.sources].sort(),
      mac: [...target.sources.filter((file) => !excluded.some((re) => re.test(file))), ...(mac.sources ?? [])].sort(),
    };
  }
  return out;
}

module.exports = { root, gypSources };
