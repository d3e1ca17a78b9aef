// Relay thread: edge-triggered epoll over both sockets of every tunnel; on any
// event both directions are pumped until they would block. Tunnels are added
// and aborted through a command queue and an eventfd, so only this thread
// ever touches a tunnel's fds after add().
#include "relay.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "splice_pump.h"

namespace safe_sh::linux_net {

namespace {

int64_t now_ms() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

int socket_error(int fd) {
  int err = 0;
  socklen_t length = sizeof err;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &length) != 0) return errno;
  return err;
}

}  // namespace

struct Relay::Tunnel {
  uint64_t id = 0;
  UniqueFd client;
  UniqueFd upstream;
  SplicePump up;    // client -> upstream
  SplicePump down;  // upstream -> client
  int idle_ms = 0;
  int64_t last_active = 0;
  bool queued = false;  // in ready_
  bool closed = false;
  // epoll data: which socket of which tunnel.
  struct End {
    Tunnel* tunnel;
    int fd;
  } ends[2];
};

Status Relay::start(OnDone on_done, std::unique_ptr<Relay>* out) {
  std::unique_ptr<Relay> relay(new Relay());
  relay->on_done_ = std::move(on_done);
  relay->epoll_.reset(epoll_create1(EPOLL_CLOEXEC));
  if (!relay->epoll_.valid()) return Status::failure(errno, "epoll_create1");
  relay->wake_.reset(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!relay->wake_.valid()) return Status::failure(errno, "eventfd");
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.ptr = nullptr;  // the wake-up fd
  if (epoll_ctl(relay->epoll_.get(), EPOLL_CTL_ADD, relay->wake_.get(), &event) != 0)
    return Status::failure(errno, "epoll_ctl");
  Relay* self = relay.get();
  relay->thread_ = std::thread([self] { self->run(); });
  *out = std::move(relay);
  return Status::success();
}

Relay::~Relay() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  uint64_t one = 1;
  if (write(wake_.get(), &one, sizeof one) < 0) {
    // The counter cannot overflow with one write; nothing else can fail here.
  }
  if (thread_.joinable()) thread_.join();
}

Status Relay::add(TunnelSpec spec, uint64_t* id) {
  auto tunnel = std::make_unique<Tunnel>();
  tunnel->client.reset(spec.client);
  tunnel->upstream.reset(spec.upstream);
  tunnel->idle_ms = spec.idle_ms;
  Status status = SplicePump::create(std::move(spec.to_upstream), &tunnel->up);
  if (!status.ok()) return status;
  status = SplicePump::create(std::move(spec.to_client), &tunnel->down);
  if (!status.ok()) return status;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    tunnel->id = *id = next_id_++;
  }
  post(Command{std::move(tunnel), 0});
  return Status::success();
}

void Relay::abort(uint64_t id) { post(Command{nullptr, id}); }

void Relay::post(Command command) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    commands_.push_back(std::move(command));
  }
  uint64_t one = 1;
  if (write(wake_.get(), &one, sizeof one) < 0) {
    // EAGAIN only when the counter is near 2^64: the thread is awake anyway.
  }
}

void Relay::run() {
  epoll_event events[64];
  for (;;) {
    int timeout = !ready_.empty() ? 0 : tunnels_.empty() ? -1 : tick_ms_;
    int n = epoll_wait(epoll_.get(), events, 64, timeout);
    if (n < 0 && errno != EINTR) n = 0;  // cannot happen with a valid epoll fd; keep serving
    int64_t now = now_ms();
    for (int i = 0; i < n; ++i) {
      auto* end = static_cast<Tunnel::End*>(events[i].data.ptr);
      if (end == nullptr) {
        uint64_t count;
        if (read(wake_.get(), &count, sizeof count) < 0) {
          // EAGAIN: another wake-up already drained it.
        }
        {
          std::lock_guard<std::mutex> lock(mutex_);
          if (stopping_) return;
        }
        take_commands();
        continue;
      }
      Tunnel* tunnel = end->tunnel;
      if (tunnel->closed) continue;
      // An error (RST) on a socket nobody is reading or writing right now
      // still has to close the tunnel: ask the socket.
      if (events[i].events & EPOLLERR) {
        int err = socket_error(end->fd);
        if (err != 0) {
          finish(tunnel, err);
          continue;
        }
      }
      service(tunnel, now);
    }
    std::vector<Tunnel*> again;
    again.swap(ready_);
    for (Tunnel* tunnel : again) {
      tunnel->queued = false;
      if (!tunnel->closed) service(tunnel, now);
    }
    check_idle(now);
    closed_.clear();
  }
}

void Relay::take_commands() {
  std::vector<Command> commands;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    commands.swap(commands_);
  }
  for (Command& command : commands) {
    if (command.add) {
      open(std::move(command.add));
      continue;
    }
    auto found = tunnels_.find(command.id);
    if (found != tunnels_.end()) finish(found->second.get(), ECANCELED);
  }
}

void Relay::open(std::unique_ptr<Tunnel> owned) {
  Tunnel* tunnel = owned.get();
  tunnels_.emplace(tunnel->id, std::move(owned));
  tunnel->last_active = now_ms();
  if (tunnel->idle_ms > 0) tick_ms_ = std::min(tick_ms_, std::max(tunnel->idle_ms / 2, 10));
  tunnel->ends[0] = {tunnel, tunnel->client.get()};
  tunnel->ends[1] = {tunnel, tunnel->upstream.get()};
  for (Tunnel::End& end : tunnel->ends) {
    epoll_event event{};
    // Edge-triggered: service() always pumps until EAGAIN (or re-queues).
    event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    event.data.ptr = &end;
    if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, end.fd, &event) != 0) {
      finish(tunnel, errno);
      return;
    }
  }
  // Bytes may already wait in either socket (edge-triggered sees no new edge).
  service(tunnel, tunnel->last_active);
}

void Relay::service(Tunnel* tunnel, int64_t now) {
  uint64_t before = tunnel->up.bytes_written() + tunnel->down.bytes_written();
  PumpState up = tunnel->up.pump(tunnel->client.get(), tunnel->upstream.get());
  if (up == PumpState::failed) return finish(tunnel, tunnel->up.err());
  PumpState down = tunnel->down.pump(tunnel->upstream.get(), tunnel->client.get());
  if (down == PumpState::failed) return finish(tunnel, tunnel->down.err());
  if (tunnel->up.bytes_written() + tunnel->down.bytes_written() != before) tunnel->last_active = now;
  if (up == PumpState::finished && down == PumpState::finished) return finish(tunnel, 0);
  if ((up == PumpState::busy || down == PumpState::busy) && !tunnel->queued) {
    tunnel->queued = true;
    ready_.push_back(tunnel);
  }
}

void Relay::finish(Tunnel* tunnel, int err) {
  tunnel->closed = true;
  if (tunnel->queued) ready_.erase(std::remove(ready_.begin(), ready_.end(), tunnel), ready_.end());
  for (const Tunnel::End& end : tunnel->ends) {
    if (end.fd >= 0) epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, end.fd, nullptr);
  }
  TunnelResult result;
  result.id = tunnel->id;
  result.up_read = tunnel->up.bytes_read();
  result.up_written = tunnel->up.bytes_written();
  result.down_read = tunnel->down.bytes_read();
  result.down_written = tunnel->down.bytes_written();
  result.err = err;
  // Closing both ends: a reset or an abort on one side ends the other too.
  tunnel->client.reset();
  tunnel->upstream.reset();
  auto found = tunnels_.find(tunnel->id);
  if (found != tunnels_.end()) {
    closed_.push_back(std::move(found->second));
    tunnels_.erase(found);
  }
  on_done_(result);
}

void Relay::check_idle(int64_t now) {
  if (now < next_idle_check_) return;
  next_idle_check_ = now + tick_ms_;
  std::vector<Tunnel*> expired;
  for (auto& entry : tunnels_) {
    Tunnel* tunnel = entry.second.get();
    if (tunnel->idle_ms > 0 && now - tunnel->last_active >= tunnel->idle_ms) expired.push_back(tunnel);
  }
  for (Tunnel* tunnel : expired) finish(tunnel, ETIMEDOUT);
}

}  // namespace safe_sh::linux_net
