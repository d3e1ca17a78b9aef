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

void make_writable(int tree_fd) {
  MountAttr attr{0, kMountAttrRdonly, 0, 0};
  if (sys_mount_setattr(tree_fd, "", kAtEmptyPath | kAtRecursive, &attr) != 0) {
    // Locked read-only: writes fail with EROFS, as they would on the host.
  }
}

bool under(const std::string& path, const std::string& dir) {
  return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/';
}

Status KeptRoots::keep_under(const Plan& plan, const std::string& dir) {
  for (const auto* list : {&plan.write_roots, &plan.read_roots}) {
    for (const std::string& root : *list) {
      if (!under(root, dir) || std::find(paths_.begin(), paths_.end(), root) != paths_.end()) continue;
      trees_.emplace_back(sys_open_tree(AT_FDCWD, root.c_str(), kOpenTreeClone | kOpenTreeCloexec | kAtRecursive));
      if (!trees_.back().valid()) return Status::failure(errno, "open_tree", root);
      paths_.push_back(root);
      if (list == &plan.write_roots) {
        make_writable(trees_.back().get());
        continue;
      }
      MountAttr attr{kMountAttrRdonly, 0, 0, 0};
      if (sys_mount_setattr(trees_.back().get(), "", kAtEmptyPath | kAtRecursive, &attr) != 0)
        return Status::failure(errno, "mount_setattr", root);
    }
  }
  return Status::success();
}

Status KeptRoots::restore() const {
  // Parents before what lies beneath them (a write root inside a read root),
  // or the parent's bind would cover the child's.
  std::vector<size_t> order(paths_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [this](size_t a, size_t b) { return paths_[a].size() < paths_[b].size(); });
  for (size_t i : order) {
    Status status = mkdir_p(paths_[i]);
    if (!status.ok()) return status;
    status = attach(trees_[i].get(), paths_[i]);
    if (!status.ok()) return status;
  }
  return Status::success();
}

}  // namespace safe_sh::linux_mnt
