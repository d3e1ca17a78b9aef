// Byte relay between the sandbox's loopback listener and the proxy's Unix
// socket: non-blocking sockets, one splice(2) pipe per direction (the bytes
// stay in the kernel; splice_pump.cc), half-close passed on with shutdown(2)
// so request/response protocols see EOF.
#include "bridge.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "splice_pump.h"

namespace safe_sh::linux_net {

namespace {

// What to poll for on `from` and `to` to move one direction on: poll is
// level-triggered, so a direction that stopped while busy asks for both.
void add_interest(PumpState state, short* from, short* to) {
  if (state == PumpState::want_read || state == PumpState::busy) *from |= POLLIN;
  if (state == PumpState::want_write || state == PumpState::busy) *to |= POLLOUT;
}

Status listen_on(int family, int port, UniqueFd* out) {
  UniqueFd fd(socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Status::failure(errno, "socket");
  int one = 1;
  setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_storage address{};
  socklen_t length = 0;
  if (family == AF_INET) {
    auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    v4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    length = sizeof *v4;
  } else {
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    v6->sin6_addr = in6addr_loopback;
    setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    length = sizeof *v6;
  }
  if (bind(fd.get(), reinterpret_cast<sockaddr*>(&address), length) != 0)
    return Status::failure(errno, "bind", family == AF_INET ? "127.0.0.1" : "[::1]");
  if (::listen(fd.get(), 128) != 0) return Status::failure(errno, "listen");
  *out = std::move(fd);
  return Status::success();
}

}  // namespace

struct Bridge::Relay {
  UniqueFd inside;   // the sandbox's TCP connection
  UniqueFd outside;  // the proxy's Unix socket
  SplicePump up;     // inside -> outside
  SplicePump down;   // outside -> inside
  PumpState up_state = PumpState::want_read;
  PumpState down_state = PumpState::want_read;
  // Both directions passed their EOF on, or either failed: the peer is gone,
  // and closing both ends tells the other side.
  bool done() const {
    return (up.finished() && down.finished()) || up_state == PumpState::failed || down_state == PumpState::failed;
  }
};

Bridge::~Bridge() = default;

Status bring_up_loopback() {
  UniqueFd fd(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return Status::failure(errno, "socket", "lo");
  ifreq request{};
  std::strncpy(request.ifr_name, "lo", IFNAMSIZ - 1);
  if (ioctl(fd.get(), SIOCGIFFLAGS, &request) != 0) return Status::failure(errno, "ioctl(SIOCGIFFLAGS)", "lo");
  request.ifr_flags |= IFF_UP | IFF_RUNNING;
  if (ioctl(fd.get(), SIOCSIFFLAGS, &request) != 0) return Status::failure(errno, "ioctl(SIOCSIFFLAGS)", "lo");
  return Status::success();
}

Status Bridge::listen(int port, const std::string& proxy_socket, std::unique_ptr<Bridge>* out) {
  std::unique_ptr<Bridge> bridge(new Bridge());
  bridge->proxy_socket_ = proxy_socket;
  UniqueFd v4;
  Status status = listen_on(AF_INET, port, &v4);
  if (!status.ok()) return status;
  bridge->listeners_.push_back(std::move(v4));
  UniqueFd v6;
  // IPv6 may be disabled on the host (ipv6.disable=1); IPv4 alone still works.
  if (listen_on(AF_INET6, port, &v6).ok()) bridge->listeners_.push_back(std::move(v6));
  *out = std::move(bridge);
  return Status::success();
}

void Bridge::accept_from(int listener) {
  UniqueFd inside(accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
  if (!inside.valid()) return;
  UniqueFd outside(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (!outside.valid() || proxy_socket_.size() >= sizeof address.sun_path) return;  // drops the connection
  std::memcpy(address.sun_path, proxy_socket_.c_str(), proxy_socket_.size() + 1);
  if (connect(outside.get(), reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) return;
  fcntl(outside.get(), F_SETFL, fcntl(outside.get(), F_GETFL) | O_NONBLOCK);
  auto relay = std::make_unique<Relay>();
  if (!SplicePump::create("", &relay->up).ok() || !SplicePump::create("", &relay->down).ok()) return;
  relay->inside = std::move(inside);
  relay->outside = std::move(outside);
  relays_.push_back(std::move(relay));
}

void Bridge::add_poll_fds(std::vector<pollfd>* fds) const {
  for (const UniqueFd& listener : listeners_) fds->push_back({listener.get(), POLLIN, 0});
  for (const auto& relay : relays_) {
    short inside = 0;
    short outside = 0;
    add_interest(relay->up_state, &inside, &outside);
    add_interest(relay->down_state, &outside, &inside);
    fds->push_back({relay->inside.get(), inside, 0});
    fds->push_back({relay->outside.get(), outside, 0});
  }
}

void Bridge::handle(const pollfd* fds, size_t count) {
  size_t i = 0;
  for (const UniqueFd& listener : listeners_) {
    if (i < count && (fds[i].revents & POLLIN)) accept_from(listener.get());
    ++i;
  }
  // relays_ may have grown in accept_from; only the polled ones are visited.
  size_t polled = (count - listeners_.size()) / 2;
  for (size_t r = 0; r < polled; ++r, i += 2) {
    Relay& relay = *relays_[r];
    if (fds[i].revents != 0 || fds[i + 1].revents != 0) {
      relay.up_state = relay.up.pump(relay.inside.get(), relay.outside.get());
      relay.down_state = relay.down.pump(relay.outside.get(), relay.inside.get());
    }
  }
  for (size_t r = 0; r < relays_.size();) {
    if (relays_[r]->done()) relays_.erase(relays_.begin() + static_cast<long>(r));
    else ++r;
  }
}

}  // namespace safe_sh::linux_net
