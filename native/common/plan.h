// The finished confinement plan the launcher applies. It is decided in
// TypeScript and passed as flags; the native side validates and applies it.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace safe_sh {

enum class Network { kNone, kAllowlist, kFull };

// Which cgroup hierarchy holds a run's limit (linux/cgroup_discover.h).
enum class Cgroup { kNone, kV1, kV2 };

struct Plan {
  std::vector<std::string> read_roots;   // --ro: read + execute beneath
  std::vector<std::string> write_roots;  // --rw: every right beneath
  std::vector<std::string> devices;      // --dev: read/write/ioctl on a device
  Network network = Network::kNone;      // --network
  bool clear_env = false;                // --clearenv
  std::vector<std::string> keep_env;     // --keepenv NAME (with --clearenv)
  std::vector<std::string> set_env;      // --setenv NAME=VALUE
  std::vector<std::string> unset_env;    // --unsetenv NAME
  std::string chdir;                     // --chdir
  bool allow_degraded = false;           // --allow-degraded
  int landlock_min_abi = 1;              // --landlock-min-abi
  int report_fd = -1;                    // --report-fd: what was enforced, as JSON
  int landlock_max_abi = 64;             // --landlock-max-abi (tests: act as an older kernel)
  std::vector<std::string> argv;         // after "--"

  // Namespaces (docs/design.md §2): user + mount + pid, and net unless full.
  bool namespaces = false;               // --namespaces
  bool private_tmp = false;              // --private-tmp: empty tmpfs on /tmp
  std::vector<std::string> protect;      // --protect: read-only re-bind
  std::vector<std::string> mask;         // --mask: unreadable, unlistable
  std::vector<std::string> sweep;        // --sweep: must not exist after the run
  std::string proxy_socket;              // --proxy-socket (allowlist)
  int proxy_port = 3128;                 // --proxy-port (allowlist)

  // macOS: the Seatbelt profile generated in TypeScript and its parameters.
  std::string seatbelt_profile;               // --seatbelt-profile TEXT
  std::vector<std::string> seatbelt_params;   // --seatbelt-param NAME=/abs/path

  // What toolchains need (docs/toolchains.md).
  std::string home_layer;                // --home-layer: throwaway overlay over it
  std::vector<std::pair<std::string, std::string>> binds;  // --bind SRC DST
  bool unix_sockets = false;             // --unix-sockets: AF_UNIX once host sockets are masked
  long limit_pids = 0;                   // --limit-pids (0: none)
  uint64_t limit_memory = 0;             // --limit-memory bytes (0: none)

  // Set by the launcher, never by a flag.
  bool host_sockets_masked = false;      // every bound host Unix socket is masked
  Cgroup cgroup_pids = Cgroup::kNone;    // the pids limit is a cgroup's, not RLIMIT_NPROC
  Cgroup cgroup_memory = Cgroup::kNone;  // the memory limit is a cgroup's, not RLIMIT_DATA
  bool pid_max_set = false;              // init capped its pid namespace's pid_max
};

// The command has a network namespace of its own: nothing it opens with
// AF_INET/AF_INET6 can leave it (only lo, and with allowlist the bridge).
inline bool has_own_network(const Plan& plan) { return plan.namespaces && plan.network != Network::kFull; }

struct ParseResult {
  bool ok = false;
  bool help = false;
  bool version = false;
  std::string error;  // one line naming the flag or path
  Plan plan;
};

ParseResult parse_flags(int argc, const char* const* argv);

extern const char kLauncherHelp[];

}  // namespace safe_sh
