// macOS system tools: read-only when they only inspect, privileged when they
// change the machine or its security settings. (`open`, `osascript`,
// `launchctl`, `diskutil` and `tmutil` are in system.ts.)
import { READ_ONLY, show, verdict, type Family, type ProgramRule } from "./risk";

const privileged: ProgramRule = ({ argv, name }) => verdict("privileged", `${show(argv)}: ${name} changes the system`);

/** Privileged whatever the arguments: security policy, users, disks, boot, kernel extensions. */
const PRIVILEGED = [
  "csrutil", "spctl", "dscl", "dseditgroup", "sysadminctl", "fdesetup", "nvram", "bless", "kextload", "kextunload",
  "kmutil", "systemsetup", "tccutil", "profiles", "pfctl", "installer", "asr", "authopen", "dsenableroot", "createhomedir",
] as const;

/** Privileged unless the first word after the program is one of `reads`. */
function subcommand(reads: RegExp, what: string): ProgramRule {
  return ({ argv }) => {
    const sub = argv.slice(1).find((a) => !a.startsWith("-"));
    return sub !== undefined && reads.test(sub) ? READ_ONLY : verdict("privileged", `${show(argv)}: ${what}`);
  };
}

/** Read-only when it starts with a reading option (`-g`, `--dns`, …) and has no other option; anything else sets. */
function optionReads(reads: RegExp, what: string): ProgramRule {
  return ({ argv }) => {
    const options = argv.slice(1).filter((a) => a.startsWith("-"));
    return argv[1] !== undefined && reads.test(argv[1]) && options.every((a) => reads.test(a)) ? READ_ONLY : verdict("privileged", `${show(argv)}: ${what}`);
  };
}

export const macos: Family = {
  rules: {
    ...Object.fromEntries(PRIVILEGED.map((name) => [name, privileged])),
    security: ({ argv }) => verdict("privileged", `${show(argv)}: security reads or changes keychains and trust settings`),
    defaults: subcommand(/^(read|read-type|domains|find|export|help)$/, "defaults changes preferences"),
    hdiutil: subcommand(/^(info|imageinfo|verify|help)$/, "hdiutil attaches or changes disk images"),
    softwareupdate: optionReads(/^(-l|--list|--history)$/, "softwareupdate installs or configures updates"),
    pmset: optionReads(/^-g/, "pmset changes power settings"),
    networksetup: optionReads(/^-(get|list|show|is|print)/, "networksetup changes network settings"),
    scutil: optionReads(/^(--dns|--proxy|--nwi|-r|--get)$/, "scutil changes system configuration"),
    sw_vers: () => READ_ONLY,
    system_profiler: () => READ_ONLY,
    mdfind: () => READ_ONLY,
  },
  anyArgs: ["sw_vers", "system_profiler"],
};
