// Reads /proc/net/unix: "Num RefCount Protocol Flags Type St Inode [Path]",
// the path printed raw after one space; abstract names start with '@'.
#include "host_sockets.h"

#include <cerrno>

#include "proc_file.h"

namespace safe_sh::linux_sock {

namespace {

constexpr int kFieldsBeforePath = 7;

// The path on one line, "" for unnamed and abstract sockets; false for a
// line that doesn't have the seven leading fields.
bool path_of(const std::string& line, std::string* path) {
  size_t pos = 0;
  for (int field = 0; field < kFieldsBeforePath; ++field) {
    while (pos < line.size() && line[pos] == ' ') ++pos;
    size_t end = line.find(' ', pos);
    if (pos == line.size()) return false;
    if (field == 0 && (end == std::string::npos || line[end - 1] != ':')) return false;
    pos = end == std::string::npos ? line.size() : end;
  }
  *path = pos < line.size() ? line.substr(pos + 1) : "";
  if (!path->empty() && (*path)[0] == '@') path->clear();  // abstract: scoped, not masked
  return true;
}

}  // namespace

Status bound_socket_paths(std::vector<std::string>* out) {
  std::string text;
  Status status = linux_proc::read_whole_file("/proc/net/unix", &text);
  if (!status.ok()) return status;
  size_t start = text.find('\n');  // the header line
  if (start == std::string::npos) return Status::failure(EINVAL, "read", "/proc/net/unix (no header)");
  for (++start; start < text.size();) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    std::string path;
    if (!path_of(line, &path)) return Status::failure(EINVAL, "parse", "/proc/net/unix line \"" + line + "\"");
    if (path.empty()) continue;
    if (path[0] != '/') return Status::failure(EINVAL, "parse", "/proc/net/unix: relative socket name " + path);
    out->push_back(std::move(path));
  }
  return Status::success();
}

}  // namespace safe_sh::linux_sock
