// RLIMIT_NPROC counts the processes of a uid per user namespace (Linux 5.14
// ucounts): inside the sandbox's own user namespace it counts the sandbox's
// processes only (the launcher and init included), not the user's others.
// RLIMIT_DATA caps each process's private writable memory; unlike RLIMIT_AS
// it leaves address-space reservations alone (V8, Go and the JVM reserve far
// more than they use).
#include "limits.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "../common/unique_fd.h"

namespace safe_sh::linux_lim {

namespace {

// Lowers both soft and hard limit, never raises one the caller already has.
Status lower_limit(int resource, rlim_t value, const char* name) {
  rlimit current{};
  if (getrlimit(resource, &current) != 0) return Status::failure(errno, "getrlimit", name);
  if (current.rlim_max != RLIM_INFINITY && current.rlim_max < value) value = current.rlim_max;
  rlimit wanted{value, value};
  if (setrlimit(resource, &wanted) != 0) return Status::failure(errno, "setrlimit", name);
  return Status::success();
}

}  // namespace

Status apply_limits(const Plan& plan) {
  if (plan.limit_pids > 0 && plan.cgroup_pids == Cgroup::kNone) {
    Status status = lower_limit(RLIMIT_NPROC, static_cast<rlim_t>(plan.limit_pids), "RLIMIT_NPROC");
    if (!status.ok()) return status;
  }
  if (plan.limit_memory > 0 && plan.cgroup_memory == Cgroup::kNone) {
    Status status = lower_limit(RLIMIT_DATA, static_cast<rlim_t>(plan.limit_memory), "RLIMIT_DATA");
    if (!status.ok()) return status;
  }
  return Status::success();
}

Status limit_pid_namespace(Plan* plan) {
  if (plan->limit_pids <= 0 || plan->cgroup_pids != Cgroup::kNone) return Status::success();
  constexpr long kReservedPids = 300;  // the kernel's RESERVED_PIDS
  UniqueFd fd(open("/proc/sys/kernel/pid_max", O_WRONLY | O_CLOEXEC));
  if (!fd.valid()) return Status::failure(errno, "open", "/proc/sys/kernel/pid_max");
  std::string value = std::to_string(plan->limit_pids + kReservedPids);
  plan->pid_max_set = write(fd.get(), value.data(), value.size()) > 0;
  if (!plan->pid_max_set) {
    // EPERM, EACCES or EINVAL: a kernel without a per-namespace pid_max, or
    // a parent namespace with a lower one. RLIMIT_NPROC is then the limit,
    // and for a root caller there is none (docs/limits.md says so).
  }
  return Status::success();
}

}  // namespace safe_sh::linux_lim
