// main() of safe-sh-exec: parse the plan, check it, then either confine this
// process and exec (no namespaces) or run the command under a namespace init.
// Every failure before exec prints one line and exits 125 (127/126 for a
// program that is missing or not executable); nothing runs.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "common/environment.h"
#include "common/plan.h"
#include "common/status.h"
#include "linux/confine.h"
#include "linux/landlock.h"
#include "linux/mounts.h"
#include "linux/namespaces.h"
#include "linux/process.h"

extern char** environ;

namespace {

using safe_sh::linux_confine::die;
using safe_sh::linux_confine::kExitNotExecutable;
using safe_sh::linux_confine::kExitNotFound;
using safe_sh::linux_confine::kExitSetupFailed;

void check_paths(const char* flag, const std::vector<std::string>& paths) {
  for (const std::string& path : paths) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) die(kExitSetupFailed, std::string(flag) + " " + path + ": " + std::strerror(errno));
  }
}

}  // namespace

int main(int argc, char** argv) {
  safe_sh::ParseResult parsed = safe_sh::parse_flags(argc, argv);
  if (!parsed.ok) die(kExitSetupFailed, parsed.error);
  if (parsed.help) {
    std::fputs(safe_sh::kLauncherHelp, stdout);
    return 0;
  }
  if (parsed.version) {
    std::puts("safe-sh-exec " SAFE_SH_VERSION);
    return 0;
  }
  safe_sh::Plan& plan = parsed.plan;
  safe_sh::linux_ll::cap_landlock_abi(plan.landlock_max_abi);

  check_paths("--ro", plan.read_roots);
  check_paths("--rw", plan.write_roots);
  check_paths("--dev", plan.devices);
  check_paths("--protect", plan.protect);
  for (const std::string& path : plan.protect) {
    safe_sh::Status status = safe_sh::linux_mnt::check_protected_path(path);
    if (!status.ok()) die(kExitSetupFailed, "--protect " + safe_sh::describe(status));
  }
  if (!plan.chdir.empty() && chdir(plan.chdir.c_str()) != 0)
    die(kExitSetupFailed, "--chdir " + plan.chdir + ": " + std::strerror(errno));

  std::vector<std::string> env = safe_sh::build_environment(plan, environ);
  int lookup_error = 0;
  std::string program = safe_sh::resolve_program(plan.argv[0], safe_sh::find_env(env, "PATH"), &lookup_error);
  if (program.empty()) {
    die(lookup_error == EACCES ? kExitNotExecutable : kExitNotFound,
        plan.argv[0] + ": " + (lookup_error == ENOENT ? "command not found" : std::strerror(lookup_error)));
  }

  safe_sh::Status status = safe_sh::linux_proc::set_parent_death_signal();
  if (!status.ok()) die(kExitSetupFailed, safe_sh::describe(status));

  if (plan.namespaces) safe_sh::linux_ns::run_in_namespaces(std::move(plan), program, std::move(env));
  safe_sh::linux_confine::confine_and_exec(std::move(plan), program, std::move(env));
}
