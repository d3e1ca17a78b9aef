// The addon's Linux-only services on macOS: spawning watched through a pidfd
// and the splice(2) tunnel relay fail with ENOTSUP, so the front end takes
// its portable paths (child_process, the JavaScript relay) instead.
#include <cerrno>

#include "../linux/child.h"
#include "../linux/relay.h"

namespace safe_sh::linux_child {

Status spawn(uv_loop_t*, const SpawnSpec&, Events, pid_t*) {
  return Status::failure(ENOTSUP, "spawn (pidfd watch, Linux-only)");
}

}  // namespace safe_sh::linux_child

namespace safe_sh::linux_net {

Status Relay::start(OnDone, std::unique_ptr<Relay>*) {
  return Status::failure(ENOTSUP, "relay (splice(2), Linux-only)");
}

Status Relay::add(TunnelSpec spec, uint64_t*) {
  UniqueFd client(spec.client);
  UniqueFd upstream(spec.upstream);
  return Status::failure(ENOTSUP, "relay (splice(2), Linux-only)");
}

void Relay::abort(uint64_t) {}

// Never constructed here (start fails), but the addon's unique_ptr<Relay>
// needs a destructor, and its members a complete Tunnel.
struct Relay::Tunnel {};
Relay::~Relay() = default;

}  // namespace safe_sh::linux_net
