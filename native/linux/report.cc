// Serialises the enforcement report by hand (a handful of fixed keys; the
// only free text, the gaps, is escaped) so the launcher needs no JSON library.
#include "report.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>

#include "../common/json.h"
#include "cgroup_discover.h"
#include "landlock_abi.h"
#include "mounts.h"

namespace safe_sh::linux_report {

namespace {

struct Right {
  uint64_t bit;
  const char* name;
};

// Landlock's own names, lower-case (LANDLOCK_ACCESS_FS_READ_FILE → read_file).
constexpr Right kFsRights[] = {
    {linux_ll::kFsExecute, "execute"},       {linux_ll::kFsWriteFile, "write_file"}, {linux_ll::kFsReadFile, "read_file"},
    {linux_ll::kFsReadDir, "read_dir"},      {linux_ll::kFsRemoveDir, "remove_dir"}, {linux_ll::kFsRemoveFile, "remove_file"},
    {linux_ll::kFsMakeChar, "make_char"},    {linux_ll::kFsMakeDir, "make_dir"},     {linux_ll::kFsMakeReg, "make_reg"},
    {linux_ll::kFsMakeSock, "make_sock"},    {linux_ll::kFsMakeFifo, "make_fifo"},   {linux_ll::kFsMakeBlock, "make_block"},
    {linux_ll::kFsMakeSym, "make_sym"},      {linux_ll::kFsRefer, "refer"},          {linux_ll::kFsTruncate, "truncate"},
    {linux_ll::kFsIoctlDev, "ioctl_dev"},
};
constexpr Right kNetRights[] = {{linux_ll::kNetBindTcp, "bind_tcp"}, {linux_ll::kNetConnectTcp, "connect_tcp"}};
constexpr Right kScopes[] = {{linux_ll::kScopeAbstractUnixSocket, "abstract_unix_socket"}, {linux_ll::kScopeSignal, "signal"}};

template <size_t N>
std::string names(uint64_t bits, const Right (&table)[N]) {
  std::string out = "[";
  for (const Right& right : table) {
    if (!(bits & right.bit)) continue;
    if (out.size() > 1) out += ',';
    out += json_string(right.name);
  }
  return out + "]";
}

const char* boolean(bool value) { return value ? "true" : "false"; }

// How each limit holds: a run cgroup, an rlimit, the pid namespace's pid_max
// (a root caller, whom RLIMIT_NPROC exempts), or "none".
std::string limits_json(const Plan& plan) {
  std::string pids = "none";
  if (plan.limit_pids > 0 && plan.cgroup_pids != Cgroup::kNone) pids = linux_cg::version_name(plan.cgroup_pids);
  else if (plan.limit_pids > 0 && getuid() != 0) pids = "RLIMIT_NPROC";
  else if (plan.limit_pids > 0 && plan.pid_max_set) pids = "pid_max";
  std::string memory = "none";
  if (plan.limit_memory > 0) memory = plan.cgroup_memory != Cgroup::kNone ? linux_cg::version_name(plan.cgroup_memory) : "RLIMIT_DATA";
  return "{\"pids\":" + json_string(pids) + ",\"memory\":" + json_string(memory) + "}";
}

}  // namespace

std::string describe_enforcement(const Plan& plan, const linux_ll::LandlockReport& landlock, bool seccomp,
                                 const std::vector<std::string>& missing) {
  std::string landlock_json = "null";
  if (landlock.applied) {
    landlock_json = "{\"abi\":" + std::to_string(landlock.abi) + ",\"fs\":" + names(landlock.fs_handled, kFsRights) +
                    ",\"net\":" + names(landlock.net_handled, kNetRights) + ",\"scoped\":" + names(landlock.scoped, kScopes) + "}";
  }
  std::string namespaces = "[";
  if (plan.namespaces) namespaces += plan.network == Network::kFull ? "\"user\",\"mount\",\"pid\"" : "\"user\",\"mount\",\"pid\",\"net\"";
  namespaces += "]";
  std::string gaps = "[";
  for (const std::string& gap : missing) gaps += (gaps.size() > 1 ? "," : "") + json_string(gap);
  gaps += "]";
  return "{\"landlock\":" + landlock_json + ",\"seccomp\":" + boolean(seccomp) + ",\"noNewPrivs\":true,\"capabilitiesDropped\":true" +
         ",\"namespaces\":" + namespaces + ",\"readOnlyView\":" + boolean(linux_mnt::read_only_view(plan)) +
         ",\"privateTmp\":" + boolean(plan.namespaces && plan.private_tmp) +
         ",\"protected\":" + std::to_string(plan.namespaces ? plan.protect.size() : 0) +
         ",\"masked\":" + std::to_string(plan.namespaces ? plan.mask.size() : 0) + ",\"limits\":" + limits_json(plan) + ",\"missing\":" + gaps + "}";
}

std::string describe_reached(const std::vector<std::string>& limits) {
  std::string list = "[";
  for (const std::string& limit : limits) list += (list.size() > 1 ? "," : "") + json_string(limit);
  return "{\"limitsReached\":" + list + "]}";
}

Status prepare_report_fd(int fd) {
  if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) return Status::failure(errno, "fcntl(--report-fd)", std::to_string(fd));
  return Status::success();
}

void send_report(int fd, const std::string& json) {
  std::string line = json + "\n";
  size_t done = 0;
  while (done < line.size()) {
    ssize_t n = write(fd, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += static_cast<size_t>(n);
  }
}

}  // namespace safe_sh::linux_report
