// Protected paths that did not exist when the run started must not exist
// after it: no mount can cover a missing path (docs/design.md §2, step 4).
#pragma once

#include <string>
#include <vector>

namespace safe_sh::linux_sweep {

// The paths of `candidates` that do not exist now (lstat ENOENT).
std::vector<std::string> absent_paths(const std::vector<std::string>& candidates);

// Renames each path that now exists aside to PATH.safe-sh-swept.PID, without
// following symlinks and without deleting anything; prints one line per path.
// Call only once every sandboxed process is dead.
void sweep(const std::vector<std::string>& paths);

}  // namespace safe_sh::linux_sweep
