// libsafe_sh's C API (native/include/safe_sh.h): a plan turned into the
// launcher's flags, started through the same posix_spawn path as the addon.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <new>
#include <string>
#include <vector>

#include "../include/safe_sh.h"
#include "../linux/spawn_process.h"

struct safe_sh_plan {
  std::string workspace;
  std::vector<std::string> writable;
  std::vector<std::string> protect;
  std::vector<std::string> mask;
  std::vector<std::string> env;
  safe_sh_network network = SAFE_SH_NETWORK_NONE;
};

namespace {

// The devices safe-sh's TypeScript plan grants too (src/sandbox/plan.ts).
const char* const kDevices[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"};

bool absolute(const char* path) { return path != nullptr && path[0] == '/'; }

int add_path(std::vector<std::string>* list, const char* path) {
  if (!absolute(path)) return EINVAL;
  list->emplace_back(path);
  return 0;
}

// The flags src/sandbox/linux.ts would pass for the same plan.
std::vector<std::string> launcher_argv(const safe_sh_plan& plan, const char* launcher, const char* const* argv) {
  std::vector<std::string> out = {launcher, "--ro", "/", "--rw", plan.workspace};
  for (const std::string& path : plan.writable) out.insert(out.end(), {"--rw", path});
  for (const char* device : kDevices)
    if (access(device, F_OK) == 0) out.insert(out.end(), {"--dev", device});
  out.insert(out.end(), {"--namespaces", "--private-tmp"});
  for (const std::string& path : plan.protect) out.insert(out.end(), {"--protect", path});
  for (const std::string& path : plan.mask) out.insert(out.end(), {"--mask", path});
  out.insert(out.end(), {"--network", plan.network == SAFE_SH_NETWORK_FULL ? "full" : "none"});
  out.insert(out.end(), {"--chdir", plan.workspace, "--clearenv"});
  for (const std::string& variable : plan.env) out.insert(out.end(), {"--setenv", variable});
  out.emplace_back("--");
  for (; *argv != nullptr; ++argv) out.emplace_back(*argv);
  return out;
}

}  // namespace

extern "C" {

struct safe_sh_plan* safe_sh_plan_new(const char* workspace) {
  if (!absolute(workspace)) return nullptr;
  safe_sh_plan* plan = new (std::nothrow) safe_sh_plan;
  if (plan != nullptr) plan->workspace = workspace;
  return plan;
}

void safe_sh_plan_free(struct safe_sh_plan* plan) { delete plan; }

int safe_sh_plan_add_writable(struct safe_sh_plan* plan, const char* path) {
  return plan == nullptr ? EINVAL : add_path(&plan->writable, path);
}

int safe_sh_plan_add_protected(struct safe_sh_plan* plan, const char* path) {
  return plan == nullptr ? EINVAL : add_path(&plan->protect, path);
}

int safe_sh_plan_add_mask(struct safe_sh_plan* plan, const char* path) {
  return plan == nullptr ? EINVAL : add_path(&plan->mask, path);
}

int safe_sh_plan_set_network(struct safe_sh_plan* plan, enum safe_sh_network network) {
  if (plan == nullptr || (network != SAFE_SH_NETWORK_NONE && network != SAFE_SH_NETWORK_FULL)) return EINVAL;
  plan->network = network;
  return 0;
}

int safe_sh_plan_set_env(struct safe_sh_plan* plan, const char* name_value) {
  if (plan == nullptr || name_value == nullptr) return EINVAL;
  std::string variable(name_value);
  size_t eq = variable.find('=');
  if (eq == std::string::npos || eq == 0) return EINVAL;
  plan->env.push_back(std::move(variable));
  return 0;
}

int safe_sh_spawn(const struct safe_sh_plan* plan, const char* launcher, const char* const* argv,
                  struct safe_sh_child* child) {
  if (plan == nullptr || !absolute(launcher) || argv == nullptr || argv[0] == nullptr || child == nullptr) return EINVAL;
  using safe_sh::linux_child::Stdio;
  safe_sh::linux_child::SpawnSpec spec;
  spec.file = launcher;
  spec.argv = launcher_argv(*plan, launcher, argv);
  spec.stdio[0] = spec.stdio[1] = spec.stdio[2] = Stdio::kPipe;
  spec.new_session = true;
  safe_sh::UniqueFd ours[safe_sh::linux_child::kReportFd + 1];
  pid_t pid = 0;
  safe_sh::Status status = safe_sh::linux_child::start_process(spec, &pid, ours);
  if (!status.ok()) return status.err;
  // The caller reads and writes with ordinary blocking calls.
  for (safe_sh::UniqueFd& fd : ours) fcntl(fd.get(), F_SETFL, 0);
  child->pid = pid;
  child->stdin_fd = ours[0].release();
  child->stdout_fd = ours[1].release();
  child->stderr_fd = ours[2].release();
  return 0;
}

int safe_sh_wait(struct safe_sh_child* child, int* wait_status) {
  if (child == nullptr || child->pid <= 0) return EINVAL;
  int status = 0;
  while (waitpid(child->pid, &status, 0) < 0) {
    if (errno != EINTR) return errno;
  }
  if (wait_status != nullptr) *wait_status = status;
  child->pid = 0;  // reaped: never signal a pid that may be reused
  return 0;
}

int safe_sh_kill(const struct safe_sh_child* child, int sig) {
  if (child == nullptr || child->pid <= 0) return EINVAL;
  return kill(child->pid, sig) == 0 ? 0 : errno;
}

void safe_sh_child_close(struct safe_sh_child* child) {
  if (child == nullptr) return;
  for (int* fd : {&child->stdin_fd, &child->stdout_fd, &child->stderr_fd}) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
  }
}

}  // extern "C"
