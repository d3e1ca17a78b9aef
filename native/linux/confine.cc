// Applies the process-level confinement in the order the kernel requires:
// capabilities and no_new_privs first, Landlock (rules opened now, after the
// mounts, since they bind to inodes), then seccomp, which forbids all setup.
#include "confine.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "../common/status.h"
#include "landlock.h"
#include "limits.h"
#include "process.h"
#include "report.h"
#include "seccomp.h"

namespace safe_sh::linux_confine {

namespace {

[[noreturn]] void die_status(const Status& status) { die(kExitSetupFailed, describe(status)); }

// Terminals already open on stdio stay usable when reopened (/dev/stderr,
// /dev/tty); a rule on them grants nothing the fds don't already give. Named
// through /proc/self/fd: the sandbox's private /dev/pts hides the host's
// terminal by name, and a Landlock rule binds to the inode the link reaches.
void add_stdio_terminals(Plan* plan) {
  for (int fd = 0; fd <= 2; ++fd)
    if (isatty(fd)) plan->devices.emplace_back("/proc/self/fd/" + std::to_string(fd));
}

}  // namespace

// One write and _exit: the command child shares init's memory until execve
// (namespaces.cc), so exit()'s handlers and stdio flushing must never run in
// it. Nothing in the launcher needs them (it prints nothing on stdout).
void die(int status, const std::string& message) {
  std::string line = "safe-sh-exec: " + message + "\n";
  if (write(STDERR_FILENO, line.data(), line.size()) < 0) {
    // Nothing left to report it on.
  }
  _exit(status);
}

void confine_and_exec(Plan plan, const std::string& program, std::vector<std::string> env) {
  Status status = linux_proc::set_no_new_privs();
  if (!status.ok()) die_status(status);
  status = linux_proc::drop_capabilities();
  if (!status.ok()) die_status(status);

  status = linux_lim::apply_limits(plan);
  if (!status.ok()) die_status(status);

  add_stdio_terminals(&plan);
  int why = 0;
  int abi = linux_ll::landlock_abi(&why);
  if (abi < plan.landlock_min_abi && !plan.allow_degraded) {
    die(kExitNotEnforced, "Landlock ABI " + std::to_string(abi) + " is below the required " +
                              std::to_string(plan.landlock_min_abi) +
                              (abi == 0 ? std::string(" (") + errno_name(why) + ")" : "") +
                              "; filesystem confinement cannot be enforced (pass --allow-degraded to run without it)");
  }
  linux_ll::LandlockReport report;
  status = linux_ll::apply_landlock(plan, &report);
  if (!status.ok() && !(abi == 0 && plan.allow_degraded)) die_status(status);
  std::vector<std::string> missing = report.missing;
  if (!plan.namespaces) {
    missing.push_back("read-only view outside the write roots (no mount namespace): mode, owner, times, xattrs and ACLs there can be changed");
    missing.push_back("protected paths, masks, private /tmp (no mount namespace)");
  }

  linux_proc::close_inherited_fds(plan.report_fd);

  const bool seccomp = linux_sc::seccomp_available();
  if (!seccomp) {
    if (!plan.allow_degraded) die(kExitNotEnforced, "seccomp: not available in this kernel (pass --allow-degraded to run without it)");
    missing.push_back("seccomp syscall filter");
  } else {
    linux_sc::SocketPolicy sockets;
    sockets.inet = plan.network == Network::kFull || has_own_network(plan);
    // Abstract sockets live in a net namespace; without one of its own the
    // command needs Landlock's scope (ABI 6) to be kept from the host's.
    sockets.local = plan.unix_sockets && plan.host_sockets_masked && (has_own_network(plan) || abi >= 6);
    status = linux_sc::apply_seccomp(sockets);
    if (!status.ok()) die_status(status);
  }
  // One line naming every gap: degraded mode must say what it lets through.
  if (plan.allow_degraded && !missing.empty()) {
    std::string line = "safe-sh-exec: degraded: not enforced: ";
    for (size_t i = 0; i < missing.size(); ++i) line += (i > 0 ? "; " : "") + missing[i];
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  // Last, so it says what the command really runs under; the fd is
  // close-on-exec, so the caller's EOF right after it means exec happened.
  if (plan.report_fd >= 0) linux_report::send_report(plan.report_fd, linux_report::describe_enforcement(plan, report, seccomp, missing));

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

}  // namespace safe_sh::linux_confine
