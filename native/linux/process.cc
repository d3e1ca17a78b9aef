// no_new_privs, capability drop, parent-death signal, fd hygiene.
#include "process.h"

#include <linux/capability.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace safe_sh::linux_proc {

namespace {

bool has_any_capability() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  if (syscall(SYS_capget, &header, data) != 0) return true;
  for (const auto& d : data)
    if (d.effective != 0 || d.permitted != 0 || d.inheritable != 0) return true;
  return false;
}

}  // namespace

Status set_parent_death_signal() {
  pid_t parent = getppid();
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) return Status::failure(errno, "prctl(PR_SET_PDEATHSIG)");
  // The parent may have died between fork and the prctl: we were reparented.
  if (getppid() != parent || parent == 1) return Status::failure(ESRCH, "getppid", "parent exited");
  return Status::success();
}

Status set_no_new_privs() {
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return Status::failure(errno, "prctl(PR_SET_NO_NEW_PRIVS)");
  return Status::success();
}

Status drop_capabilities() {
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL)
    return Status::failure(errno, "prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
  // Without CAP_SETPCAP (an ordinary user) the bounding set cannot be
  // changed, and there is nothing in it that exec could grant anyway.
  // Drop upwards until the kernel says EINVAL: it checks CAP_SETPCAP first
  // (EPERM), then cap_valid() (EINVAL past CAP_LAST_CAP), so the first EINVAL
  // is the end of the set, as libcap's cap_max_bits() probes it. No file in
  // the fresh /proc to open (/proc/sys/kernel/cap_last_cap, re-read on every
  // iteration, was 1.2 ms of each run on a slow VM).
  if (has_any_capability()) {
    for (int cap = 0;; ++cap) {
      if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0) continue;
      if (errno == EINVAL && cap > 0) break;
      return Status::failure(errno, "prctl(PR_CAPBSET_DROP)");
    }
  }
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  if (syscall(SYS_capset, &header, data) != 0) return Status::failure(errno, "capset");
  return Status::success();
}

void close_inherited_fds(int keep) {
  bool closed = keep < 3 ? syscall(SYS_close_range, 3U, ~0U, 0U) == 0
                         : (keep == 3 || syscall(SYS_close_range, 3U, static_cast<unsigned>(keep - 1), 0U) == 0) &&
                               syscall(SYS_close_range, static_cast<unsigned>(keep + 1), ~0U, 0U) == 0;
  if (closed) return;
  rlimit limit{};
  long max_fd = getrlimit(RLIMIT_NOFILE, &limit) == 0 ? static_cast<long>(limit.rlim_cur) : 1024;
  for (long fd = 3; fd < max_fd && fd < 65536; ++fd)
    if (fd != keep) close(static_cast<int>(fd));
}

}  // namespace safe_sh::linux_proc
