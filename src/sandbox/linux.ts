// The launcher's argv for a plan: pure, compared against exact expected
// output in tests.
import type { SandboxPlan } from "./plan";

/** `reportFd`: where the launcher reports what it enforced (an fd the caller gives it). */
export function launcherArgs(plan: SandboxPlan, argv: readonly string[], reportFd?: number): string[] {
  const args: string[] = [];
  for (const root of plan.readRoots) args.push("--ro", root);
  for (const root of plan.writeRoots) args.push("--rw", root);
  for (const device of plan.devices) args.push("--dev", device);
  if (plan.namespaces) {
    args.push("--namespaces", "--private-tmp");
    for (const target of plan.protect) args.push("--protect", target);
    for (const target of plan.mask) args.push("--mask", target);
    for (const target of plan.sweep) args.push("--sweep", target);
    if (plan.homeLayer) args.push("--home-layer", plan.homeLayer);
    for (const bind of plan.binds) args.push("--bind", bind.source, bind.target);
    args.push("--unix-sockets");
    if (plan.limits.pids > 0) args.push("--limit-pids", String(plan.limits.pids));
  }
  if (plan.limits.memoryMiB > 0) args.push("--limit-memory", String(plan.limits.memoryMiB * 1024 ** 2));
  args.push("--network", plan.network);
  if (plan.proxy) args.push("--proxy-socket", plan.proxy.socketPath, "--proxy-port", String(plan.proxy.port));
  args.push("--chdir", plan.cwd);
  if (plan.allowDegraded) args.push("--allow-degraded");
  if (plan.landlockMaxAbi !== undefined) args.push("--landlock-max-abi", String(plan.landlockMaxAbi));
  if (reportFd !== undefined) args.push("--report-fd", String(reportFd));
  args.push("--", ...argv);
  return args;
}
