// The proxy's tunnel relay: one thread, one epoll set, every established
// CONNECT/SOCKS5 tunnel spliced socket -> pipe -> socket in the kernel.
// One thread for all tunnels keeps libuv's 4-thread pool free; completion is
// reported through a callback that runs on the relay thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "../common/status.h"
#include "../common/unique_fd.h"

namespace safe_sh::linux_net {

struct TunnelSpec {
  int client = -1;            // owned from here on (a dup of the caller's fd)
  int upstream = -1;          // owned from here on
  std::string to_client;      // written to the client before any relayed byte
  std::string to_upstream;    // written to the upstream before any relayed byte
  int idle_ms = 0;            // no traffic either way for this long closes it; 0: never
};

struct TunnelResult {
  uint64_t id = 0;
  uint64_t up_read = 0;       // from the client
  uint64_t up_written = 0;    // to the upstream, to_upstream included
  uint64_t down_read = 0;     // from the upstream
  uint64_t down_written = 0;  // to the client, to_client included
  int err = 0;                // 0, a socket errno, ETIMEDOUT (idle) or ECANCELED (abort)
};

class Relay {
 public:
  using OnDone = std::function<void(const TunnelResult&)>;

  // Starts the thread. `on_done` runs on it, once per tunnel.
  static Status start(OnDone on_done, std::unique_ptr<Relay>* out);

  // Takes ownership of spec's fds (closed on failure too) and relays them.
  Status add(TunnelSpec spec, uint64_t* id);

  // Closes a tunnel; its result reports ECANCELED. Unknown ids are ignored.
  void abort(uint64_t id);

  // Stops the thread and closes every tunnel without reporting.
  ~Relay();

 private:
  struct Tunnel;
  struct Command {
    std::unique_ptr<Tunnel> add;  // null: abort `id`
    uint64_t id = 0;
  };

  Relay() = default;
  void run();
  void take_commands();
  void open(std::unique_ptr<Tunnel> tunnel);
  void service(Tunnel* tunnel, int64_t now);
  void finish(Tunnel* tunnel, int err);
  void check_idle(int64_t now);
  void post(Command command);

  OnDone on_done_;
  UniqueFd epoll_;
  UniqueFd wake_;  // eventfd: commands queued or stop
  std::thread thread_;

  std::mutex mutex_;  // guards commands_, stopping_, next_id_
  std::vector<Command> commands_;
  bool stopping_ = false;
  uint64_t next_id_ = 1;

  // Relay thread only.
  std::unordered_map<uint64_t, std::unique_ptr<Tunnel>> tunnels_;
  std::vector<Tunnel*> ready_;                   // stopped while busy: serviced again next round
  std::vector<std::unique_ptr<Tunnel>> closed_;  // freed after the event batch that closed them
  int tick_ms_ = 1000;
  int64_t next_idle_check_ = 0;
};

}  // namespace safe_sh::linux_net
