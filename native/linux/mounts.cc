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
#include "mount_util.h"
#include "toolchain.h"

namespace safe_sh::linux_mnt {

namespace {

Status set_readonly(int dirfd, const char* path, unsigned flags, const std::string& what) {
  MountAttr attr{kMountAttrRdonly, 0, 0, 0};
  if (sys_mount_setattr(dirfd, path, flags | kAtRecursive, &attr) != 0) return Status::failure(errno, "mount_setattr", what);
  return Status::success();
}

// Read-only recursive re-bind. Landlock does not mediate mount_setattr, so
// seccomp must deny it to the command (NAMESPACE-NOTES §0.1).
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

// An empty tmpfs on /tmp. Roots that lived under the old /tmp (a workspace
// made by mkdtemp, say) are cloned before and bound back at the same path.
Status private_tmp(const Plan& plan) {
  KeptRoots kept;
  Status status = kept.keep_under(plan, "/tmp");
  if (!status.ok()) return status;
  UniqueFd tmp;
  status = detached_tmpfs("1777", "50%", &tmp);
  if (!status.ok()) return status;
  status = attach(tmp.get(), "/tmp");
  if (!status.ok()) return status;
  return kept.restore();
}

}  // namespace

Status check_protected_path(const std::string& path) {
  char real[PATH_MAX];
  if (realpath(path.c_str(), real) == nullptr) return Status::failure(errno, "realpath", path);
  if (path != real) return Status::failure(ELOOP, "realpath", path + " is or lies under a symlink (resolves to " + real + ")");
  return Status::success();
}

Status apply_mounts(Plan* mutable_plan) {
  const Plan& plan = *mutable_plan;
  // A mount namespace made inside a user namespace already turns shared
  // mounts into slaves; MS_PRIVATE makes sure nothing propagates either way.
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return Status::failure(errno, "mount", "/ (MS_PRIVATE)");
  // Before /tmp: the binds' sources may live there.
  Status toolchain = apply_toolchain_mounts(mutable_plan);
  if (!toolchain.ok()) return toolchain;
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
