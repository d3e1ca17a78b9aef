// macOS programs: inspection is read-only; changing security settings,
// disks, preferences or starting apps outside the sandbox is privileged.
import { beforeAll, describe, it } from "vitest";
import { loadBashParser } from "../../../src/parse/parser";
import { expectRisk } from "./helpers";

beforeAll(async () => {
  await loadBashParser();
});

describe("macOS system tools", () => {
  it.each([
    "sw_vers -productVersion", "system_profiler SPHardwareDataType", "defaults read com.apple.dock", "diskutil list",
    "pmset -g batt", "networksetup -listallnetworkservices", "scutil --dns", "softwareupdate --list", "tmutil listbackups",
    "hdiutil info", "mdfind -name README",
  ])("%s is read-only", (script) => {
    expectRisk(script, "read-only");
  });

  it.each([
    ["csrutil disable", "csrutil changes the system"],
    ["spctl --master-disable", "spctl changes the system"],
    ["dscl . -create /Users/x", "dscl changes the system"],
    ["tccutil reset All", "tccutil changes the system"],
    ["open -a Terminal", "open changes the system"],
    ["security find-generic-password -w -s github", "security reads or changes keychains"],
    ["defaults write com.apple.dock autohide -bool true", "defaults changes preferences"],
    ["diskutil eraseDisk APFS X disk2", "diskutil erases or deletes"],
    ["pmset sleep 0", "pmset changes power settings"],
    ["pmset -g -a", "pmset changes power settings"],
    ["networksetup -setdnsservers Wi-Fi 1.1.1.1", "networksetup changes network settings"],
    ["scutil --set HostName evil", "scutil changes system configuration"],
    ["softwareupdate -i -a", "softwareupdate installs or configures updates"],
    ["hdiutil attach x.dmg", "hdiutil attaches or changes disk images"],
  ])("%s is privileged", (script, reason) => {
    expectRisk(script, "privileged", reason);
  });
});
