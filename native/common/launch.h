// The steps every OS's launcher main() shares: the flags, --chdir, the
// environment and the program lookup. Failures print one line and exit.
#pragma once

#include <string>
#include <vector>

#include "plan.h"

namespace safe_sh {

// Parses argv; prints --help or --version and exits 0, or the error and exits 125.
Plan parse_flags_or_exit(int argc, char** argv);

struct Command {
  std::vector<std::string> env;  // "NAME=value", as built from the plan
  std::string program;           // absolute path of plan.argv[0]
};

// Enters --chdir, builds the environment, finds the program in its PATH;
// exits 125 (chdir), 126 (not executable) or 127 (not found) on failure.
Command prepare_command_or_exit(const Plan& plan, char* const* current_env);

// "safe-sh-exec: MESSAGE" on stderr, then _exit(status).
[[noreturn]] void exit_launcher(int status, const std::string& message);

}  // namespace safe_sh
