// cgroup files used: v2 pids.max, memory.max, memory.swap.max (0: the limit
// is on memory, not pushed to swap), pids.events "max", memory.events
// "oom_kill"; v1 pids.max, memory.limit_in_bytes, memory.memsw.limit_in_bytes
// (where swap is accounted), pids.events, memory.oom_control "oom_kill"
// (Linux 4.13). A launcher killed with SIGKILL leaves an empty run cgroup
// behind: the next run under the same parent removes it (its pid is gone),
// while its own command runs, off the start-up path.
#include "cgroup.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace safe_sh::linux_cg {

namespace {

constexpr char kPrefix[] = "safe-sh-";

bool write_text(const std::string& path, const std::string& text) {
  UniqueFd fd(open(path.c_str(), O_WRONLY | O_CLOEXEC));
  return fd.valid() && write(fd.get(), text.data(), text.size()) == static_cast<ssize_t>(text.size());
}

// The number after `key` on a "key value" line of an events file; 0 if absent.
long event_count(const std::string& text, const std::string& key) {
  size_t at = 0;
  while ((at = text.find(key + " ", at)) != std::string::npos) {
    if (at == 0 || text[at - 1] == '\n') return std::strtol(text.c_str() + at + key.size() + 1, nullptr, 10);
    at += key.size();
  }
  return 0;
}

// rmdir fails with EBUSY while a cgroup has processes; right after the last
// one exits the kernel may still be unlinking it: retry briefly.
void remove_dir(const std::string& path) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    if (rmdir(path.c_str()) == 0 || errno != EBUSY) return;
    timespec pause{0, 1000000};
    nanosleep(&pause, nullptr);
  }
}

// Run cgroups whose launcher is gone (killed before it could clean up).
// rmdir of one still in use fails (EBUSY), so a race only leaves it.
void remove_stale(const std::string& parent) {
  DIR* dir = opendir(parent.c_str());
  if (dir == nullptr) return;
  while (dirent* entry = readdir(dir)) {
    if (std::strncmp(entry->d_name, kPrefix, sizeof kPrefix - 1) != 0) continue;
    char* end = nullptr;
    long pid = std::strtol(entry->d_name + sizeof kPrefix - 1, &end, 10);
    if (pid <= 0 || *end != '\0') continue;
    if (kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    rmdir((parent + "/" + entry->d_name).c_str());
  }
  closedir(dir);
}

}  // namespace

RunCgroups::Dir* RunCgroups::dir_for(const Choice& choice, const std::string& name) {
  const std::string path = choice.parent + "/" + name;
  for (Dir& dir : dirs_)
    if (dir.path == path) return &dir;
  if (mkdir(path.c_str(), 0755) != 0) return nullptr;
  UniqueFd procs(open((path + "/cgroup.procs").c_str(), O_WRONLY | O_CLOEXEC));
  if (!procs.valid()) {
    rmdir(path.c_str());
    return nullptr;
  }
  dirs_.push_back(Dir{path, choice.version, false, false, std::move(procs)});
  return &dirs_.back();
}

bool RunCgroups::set_up(const Choice& choice, const char* controller, const Plan& plan, const std::string& name) {
  const bool pids = std::strcmp(controller, "pids") == 0;
  if (choice.version == Cgroup::kNone || (pids ? plan.limit_pids : static_cast<long>(plan.limit_memory)) == 0) return false;
  // v2: hand the controller to the parent's children (EBUSY if the parent
  // holds processes itself: then it is not usable).
  if (choice.enable && !write_text(choice.parent + "/cgroup.subtree_control", std::string("+") + controller)) return false;
  Dir* dir = dir_for(choice, name);
  if (dir == nullptr) return false;
  bool ok;
  if (pids) {
    ok = write_text(dir->path + "/pids.max", std::to_string(plan.limit_pids));
  } else if (choice.version == Cgroup::kV2) {
    ok = write_text(dir->path + "/memory.max", std::to_string(plan.limit_memory));
    // Absent without swap accounting; then there is no swap to push to.
    if (ok && access((dir->path + "/memory.swap.max").c_str(), F_OK) == 0) ok = write_text(dir->path + "/memory.swap.max", "0");
  } else {
    ok = write_text(dir->path + "/memory.limit_in_bytes", std::to_string(plan.limit_memory));
    if (ok && access((dir->path + "/memory.memsw.limit_in_bytes").c_str(), F_OK) == 0)
      ok = write_text(dir->path + "/memory.memsw.limit_in_bytes", std::to_string(plan.limit_memory));
  }
  if (!ok) return false;
  (pids ? dir->pids : dir->memory) = true;
  return true;
}

void RunCgroups::create(const Discovery& discovery, Plan* plan) {
  const std::string name = kPrefix + std::to_string(getpid());
  if (set_up(discovery.pids, "pids", *plan, name)) plan->cgroup_pids = discovery.pids.version;
  if (set_up(discovery.memory, "memory", *plan, name)) plan->cgroup_memory = discovery.memory.version;
  // A directory made for a controller whose limit then failed holds nothing.
  for (size_t i = dirs_.size(); i-- > 0;) {
    if (dirs_[i].pids || dirs_[i].memory) continue;
    dirs_[i].procs.reset();
    rmdir(dirs_[i].path.c_str());
    dirs_.erase(dirs_.begin() + static_cast<long>(i));
  }
}

Status RunCgroups::attach(pid_t pid) {
  const std::string text = std::to_string(pid);
  for (Dir& dir : dirs_) {
    if (write(dir.procs.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()))
      return Status::failure(errno, "write", dir.path + "/cgroup.procs");
  }
  return Status::success();
}

std::vector<std::string> RunCgroups::reached() const {
  std::vector<std::string> limits;
  std::string text;
  for (const Dir& dir : dirs_) {
    if (dir.pids && read_small(dir.path + "/pids.events", &text) && event_count(text, "max") > 0) limits.emplace_back("pids");
    const char* events = dir.version == Cgroup::kV2 ? "/memory.events" : "/memory.oom_control";
    if (dir.memory && read_small(dir.path + events, &text) && event_count(text, "oom_kill") > 0) limits.emplace_back("memory");
  }
  return limits;
}

void RunCgroups::remove_stale_siblings() const {
  for (const Dir& dir : dirs_) {
    const std::string parent = dir.path.substr(0, dir.path.rfind('/'));
    remove_stale(parent);
  }
}

void RunCgroups::remove() {
  for (Dir& dir : dirs_) {
    dir.procs.reset();
    remove_dir(dir.path);
  }
  dirs_.clear();
}

}  // namespace safe_sh::linux_cg
