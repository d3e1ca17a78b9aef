// The host's bound Unix sockets, so the sandbox can be given AF_UNIX for its
// own processes while every socket it could reach outside is masked.
#pragma once

#include <string>
#include <vector>

#include "../common/status.h"

namespace safe_sh::linux_sock {

// Every pathname socket bound in the caller's network namespace, from
// /proc/net/unix (listening or not: a datagram socket is reachable too).
// Fails (EINVAL) on anything that cannot be masked by path: a relative
// name, or a line that doesn't parse (a path with a newline in it).
Status bound_socket_paths(std::vector<std::string>* out);

}  // namespace safe_sh::linux_sock
