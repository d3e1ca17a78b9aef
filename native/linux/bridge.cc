// Byte relay between the sandbox's loopback listener and the proxy's Unix
// socket: non-blocking sockets, one 64 KiB buffer per direction, half-close
// passed on with shutdown(2) so request/response protocols see EOF.
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

namespace safe_sh::linux_net {

namespace {

constexpr size_t kBufferSize = 64 * 1024;

// One direction of a relay: bytes read from `from`, not yet written to `to`.
struct Pipe {
  std::vector<char> data = std::vector<char>(kBufferSize);
  size_t start = 0;
  size_t end = 0;
  bool eof = false;       // `from` reached end of file
  bool shut = false;      // shutdown(to, SHUT_WR) done
  bool empty() const { return start == end; }
};

void pump(int from, int to, Pipe* pipe) {
  if (!pipe->eof && pipe->end < pipe->data.size()) {
    ssize_t n = read(from, pipe->data.data() + pipe->end, pipe->data.size() - pipe->end);
    if (n > 0) pipe->end += static_cast<size_t>(n);
    else if (n == 0 || (errno != EAGAIN && errno != EINTR)) pipe->eof = true;
  }
  if (!pipe->empty()) {
    ssize_t n = write(to, pipe->data.data() + pipe->start, pipe->end - pipe->start);
    if (n > 0) pipe->start += static_cast<size_t>(n);
    else if (n < 0 && errno != EAGAIN && errno != EINTR) {
      pipe->eof = true;  // the peer is gone: drop what it will never read
      pipe->start = pipe->end;
    }
    if (pipe->empty()) pipe->start = pipe->end = 0;
  }
  if (pipe->eof && pipe->empty() && !pipe->shut) {
    shutdown(to, SHUT_WR);
    pipe->shut = true;
  }
}

short interest(const Pipe& in, const Pipe& out) {
  short events = 0;
  if (!in.eof && in.end < in.data.size()) events |= POLLIN;
  if (!out.empty()) events |= POLLOUT;
  return events;
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
  Pipe up;           // inside -> outside
  Pipe down;         // outside -> inside
  bool done() const { return up.shut && down.shut; }
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
  relay->inside = std::move(inside);
  relay->outside = std::move(outside);
  relays_.push_back(std::move(relay));
}

void Bridge::add_poll_fds(std::vector<pollfd>* fds) const {
  for (const UniqueFd& listener : listeners_) fds->push_back({listener.get(), POLLIN, 0});
  for (const auto& relay : relays_) {
    fds->push_back({relay->inside.get(), interest(relay->up, relay->down), 0});
    fds->push_back({relay->outside.get(), interest(relay->down, relay->up), 0});
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
      pump(relay.inside.get(), relay.outside.get(), &relay.up);
      pump(relay.outside.get(), relay.inside.get(), &relay.down);
    }
  }
  for (size_t r = 0; r < relays_.size();) {
    if (relays_[r]->done()) relays_.erase(relays_.begin() + static_cast<long>(r));
    else ++r;
  }
}

}  // namespace safe_sh::linux_net
