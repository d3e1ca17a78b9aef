// Mount setup with the fd-based mount API: the whole tree read-only, writable
// roots cloned beforehand and attached back writable, then protected paths and
// masks; nothing is staged at a visible path, nothing follows a symlink.
#include "mounts.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <algorithm>
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

// A recursive clone of `path` as it is now (writable where the host's mount
// is), to attach again once the tree around it has been made read-only.
struct Kept {
  std::string path;
  UniqueFd tree;
};

Status keep(const std::string& path, std::vector<Kept>* kept) {
  UniqueFd tree(sys_open_tree(AT_FDCWD, path.c_str(), kOpenTreeClone | kOpenTreeCloexec | kAtRecursive));
  if (!tree.valid()) return Status::failure(errno, "open_tree", path);
  kept->push_back({path, std::move(tree)});
  return Status::success();
}

// What must be cloned before the tree becomes read-only or /tmp is replaced:
// with the read-only view, every write root (except those that get a fresh
// private mount: a private /tmp, /dev/shm, the home layer); and read roots
// under /tmp or the home layer, which those would otherwise hide or make
// writable. Parents first, so a nested root lands on its parent (a
// workspace in ~/src on the home layer); a root named twice is kept once.
Status keep_roots(const Plan& plan, std::vector<Kept>* kept) {
  std::vector<std::string> paths;
  for (const std::string& root : plan.write_roots) {
    if (gets_private_mount(plan, root) || (plan.private_tmp && root == "/tmp")) continue;
    if (read_only_view(plan) || (plan.private_tmp && under(root, "/tmp"))) paths.push_back(root);
  }
  // A read root beneath the private /tmp or the home layer comes back
  // read-only at the mount: it now lies beneath a write root, whose Landlock
  // rule would otherwise let it be written.
  for (const std::string& root : plan.read_roots)
    if ((plan.private_tmp && under(root, "/tmp")) || (!plan.home_layer.empty() && under(root, plan.home_layer))) paths.push_back(root);
  std::sort(paths.begin(), paths.end(), [](const std::string& a, const std::string& b) { return a.size() != b.size() ? a.size() < b.size() : a < b; });
  paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
  for (const std::string& path : paths) {
    Status status = keep(path, kept);
    if (!status.ok()) return status;
  }
  return Status::success();
}

// Attaches each kept root back at its path: write roots writable (the clone
// was taken before the read-only switch), read roots read-only.
Status attach_kept(const Plan& plan, std::vector<Kept>* kept) {
  for (Kept& root : *kept) {
    bool writable = std::find(plan.write_roots.begin(), plan.write_roots.end(), root.path) != plan.write_roots.end();
    if (!writable) {
      Status status = set_readonly(root.tree.get(), "", kAtEmptyPath, root.path);
      if (!status.ok()) return status;
    }
    // Under a private /tmp the path no longer exists: recreate the way to it.
    Status status = under(root.path, "/tmp") ? mkdir_p(root.path) : Status::success();
    if (status.ok()) status = attach(root.tree.get(), root.path);
    if (!status.ok()) return status;
  }
  return Status::success();
}

// Ptys of the sandbox's own: a new devpts instance on /dev/pts and its ptmx
// bound over /dev/ptmx. The host's ptys (the user's other terminals) are then
// not even visible, so Landlock may grant the whole of /dev/pts. Where the
// host has no /dev/pts there is nothing to replace, and no pty is granted.
Status private_ptys(Plan* plan) {
  struct stat st;
  if (stat("/dev/pts", &st) != 0 || !S_ISDIR(st.st_mode) || lstat("/dev/ptmx", &st) != 0) return Status::success();
  if (mount("devpts", "/dev/pts", "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620") != 0)
    return Status::failure(errno, "mount", "/dev/pts (devpts newinstance)");
  UniqueFd ptmx(sys_open_tree(AT_FDCWD, "/dev/pts/ptmx", kOpenTreeClone | kOpenTreeCloexec));
  if (!ptmx.valid()) return Status::failure(errno, "open_tree", "/dev/pts/ptmx");
  Status status = attach(ptmx.get(), "/dev/ptmx");
  if (!status.ok()) return status;
  plan->devices.emplace_back("/dev/ptmx");
  plan->devices.emplace_back("/dev/pts");
  return Status::success();
}

// An empty tmpfs on /tmp, writable whatever the tree around it is.
Status private_tmp() {
  UniqueFd tmp;
  Status status = detached_tmpfs("1777", "50%", &tmp);
  if (!status.ok()) return status;
  return attach(tmp.get(), "/tmp");
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
  // A slave would also receive the host's later mounts, writable; private,
  // nothing the host mounts during the run appears inside at all.
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return Status::failure(errno, "mount", "/ (MS_PRIVATE)");
  // 0. Sources of the toolchain binds (safe-sh's caches, filtered configs),
  // opened while the host's tree is still in view and writable.
  ToolchainMounts toolchain;
  Status status = toolchain.open_sources(plan);
  if (!status.ok()) return status;

  // 1. Clone what must stay writable (or visible under the private /tmp).
  std::vector<Kept> kept;
  status = keep_roots(plan, &kept);
  if (!status.ok()) return status;

  // 2. The read-only view: every mount of the tree, recursively. Landlock has
  // no right for metadata (mode, owner, times, xattrs, ACLs); a read-only
  // mount refuses those with EROFS, and every write, create, delete, rename,
  // link, truncate and mknod too. Setting MOUNT_ATTR_RDONLY is allowed on the
  // host's locked mounts (only clearing it is not). Device nodes stay usable:
  // opening one for writing needs no write access to its mount, and Landlock
  // still limits which devices may be written (landlock.cc).
  if (read_only_view(plan)) {
    status = set_readonly(AT_FDCWD, "/", 0, "/");
    if (!status.ok()) return status;
  }

  // 3. Writable again, below the read-only tree: fresh private mounts (/tmp,
  // /dev/shm, the home layer), then the kept roots on top of them (a
  // workspace under ~ or /tmp), then the toolchain binds into the home layer.
  if (plan.private_tmp) {
    status = private_tmp();
    if (!status.ok()) return status;
  }
  status = toolchain.mount_layers(plan);
  if (!status.ok()) return status;
  status = attach_kept(plan, &kept);
  if (!status.ok()) return status;
  status = toolchain.bind_sources(plan);
  if (!status.ok()) return status;
  if (read_only_view(plan)) {
    status = private_ptys(mutable_plan);
    if (!status.ok()) return status;
  }

  // 4. Protections on the final view: read-only re-binds inside writable
  // roots, then masks over what must not be read.
  for (const std::string& path : plan.protect) {
    status = protect(path);
    if (!status.ok()) return status;
  }
  Masker masker;
  for (const std::string& path : plan.mask) {
    status = masker.mask(path);
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
