// The seccomp-BPF deny list (docs/design.md §2, step 7), installed last before execve.
#pragma once

#include <linux/filter.h>

#include <vector>

#include "../common/plan.h"
#include "../common/status.h"

namespace safe_sh::linux_sc {

// The filter program for a plan (exposed for tests and the C API).
std::vector<sock_filter> build_filter(Network network);

// Installs the filter on the calling thread. Needs no_new_privs.
Status apply_seccomp(Network network);

// Whether this kernel accepts seccomp filters (PR_GET_SECCOMP answers).
bool seccomp_available();

}  // namespace safe_sh::linux_sc
