// Landlock ruleset: read+execute on read roots, every right on write roots,
// read/write/ioctl on listed devices; TCP denied unless network is full;
// abstract sockets and signals scoped to the sandbox (ABI 6).
#include "landlock.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "../common/unique_fd.h"
#include "landlock_abi.h"

namespace safe_sh::linux_ll {

namespace {

constexpr uint64_t kFsReadRights = kFsExecute | kFsReadFile | kFsReadDir;
constexpr uint64_t kFsAllRights = (kFsIoctlDev << 1) - 1;
constexpr uint64_t kFsDeviceRights = kFsReadFile | kFsWriteFile | kFsTruncate | kFsIoctlDev;

// Filesystem rights this kernel understands (landlock.rst "compatibility").
uint64_t fs_rights_for(int abi) {
  uint64_t rights = kFsAllRights;
  if (abi < 2) rights &= ~kFsRefer;
  if (abi < 3) rights &= ~kFsTruncate;
  if (abi < 5) rights &= ~kFsIoctlDev;
  return rights;
}

Status add_path_rule(int ruleset_fd, const std::string& path, uint64_t rights, uint64_t handled) {
  UniqueFd fd(open(path.c_str(), O_PATH | O_CLOEXEC));
  if (!fd.valid()) return Status::failure(errno, "open", path);
  struct stat st;
  if (fstat(fd.get(), &st) != 0) return Status::failure(errno, "fstat", path);
  // Directory-only rights on a file rule are EINVAL (landlock_add_rule(2)).
  if (!S_ISDIR(st.st_mode)) rights &= kFsFileRights;
  PathBeneathAttr attr{rights & handled, fd.get()};
  if (syscall(kSysAddRule, ruleset_fd, kRulePathBeneath, &attr, 0) != 0)
    return Status::failure(errno, "landlock_add_rule", path);
  return Status::success();
}

int max_abi_cap = 64;

}  // namespace

void cap_landlock_abi(int max_abi) { max_abi_cap = max_abi; }

int landlock_abi(int* why) {
  long abi = syscall(kSysCreateRuleset, nullptr, 0, kCreateRulesetVersion);
  if (abi < 0) {
    if (why != nullptr) *why = errno;
    return 0;
  }
  return static_cast<int>(abi < max_abi_cap ? abi : max_abi_cap);
}

Status apply_landlock(const Plan& plan, LandlockReport* report) {
  int why = 0;
  int abi = landlock_abi(&why);
  report->abi = abi;
  if (abi == 0) {
    report->missing.push_back("filesystem confinement (Landlock unavailable)");
    return Status::failure(why, "landlock_create_ruleset");
  }

  RulesetAttr attr{};
  attr.handled_access_fs = fs_rights_for(abi);
  size_t attr_size = sizeof(uint64_t);
  if (abi >= 4 && plan.network != Network::kFull) {
    attr.handled_access_net = kNetBindTcp | kNetConnectTcp;  // no rule: all TCP denied
  }
  if (abi >= 4) attr_size = 2 * sizeof(uint64_t);
  if (abi >= 6) {
    attr.scoped = kScopeAbstractUnixSocket | kScopeSignal;
    attr_size = sizeof(RulesetAttr);
  }
  if (abi < 2) report->missing.push_back("rename/link across directories is always denied (ABI < 2)");
  if (abi < 3) report->missing.push_back("truncate of files outside write roots (ABI < 3)");
  if (abi < 4 && plan.network != Network::kFull) report->missing.push_back("Landlock TCP rules (ABI < 4; seccomp still denies sockets)");
  if (abi < 6) report->missing.push_back("signal and abstract-socket scoping (ABI < 6)");

  UniqueFd ruleset(static_cast<int>(syscall(kSysCreateRuleset, &attr, attr_size, 0)));
  if (!ruleset.valid()) return Status::failure(errno, "landlock_create_ruleset");

  const uint64_t handled = attr.handled_access_fs;
  for (const std::string& path : plan.read_roots) {
    Status status = add_path_rule(ruleset.get(), path, kFsReadRights, handled);
    if (!status.ok()) return status;
  }
  for (const std::string& path : plan.write_roots) {
    Status status = add_path_rule(ruleset.get(), path, kFsAllRights, handled);
    if (!status.ok()) return status;
  }
  for (const std::string& path : plan.devices) {
    Status status = add_path_rule(ruleset.get(), path, kFsDeviceRights, handled);
    if (!status.ok()) return status;
  }
  if (plan.network == Network::kAllowlist && attr.handled_access_net != 0) {
    // The bridge's port is the only TCP destination (NAMESPACE-NOTES §3).
    NetPortAttr port{kNetConnectTcp, static_cast<uint64_t>(plan.proxy_port)};
    if (syscall(kSysAddRule, ruleset.get(), kRuleNetPort, &port, 0) != 0)
      return Status::failure(errno, "landlock_add_rule", "tcp port " + std::to_string(plan.proxy_port));
  }
  if (syscall(kSysRestrictSelf, ruleset.get(), 0) != 0)
    return Status::failure(errno, "landlock_restrict_self");
  return Status::success();
}

}  // namespace safe_sh::linux_ll
