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

#include "common/launch.h"
#include "common/plan.h"
#include "common/status.h"
#include "linux/cgroup_discover.h"
#include "linux/confine.h"
#include "linux/landlock.h"
#include "linux/mounts.h"
#include "linux/namespaces.h"
#include "linux/process.h"
#include "linux/root_checks.h"
#include "linux/toolchain.h"
#include "linux/report.h"

extern char** environ;

namespace {

using safe_sh::linux_confine::die;
using safe_sh::linux_confine::kExitSetupFailed;

void check_paths(const char* flag, const std::vector<std::string>& paths) {
  for (const std::string& path : paths) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) die(kExitSetupFailed, std::string(flag) + " " + path + ": " + std::strerror(errno));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "--probe-limits") == 0) {
    std::printf("%s\n", safe_sh::linux_cg::describe_discovery(safe_sh::linux_cg::discover_own()).c_str());
    return 0;
  }
  safe_sh::Plan plan = safe_sh::parse_flags_or_exit(argc, argv);
  if (!plan.seatbelt_profile.empty() || !plan.seatbelt_params.empty())
    die(kExitSetupFailed, "--seatbelt-profile, --seatbelt-param: Seatbelt is macOS's; this launcher confines with namespaces, Landlock and seccomp");
  if (plan.report_fd >= 0) {
    safe_sh::Status status = safe_sh::linux_report::prepare_report_fd(plan.report_fd);
    if (!status.ok()) die(kExitSetupFailed, safe_sh::describe(status));
  }
  safe_sh::linux_ll::cap_landlock_abi(plan.landlock_max_abi);

  safe_sh::linux_mnt::add_toolchain_roots(&plan);
  check_paths("--ro", plan.read_roots);
  check_paths("--rw", plan.write_roots);
  check_paths("--dev", plan.devices);
  for (const std::string& path : plan.write_roots) {
    safe_sh::Status status = safe_sh::linux_chk::check_write_root(path);
    if (!status.ok()) die(kExitSetupFailed, "--rw " + safe_sh::describe(status));
  }
  for (const std::string& path : plan.devices) {
    safe_sh::Status status = safe_sh::linux_chk::check_device(path);
    if (!status.ok()) die(kExitSetupFailed, "--dev " + safe_sh::describe(status));
  }
  check_paths("--protect", plan.protect);
  for (const std::string& path : plan.protect) {
    safe_sh::Status status = safe_sh::linux_mnt::check_protected_path(path);
    if (!status.ok()) die(kExitSetupFailed, "--protect " + safe_sh::describe(status));
  }
  safe_sh::Command command = safe_sh::prepare_command_or_exit(plan, environ);

  safe_sh::Status status = safe_sh::linux_proc::set_parent_death_signal();
  if (!status.ok()) die(kExitSetupFailed, safe_sh::describe(status));

  if (plan.namespaces) safe_sh::linux_ns::run_in_namespaces(std::move(plan), command.program, std::move(command.env));
  safe_sh::linux_confine::confine_and_exec(std::move(plan), command.program, std::move(command.env));
}
