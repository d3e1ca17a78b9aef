// The launcher as supervisor of the confined command on macOS; see
// supervise.h. Any process that calls setsid(2) or setpgid(2) leaves the
// group: macOS offers no way to hold it (documented in docs/platforms.md).
#include "supervise.h"

#include <libproc.h>
#include <signal.h>
#include <sys/event.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

namespace safe_sh::darwin_proc {

namespace {

constexpr int kForwarded[] = {SIGHUP, SIGINT, SIGQUIT, SIGTERM};

// Signals every other process of our group, one by one: killpg would hit the
// launcher too, and a signal it forwards must not come back to it.
void signal_group(int sig) {
  pid_t self = getpid();
  std::vector<pid_t> pids(256);
  for (;;) {
    int bytes = proc_listpids(PROC_PGRP_ONLY, static_cast<uint32_t>(getpgrp()), pids.data(), static_cast<int>(pids.size() * sizeof(pid_t)));
    if (bytes <= 0) return;
    size_t count = static_cast<size_t>(bytes) / sizeof(pid_t);
    if (count < pids.size()) {
      for (size_t i = 0; i < count; ++i)
        if (pids[i] > 0 && pids[i] != self) kill(pids[i], sig);
      return;
    }
    pids.resize(pids.size() * 2);  // the buffer was full: the list may be cut
  }
}

// SIGKILL until the group holds no process but the launcher (a process that
// forks while the list is read would otherwise survive one pass).
void empty_group() {
  for (int pass = 0; pass < 16; ++pass) {
    std::vector<pid_t> pids(256);
    int bytes = proc_listpids(PROC_PGRP_ONLY, static_cast<uint32_t>(getpgrp()), pids.data(), static_cast<int>(pids.size() * sizeof(pid_t)));
    size_t others = 0;
    for (size_t i = 0; bytes > 0 && i < static_cast<size_t>(bytes) / sizeof(pid_t); ++i)
      if (pids[i] > 0 && pids[i] != getpid()) ++others;
    if (others == 0) return;
    signal_group(SIGKILL);
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
  }
}

Status watch(int kq, uintptr_t ident, int16_t filter, uint32_t fflags, const char* what) {
  struct kevent change;
  EV_SET(&change, ident, filter, EV_ADD | EV_ENABLE, fflags, 0, nullptr);
  if (kevent(kq, &change, 1, nullptr, 0, nullptr) != 0) return Status::failure(errno, what);
  return Status::success();
}

}  // namespace

// tcsetpgrp from a background group raises SIGTTOU: ignored meanwhile.
Status set_foreground(pid_t group) {
  signal(SIGTTOU, SIG_IGN);
  int rc = tcsetpgrp(STDIN_FILENO, group);
  int err = errno;
  signal(SIGTTOU, SIG_DFL);
  return rc == 0 ? Status::success() : Status::failure(err, "tcsetpgrp");
}

Status lead_process_group(pid_t* previous_foreground) {
  *previous_foreground = 0;
  if (getpgrp() == getpid()) return Status::success();
  pid_t old_group = getpgrp();
  bool foreground = isatty(STDIN_FILENO) && tcgetpgrp(STDIN_FILENO) == old_group;
  if (setpgid(0, 0) != 0) return Status::failure(errno, "setpgid");
  if (!foreground) return Status::success();
  *previous_foreground = old_group;
  return set_foreground(getpid());
}

void restore_foreground(pid_t group) {
  if (group != 0) set_foreground(group);
}

void close_inherited_fds(int keep) {
  int bytes = proc_pidinfo(getpid(), PROC_PIDLISTFDS, 0, nullptr, 0);
  if (bytes <= 0) return;
  std::vector<proc_fdinfo> fds(static_cast<size_t>(bytes) / sizeof(proc_fdinfo) + 16);
  bytes = proc_pidinfo(getpid(), PROC_PIDLISTFDS, 0, fds.data(), static_cast<int>(fds.size() * sizeof(proc_fdinfo)));
  for (size_t i = 0; bytes > 0 && i < static_cast<size_t>(bytes) / sizeof(proc_fdinfo); ++i)
    if (fds[i].proc_fd > 2 && fds[i].proc_fd != keep) close(fds[i].proc_fd);
}

Status run_contained(const std::function<void()>& exec_child, int child_only_fd, int* wait_status) {
  int kq = kqueue();
  if (kq < 0) return Status::failure(errno, "kqueue");
  // Watch the parent first: if it is already gone (we were reparented),
  // nothing may start.
  pid_t parent = getppid();
  Status status = watch(kq, static_cast<uintptr_t>(parent), EVFILT_PROC, NOTE_EXIT, "kevent(parent NOTE_EXIT)");
  if (!status.ok() || parent == 1) {
    close(kq);
    return status.ok() ? Status::failure(ESRCH, "getppid (the caller has exited)") : status;
  }
  // Delivered through the kqueue, not handlers: ignored as signals here.
  for (int sig : kForwarded) {
    signal(sig, SIG_IGN);
    status = watch(kq, static_cast<uintptr_t>(sig), EVFILT_SIGNAL, 0, "kevent(EVFILT_SIGNAL)");
    if (!status.ok()) {
      close(kq);
      return status;
    }
  }

  pid_t child = fork();
  if (child < 0) return Status::failure(errno, "fork");
  if (child == 0) {
    close(kq);
    for (int sig : kForwarded) signal(sig, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    exec_child();
    _exit(125);
  }
  if (child_only_fd >= 0) close(child_only_fd);
  status = watch(kq, static_cast<uintptr_t>(child), EVFILT_PROC, NOTE_EXIT, "kevent(child NOTE_EXIT)");
  bool done = !status.ok();
  if (status.err == ESRCH) {
    status = Status::success();  // it has already exited: waitpid below collects it
  } else if (!status.ok()) {
    kill(child, SIGKILL);
  }

  while (!done) {  // until the child or the caller exits
    struct kevent event;
    int n = kevent(kq, nullptr, 0, &event, 1, nullptr);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      status = Status::failure(errno, "kevent");
      kill(child, SIGKILL);
      break;
    }
    if (event.filter == EVFILT_SIGNAL) {
      signal_group(static_cast<int>(event.ident));
    } else if (static_cast<pid_t>(event.ident) == parent) {
      // The caller died: nobody will read the output or wait; end it all.
      kill(child, SIGKILL);
      done = true;
    } else {
      done = true;
    }
  }
  close(kq);
  while (waitpid(child, wait_status, 0) < 0) {
    if (errno != EINTR) {
      empty_group();
      return Status::failure(errno, "waitpid");
    }
  }
  // Background jobs the command left behind die with it, as under a pid namespace.
  empty_group();
  return status;
}

}  // namespace safe_sh::darwin_proc
