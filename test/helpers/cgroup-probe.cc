// Runs the launcher's cgroup discovery on fixtures: `cgroup-probe FILE ROOT`
// prints the decision for FILE (a /proc/self/cgroup) under ROOT (a fake
// /sys/fs/cgroup); `cgroup-probe --mark-delegated DIR` sets systemd's mark.
#include <sys/xattr.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "../../native/linux/cgroup_discover.h"

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "--mark-delegated") == 0) {
    if (setxattr(argv[2], "user.delegate", "1", 1, 0) == 0) return 0;
    std::perror("setxattr");
    return 1;
  }
  if (argc != 3) {
    std::fprintf(stderr, "usage: cgroup-probe PROC_SELF_CGROUP FS_ROOT | --mark-delegated DIR\n");
    return 2;
  }
  std::ifstream file(argv[1]);
  std::stringstream text;
  text << file.rdbuf();
  std::printf("%s\n", safe_sh::linux_cg::describe_discovery(safe_sh::linux_cg::discover(text.str(), argv[2])).c_str());
  return 0;
}
