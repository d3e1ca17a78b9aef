// A run cgroup needs a parent the caller may write. cgroup v2 forbids
// processes in a cgroup whose controllers are handed to its children (the
// "no internal processes" rule), and the caller's own cgroup always holds the
// caller (and, for the CLI or library, Node and its other threads' owners),
// so v2 run cgroups are made beside the caller's: in its PARENT, which must be
// a delegated subtree (systemd marks one with a trusted.delegate or
// user.delegate xattr) holding no processes itself. safe-sh never moves other
// processes to make room. cgroup v1 has no such rule: the run cgroup is a
// child of the caller's own.
#include "cgroup_discover.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>

#include "../common/json.h"
#include "../common/unique_fd.h"

namespace safe_sh::linux_cg {

bool read_small(const std::string& path, std::string* text) {
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (!fd.valid()) return false;
  char buffer[4096];
  text->clear();
  for (;;) {
    ssize_t n = read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0 || text->size() > (1 << 16)) return true;
    text->append(buffer, static_cast<size_t>(n));
  }
}

namespace {

bool exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

std::string join(const std::string& root, const std::string& path) { return path == "/" ? root : root + path; }

std::string dirname_of(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

// systemd marks a cgroup it delegates: trusted.delegate (system manager,
// v251+) or user.delegate (user manager, v252+). The mark is on the
// delegated unit; its descendants belong to the delegatee too.
bool delegated(const std::string& v2_root, std::string cgroup) {
  for (int depth = 0; depth < 64 && cgroup != "/"; ++depth, cgroup = dirname_of(cgroup)) {
    std::string dir = join(v2_root, cgroup);
    char value[8];
    if (getxattr(dir.c_str(), "trusted.delegate", value, sizeof value) > 0) return true;
    if (getxattr(dir.c_str(), "user.delegate", value, sizeof value) > 0) return true;
  }
  return false;
}

Choice choose_v2(const std::string& unified, const std::string& fs_root, const std::string& controller) {
  Choice choice;
  std::string v2_root = fs_root;
  if (!exists(fs_root + "/cgroup.controllers")) {
    v2_root = fs_root + "/unified";  // hybrid hosts mount v2 there
    if (!exists(v2_root + "/cgroup.controllers")) {
      choice.why = "no cgroup v2 hierarchy mounted";
      return choice;
    }
  }
  if (unified.empty()) {
    choice.why = "not in a cgroup v2 hierarchy";
    return choice;
  }
  if (unified == "/") {
    choice.why = "cgroup v2: this process is in the root cgroup, not in a delegated subtree";
    return choice;
  }
  const std::string parent_cgroup = dirname_of(unified);
  const std::string parent = join(v2_root, parent_cgroup);
  std::string controllers;
  if (!read_small(parent + "/cgroup.controllers", &controllers) || !lists_controller(controllers, controller)) {
    choice.why = "cgroup v2: no " + controller + " controller in " + parent + " (bound to cgroup v1, or not delegated)";
    return choice;
  }
  if (parent_cgroup == "/" || !delegated(v2_root, parent_cgroup)) {
    // Delegated, but this process is in the delegated cgroup itself.
    choice.why = delegated(v2_root, unified)
                     ? "cgroup v2: " + join(v2_root, unified) + " is delegated but holds this process; start safe-sh in a leaf cgroup below it"
                     : "cgroup v2: " + parent + " is not a delegated subtree (systemd's Delegate=yes marks one)";
    return choice;
  }
  std::string subtree;
  if (access(parent.c_str(), W_OK) != 0 || access((parent + "/cgroup.subtree_control").c_str(), W_OK) != 0 ||
      !read_small(parent + "/cgroup.subtree_control", &subtree)) {
    choice.why = "cgroup v2: " + parent + " is not writable by this user";
    return choice;
  }
  choice.version = Cgroup::kV2;
  choice.parent = parent;
  choice.enable = !lists_controller(subtree, controller);
  choice.why = "cgroup v2: delegated subtree " + parent;
  return choice;
}

Choice choose_v1(const std::string& path, const std::string& fs_root, const std::string& controller) {
  Choice choice;
  if (path.empty()) {
    choice.why = "no cgroup v1 " + controller + " hierarchy";
    return choice;
  }
  const std::string dir = join(fs_root + "/" + controller, path);
  if (!exists(dir + "/cgroup.procs")) {
    choice.why = "cgroup v1: " + dir + " is not mounted here";
    return choice;
  }
  if (access(dir.c_str(), W_OK) != 0) {
    choice.why = "cgroup v1: " + dir + " is not writable by this user";
    return choice;
  }
  choice.version = Cgroup::kV1;
  choice.parent = dir;
  choice.why = "cgroup v1: " + dir + " is writable";
  return choice;
}

Choice choose(const Membership& membership, const std::string& v1_path, const std::string& fs_root, const std::string& controller) {
  Choice v2 = choose_v2(membership.unified, fs_root, controller);
  if (v2.version != Cgroup::kNone) return v2;
  Choice v1 = choose_v1(v1_path, fs_root, controller);
  if (v1.version != Cgroup::kNone) return v1;
  v1.why = v2.why + "; " + v1.why;
  return v1;
}

std::string describe_choice(const Choice& choice) {
  return "{\"version\":" + json_string(version_name(choice.version)) + ",\"parent\":" + json_string(choice.parent) +
         ",\"enable\":" + (choice.enable ? "true" : "false") + ",\"why\":" + json_string(choice.why) + "}";
}

}  // namespace

Membership parse_membership(const std::string& text) {
  Membership membership;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    size_t first = line.find(':');
    size_t second = first == std::string::npos ? std::string::npos : line.find(':', first + 1);
    if (second == std::string::npos) continue;
    const std::string id = line.substr(0, first);
    const std::string controllers = line.substr(first + 1, second - first - 1);
    const std::string path = line.substr(second + 1);
    if (path.empty() || path[0] != '/') continue;
    if (id == "0" && controllers.empty()) {
      membership.unified = path;
      continue;
    }
    // v1 lists controllers comma-separated ("cpu,cpuacct"); "name=" ones are not controllers.
    std::string list = "," + controllers + ",";
    if (list.find(",pids,") != std::string::npos) membership.pids = path;
    if (list.find(",memory,") != std::string::npos) membership.memory = path;
  }
  return membership;
}

bool lists_controller(const std::string& list, const std::string& controller) {
  size_t start = 0;
  while (start < list.size()) {
    size_t end = list.find_first_of(" \t\n", start);
    if (end == std::string::npos) end = list.size();
    if (list.compare(start, end - start, controller) == 0 && end - start == controller.size()) return true;
    start = end + 1;
  }
  return false;
}

Discovery discover(const std::string& proc_self_cgroup, const std::string& fs_root) {
  const Membership membership = parse_membership(proc_self_cgroup);
  return Discovery{choose(membership, membership.pids, fs_root, "pids"), choose(membership, membership.memory, fs_root, "memory")};
}

Discovery discover_own() {
  std::string text;
  if (!read_small("/proc/self/cgroup", &text)) {
    Discovery none;
    none.pids.why = none.memory.why = "cannot read /proc/self/cgroup";
    return none;
  }
  return discover(text, "/sys/fs/cgroup");
}

const char* version_name(Cgroup version) {
  switch (version) {
    case Cgroup::kV2: return "cgroup v2";
    case Cgroup::kV1: return "cgroup v1";
    case Cgroup::kNone: break;
  }
  return "none";
}

std::string describe_discovery(const Discovery& discovery) {
  return "{\"pids\":" + describe_choice(discovery.pids) + ",\"memory\":" + describe_choice(discovery.memory) + "}";
}

}  // namespace safe_sh::linux_cg
