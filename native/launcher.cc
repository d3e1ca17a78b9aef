// main() of safe-sh-exec: parse the plan, check it, confine this process,
// exec the program. Every failure before exec prints one line and exits 125
// (127/126 for a program that is missing or not executable); nothing runs.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "common/environment.h"
#include "common/plan.h"
#include "common/status.h"
#include "linux/landlock.h"
#include "linux/process.h"
#include "linux/seccomp.h"

extern char** environ;

namespace {

constexpr int kExitSetupFailed = 125;
constexpr int kExitNotExecutable = 126;
constexpr int kExitNotFound = 127;

[[noreturn]] void die(int status, const std::string& message) {
  std::fprintf(stderr, "safe-sh-exec: %s\n", message.c_str());
  std::exit(status);
}

[[noreturn]] void die(const safe_sh::Status& status) { die(kExitSetupFailed, safe_sh::describe(status)); }

void check_paths(const char* flag, const std::vector<std::string>& paths) {
  for (const std::string& path : paths) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) die(kExitSetupFailed, std::string(flag) + " " + path + ": " + std::strerror(errno));
  }
}

// Terminals already open on stdio stay usable when reopened (/dev/stderr,
// /dev/tty); a rule on them grants nothing the fds don't already give.
void add_stdio_terminals(safe_sh::Plan* plan) {
  for (int fd = 0; fd <= 2; ++fd) {
    if (!isatty(fd)) continue;
    const char* name = ttyname(fd);
    if (name != nullptr) plan->devices.emplace_back(name);
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

  check_paths("--ro", plan.read_roots);
  check_paths("--rw", plan.write_roots);
  check_paths("--dev", plan.devices);
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
  if (!status.ok()) die(status);
  status = safe_sh::linux_proc::set_no_new_privs();
  if (!status.ok()) die(status);
  status = safe_sh::linux_proc::drop_capabilities();
  if (!status.ok()) die(status);

  add_stdio_terminals(&plan);
  int why = 0;
  int abi = safe_sh::linux_ll::landlock_abi(&why);
  if (abi < plan.landlock_min_abi && !plan.allow_degraded) {
    die(kExitSetupFailed, "Landlock ABI " + std::to_string(abi) + " is below the required " +
                              std::to_string(plan.landlock_min_abi) +
                              (abi == 0 ? std::string(" (") + safe_sh::errno_name(why) + ")" : "") +
                              "; filesystem confinement cannot be enforced (pass --allow-degraded to run without it)");
  }
  safe_sh::linux_ll::LandlockReport report;
  status = safe_sh::linux_ll::apply_landlock(plan, &report);
  if (!status.ok() && !(abi == 0 && plan.allow_degraded)) die(status);
  if (plan.allow_degraded) {
    for (const std::string& gap : report.missing) std::fprintf(stderr, "safe-sh-exec: degraded: not enforced: %s\n", gap.c_str());
  }

  safe_sh::linux_proc::close_inherited_fds();

  if (!safe_sh::linux_sc::seccomp_available()) {
    if (!plan.allow_degraded) die(kExitSetupFailed, "seccomp: not available in this kernel (pass --allow-degraded to run without it)");
    std::fputs("safe-sh-exec: degraded: not enforced: seccomp syscall filter\n", stderr);
  } else {
    status = safe_sh::linux_sc::apply_seccomp(plan.network);
    if (!status.ok()) die(status);
  }

  std::vector<char*> child_argv;
  for (std::string& arg : plan.argv) child_argv.push_back(arg.data());
  child_argv.push_back(nullptr);
  std::vector<char*> child_env;
  for (std::string& entry : env) child_env.push_back(entry.data());
  child_env.push_back(nullptr);

  execve(program.c_str(), child_argv.data(), child_env.data());
  int err = errno;
  die(err == ENOENT ? kExitNotFound : kExitNotExecutable, plan.argv[0] + ": " + std::strerror(err));
}
