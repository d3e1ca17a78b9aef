// Mounts inside the sandbox's private mount namespace: the read-only view of
// the tree, writable roots, protected paths, masks, private /tmp, fresh /proc.
#pragma once

#include <algorithm>

#include "../common/plan.h"
#include "../common/status.h"

namespace safe_sh::linux_mnt {

// Refuses (EINVAL-style status naming the flag) a protected path that is a
// symlink or lies under one: mount(2) would follow it (docs/design.md §2, step 4).
Status check_protected_path(const std::string& path);

// True when apply_mounts() makes everything outside the write roots
// read-only: with namespaces, unless "/" itself is a write root.
// Inline: landlock.cc, linked into the addon too, asks it without mounts.cc.
inline bool read_only_view(const Plan& plan) {
  return plan.namespaces && std::find(plan.write_roots.begin(), plan.write_roots.end(), "/") == plan.write_roots.end();
}

// In a process that owns a new mount namespace (CAP_SYS_ADMIN in its user
// namespace): everything but /proc, in the order the plan needs. Call
// mount_proc() right after: the masks' source tmpfs is left beneath /proc.
// With the read-only view it also gives the sandbox its own ptys, and adds
// /dev/ptmx and /dev/pts to plan->devices so Landlock lets them be opened.
Status apply_mounts(Plan* plan);

// A fresh procfs on /proc; only PID 1 of the new pid namespace can do it.
Status mount_proc();

}  // namespace safe_sh::linux_mnt
