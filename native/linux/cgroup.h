// A run's own cgroups: made before the sandbox's init exists, init placed in
// them before it runs any code, read for limit events after, then removed.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "../common/plan.h"
#include "../common/status.h"
#include "../common/unique_fd.h"
#include "cgroup_discover.h"

namespace safe_sh::linux_cg {

class RunCgroups {
 public:
  // Makes safe-sh-<launcher pid> under each chosen parent and writes the
  // plan's limits there; sets plan->cgroup_pids/cgroup_memory for the
  // controllers that hold. A controller that can't be set up keeps its
  // rlimit fallback (never both: the rlimit would fire first and hide the
  // cgroup's event).
  void create(const Discovery& discovery, Plan* plan);

  // Removes run cgroups beside ours whose launcher no longer exists (killed
  // before it could clean up); one still in use can't be removed (EBUSY).
  void remove_stale_siblings() const;

  bool active() const { return !dirs_.empty(); }

  // Moves pid into every run cgroup (through cgroup.procs opened in create,
  // so the check uses the launcher's credentials before it changed namespaces).
  Status attach(pid_t pid);

  // Limits the run hit: "pids" (a fork refused at pids.max), "memory" (an
  // OOM kill at the memory limit). Call once every run process is dead.
  std::vector<std::string> reached() const;

  // Removes the run cgroups (each is empty once the pid namespace is gone).
  void remove();

 private:
  struct Dir {
    std::string path;
    Cgroup version;
    bool pids = false;
    bool memory = false;
    UniqueFd procs;
  };
  Dir* dir_for(const Choice& choice, const std::string& name);
  bool set_up(const Choice& choice, const char* controller, const Plan& plan, const std::string& name);

  std::vector<Dir> dirs_;
};

}  // namespace safe_sh::linux_cg
