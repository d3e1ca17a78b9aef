// Resource limits for the command's process tree (pids, memory), so a fork
// bomb or a runaway allocation ends inside the sandbox, not on the host.
#pragma once

#include "../common/plan.h"
#include "../common/status.h"

namespace safe_sh::linux_lim {

// Sets RLIMIT_NPROC and RLIMIT_DATA from the plan (0 leaves a limit as is),
// except where a run cgroup holds that limit (plan.cgroup_pids/_memory).
// Call in the command after the capability drop (CAP_SYS_RESOURCE and
// CAP_SYS_ADMIN would bypass RLIMIT_NPROC) and before execve.
Status apply_limits(const Plan& plan);

// In PID 1 of the sandbox's pid namespace, after its /proc is mounted:
// caps the namespace's pid numbers (pid_max is per pid namespace since Linux
// 6.14) at limit_pids + 300, so at most that many processes exist even for a
// root caller, whom RLIMIT_NPROC never stops (the kernel exempts global uid
// 0). Pids wrap to 300, not 1, so at least limit_pids fit at any time. An
// older kernel refuses the write: then only RLIMIT_NPROC holds. Sets
// plan->pid_max_set when the cap holds; skipped when a cgroup limits pids.
Status limit_pid_namespace(Plan* plan);

}  // namespace safe_sh::linux_lim
