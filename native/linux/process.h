// Process-level hardening applied before Landlock and seccomp.
#pragma once

#include "../common/status.h"

namespace safe_sh::linux_proc {

// SIGKILL when the parent (safe-sh) dies; fails if it already has.
Status set_parent_death_signal();

Status set_no_new_privs();

// Bounding, ambient, effective, permitted, inheritable: all cleared, so a root
// caller is not root-with-capabilities inside (docs/design.md §2, step 5).
Status drop_capabilities();

// Closes every fd above 2 but `keep` (-1: none) (close_range, Linux 5.9;
// a loop otherwise).
void close_inherited_fds(int keep);

}  // namespace safe_sh::linux_proc
