// The launcher's report of what it enforced, written just before execve to
// the caller's close-on-exec --report-fd: one JSON line, then EOF at exec.
#pragma once

#include <string>
#include <vector>

#include "../common/plan.h"
#include "landlock.h"

namespace safe_sh::linux_report {

// One JSON object (no newline) from the plan as applied and what the kernel
// accepted: Landlock (null when not applied), seccomp, namespaces, the
// read-only view, protected paths, masks, and `missing`: the gaps found.
std::string describe_enforcement(const Plan& plan, const linux_ll::LandlockReport& landlock, bool seccomp,
                                 const std::vector<std::string>& missing);

// The launcher's line after the run (run cgroups only): {"limitsReached":[...]}.
std::string describe_reached(const std::vector<std::string>& limits);

// Marks fd close-on-exec: it must reach EOF when execve succeeds. A bad fd is
// a setup failure: the caller asked for a report it would never get.
Status prepare_report_fd(int fd);

// Writes the line; a reader that went away (EPIPE) is not our failure.
void send_report(int fd, const std::string& json);

}  // namespace safe_sh::linux_report
