// Command-line flags of safe-sh-exec. Only syntax is checked here; paths are
// checked when the plan is applied, so every error names what was wrong.
#include "plan.h"

#include <cstdlib>
#include <cstring>

namespace safe_sh {

const char kLauncherHelp[] =
    "Usage: safe-sh-exec [FLAGS] -- PROGRAM [ARGS...]\n"
    "\n"
    "Applies a confinement plan to itself, then execs PROGRAM (looked up in the\n"
    "PATH of the environment PROGRAM will get). Normally started by safe-sh;\n"
    "callable from any language.\n"
    "\n"
    "Filesystem (Landlock, and with --namespaces a read-only view of everything\n"
    "outside the --rw roots; nothing not listed is readable or writable):\n"
    "  --ro PATH              read and execute files beneath PATH (repeatable)\n"
    "  --rw PATH              read, write, create, delete beneath PATH (repeatable;\n"
    "                         refused on proc, sysfs, cgroup, devtmpfs and other\n"
    "                         pseudo-filesystems)\n"
    "  --dev PATH             read, write and ioctl one device node, e.g. /dev/null\n"
    "                         (repeatable; refused unless PATH is a character or\n"
    "                         block device); terminals on fds 0-2 are added automatically\n"
    "  --landlock-min-abi N   refuse to run when the kernel's Landlock ABI is below N\n"
    "                         (default 1)\n"
    "  --landlock-max-abi N   act as if the kernel's Landlock ABI were at most N; for\n"
    "                         tests of what older kernels enforce, never for use\n"
    "\n"
    "Namespaces (user, mount, pid; net too unless --network full):\n"
    "  --namespaces           run PROGRAM in new namespaces under a resident init\n"
    "                         (PID 1) that forwards signals; when it ends or the\n"
    "                         launcher dies, every process of the sandbox dies;\n"
    "                         everything outside the --rw roots is mounted\n"
    "                         read-only (metadata included), and the sandbox gets\n"
    "                         its own ptys (a private /dev/pts)\n"
    "  --protect PATH         read-only re-bind of PATH inside a write root; it can't\n"
    "                         be written, deleted, renamed or replaced (repeatable;\n"
    "                         PATH must exist and must not be or contain a symlink)\n"
    "  --mask PATH            PATH can be neither read nor listed (a mode-000 tmpfs\n"
    "                         or empty file over it); missing paths are ignored\n"
    "  --private-tmp          an empty, private tmpfs on /tmp (write roots under /tmp\n"
    "                         are bound into it) and on /dev/shm (writable)\n"
    "  --home-layer PATH      a throwaway writable layer over PATH (the home): an\n"
    "                         overlay of PATH and a private tmpfs; writes never\n"
    "                         reach PATH; roots beneath PATH are bound back\n"
    "  --bind SRC DST         SRC seen at DST (after the home layer, before protects\n"
    "                         and masks); a missing DST is created only inside\n"
    "                         --home-layer; DST must not be a symlink (repeatable)\n"
    "  --unix-sockets         allow AF_UNIX sockets among the sandbox's processes once\n"
    "                         every bound host socket (/proc/net/unix) is masked and\n"
    "                         abstract sockets are out of reach (own net namespace or\n"
    "                         Landlock ABI >= 6); otherwise they stay denied\n"
    "  --sweep PATH           PATH is absent now and must be absent after the run:\n"
    "                         if the sandbox created it, it is renamed aside to\n"
    "                         PATH.safe-sh-swept.PID (never followed, never deleted)\n"
    "\n"
    "Network:\n"
    "  --network none|allowlist|full\n"
    "                         none (default): with --namespaces, a net namespace\n"
    "                         of its own with only lo up (AF_INET/AF_INET6 allowed,\n"
    "                         nothing routes out); without, no sockets except\n"
    "                         socketpair and TCP denied by Landlock too.\n"
    "                         allowlist: as none, plus 127.0.0.1:PORT and\n"
    "                         [::1]:PORT relayed by the launcher to the proxy's\n"
    "                         Unix socket outside. full: the host's network,\n"
    "                         AF_INET/AF_INET6 sockets.\n"
    "  --proxy-socket PATH    allowlist: the proxy's Unix socket (outside)\n"
    "  --proxy-port PORT      allowlist: the port inside (default 3128)\n"
    "\n"
    "macOS (Seatbelt; replaces the namespace and Landlock flags there):\n"
    "  --seatbelt-profile TEXT\n"
    "                         the SBPL profile applied to PROGRAM with\n"
    "                         sandbox_init_with_parameters; required on macOS\n"
    "  --seatbelt-param NAME=PATH\n"
    "                         a profile parameter: PATH absolute and canonical\n"
    "                         (symlinks resolved, /tmp spelled /private/tmp)\n"
    "\n"
    "Environment (applied in this order):\n"
    "  --clearenv             start from an empty environment\n"
    "  --keepenv NAME         with --clearenv, keep NAME from the launcher's own\n"
    "  --unsetenv NAME        remove NAME\n"
    "  --setenv NAME=VALUE    set NAME\n"
    "\n"
    "Limits (the command's whole tree):\n"
    "  --limit-pids N         at most N processes: pids.max of a run cgroup when\n"
    "                         one can be made (cgroup v2 delegated subtree, else a\n"
    "                         writable v1 pids hierarchy), else RLIMIT_NPROC in the\n"
    "                         sandbox's own user namespace; needs --namespaces\n"
    "  --limit-memory BYTES   at most BYTES: memory.max of a run cgroup (the whole\n"
    "                         tree, no swap; needs --namespaces), else RLIMIT_DATA\n"
    "                         per process. With run cgroups, --report-fd gets a\n"
    "                         second line after the run: {\"limitsReached\":[...]}\n"
    "  --probe-limits         alone: print which cgroup would hold each limit,\n"
    "                         and why (JSON), then exit\n"
    "\n"
    "Process:\n"
    "  --chdir DIR            working directory of PROGRAM\n"
    "  --report-fd FD         just before exec, write one JSON line to FD saying what\n"
    "                         was enforced (Landlock ABI and handled rights, seccomp,\n"
    "                         namespaces, read-only view, protected paths, masks,\n"
    "                         what is missing); FD is close-on-exec, so its EOF\n"
    "                         without a line means nothing was executed\n"
    "  --allow-degraded       run even when Landlock is missing or below\n"
    "                         --landlock-min-abi (prints what is not enforced)\n"
    "  --help                 this text\n"
    "  --version              the launcher's version\n"
    "\n"
    "Always applied: no_new_privs, every capability dropped, parent-death signal\n"
    "SIGKILL, every fd above 2 closed, Landlock signal and abstract-socket scopes\n"
    "(ABI >= 6), and a seccomp filter (arch check, x32 rejected; EPERM for ptrace,\n"
    "process_vm_*, io_uring, keyrings, bpf, perf, userfaultfd, namespaces, the\n"
    "mount family, kexec/modules/reboot, personality changes, TIOCSTI/TIOCLINUX,\n"
    "and socket families not allowed above; clone3 ENOSYS).\n"
    "\n"
    "Exit status: PROGRAM's own; 125 bad flag, missing path or setup failure\n"
    "(nothing ran); 126 PROGRAM not executable, or Landlock below\n"
    "--landlock-min-abi / no seccomp without --allow-degraded (refused, as the\n"
    "CLI refuses); 127 PROGRAM not found.\n";

namespace {

// Accepts "--flag VALUE" and "--flag=VALUE"; returns nullptr when missing.
const char* take_value(const char* arg, size_t flag_len, int argc,
                       const char* const* argv, int* i) {
  if (arg[flag_len] == '=') return arg + flag_len + 1;
  if (*i + 1 >= argc) return nullptr;
  return argv[++*i];
}

bool is_flag(const char* arg, const char* name, size_t* len) {
  *len = std::strlen(name);
  return std::strncmp(arg, name, *len) == 0 && (arg[*len] == '\0' || arg[*len] == '=');
}

// A whole decimal number within [min, max]; false for a missing or empty
// value, trailing text, or one out of range.
bool parse_int(const char* value, long min, long max, int* out) {
  if (value == nullptr || *value == '\0') return false;
  char* end = nullptr;
  long number = std::strtol(value, &end, 10);
  if (*end != '\0' || number < min || number > max) return false;
  *out = static_cast<int>(number);
  return true;
}

bool valid_env_name(const std::string& name) {
  if (name.empty() || std::strchr("0123456789", name[0]) != nullptr) return false;
  for (char c : name) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

ParseResult parse_flags(int argc, const char* const* argv) {
  ParseResult result;
  Plan& plan = result.plan;
  auto fail = [&result](std::string message) {
    result.ok = false;
    result.error = std::move(message);
    return result;
  };

  int i = 1;
  for (; i < argc; ++i) {
    const char* arg = argv[i];
    size_t len = 0;
    if (std::strcmp(arg, "--") == 0) {
      ++i;
      break;
    }
    if (std::strcmp(arg, "--help") == 0 || std::strcmp(arg, "-h") == 0) {
      result.ok = true;
      result.help = true;
      return result;
    }
    if (std::strcmp(arg, "--version") == 0) {
      result.ok = true;
      result.version = true;
      return result;
    }
    if (std::strcmp(arg, "--clearenv") == 0) {
      plan.clear_env = true;
      continue;
    }
    if (std::strcmp(arg, "--namespaces") == 0) {
      plan.namespaces = true;
      continue;
    }
    if (std::strcmp(arg, "--private-tmp") == 0) {
      plan.private_tmp = true;
      continue;
    }
    if (std::strcmp(arg, "--unix-sockets") == 0) {
      plan.unix_sockets = true;
      continue;
    }
    if (std::strcmp(arg, "--allow-degraded") == 0) {
      plan.allow_degraded = true;
      continue;
    }

    struct ListFlag {
      const char* name;
      std::vector<std::string>* list;
    };
    const ListFlag list_flags[] = {
        {"--ro", &plan.read_roots},    {"--rw", &plan.write_roots},
        {"--dev", &plan.devices},      {"--keepenv", &plan.keep_env},
        {"--setenv", &plan.set_env},   {"--unsetenv", &plan.unset_env},
        {"--protect", &plan.protect},  {"--mask", &plan.mask},
        {"--sweep", &plan.sweep},
    };
    bool matched = false;
    for (const ListFlag& flag : list_flags) {
      if (!is_flag(arg, flag.name, &len)) continue;
      const char* value = take_value(arg, len, argc, argv, &i);
      if (value == nullptr || *value == '\0') return fail(std::string(flag.name) + ": missing value");
      std::string text(value);
      bool is_path = flag.list == &plan.read_roots || flag.list == &plan.write_roots ||
                     flag.list == &plan.devices || flag.list == &plan.protect ||
                     flag.list == &plan.mask || flag.list == &plan.sweep;
      if (is_path && text[0] != '/') return fail(std::string(flag.name) + " " + text + ": must be an absolute path");
      if (flag.list == &plan.set_env) {
        size_t eq = text.find('=');
        if (eq == std::string::npos || !valid_env_name(text.substr(0, eq)))
          return fail("--setenv " + text + ": expected NAME=VALUE");
      } else if (!is_path && !valid_env_name(text)) {
        return fail(std::string(flag.name) + " " + text + ": not a variable name");
      }
      flag.list->push_back(std::move(text));
      matched = true;
      break;
    }
    if (matched) continue;

    if (is_flag(arg, "--network", &len)) {
      const char* value = take_value(arg, len, argc, argv, &i);
      if (value == nullptr) return fail("--network: missing value (none|allowlist|full)");
      if (std::strcmp(value, "none") == 0) {
        plan.network = Network::kNone;
      } else if (std::strcmp(value, "allowlist") == 0) {
        plan.network = Network::kAllowlist;
      } else if (std::strcmp(value, "full") == 0) {
        plan.network = Network::kFull;
      } else {
        return fail(std::string("--network ") + value + ": expected none, allowlist or full");
      }
      continue;
    }
    if (is_flag(arg, "--proxy-socket", &len)) {
      const char* value = take_value(arg, len, argc, argv, &i);
      if (value == nullptr || value[0] != '/') return fail("--proxy-socket: expected an absolute path");
      plan.proxy_socket = value;
      continue;
    }
    if (is_flag(arg, "--proxy-port", &len)) {
      if (!parse_int(take_value(arg, len, argc, argv, &i), 1, 65535, &plan.proxy_port))
        return fail("--proxy-port: expected a port from 1 to 65535");
      continue;
    }
    if (is_flag(arg, "--home-layer", &len)) {
      const char* value = take_value(arg, len, argc, argv, &i);
      if (value == nullptr || value[0] != '/' || value[1] == '\0') return fail("--home-layer: expected an absolute path other than /");
      plan.home_layer = value;
      continue;
    }
    if (std::strcmp(arg, "--bind") == 0) {
      if (i + 2 >= argc || argv[i + 1][0] != '/' || argv[i + 2][0] != '/') return fail("--bind: expected two absolute paths, SRC DST");
      plan.binds.emplace_back(argv[i + 1], argv[i + 2]);
      i += 2;
      continue;
    }
    if (is_flag(arg, "--limit-pids", &len)) {
      int pids = 0;
      if (!parse_int(take_value(arg, len, argc, argv, &i), 1, 4194304, &pids)) return fail("--limit-pids: expected a number from 1 to 4194304");
      plan.limit_pids = pids;
      continue;
    }
    if (is_flag(arg, "--limit-memory", &len)) {
      const char* value = take_value(arg, len, argc, argv, &i);
      char* end = nullptr;
      unsigned long long bytes = value == nullptr || *value == '\0' ? 0 : std::strtoull(value, &end, 10);
      if (bytes < (1ULL << 20) || *end != '\0' || value[0] == '-') return fail("--limit-memory: expected a number of bytes, at least 1048576");
      plan.limit_memory = bytes;
      continue;
    }
    if (is_flag(arg, "--seatbelt-profile", &len)) {
      const char* value = take_value(arg, len, argc, argv, &i);
      if (value == nullptr || *value == '\0') return fail("--seatbelt-profile: missing value");
      plan.seatbelt_profile = value;
      continue;
    }
    if (is_flag(arg, "--seatbelt-param", &len)) {
      const char* value = take_value(arg, len, argc, argv, &i);
      std::string text(value == nullptr ? "" : value);
      size_t eq = text.find('=');
      if (eq == std::string::npos || !valid_env_name(text.substr(0, eq)) || text.compare(eq + 1, 1, "/") != 0)
        return fail("--seatbelt-param " + text + ": expected NAME=/absolute/path");
      plan.seatbelt_params.push_back(std::move(text));
      continue;
    }
    if (is_flag(arg, "--chdir", &len)) {
      const char* value = take_value(arg, len, argc, argv, &i);
      if (value == nullptr || *value == '\0') return fail("--chdir: missing value");
      plan.chdir = value;
      continue;
    }
    if (is_flag(arg, "--report-fd", &len)) {
      if (!parse_int(take_value(arg, len, argc, argv, &i), 3, 1 << 20, &plan.report_fd))
        return fail("--report-fd: expected an open fd number above 2");
      continue;
    }
    if (is_flag(arg, "--landlock-min-abi", &len)) {
      if (!parse_int(take_value(arg, len, argc, argv, &i), 0, 64, &plan.landlock_min_abi))
        return fail("--landlock-min-abi: expected a number from 0 to 64");
      continue;
    }
    if (is_flag(arg, "--landlock-max-abi", &len)) {
      if (!parse_int(take_value(arg, len, argc, argv, &i), 1, 64, &plan.landlock_max_abi))
        return fail("--landlock-max-abi: expected a number from 1 to 64");
      continue;
    }
    if (arg[0] == '-') return fail(std::string(arg) + ": unknown flag (see --help)");
    return fail(std::string(arg) + ": expected \"--\" before the program");
  }

  for (; i < argc; ++i) plan.argv.emplace_back(argv[i]);
  if (plan.argv.empty()) return fail("no program given (usage: safe-sh-exec [FLAGS] -- PROGRAM [ARGS...])");
  // With Seatbelt the profile itself allows only the proxy's loopback port.
  if (plan.network == Network::kAllowlist && plan.seatbelt_profile.empty() && (!plan.namespaces || plan.proxy_socket.empty()))
    return fail("--network allowlist needs --namespaces and --proxy-socket");
  if (!plan.namespaces) {
    if (plan.private_tmp) return fail("--private-tmp needs --namespaces");
    if (!plan.protect.empty()) return fail("--protect needs --namespaces");
    if (!plan.mask.empty()) return fail("--mask needs --namespaces");
    if (!plan.home_layer.empty()) return fail("--home-layer needs --namespaces");
    if (!plan.binds.empty()) return fail("--bind needs --namespaces");
    if (plan.unix_sockets) return fail("--unix-sockets needs --namespaces");
    // Outside a user namespace of its own RLIMIT_NPROC would count every
    // process of the user, not the sandbox's.
    if (plan.limit_pids > 0) return fail("--limit-pids needs --namespaces");
  }
  result.ok = true;
  return result;
}

}  // namespace safe_sh
