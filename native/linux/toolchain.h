// Mounts toolchains need, all inside the sandbox's private mount namespace:
// a private /dev/shm, a throwaway writable layer over $HOME, and binds of
// safe-sh-owned cache directories and filtered config files over it.
#pragma once

#include <string>
#include <vector>

#include "../common/plan.h"
#include "../common/status.h"
#include "../common/unique_fd.h"

namespace safe_sh::linux_mnt {

// Adds the write roots the mounts below create: /dev/shm with --private-tmp
// (when the host has one), the home layer. Call before the plan is applied;
// every mount here either succeeds or the launcher exits, so a root never
// reaches Landlock without its private mount.
void add_toolchain_roots(Plan* plan);

// True for a write root that gets a fresh private mount here (the home
// layer; /dev/shm with --private-tmp) rather than the host's tree bound back.
bool gets_private_mount(const Plan& plan, const std::string& root);

// SRC of a --bind (a safe-sh-owned cache directory or a filtered copy of a
// config file), cloned while the host's tree is still in view: the read-only
// switch, the home layer and the private /tmp would change or hide it.
struct BindSource {
  UniqueFd tree;
  bool directory = false;
};

// The toolchain mounts, in the three steps apply_mounts interleaves with its
// own: open the bind sources first, mount the private layers after the tree
// is read-only, bind the sources once the kept roots are back. Protected
// paths and masks come after all of them, so they stay on top.
class ToolchainMounts {
 public:
  Status open_sources(const Plan& plan);
  Status mount_layers(const Plan& plan);
  Status bind_sources(const Plan& plan);

 private:
  std::vector<BindSource> sources_;
};

}  // namespace safe_sh::linux_mnt
