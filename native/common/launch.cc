// See launch.h: what the Linux and macOS launchers do alike before they
// confine the command.
#include "launch.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "environment.h"

namespace safe_sh {

void exit_launcher(int status, const std::string& message) {
  std::string line = "safe-sh-exec: " + message + "\n";
  if (write(STDERR_FILENO, line.data(), line.size()) < 0) {
    // Nothing left to report it on.
  }
  _exit(status);
}

Plan parse_flags_or_exit(int argc, char** argv) {
  ParseResult parsed = parse_flags(argc, argv);
  if (!parsed.ok) exit_launcher(125, parsed.error);
  if (parsed.help || parsed.version) {
    std::fputs(parsed.help ? kLauncherHelp : "safe-sh-exec " SAFE_SH_VERSION "\n", stdout);
    std::fflush(stdout);
    _exit(0);
  }
  return std::move(parsed.plan);
}

Command prepare_command_or_exit(const Plan& plan, char* const* current_env) {
  if (!plan.chdir.empty() && chdir(plan.chdir.c_str()) != 0)
    exit_launcher(125, "--chdir " + plan.chdir + ": " + std::strerror(errno));
  Command command;
  command.env = build_environment(plan, current_env);
  int lookup_error = 0;
  command.program = resolve_program(plan.argv[0], find_env(command.env, "PATH"), &lookup_error);
  if (command.program.empty()) {
    exit_launcher(lookup_error == EACCES ? 126 : 127,
                  plan.argv[0] + ": " + (lookup_error == ENOENT ? "command not found" : std::strerror(lookup_error)));
  }
  return command;
}

}  // namespace safe_sh
