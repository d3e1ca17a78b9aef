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

// True when `path` lies strictly beneath `dir`.
bool under(const std::string& path, const std::string& dir);

}  // namespace safe_sh::linux_mnt
