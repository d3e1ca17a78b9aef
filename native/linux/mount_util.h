// Small mount steps shared by the mount setup files: a detached tmpfs, attach
// a detached tree at a path, and mkdir -p inside the sandbox's own view.
#pragma once

#include <string>
#include <vector>

#include "../common/plan.h"
#include "../common/status.h"
#include "../common/unique_fd.h"

namespace safe_sh::linux_mnt {

// A detached tmpfs (not attached anywhere yet), nosuid and nodev.
Status detached_tmpfs(const char* mode, const char* size, UniqueFd* out);

// Moves the detached tree `tree_fd` onto `target` (never following a symlink).
Status attach(int tree_fd, const std::string& target);

// Creates `path` and its missing parents (mode 0755).
Status mkdir_p(const std::string& path);

// Clears MOUNT_ATTR_RDONLY on a detached clone (best effort): a tree cloned
// from a read-only view of / must come back writable where the plan says so.
// The kernel refuses it for mounts locked read-only by a more privileged
// namespace (a read-only host filesystem); those stay read-only.
void make_writable(int tree_fd);

// True when `path` lies strictly beneath `dir`.
bool under(const std::string& path, const std::string& dir);

// The plan's read and write roots beneath a directory about to be covered
// (by the private /tmp, the home layer), cloned first so that restore()
// binds them back at the same paths afterwards. A read root comes back
// read-only at the mount: it now lies beneath a write root (/tmp, the home),
// whose Landlock rule would otherwise let it be written.
class KeptRoots {
 public:
  Status keep_under(const Plan& plan, const std::string& dir);
  Status restore() const;

 private:
  std::vector<std::string> paths_;
  std::vector<UniqueFd> trees_;
};

}  // namespace safe_sh::linux_mnt
