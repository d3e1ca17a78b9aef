// Mount setup with the fd-based mount API: detached tmpfs instances are built
// first and attached with move_mount, so nothing is staged at a visible path
// and protected paths are opened without following symlinks.
#include "mounts.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <string>
#include <vector>

#include "../common/unique_fd.h"
#include "mount_api.h"

namespace safe_sh::linux_mnt {

namespace {

// A detached tmpfs (not attached anywhere yet) with the given root mode.
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

Status set_readonly(int dirfd, const char* path, unsigned flags, const std::string& what) {
  MountAttr attr{kMountAttrRdonly, 0, 0, 0};
  if (sys_mount_setattr(dirfd, path, flags | kAtRecursive, &attr) != 0) return Status::failure(errno, "mount_setattr", what);
  return Status::success();
}

// Read-only recursive re-bind. Landlock does not mediate mount_setattr, so
// seccomp must deny it to the command (docs/design.md §2, steps 4 and 7).
Status protect(const std::string& path) {
  UniqueFd tree(sys_open_tree(AT_FDCWD, path.c_str(), kOpenTreeClone | kOpenTreeCloexec | kAtRecursive | kAtSymlinkNofollow));
  if (!tree.valid()) return Status::failure(errno, "open_tree", path);
  Status status = set_readonly(tree.get(), "", kAtEmptyPath, path);
  if (!status.ok()) return status;
  return attach(tree.get(), path);
}

// Masks: a mode-000 read-only tmpfs over directories, a mode-000 empty file
// from that tmpfs over files and sockets. Reads and listings fail with EACCES
// (capabilities are dropped before exec, so not even root overrides it).
class Masker {
 public:
  Status mask(const std::string& path) {
    struct stat st;
    if (lstat(path.c_str(), &st) != 0) return Status::success();  // nothing there to read
    if (S_ISLNK(st.st_mode)) return Status::success();             // its target is masked if listed
    Status status = ensure_source();
    if (!status.ok()) return status;
    UniqueFd tree(sys_open_tree(root_.get(), S_ISDIR(st.st_mode) ? "dir" : "file",
                                kOpenTreeClone | kOpenTreeCloexec));
    if (!tree.valid()) return Status::failure(errno, "open_tree", path);
    return attach(tree.get(), path);
  }

 // Attaches the source beneath `mountpoint`, which the caller then mounts
  // over. Closed while detached, the source would be unmounted on its own,
  // and each unmount waits for an RCU grace period (0.2 to 1.3 ms on a
  // 2-core VM); attached, it goes with the namespace's own teardown.
  Status park_beneath(const std::string& mountpoint) {
    if (!root_.valid()) return Status::success();
    return attach(root_.get(), mountpoint);
  }

 private:
  Status ensure_source() {
    if (root_.valid()) return Status::success();
    Status status = detached_tmpfs("0755", "4k", &root_);
    if (!status.ok()) return status;
    if (mkdirat(root_.get(), "dir", 0) != 0) return Status::failure(errno, "mkdirat", "mask dir");
    int file = openat(root_.get(), "file", O_CREAT | O_EXCL | O_RDONLY | O_CLOEXEC, 0);
    if (file < 0) return Status::failure(errno, "openat", "mask file");
    close(file);  // an open file would make the read-only switch EBUSY
    return set_readonly(root_.get(), "", kAtEmptyPath, "mask");
  }

  UniqueFd root_;
};

bool under(const std::string& path, const std::string& dir) {
  return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/';
}

Status mkdir_p(const std::string& path) {
  for (size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    std::string prefix = slash == std::string::npos ? path : path.substr(0, slash);
    if (mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) return Status::failure(errno, "mkdir", prefix);
    if (slash == std::string::npos) return Status::success();
  }
}

// An empty tmpfs on /tmp. Roots that lived under the old /tmp (a workspace
// made by mkdtemp, say) are cloned before and bound back at the same path.
Status private_tmp(const Plan& plan) {
  std::vector<std::string> keep;
  for (const auto* list : {&plan.read_roots, &plan.write_roots})
    for (const std::string& root : *list)
      if (under(root, "/tmp")) keep.push_back(root);

  std::vector<UniqueFd> trees;
  for (const std::string& root : keep) {
    trees.emplace_back(sys_open_tree(AT_FDCWD, root.c_str(), kOpenTreeClone | kOpenTreeCloexec | kAtRecursive));
    if (!trees.back().valid()) return Status::failure(errno, "open_tree", root);
  }
  UniqueFd tmp;
  Status status = detached_tmpfs("1777", "50%", &tmp);
  if (!status.ok()) return status;
  status = attach(tmp.get(), "/tmp");
  if (!status.ok()) return status;
  for (size_t i = 0; i < keep.size(); ++i) {
    status = mkdir_p(keep[i]);
    if (!status.ok()) return status;
    status = attach(trees[i].get(), keep[i]);
    if (!status.ok()) return status;
  }
  return Status::success();
}

}  // namespace

Status check_protected_path(const std::string& path) {
  char real[PATH_MAX];
  if (realpath(path.c_str(), real) == nullptr) return Status::failure(errno, "realpath", path);
  if (path != real) return Status::failure(ELOOP, "realpath", path + " is or lies under a symlink (resolves to " + real + ")");
  return Status::success();
}

Status apply_mounts(const Plan& plan) {
  // A mount namespace made inside a user namespace already turns shared
  // mounts into slaves; MS_PRIVATE makes sure nothing propagates either way.
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return Status::failure(errno, "mount", "/ (MS_PRIVATE)");
  if (plan.private_tmp) {
    Status status = private_tmp(plan);
    if (!status.ok()) return status;
  }
  for (const std::string& path : plan.protect) {
    Status status = protect(path);
    if (!status.ok()) return status;
  }
  Masker masker;
  for (const std::string& path : plan.mask) {
    Status status = masker.mask(path);
    if (!status.ok()) return status;
  }
  // mount_proc() covers it next; it holds only a read-only empty dir and file.
  return masker.park_beneath("/proc");
}

Status mount_proc() {
  if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
    return Status::failure(errno, "mount", "/proc");
  return Status::success();
}

}  // namespace safe_sh::linux_mnt
