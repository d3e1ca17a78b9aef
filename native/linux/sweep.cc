// Post-run sweep: rename (never follow, never truncate, never delete) what
// the sandbox created at a protected path that was absent before the run.
#include "sweep.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace safe_sh::linux_sweep {

std::vector<std::string> absent_paths(const std::vector<std::string>& candidates) {
  std::vector<std::string> absent;
  struct stat st;
  for (const std::string& path : candidates)
    if (lstat(path.c_str(), &st) != 0 && errno == ENOENT) absent.push_back(path);
  return absent;
}

void sweep(const std::vector<std::string>& paths) {
  struct stat st;
  for (const std::string& path : paths) {
    if (lstat(path.c_str(), &st) != 0) continue;
    std::string aside = path + ".safe-sh-swept." + std::to_string(getpid());
    // renameat2(RENAME_NOREPLACE) acts on the name itself, never its target.
    // The raw call: musl before 1.2.5 (the prebuilt launcher's libc) has no wrapper.
    if (syscall(SYS_renameat2, AT_FDCWD, path.c_str(), AT_FDCWD, aside.c_str(), RENAME_NOREPLACE) == 0) {
      std::fprintf(stderr, "safe-sh-exec: %s was created inside the sandbox at a protected path; moved aside to %s\n",
                   path.c_str(), aside.c_str());
    } else {
      std::fprintf(stderr, "safe-sh-exec: %s was created inside the sandbox at a protected path and could not be moved aside: %s\n",
                   path.c_str(), std::strerror(errno));
    }
  }
}

}  // namespace safe_sh::linux_sweep
