// What the Linux probe measures, answered on macOS: none of it exists here
// (ENOSYS). Seatbelt's own checks (sandbox-exec present, a profile compiles,
// SIP) are run by `safe-sh doctor` through the launcher.
#include <cerrno>

#include "../include/safe_sh.h"

extern "C" int safe_sh_probe(struct safe_sh_probe* out) {
  out->landlock_abi = 0;
  out->landlock_errno = ENOSYS;
  out->seccomp = 0;
  out->user_namespaces = 0;
  out->userns_errno = ENOSYS;
  out->net_namespaces = 0;
  out->netns_errno = ENOSYS;
  return 0;
}

extern "C" const char* safe_sh_version(void) { return SAFE_SH_VERSION; }
