// The launcher started by start_process (spawn_process.cc), its exit watched
// through a pidfd and its pipes through non-blocking fds, all as uv_poll handles
// on Node's loop: no thread, nothing blocks libuv's threadpool however many runs are live.
#include "child.h"

#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "../common/unique_fd.h"

// Weak: a runtime without libuv's symbols (Deno) still loads the addon for
// probe() and the rest; src/sandbox/native.ts never calls spawn() there.
#pragma weak uv_poll_init
#pragma weak uv_poll_start
#pragma weak uv_poll_stop
#pragma weak uv_close

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434  // Linux 5.3, the same number on every architecture
#endif

namespace safe_sh::linux_child {

namespace {

class Child;

constexpr int kReport = kReportFd;
constexpr int kPidfd = 4;

struct Watch {
  uv_poll_t poll;
  Child* child = nullptr;
  int index = -1;  // 0..2: stdio; 3: the report pipe; 4: the pidfd
  int fd = -1;
  bool active = false;
  bool paused = false;
};

class Child {
 public:
  Child(pid_t pid, Events events, std::string input) : pid_(pid), events_(std::move(events)), input_(std::move(input)) {}

  // Polls a paused pipe again; its data waiting in the kernel is read on the next wake-up.
  void resume(int index) {
    Watch& w = watches_[index];
    if (!w.active || !w.paused) return;
    w.paused = false;
    uv_poll_start(&w.poll, UV_READABLE, &Child::on_ready);
  }

  void watch(uv_loop_t* loop, int index, int fd, int direction) {
    Watch& w = watches_[index];
    w.child = this;
    w.index = index;
    w.fd = fd;
    w.poll.data = &w;
    // uv_poll_init only fails for an fd epoll refuses, which a pipe or a pidfd never is.
    uv_poll_init(loop, &w.poll, fd);
    w.active = true;
    ++open_;
    uv_poll_start(&w.poll, direction, &Child::on_ready);
  }

 private:
  static void on_ready(uv_poll_t* poll, int status, int /*events*/) {
    Watch* w = static_cast<Watch*>(poll->data);
    Child* self = w->child;
    if (w->index == kPidfd) return self->reap(w);
    if (w->index == 0) return self->feed(w, status);
    self->drain(w, status);
  }

  void reap(Watch* w) {
    int wait_status = 0;
    pid_t got;
    do got = waitpid(pid_, &wait_status, WNOHANG);
    while (got < 0 && errno == EINTR);
    if (got == 0) return;  // spurious wake-up: not exited yet
    // ECHILD (someone set SIGCHLD to SIG_IGN and the kernel reaped it): the
    // status is lost, and must not read as a success.
    reaped_ = got == pid_;
    wait_status_ = wait_status;
    stop(w);
  }

  void feed(Watch* w, int status) {
    while (status == 0 && written_ < input_.size()) {
      ssize_t n = write(w->fd, input_.data() + written_, input_.size() - written_);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno == EAGAIN) return;
      if (n < 0) break;  // EPIPE: the command exited without reading
      written_ += static_cast<size_t>(n);
    }
    stop(w);
  }

  void drain(Watch* w, int status) {
    char buffer[64 * 1024];
    for (;;) {
      ssize_t n = status == 0 ? read(w->fd, buffer, sizeof buffer) : 0;  // a poll error ends the stream
      if (n > 0) {
        if (events_.data(w->index, buffer, static_cast<size_t>(n))) continue;
        // The consumer is full: leave the rest in the pipe until resume().
        w->paused = true;
        uv_poll_stop(&w->poll);
        return;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno == EAGAIN) return;
      events_.end(w->index);  // EOF, or a read error that ends the stream as well
      return stop(w);
    }
  }

  void stop(Watch* w) {
    if (!w->active) return;
    w->active = false;
    uv_poll_stop(&w->poll);
    uv_close(reinterpret_cast<uv_handle_t*>(&w->poll), &Child::on_closed);
  }

  static void on_closed(uv_handle_t* handle) {
    Watch* w = static_cast<Watch*>(handle->data);
    Child* self = w->child;
    close(w->fd);
    if (--self->open_ > 0) return;
    // The last handle: the command has exited and every pipe has ended.
    forget(self->pid_);
    self->events_.close(self->reaped_, self->wait_status_);
    delete self;
  }

  static void forget(pid_t pid);

  pid_t pid_;
  Events events_;
  std::string input_;
  size_t written_ = 0;
  bool reaped_ = false;
  int wait_status_ = 0;
  int open_ = 0;
  Watch watches_[kPidfd + 1];
};

// Watched children by pid, for resume(). Node worker threads each run their
// own loop and children, so the map is shared under a lock.
std::mutex live_lock;
std::unordered_map<pid_t, Child*>& live() {
  static auto* children = new std::unordered_map<pid_t, Child*>();
  return *children;
}

void Child::forget(pid_t pid) {
  std::lock_guard<std::mutex> guard(live_lock);
  live().erase(pid);
}

int pidfd_open(pid_t pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }

}  // namespace

Status spawn(uv_loop_t* loop, const SpawnSpec& spec, Events events, pid_t* pid) {
  UniqueFd ours[kReport + 1];
  Status started = start_process(spec, pid, ours);
  if (!started.ok()) return started;

  UniqueFd pidfd(pidfd_open(*pid));
  if (!pidfd.valid()) {
    int open_error = errno;
    // Unwatched, it could neither be reported nor reaped: take it back now.
    kill(*pid, SIGKILL);
    while (waitpid(*pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    return Status::failure(open_error, "pidfd_open");
  }

  auto child = std::make_unique<Child>(*pid, std::move(events), spec.input);
  child->watch(loop, kPidfd, pidfd.release(), UV_READABLE);
  if (ours[0].valid()) child->watch(loop, 0, ours[0].release(), UV_WRITABLE);
  for (int i = 1; i <= kReport; ++i)
    if (ours[i].valid()) child->watch(loop, i, ours[i].release(), UV_READABLE);
  {
    std::lock_guard<std::mutex> guard(live_lock);
    live()[*pid] = child.get();
  }
  child.release();  // freed by its last handle's close callback
  return Status::success();
}

void resume(pid_t pid, int index) {
  if (index < 1 || index > 2) return;
  Child* child = nullptr;
  {
    std::lock_guard<std::mutex> guard(live_lock);
    auto found = live().find(pid);
    if (found != live().end()) child = found->second;
  }
  if (child != nullptr) child->resume(index);
}

}  // namespace safe_sh::linux_child
