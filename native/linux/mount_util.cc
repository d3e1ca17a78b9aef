// Small mount steps shared by mounts.cc and toolchain.cc.
#include "mount_util.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>

#include "mount_api.h"

namespace safe_sh::linux_mnt {

Status detached_tmpfs(const char* mode, const char* size, UniqueFd* out) {
  UniqueFd fs(sys_fsopen("tmpfs", kFsopenCloexec));
  if (!fs.valid()) return Status::failure(errno, "fsopen", "tmpfs");
  if (sys_fsconfig(fs.get(), kFsconfigSetString, "mode", mode, 0) != 0) return Status::failure(errno, "fsconfig", "mode");
  if (sys_fsconfig(fs.get(), kFsconfigSetString, "size", size, 0) != 0) return Status::failure(errno, "fsconfig", "size");
  if (sys_fsconfig(fs.get(), kFsconfigCmdCreate, nullptr, nullptr, 0) != 0) return Status::failure(errno, "fsconfig", "create");
  out->reset(sys_fsmount(fs.get(), kFsmountCloexec, static_cast<unsigned>(kMountAttrNosuid | kMountAttrNodev)));
  if (!out->valid()) return Status::failure(errno, "fsmount", "tmpfs");
  return Status::success();
}

Status attach(int tree_fd, const std::string& target) {
  UniqueFd to(open(target.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
  if (!to.valid()) return Status::failure(errno, "open", target);
  if (sys_move_mount(tree_fd, "", to.get(), "", kMoveMountFEmptyPath | kMoveMountTEmptyPath) != 0)
    return Status::failure(errno, "move_mount", target);
  return Status::success();
}

Status mkdir_p(const std::string& path) {
  for (size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    std::string prefix = slash == std::string::npos ? path : path.substr(0, slash);
    if (mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) return Status::failure(errno, "mkdir", prefix);
    if (slash == std::string::npos) return Status::success();
  }
}

bool under(const std::string& path, const std::string& dir) {
  return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/';
}

}  // namespace safe_sh::linux_mnt
