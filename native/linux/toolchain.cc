// Private /dev/shm, the throwaway home layer and --bind. Nothing here writes
// to a host filesystem: directories and files are created only on tmpfs or
// in the home layer's tmpfs upper directory.
#include "toolchain.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <vector>

#include "../common/unique_fd.h"
#include "mount_api.h"
#include "mount_util.h"

namespace safe_sh::linux_mnt {

namespace {

constexpr char kShm[] = "/dev/shm";

// POSIX shared memory (shm_open, Python multiprocessing's semaphores) lives
// in /dev/shm; the host's is shared with every host process, so the sandbox
// gets an empty one of its own.
Status private_shm() {
  UniqueFd shm;
  Status status = detached_tmpfs("1777", "50%", &shm);
  if (!status.ok()) return status;
  return attach(shm.get(), kShm);
}

// overlayfs takes its layers as one comma-separated option string: a path
// with a separator or escape character in it would be misread.
bool safe_for_overlay_options(const std::string& path) { return path.find_first_of(",:\\\n") == std::string::npos; }

// $HOME as an overlay: the real home is the read-only lower layer, a private
// tmpfs the upper one (overlayfs in a user namespace: Linux 5.11). The tmpfs
// first covers $HOME itself to hold the layers, then the overlay covers it,
// so neither is reachable by path. Roots that live under $HOME (a workspace
// in ~/src) were cloned before and are attached back over it by apply_mounts,
// so their writes reach the host.
Status home_layer(const Plan& plan) {
  const std::string& home = plan.home_layer;
  if (!safe_for_overlay_options(home)) return Status::failure(EINVAL, "overlay", home + " contains , : or \\");
  struct stat home_st;
  if (lstat(home.c_str(), &home_st) != 0) return Status::failure(errno, "lstat", home);
  if (!S_ISDIR(home_st.st_mode)) return Status::failure(ENOTDIR, "lstat", home);

  UniqueFd lower(sys_open_tree(AT_FDCWD, home.c_str(), kOpenTreeClone | kOpenTreeCloexec));
  if (!lower.valid()) return Status::failure(errno, "open_tree", home);

  UniqueFd layers;
  Status status = detached_tmpfs("0700", "50%", &layers);
  if (!status.ok()) return status;
  for (const char* dir : {"lower", "upper", "work"})
    if (mkdirat(layers.get(), dir, 0700) != 0) return Status::failure(errno, "mkdirat", dir);
  // The merged root takes the upper directory's mode: keep the home's own.
  if (fchmodat(layers.get(), "upper", home_st.st_mode & 07777, 0) != 0) return Status::failure(errno, "fchmodat", "upper");
  status = attach(layers.get(), home);
  if (!status.ok()) return status;
  status = attach(lower.get(), home + "/lower");
  if (!status.ok()) return status;
  std::string options = "lowerdir=" + home + "/lower,upperdir=" + home + "/upper,workdir=" + home + "/work";
  if (mount("overlay", home.c_str(), "overlay", MS_NOSUID | MS_NODEV, options.c_str()) != 0)
    return Status::failure(errno, "mount(overlay)", home);
  return Status::success();
}

// ELOOP when a component of `path` below `base` is a symlink: mkdir(2) and
// open(2) would follow it out of the home layer onto a host filesystem.
Status check_no_symlink_below(const std::string& base, const std::string& path) {
  for (size_t slash = path.find('/', base.size() + 1);; slash = path.find('/', slash + 1)) {
    std::string prefix = slash == std::string::npos ? path : path.substr(0, slash);
    struct stat st;
    if (lstat(prefix.c_str(), &st) != 0) return Status::success();  // missing from here on
    if (S_ISLNK(st.st_mode)) return Status::failure(ELOOP, "lstat", prefix + " is a symlink");
    if (slash == std::string::npos) return Status::success();
  }
}

// Creates a missing bind target of the source's type. Only ever inside the
// home layer (checked by the caller), whose writes land in its tmpfs.
Status create_target(const std::string& home, const std::string& target, bool directory) {
  Status status = check_no_symlink_below(home, target);
  if (!status.ok()) return status;
  if (directory) return mkdir_p(target);
  status = mkdir_p(target.substr(0, target.rfind('/')));
  if (!status.ok()) return status;
  UniqueFd file(open(target.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!file.valid()) return Status::failure(errno, "open", target);
  return Status::success();
}

Status open_source(const std::string& source, BindSource* out) {
  struct stat st;
  if (stat(source.c_str(), &st) != 0) return Status::failure(errno, "stat", source);
  out->directory = S_ISDIR(st.st_mode);
  out->tree.reset(sys_open_tree(AT_FDCWD, source.c_str(), kOpenTreeClone | kOpenTreeCloexec | kAtRecursive));
  if (!out->tree.valid()) return Status::failure(errno, "open_tree", source);
  return Status::success();
}

// The source seen at TARGET. A TARGET that is a symlink is refused: mount(2)
// would follow it.
Status bind_source(const Plan& plan, const BindSource& source, const std::string& target) {
  struct stat st;
  if (lstat(target.c_str(), &st) != 0) {
    if (errno != ENOENT) return Status::failure(errno, "lstat", target);
    if (plan.home_layer.empty() || !under(target, plan.home_layer))
      return Status::failure(ENOENT, "lstat", target + " (missing, and only created inside --home-layer)");
    Status status = create_target(plan.home_layer, target, source.directory);
    if (!status.ok()) return status;
  } else if (S_ISLNK(st.st_mode)) {
    return Status::failure(ELOOP, "lstat", target + " is a symlink");
  } else if (S_ISDIR(st.st_mode) != source.directory) {
    return Status::failure(source.directory ? ENOTDIR : EISDIR, "bind", target);
  }
  return attach(source.tree.get(), target);
}

}  // namespace

void add_toolchain_roots(Plan* plan) {
  struct stat st;
  if (plan->private_tmp && lstat(kShm, &st) == 0 && S_ISDIR(st.st_mode)) plan->write_roots.emplace_back(kShm);
  if (!plan->home_layer.empty()) plan->write_roots.push_back(plan->home_layer);
}

bool gets_private_mount(const Plan& plan, const std::string& root) {
  if (root == plan.home_layer) return true;
  return root == kShm && plan.private_tmp;
}

Status ToolchainMounts::open_sources(const Plan& plan) {
  sources_.resize(plan.binds.size());
  for (size_t i = 0; i < plan.binds.size(); ++i) {
    Status status = open_source(plan.binds[i].first, &sources_[i]);
    if (!status.ok()) return status;
  }
  return Status::success();
}

Status ToolchainMounts::mount_layers(const Plan& plan) {
  if (std::find(plan.write_roots.begin(), plan.write_roots.end(), kShm) != plan.write_roots.end()) {
    Status status = private_shm();
    if (!status.ok()) return status;
  }
  if (!plan.home_layer.empty()) return home_layer(plan);
  return Status::success();
}

Status ToolchainMounts::bind_sources(const Plan& plan) {
  for (size_t i = 0; i < plan.binds.size(); ++i) {
    Status status = bind_source(plan, sources_[i], plan.binds[i].second);
    if (!status.ok()) return status;
  }
  return Status::success();
}

}  // namespace safe_sh::linux_mnt
