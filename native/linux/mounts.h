// Mounts inside the sandbox's private mount namespace: protected paths,
// deny-read masks, a private /tmp and a fresh /proc.
#pragma once

#include "../common/plan.h"
#include "../common/status.h"

namespace safe_sh::linux_mnt {

// Refuses (EINVAL-style status naming the flag) a protected path that is a
// symlink or lies under one: mount(2) would follow it (NAMESPACE-NOTES §2a).
Status check_protected_path(const std::string& path);

// In a process that owns a new mount namespace (CAP_SYS_ADMIN in its user
// namespace): everything but /proc, in the order the plan needs. Call
// mount_proc() right after: the masks' source tmpfs is left beneath /proc.
// Adds the write roots its private mounts create (toolchain.h).
Status apply_mounts(Plan* mutable_plan);

// A fresh procfs on /proc; only PID 1 of the new pid namespace can do it.
Status mount_proc();

}  // namespace safe_sh::linux_mnt
