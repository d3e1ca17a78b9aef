// One direction of a byte relay between two non-blocking stream sockets,
// moved by splice(2) through a kernel pipe so the bytes never enter user
// space. Shared by the proxy's relay thread (addon) and the launcher's bridge.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "../common/status.h"
#include "../common/unique_fd.h"

namespace safe_sh::linux_net {

// What a direction needs before it can move again.
enum class PumpState {
  want_read,   // the source has nothing more for now
  want_write,  // the destination's send buffer is full
  busy,        // stopped after its share of work; call again soon
  finished,    // the source reached EOF and the FIN was passed on
  failed,      // a socket error (errno in `err`)
};

class SplicePump {
 public:
  // Creates the pipe. `prefix` is written to the destination before any
  // spliced byte (what user space already read, or a reply owed first).
  static Status create(std::string prefix, SplicePump* out);

  // Moves bytes from `src` to `dst` until one of them would block, EOF, an
  // error, or a bounded number of rounds.
  PumpState pump(int src, int dst);

  bool finished() const { return shut_; }
  int err() const { return err_; }
  uint64_t bytes_read() const { return read_; }        // taken from src
  uint64_t bytes_written() const { return written_; }  // delivered to dst, prefix included

 private:
  PumpState fail(int err);
  void grow();

  std::string prefix_;
  size_t prefix_sent_ = 0;
  UniqueFd pipe_read_;
  UniqueFd pipe_write_;
  size_t capacity_ = 0;
  size_t in_pipe_ = 0;
  bool eof_ = false;
  bool shut_ = false;
  bool grown_ = false;
  int err_ = 0;
  uint64_t read_ = 0;
  uint64_t written_ = 0;
};

}  // namespace safe_sh::linux_net
