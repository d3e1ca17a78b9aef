// The seccomp-BPF deny list (docs/design.md §2, step 7), installed last before execve.
#pragma once

#include <linux/filter.h>

#include <vector>

#include "../common/plan.h"
#include "../common/status.h"

namespace safe_sh::linux_sc {

// Which socket families the command may create (socketpair is always allowed).
struct SocketPolicy {
  bool inet = false;  // AF_INET, AF_INET6: network full, or a net namespace of its own
  bool local = false;  // AF_UNIX: every host socket masked, abstract ones out of reach
};

// The filter program for a plan (exposed for tests and the C API).
std::vector<sock_filter> build_filter(const SocketPolicy& sockets);

// Installs the filter on the calling thread. Needs no_new_privs.
Status apply_seccomp(const SocketPolicy& sockets);

// Whether this kernel accepts seccomp filters (PR_GET_SECCOMP answers).
bool seccomp_available();

}  // namespace safe_sh::linux_sc
