// What this kernel can enforce, measured by trying: the Landlock version
// query, PR_GET_SECCOMP, and unshare(2) in a short-lived child.
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

#include "../include/safe_sh.h"
#include "landlock.h"
#include "seccomp.h"

namespace {

// 0 when unshare(flags) succeeds in a child; its errno otherwise. The child
// only makes system calls, so forking a multithreaded process is safe here.
int try_unshare(int flags) {
  pid_t pid = fork();
  if (pid < 0) return errno;
  if (pid == 0) _exit(unshare(flags) == 0 ? 0 : (errno & 0xff));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return errno;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : ECHILD;
}

}  // namespace

extern "C" int safe_sh_probe(struct safe_sh_probe* out) {
  out->landlock_errno = 0;
  out->landlock_abi = safe_sh::linux_ll::landlock_abi(&out->landlock_errno);
  out->seccomp = safe_sh::linux_sc::seccomp_available() ? 1 : 0;
  // One child in the common case (both work); a second only to tell which failed.
  out->netns_errno = try_unshare(CLONE_NEWUSER | CLONE_NEWNET);
  out->userns_errno = out->netns_errno == 0 ? 0 : try_unshare(CLONE_NEWUSER);
  out->user_namespaces = out->userns_errno == 0;
  out->net_namespaces = out->netns_errno == 0;
  return 0;
}

extern "C" const char* safe_sh_version(void) { return SAFE_SH_VERSION; }
