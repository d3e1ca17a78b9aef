// The darwin launcher's argv for a plan: the flags Linux uses where they
// mean the same, plus the generated profile and its parameters. Pure.
import type { DarwinPlan } from "./plan";
import type { SeatbeltProfile } from "./profile";

export function darwinLauncherArgs(plan: DarwinPlan, profile: SeatbeltProfile, argv: readonly string[], reportFd?: number): string[] {
  const args: string[] = [];
  for (const root of plan.writeRoots) args.push("--rw", root);
  args.push("--network", plan.network);
  if (plan.seatbelt.proxyPort !== undefined) args.push("--proxy-port", String(plan.seatbelt.proxyPort));
  args.push("--seatbelt-profile", profile.text);
  for (const [name, value] of profile.params) args.push("--seatbelt-param", `${name}=${value}`);
  args.push("--chdir", plan.cwd);
  if (plan.allowDegraded) args.push("--allow-degraded");
  if (reportFd !== undefined) args.push("--report-fd", String(reportFd));
  args.push("--", ...argv);
  return args;
}
