// binding.gyp and CMakeLists.txt must build the same native sources.
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { expect, it } from "vitest";

it("keeps the gyp and CMake source lists in step", () => {
  const out = execFileSync(process.execPath, [path.join(__dirname, "..", "..", "scripts", "check-sources.js")], { encoding: "utf8" });
  expect(out).toContain("agree");
});
