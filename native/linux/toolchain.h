// Mounts toolchains need, all inside the sandbox's private mount namespace:
// a private /dev/shm, a throwaway writable layer over $HOME, and binds of
// safe-sh-owned cache directories and filtered config files over it.
#pragma once

#include "../common/plan.h"
#include "../common/status.h"

namespace safe_sh::linux_mnt {

// Called by apply_mounts before the private /tmp, protected paths and masks
// (those stay on top of everything mounted here). The binds' sources are
// opened first, while the host's tree is in view. Once mounted, /dev/shm
// (with --private-tmp, when the host has one) and the home layer become
// write roots of the plan, for Landlock.
Status apply_toolchain_mounts(Plan* plan);

}  // namespace safe_sh::linux_mnt
