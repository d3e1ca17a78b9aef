// Landlock ruleset: read+execute on read roots, every right on write roots,
// read/write/ioctl on listed devices; TCP denied unless network is full or
// the command has a net namespace of its own (then only its lo is reachable);
// abstract sockets and signals scoped to the sandbox (ABI 6). Which rights it
// handles depends on what the mounts already enforce (handled_fs_rights).
#include "landlock.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "../common/unique_fd.h"
#include "landlock_abi.h"
#include "mounts.h"

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

bool listed(const std::vector<std::string>& paths, const char* path) {
  for (const std::string& p : paths)
    if (p == path) return true;
  return false;
}

// Which layer enforces which right.
// Without the read-only mount view (degraded mode: no user namespaces, or a
// caller that asked for none), Landlock is the only filesystem layer: every
// right the kernel knows is handled, as it always was.
// With the view, the mounts refuse every write, create, delete, rename, link,
// truncate, mknod and metadata change outside the write roots (EROFS), so:
//  - TRUNCATE is not handled. The kernel asks for it on every open, read-only
//    ones included (it is stored on the file for a later ftruncate), which
//    made each open walk its path up to / (~1 us, most of the cost of a
//    file-heavy job). Outside the write roots truncate is EROFS; inside it is
//    granted anyway; truncate(2) of a device node is EINVAL.
//  - READ_FILE, READ_DIR, EXECUTE are not handled when reads are allowed
//    everywhere (a read or write root "/"): a rule on / would grant them to
//    every path after the same walk. A read allowlist keeps them handled.
//  - The other write-side rights stay handled. They are checked only by
//    operations that write, and two writable things sit outside the view:
//    device nodes (writing one needs no write access to its mount, so
//    /dev/sda would be open to a root caller) and the fresh /proc (writable,
//    and /proc/sys belongs to a root caller). IOCTL_DEV stays too.
uint64_t handled_fs_rights(const Plan& plan, int abi) {
  uint64_t rights = fs_rights_for(abi);
  if (!linux_mnt::read_only_view(plan)) return rights;
  rights &= ~kFsTruncate;
  bool reads_everywhere = listed(plan.read_roots, "/") || listed(plan.write_roots, "/");
  if (reads_everywhere) rights &= ~kFsReadRights;
  return rights;
}

Status add_path_rule(int ruleset_fd, const std::string& path, uint64_t rights, uint64_t handled) {
  // A rule granting nothing handled is ENOMSG: the read rule on / when reads
  // are not handled, for one.
  if ((rights & handled) == 0) return Status::success();
  UniqueFd fd(open(path.c_str(), O_PATH | O_CLOEXEC));
  if (!fd.valid()) return Status::failure(errno, "open", path);
  struct stat st;
  if (fstat(fd.get(), &st) != 0) return Status::failure(errno, "fstat", path);
  // Directory-only rights on a file rule are EINVAL (landlock_add_rule(2)).
  if (!S_ISDIR(st.st_mode)) rights &= kFsFileRights;
  if ((rights & handled) == 0) return Status::success();
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
  attr.handled_access_fs = handled_fs_rights(plan, abi);
  size_t attr_size = sizeof(uint64_t);
  const bool deny_tcp = plan.network != Network::kFull && !has_own_network(plan);
  if (abi >= 4 && deny_tcp) {
    attr.handled_access_net = kNetBindTcp | kNetConnectTcp;  // no rule: all TCP denied
  }
  if (abi >= 4) attr_size = 2 * sizeof(uint64_t);
  if (abi >= 6) {
    attr.scoped = kScopeAbstractUnixSocket | kScopeSignal;
    attr_size = sizeof(RulesetAttr);
  }
  if (abi < 2) report->missing.push_back("rename/link across directories is always denied (ABI < 2)");
  if (abi < 3) report->missing.push_back("truncate of files outside write roots (ABI < 3)");
  if (abi < 4 && deny_tcp) report->missing.push_back("Landlock TCP rules (ABI < 4; seccomp still denies sockets)");
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
  if (syscall(kSysRestrictSelf, ruleset.get(), 0) != 0)
    return Status::failure(errno, "landlock_restrict_self");
  report->applied = true;
  report->fs_handled = attr.handled_access_fs;
  report->net_handled = attr.handled_access_net;
  report->scoped = attr.scoped;
  return Status::success();
}

}  // namespace safe_sh::linux_ll
