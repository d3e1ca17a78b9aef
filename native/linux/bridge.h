// The network bridge of --network allowlist: inside the sandbox's network
// namespace, 127.0.0.1:PORT and [::1]:PORT relay to the allowlist proxy's
// Unix socket outside. It runs in the launcher's own poll loop, outside the
// sandbox's pid namespace, so nothing inside can see or signal it.
#pragma once

#include <poll.h>

#include <memory>
#include <string>
#include <vector>

#include "../common/status.h"
#include "../common/unique_fd.h"

namespace safe_sh::linux_net {

// Brings up lo in the current (new) network namespace.
Status bring_up_loopback();

class Bridge {
 public:
  // Listens on both loopback addresses; call after entering the net
  // namespace and before forking the sandbox, so the port is ready first.
  static Status listen(int port, const std::string& proxy_socket, std::unique_ptr<Bridge>* out);

  // The fds to poll, appended to `fds`; `handle` takes the same slice back.
  void add_poll_fds(std::vector<pollfd>* fds) const;
  void handle(const pollfd* fds, size_t count);

  ~Bridge();

 private:
  struct Relay;
  Bridge() = default;
  void accept_from(int listener);

  std::string proxy_socket_;
  std::vector<UniqueFd> listeners_;
  std::vector<std::unique_ptr<Relay>> relays_;
};

}  // namespace safe_sh::linux_net
