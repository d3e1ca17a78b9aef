// Landlock: best effort up to the running ABI, failing closed below a minimum.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../common/plan.h"
#include "../common/status.h"

namespace safe_sh::linux_ll {

// The running kernel's Landlock ABI; 0 when Landlock is absent or disabled,
// with *why set to the errno of the version query.
int landlock_abi(int* why);

// Caps what landlock_abi() reports (--landlock-max-abi): for tests proving
// what each older ABI enforces on a newer kernel. Never raises it.
void cap_landlock_abi(int max_abi);

// What a ruleset enforced, for the launcher's report.
struct LandlockReport {
  int abi = 0;
  bool applied = false;              // landlock_restrict_self succeeded
  uint64_t fs_handled = 0;           // LANDLOCK_ACCESS_FS_* the domain handles
  uint64_t net_handled = 0;          // LANDLOCK_ACCESS_NET_*
  uint64_t scoped = 0;               // LANDLOCK_SCOPE_*
  std::vector<std::string> missing;  // guarantees the kernel could not give
};

// Builds the ruleset from the plan's roots and restricts the calling thread.
// Needs no_new_privs (or CAP_SYS_ADMIN). Opens every path now, so call it
// after all mounts (rules bind to inodes).
Status apply_landlock(const Plan& plan, LandlockReport* report);

}  // namespace safe_sh::linux_ll
