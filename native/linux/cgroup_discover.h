// Which cgroup, if any, can hold a run's pids and memory limits: parsing
// /proc/self/cgroup and the controller files, and the decision with its reason.
#pragma once

#include <string>

#include "../common/plan.h"

namespace safe_sh::linux_cg {

// The caller's cgroups as /proc/self/cgroup lists them ("" when absent).
struct Membership {
  std::string unified;  // "0::/path": the v2 hierarchy
  std::string pids;     // "N:pids:/path" (or a comma-joined list naming pids)
  std::string memory;   // "N:memory:/path"
};

Membership parse_membership(const std::string& proc_self_cgroup);

// Reads a small file whole (cgroup files are a page at most); false on error.
bool read_small(const std::string& path, std::string* text);

// True when the whitespace-separated list (cgroup.controllers or
// cgroup.subtree_control) names `controller`.
bool lists_controller(const std::string& list, const std::string& controller);

// Where one controller's run cgroups go: `parent` is the directory in which
// safe-sh-<pid> is made; `why` says why this version (or why none) was chosen.
struct Choice {
  Cgroup version = Cgroup::kNone;
  std::string parent;
  bool enable = false;  // v2: "+controller" must be written to parent's cgroup.subtree_control
  std::string why;
};

struct Discovery {
  Choice pids;
  Choice memory;
};

// Decides for both controllers. `fs_root` is where cgroup file systems are
// mounted (/sys/fs/cgroup; the unified hierarchy there or at unified/ on a
// hybrid host). Reads a handful of small files, never walks a hierarchy.
Discovery discover(const std::string& proc_self_cgroup, const std::string& fs_root);

// Discovery for this process under /sys/fs/cgroup.
Discovery discover_own();

// "cgroup v2", "cgroup v1" or "none".
const char* version_name(Cgroup version);

// One JSON object: {"pids":{"version","parent","enable","why"},"memory":{...}}.
std::string describe_discovery(const Discovery& discovery);

}  // namespace safe_sh::linux_cg
