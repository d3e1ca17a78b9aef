// Mounts toolchains need, all inside the sandbox's private mount namespace:
// a private /dev/shm, a throwaway writable layer over $HOME, and binds of
// safe-sh-owned cache directories and filtered config files over it.
#pragma once

#include "../common/plan.h"
#include "../common/status.h"

namespace safe_sh::linux_mnt {

// Adds the write roots the mounts below create: /dev/shm with --private-tmp
// (when the host has one), the home layer. Call before the plan is applied;
// every mount here either succeeds or the launcher exits, so a root never
// reaches Landlock without its private mount.
void add_toolchain_roots(Plan* plan);

// Called by apply_mounts first (the binds' sources are opened in the host's
// view), before the private /tmp, protected paths and masks, so those stay on
// top of everything mounted here.
Status apply_toolchain_mounts(const Plan& plan);

}  // namespace safe_sh::linux_mnt
