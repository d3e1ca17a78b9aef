// posix_spawn (a vfork-style clone that copies no page tables) with pipes;
// the caller watches the pid and our pipe ends however it likes.
#include "spawn_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

#include <cerrno>

namespace safe_sh::linux_child {

namespace {

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Both ends close-on-exec (dup2 clears the flag on the child's copy); ours non-blocking.
Status make_pipe(int index, UniqueFd* ours, UniqueFd* theirs) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return Status::failure(errno, "pipe2");
  UniqueFd read_end(fds[0]);
  UniqueFd write_end(fds[1]);
  *ours = index == 0 ? std::move(write_end) : std::move(read_end);
  *theirs = index == 0 ? std::move(read_end) : std::move(write_end);
  if (fcntl(ours->get(), F_SETFL, O_NONBLOCK) != 0) return Status::failure(errno, "fcntl(O_NONBLOCK)");
  return Status::success();
}

struct SpawnAttributes {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnAttributes() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnAttributes() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
};

}  // namespace

Status start_process(const SpawnSpec& spec, pid_t* pid, UniqueFd ours[kReportFd + 1]) {
  UniqueFd theirs[kReportFd + 1];
  SpawnAttributes sa;
  for (int i = 0; i < 3; ++i) {
    if (spec.stdio[i] == Stdio::kPipe) {
      Status status = make_pipe(i, &ours[i], &theirs[i]);
      if (!status.ok()) return status;
      posix_spawn_file_actions_adddup2(&sa.actions, theirs[i].get(), i);
    } else if (spec.stdio[i] == Stdio::kIgnore) {
      posix_spawn_file_actions_addopen(&sa.actions, i, "/dev/null", O_RDWR, 0);
    } else {
      // Node marks its own stdio close-on-exec; dup2 onto itself clears that (glibc 2.29).
      posix_spawn_file_actions_adddup2(&sa.actions, i, i);
    }
  }
  // Last: every source fd is above 2, so no earlier dup2 has replaced it.
  if (spec.report_pipe) {
    Status status = make_pipe(kReportFd, &ours[kReportFd], &theirs[kReportFd]);
    if (!status.ok()) return status;
    posix_spawn_file_actions_adddup2(&sa.actions, theirs[kReportFd].get(), kReportFd);
  }
  if (!spec.cwd.empty()) posix_spawn_file_actions_addchdir_np(&sa.actions, spec.cwd.c_str());

  // As libuv does for child_process: default dispositions (Node ignores
  // SIGPIPE, and an ignored signal survives exec) and nothing blocked.
  sigset_t all;
  sigset_t none;
  sigfillset(&all);
  sigemptyset(&none);
  short flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
  if (spec.new_session) flags |= POSIX_SPAWN_SETSID;
  posix_spawnattr_setsigdefault(&sa.attr, &all);
  posix_spawnattr_setsigmask(&sa.attr, &none);
  posix_spawnattr_setflags(&sa.attr, flags);

  std::vector<std::string> argv = spec.argv;
  std::vector<std::string> env = spec.env;
  int err = posix_spawn(pid, spec.file.c_str(), &sa.actions, &sa.attr, pointers(argv).data(), pointers(env).data());
  if (err != 0) return Status::failure(err, "posix_spawn", spec.file);
  return Status::success();  // theirs[] close here: the child holds its copies
}

}  // namespace safe_sh::linux_child
