// Reads /proc/net/unix: "Num RefCount Protocol Flags Type St Inode [Path]",
// the path printed raw after one space; abstract names start with '@'.
#include "host_sockets.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "../common/unique_fd.h"

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
  UniqueFd fd(open("/proc/net/unix", O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return Status::failure(errno, "open", "/proc/net/unix");
  std::string text;
  char buffer[16384];
  for (;;) {
    ssize_t n = read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::failure(errno, "read", "/proc/net/unix");
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
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
