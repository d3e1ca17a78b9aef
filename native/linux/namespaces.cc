// The namespace launcher (docs/design.md §2 has the steps and why). Order matters:
// maps before anything needs capabilities; pid namespace before the fork;
// mounts in C (the mount namespace is C's alone, so L keeps the host's view
// for the sweep); /proc by PID 1; confinement last, in the command.
#include "namespaces.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <memory>

#include "../common/status.h"
#include "../common/unique_fd.h"
#include "bridge.h"
#include "cgroup.h"
#include "confine.h"
#include "host_sockets.h"
#include "limits.h"
#include "mounts.h"
#include "report.h"
#include "sweep.h"

namespace safe_sh::linux_ns {

namespace {

using linux_confine::die;
using linux_confine::kExitSetupFailed;

// Signals passed on to the command. SIGCHLD is waited for, not forwarded.
const int kForwarded[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH, SIGALRM, SIGCONT};

sigset_t waited_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : kForwarded) sigaddset(&set, sig);
  sigaddset(&set, SIGCHLD);
  return set;
}

Status write_file(const char* path, const std::string& text) {
  UniqueFd fd(open(path, O_WRONLY | O_CLOEXEC));
  if (!fd.valid()) return Status::failure(errno, "open", path);
  if (write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size())) return Status::failure(errno, "write", path);
  return Status::success();
}

// Our uid and gid map to themselves: no fake root (a root caller stays uid 0,
// and loses its capabilities before exec).
Status enter_user_namespace(bool with_net) {
  uid_t uid = getuid();
  gid_t gid = getgid();
  int flags = CLONE_NEWUSER | (with_net ? CLONE_NEWNET : 0);
  if (unshare(flags) != 0) return Status::failure(errno, with_net ? "unshare(CLONE_NEWUSER|CLONE_NEWNET)" : "unshare(CLONE_NEWUSER)");
  // gid_map is EPERM until setgroups is denied, for root too (§1.1).
  Status status = write_file("/proc/self/setgroups", "deny");
  if (!status.ok()) return status;
  status = write_file("/proc/self/uid_map", std::to_string(uid) + " " + std::to_string(uid) + " 1");
  if (!status.ok()) return status;
  return write_file("/proc/self/gid_map", std::to_string(gid) + " " + std::to_string(gid) + " 1");
}

// A signal that came from the terminal (si_code SI_KERNEL) already reached
// the command, which shares our process group; forwarding it would deliver
// it twice. Signals sent by a process (safe-sh, kill) are forwarded.
bool should_forward(const siginfo_t& info) { return info.si_signo != SIGCHLD && info.si_code != SI_KERNEL; }

// What init hands to the command child; the child takes plan and env over.
struct CommandStart {
  Plan* plan;
  const std::string* program;
  std::vector<std::string>* env;
  const sigset_t* original_mask;
  int status_fd;
};

// The command (PID 2). It runs in init's memory until execve (start_command):
// it leaves only by execve or by die(), which _exits.
int run_command(void* arg) {
  CommandStart* start = static_cast<CommandStart*>(arg);
  close(start->status_fd);  // its own copy: the fd table is not shared
  sigprocmask(SIG_SETMASK, start->original_mask, nullptr);
  linux_confine::confine_and_exec(std::move(*start->plan), *start->program, std::move(*start->env));
}

// Starts the command like glibc's posix_spawn: CLONE_VM | CLONE_VFORK on a
// stack of its own. No page tables to copy and no copy-on-write faults in
// either process (a fork here cost ~1.4 ms per run on a VM where faults are
// dear). Sharing is safe because init sleeps until the child has exec'd or
// exited, and uses nothing afterwards that the child changes (it only waits);
// credentials, seccomp, Landlock, signal mask and fd table stay per process.
pid_t start_command(CommandStart* start) {
  constexpr size_t kStackSize = 1 << 20;  // reserved, only touched pages cost
  constexpr size_t kGuardSize = 4096;
  void* stack = mmap(nullptr, kStackSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
  if (stack == MAP_FAILED) return -1;
  if (mprotect(stack, kGuardSize, PROT_NONE) != 0) return -1;  // overflow faults, never writes below
  // The stack stays mapped: init only waits from here on, and an munmap
  // would cost a TLB shootdown.
  return clone(run_command, static_cast<char*>(stack) + kStackSize, CLONE_VM | CLONE_VFORK | SIGCHLD, start);
}

// PID 1 of the sandbox. Reports the command's raw wait status on status_fd.
[[noreturn]] void run_init(Plan& plan, const std::string& program, std::vector<std::string> env,
                           const sigset_t& original_mask, int sync_fd, int status_fd) {
  // C's parent is outside the pid namespace, so getppid() is 0 here: use the
  // sync pipe to learn that L is alive after arming the death signal (§1.3).
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) _exit(kExitSetupFailed);
  char byte = 0;
  if (read(sync_fd, &byte, 1) != 1) _exit(kExitSetupFailed);
  close(sync_fd);

  if (unshare(CLONE_NEWNS) != 0) die(kExitSetupFailed, describe(Status::failure(errno, "unshare(CLONE_NEWNS)")));
  Status status = linux_mnt::apply_mounts(&plan);
  if (!status.ok()) die(kExitSetupFailed, describe(status));
  status = linux_mnt::mount_proc();
  if (!status.ok()) die(kExitSetupFailed, describe(status) + " (is /proc over-mounted, as in some containers?)");
  status = linux_lim::limit_pid_namespace(&plan);
  if (!status.ok()) die(kExitSetupFailed, describe(status));
  // The working directory still points into the tree as it was before the
  // mounts (under the old /tmp, beside a protected path's old dentry);
  // resolve it again so relative paths see the protections.
  char cwd[PATH_MAX];
  if (getcwd(cwd, sizeof cwd) == nullptr || chdir(cwd) != 0)
    die(kExitSetupFailed, describe(Status::failure(errno, "chdir", "working directory after mounts")));

  // Nothing inside may read init's memory or environment. Set before the
  // command exists: the flag belongs to the memory, which the command shares
  // until its execve gives it memory (and dumpability) of its own.
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  const int report_fd = plan.report_fd;  // the command takes the plan over
  CommandStart start{&plan, &program, &env, &original_mask, status_fd};
  pid_t command = start_command(&start);
  if (command < 0) die(kExitSetupFailed, describe(Status::failure(errno, "clone")));
  // The command has exec'd (or died): only its copy may hold the report pipe
  // open, so the caller's EOF means exec.
  if (report_fd >= 0) close(report_fd);

  const sigset_t waited = waited_signals();
  for (;;) {
    siginfo_t info;
    if (sigwaitinfo(&waited, &info) < 0) continue;  // EINTR
    if (info.si_signo != SIGCHLD) {
      if (should_forward(info)) kill(command, info.si_signo);
      continue;
    }
    int wait_status = 0;
    pid_t reaped;
    while ((reaped = waitpid(-1, &wait_status, WNOHANG)) > 0) {
      if (reaped != command) continue;  // an orphan re-parented to us
      // When PID 1 exits the kernel kills the rest of the namespace.
      ssize_t written = write(status_fd, &wait_status, sizeof wait_status);
      _exit(written == sizeof wait_status ? 0 : kExitSetupFailed);
    }
  }
}

[[noreturn]] void exit_like(int wait_status) {
  if (WIFEXITED(wait_status)) std::exit(WEXITSTATUS(wait_status));
  int sig = WTERMSIG(wait_status);
  rlimit no_core{0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  signal(sig, SIG_DFL);
  sigset_t only;
  sigemptyset(&only);
  sigaddset(&only, sig);
  sigprocmask(SIG_UNBLOCK, &only, nullptr);
  raise(sig);
  std::exit(128 + sig);  // a signal that doesn't kill (SIGCHLD...) ends here
}

// L's loop: forward signals to init, relay bridge traffic, until init is
// reaped. signalfd keeps both in one poll (a blocking read of signals would
// starve the bridge; a busy loop costs milliseconds per run, §1.2).
int wait_for_init(pid_t init, const sigset_t& waited, linux_net::Bridge* bridge) {
  UniqueFd signals(signalfd(-1, &waited, SFD_CLOEXEC));
  if (!signals.valid()) die(kExitSetupFailed, describe(Status::failure(errno, "signalfd")));
  std::vector<pollfd> fds;
  for (;;) {
    fds.clear();
    fds.push_back({signals.get(), POLLIN, 0});
    if (bridge != nullptr) bridge->add_poll_fds(&fds);
    if (poll(fds.data(), fds.size(), -1) < 0) continue;  // EINTR
    if (bridge != nullptr) bridge->handle(fds.data() + 1, fds.size() - 1);
    if (!(fds[0].revents & POLLIN)) continue;
    signalfd_siginfo info;
    if (read(signals.get(), &info, sizeof info) != sizeof info) continue;
    if (info.ssi_signo != SIGCHLD) {
      if (static_cast<int>(info.ssi_code) != SI_KERNEL) kill(init, static_cast<int>(info.ssi_signo));
      continue;
    }
    int init_status = 0;
    if (waitpid(init, &init_status, WNOHANG) == init) return init_status;
  }
}

}  // namespace

void run_in_namespaces(Plan plan, const std::string& program, std::vector<std::string> env) {
  const std::vector<std::string> sweep_paths = linux_sweep::absent_paths(plan.sweep);

  // Read in the host's network namespace, before leaving it. When a socket
  // can't be masked by path, AF_UNIX simply stays denied (fail closed).
  if (plan.unix_sockets) plan.host_sockets_masked = linux_sock::bound_socket_paths(&plan.mask).ok();
  // Made with the caller's credentials, before the user namespace.
  linux_cg::RunCgroups cgroups;
  if (plan.limit_pids > 0 || plan.limit_memory > 0) cgroups.create(linux_cg::discover_own(), &plan);

  Status status = enter_user_namespace(plan.network != Network::kFull);
  if (!status.ok()) die(kExitSetupFailed, describe(status));
  std::unique_ptr<linux_net::Bridge> bridge;
  if (plan.network != Network::kFull) {
    // A private lo, so test servers on 127.0.0.1 work; nothing routes out.
    // lo and the listener exist before the command does: no start-up race.
    status = linux_net::bring_up_loopback();
    if (status.ok() && plan.network == Network::kAllowlist)
      status = linux_net::Bridge::listen(plan.proxy_port, plan.proxy_socket, &bridge);
    if (!status.ok()) die(kExitSetupFailed, describe(status));
  }
  if (unshare(CLONE_NEWPID) != 0) die(kExitSetupFailed, describe(Status::failure(errno, "unshare(CLONE_NEWPID)")));

  int sync_pipe[2];
  int status_pipe[2];
  if (pipe2(sync_pipe, O_CLOEXEC) != 0 || pipe2(status_pipe, O_CLOEXEC) != 0)
    die(kExitSetupFailed, describe(Status::failure(errno, "pipe2")));

  // Block the forwarded signals before forking so none is lost; L and C wait
  // for them, the command gets the original mask back.
  const sigset_t waited = waited_signals();
  sigset_t original_mask;
  sigprocmask(SIG_BLOCK, &waited, &original_mask);

  pid_t init = fork();
  if (init < 0) die(kExitSetupFailed, describe(Status::failure(errno, "fork")));
  if (init == 0) {
    close(sync_pipe[1]);
    close(status_pipe[0]);
    bridge.reset();  // the listeners are CLOEXEC, but init has no use for them
    run_init(plan, program, std::move(env), original_mask, sync_pipe[0], status_pipe[1]);
  }
  close(sync_pipe[0]);
  close(status_pipe[1]);
  // Init waits on the sync pipe: it joins the run cgroups before any code of its own runs.
  status = cgroups.attach(init);
  if (!status.ok()) {
    kill(init, SIGKILL);
    waitpid(init, nullptr, 0);
    cgroups.remove();
    die(kExitSetupFailed, describe(status));
  }
  // Init and the command report; with run cgroups L keeps the pipe to say
  // after the run which limits were reached.
  if (plan.report_fd >= 0 && !cgroups.active()) close(plan.report_fd);
  char byte = 1;
  if (write(sync_pipe[1], &byte, 1) != 1) die(kExitSetupFailed, describe(Status::failure(errno, "write", "sync pipe")));
  close(sync_pipe[1]);
  cgroups.remove_stale_siblings();  // while init starts, not before

  int init_status = wait_for_init(init, waited, bridge.get());

  // Every process of the pid namespace is gone once init is reaped (§1.3),
  // so nothing can race the sweep.
  int command_status = 0;
  bool reported = read(status_pipe[0], &command_status, sizeof command_status) == sizeof command_status;
  linux_sweep::sweep(sweep_paths);
  if (cgroups.active()) {
    // A reader that closed the pipe must not turn the command's status into L's SIGPIPE.
    signal(SIGPIPE, SIG_IGN);
    if (plan.report_fd >= 0) linux_report::send_report(plan.report_fd, linux_report::describe_reached(cgroups.reached()));
    cgroups.remove();
  }
  exit_like(reported ? command_status : init_status);
}

}  // namespace safe_sh::linux_ns
