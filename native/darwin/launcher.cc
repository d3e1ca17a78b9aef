// main() of safe-sh-exec on macOS: the same flags as on Linux, with a
// Seatbelt profile in place of namespaces, Landlock and seccomp. Every
// failure before exec prints one line and exits 125 (127/126 for a program
// that is missing or not executable); nothing runs unconfined.
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "../common/launch.h"
#include "../common/plan.h"
#include "../common/status.h"
#include "seatbelt.h"
#include "supervise.h"

extern char** environ;

namespace {

constexpr int kExitSetupFailed = 125;
constexpr int kExitNotExecutable = 126;
constexpr int kExitNotFound = 127;

using safe_sh::exit_launcher;

// Linux's confinement flags have no Seatbelt meaning: refuse rather than
// run with less than the caller asked for.
void refuse_linux_flags(const safe_sh::Plan& plan) {
  const char* flag = plan.namespaces ? "--namespaces"
                     : plan.private_tmp ? "--private-tmp"
                     : !plan.protect.empty() ? "--protect"
                     : !plan.mask.empty() ? "--mask"
                     : !plan.sweep.empty() ? "--sweep"
                     : !plan.proxy_socket.empty() ? "--proxy-socket"
                     : nullptr;
  if (flag != nullptr) exit_launcher(kExitSetupFailed, std::string(flag) + ": Linux-only; on macOS the Seatbelt profile (--seatbelt-profile) carries it");
  if (plan.seatbelt_profile.empty()) exit_launcher(kExitSetupFailed, "--seatbelt-profile: required on macOS (nothing runs unconfined)");
}

// --report-fd: the caller's audit record says what the command runs under
// only once the profile is applied. Close-on-exec, so EOF marks the exec. The
// fields Linux reports are there, false or empty: none of that applies here.
void send_report(int fd) {
  static const char kReport[] =
      "{\"seatbelt\":true,\"landlock\":null,\"seccomp\":false,\"noNewPrivs\":false,\"capabilitiesDropped\":false,"
      "\"namespaces\":[],\"readOnlyView\":false,\"privateTmp\":false,\"protected\":0,\"masked\":0,\"missing\":[]}\n";
  // Shorter than PIPE_BUF: one write is all or nothing.
  while (write(fd, kReport, sizeof kReport - 1) < 0 && errno == EINTR) {
  }
}

[[noreturn]] void exec_confined(const safe_sh::Plan& plan, const std::string& program, const std::vector<std::string>& env) {
  safe_sh::darwin_proc::close_inherited_fds(plan.report_fd);
  if (plan.report_fd >= 0 && fcntl(plan.report_fd, F_SETFD, FD_CLOEXEC) != 0)
    exit_launcher(kExitSetupFailed, safe_sh::describe(safe_sh::Status::failure(errno, "fcntl(--report-fd)", std::to_string(plan.report_fd))));
  std::string error;
  safe_sh::Status status = safe_sh::darwin_sb::apply_profile(plan.seatbelt_profile, plan.seatbelt_params, &error);
  if (!status.ok()) exit_launcher(kExitSetupFailed, safe_sh::describe(status) + (error.empty() ? "" : ": " + error));
  if (plan.report_fd >= 0) send_report(plan.report_fd);
  std::vector<char*> argv;
  for (const std::string& arg : plan.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const std::string& entry : env) envp.push_back(const_cast<char*>(entry.c_str()));
  envp.push_back(nullptr);
  execve(program.c_str(), argv.data(), envp.data());
  int err = errno;
  exit_launcher(err == EACCES || err == EPERM ? kExitNotExecutable : kExitNotFound, program + ": " + std::strerror(err));
}

}  // namespace

int main(int argc, char** argv) {
  const safe_sh::Plan plan = safe_sh::parse_flags_or_exit(argc, argv);
  refuse_linux_flags(plan);
  for (const std::vector<std::string>* list : {&plan.read_roots, &plan.write_roots, &plan.devices}) {
    for (const std::string& path : *list) {
      struct stat st;
      if (stat(path.c_str(), &st) != 0) exit_launcher(kExitSetupFailed, path + ": " + std::strerror(errno));
    }
  }
  safe_sh::Status status = safe_sh::darwin_sb::check_params(plan.seatbelt_params);
  if (!status.ok()) exit_launcher(kExitSetupFailed, safe_sh::describe(status));
  const safe_sh::Command command = safe_sh::prepare_command_or_exit(plan, environ);

  pid_t terminal_owner = 0;
  status = safe_sh::darwin_proc::lead_process_group(&terminal_owner);
  if (!status.ok()) exit_launcher(kExitSetupFailed, safe_sh::describe(status));
  int wait_status = 0;
  status = safe_sh::darwin_proc::run_contained([&] { exec_confined(plan, command.program, command.env); }, plan.report_fd, &wait_status);
  safe_sh::darwin_proc::restore_foreground(terminal_owner);
  if (!status.ok()) exit_launcher(kExitSetupFailed, safe_sh::describe(status));
  if (WIFSIGNALED(wait_status)) {
    // Die of the same signal, so the caller sees what the command saw.
    int sig = WTERMSIG(wait_status);
    signal(sig, SIG_DFL);
    kill(getpid(), sig);
    return 128 + sig;
  }
  return WEXITSTATUS(wait_status);
}
