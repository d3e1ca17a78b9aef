// The finished confinement plan the launcher applies. It is decided in
// TypeScript and passed as flags; the native side validates and applies it.
#pragma once

#include <string>
#include <vector>

namespace safe_sh {

enum class Network { kNone, kAllowlist, kFull };

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
  int landlock_max_abi = 64;             // --landlock-max-abi (tests: act as an older kernel)
  std::vector<std::string> argv;         // after "--"

  // Namespaces (NAMESPACE-NOTES.md): user + mount + pid, and net unless full.
  bool namespaces = false;               // --namespaces
  bool private_tmp = false;              // --private-tmp: empty tmpfs on /tmp
  std::vector<std::string> protect;      // --protect: read-only re-bind
  std::vector<std::string> mask;         // --mask: unreadable, unlistable
  std::vector<std::string> sweep;        // --sweep: must not exist after the run
  std::string proxy_socket;              // --proxy-socket (allowlist)
  int proxy_port = 3128;                 // --proxy-port (allowlist)
};

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
