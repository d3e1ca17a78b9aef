// The last steps before execve, in the process that becomes the command:
// no_new_privs, capability drop, Landlock, fd closing, seccomp, exec.
#pragma once

#include <string>
#include <vector>

#include "../common/plan.h"

namespace safe_sh::linux_confine {

constexpr int kExitSetupFailed = 125;
constexpr int kExitNotExecutable = 126;
// The plan can't be enforced here and degraded mode wasn't asked for: refused,
// with the status the CLI gives a refusal.
constexpr int kExitNotEnforced = 126;
constexpr int kExitNotFound = 127;

[[noreturn]] void die(int status, const std::string& message);

// Never returns: execs `program` confined, or prints one line and exits
// 125 (setup failed) / 126 / 127. Call after every mount is in place.
[[noreturn]] void confine_and_exec(Plan plan, const std::string& program, std::vector<std::string> env);

}  // namespace safe_sh::linux_confine
