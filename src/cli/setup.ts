// `safe-sh setup apparmor [--uninstall | --print-profile]`: system set-up that needs root.
import { version } from "../../package.json";
import { SafeShError } from "../errors";
import { installAppArmor, profileText, setupCommand, uninstallAppArmor, APPARMOR_PATHS } from "../setup/apparmor";
import { packageLauncherPath } from "../sandbox/native";

const HELP = `Usage: safe-sh setup apparmor [--uninstall | --print-profile]

Ubuntu 23.10 and later (kernel.apparmor_restrict_unprivileged_userns=1) give an
unprivileged user namespace no capabilities unless an AppArmor profile grants
\`userns\` to the program. As root, this installs the launcher to
${APPARMOR_PATHS.launcher}, writes ${APPARMOR_PATHS.profile}
and loads it; safe-sh then runs that launcher. Run it again after upgrading safe-sh.

  --uninstall       unload the profile and remove both files
  --print-profile   print the profile and change nothing (for packagers)
`;

function usage(message: string): SafeShError {
  return new SafeShError("ERR_SAFESH_USAGE", message, "run `safe-sh setup --help` for usage");
}

export async function command(args: string[]): Promise<number> {
  if (args.length === 0 || args.includes("--help") || args.includes("-h")) {
    process.stdout.write(HELP);
    return args.length === 0 ? 125 : 0;
  }
  const [what, ...rest] = args;
  if (what !== "apparmor") throw usage(`setup: unknown target ${what} (expected apparmor)`);
  if (rest.length > 1 || (rest[0] !== undefined && rest[0] !== "--uninstall" && rest[0] !== "--print-profile")) {
    throw usage(`setup apparmor: unexpected ${rest.join(" ")}`);
  }
  if (rest[0] === "--print-profile") {
    process.stdout.write(profileText());
    return 0;
  }
  if (process.getuid?.() !== 0) {
    throw new SafeShError("ERR_SAFESH_USAGE", "setup apparmor must run as root", `run: ${setupCommand(rest[0] ? ` ${rest[0]}` : "")}`);
  }
  if (rest[0] === "--uninstall") {
    uninstallAppArmor();
    process.stdout.write(`removed ${APPARMOR_PATHS.launcher} and ${APPARMOR_PATHS.profile}\n`);
    return 0;
  }
  installAppArmor(packageLauncherPath(), version);
  process.stdout.write(`installed ${APPARMOR_PATHS.launcher} and loaded ${APPARMOR_PATHS.profile}\n`);
  return 0;
}
