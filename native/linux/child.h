// Starting the launcher from Node without forking Node: posix_spawn (a
// vfork-style clone that copies no page tables, ~5 ms cheaper per run than
// libuv's fork on a VM) plus a pidfd and the pipes watched on Node's loop.
#pragma once

#include <uv.h>

#include <functional>

#include "spawn_process.h"

namespace safe_sh::linux_child {

struct Events {
  // stdout 1, stderr 2, report 3. Returning false pauses reading that pipe
  // until resume(pid, index): the consumer's back-pressure reaches the
  // command, whose writes then block, instead of piling up in our memory.
  std::function<bool(int index, const char* data, size_t size)> data;
  std::function<void(int index)> end;                                  // EOF or read error
  // The raw wait status (reaped false: it was lost, e.g. SIGCHLD ignored);
  // called once, after every piped output has ended.
  std::function<void(bool reaped, int wait_status)> close;
};

// Starts the child and watches it on `loop` until it has exited and its
// pipes are drained; then `close` runs and everything is freed. Returns the
// pid, or a Status (nothing was started, no callback will run).
Status spawn(uv_loop_t* loop, const SpawnSpec& spec, Events events, pid_t* pid);

// Reads a pipe paused by `data` returning false again. Call on the loop's
// thread. Ignored for a pid no longer watched or a pipe not paused.
void resume(pid_t pid, int index);

}  // namespace safe_sh::linux_child
