// Containment without a pid namespace: the command runs in the launcher's
// process group, which the launcher empties when the command ends or when
// its own parent dies (kqueue NOTE_EXIT), and signals sent to the launcher
// alone reach every process of the group.
#pragma once

#include <sys/types.h>

#include <functional>

#include "../common/status.h"

namespace safe_sh::darwin_proc {

// Makes the launcher the leader of its own process group (unless it already
// is, e.g. spawned with setsid): emptying the group must not reach the
// caller. When the caller's group held the terminal's foreground, the new
// group takes it and *previous_foreground is set (else 0) for
// restore_foreground() at the end.
Status lead_process_group(pid_t* previous_foreground);
void restore_foreground(pid_t group);

// Closes every fd above 2 but `keep` (proc_pidinfo lists the open ones).
void close_inherited_fds(int keep);

// Forks; the child resets signal handling and runs `exec_child` (which must
// not return). The parent watches the child, its own parent and the signals
// SIGHUP/SIGINT/SIGQUIT/SIGTERM on one kqueue. Returns the child's wait
// status once it has exited and every other process of the group has been
// SIGKILLed; if the launcher's parent dies first, SIGKILLs the group and
// returns the status of a SIGKILLed command. `child_only_fd` (the report
// pipe, or -1) is closed in the parent after the fork, so its reader sees EOF
// when the command execs, not when the launcher exits. Fails (nothing
// started, or the child killed) with the call that failed.
Status run_contained(const std::function<void()>& exec_child, int child_only_fd, int* wait_status);

}  // namespace safe_sh::darwin_proc
