// User, pid, mount (and net) namespaces with a resident init as PID 1.
#pragma once

#include <string>
#include <vector>

#include "../common/plan.h"

namespace safe_sh::linux_ns {

// Never returns. In the launcher (L): unshare user (+ net), map our ids to
// themselves, unshare pid, fork the init (C), forward signals to it, wait,
// sweep, and exit with the command's status or re-raise its signal.
// C: private mount namespace and mounts, fresh /proc, starts the command (vfork-style),
// forwards signals to it, reaps orphans, reports the command's wait status.
[[noreturn]] void run_in_namespaces(Plan plan, const std::string& program, std::vector<std::string> env);

}  // namespace safe_sh::linux_ns
