// See proc_file.h.
#include "proc_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "../common/unique_fd.h"

namespace safe_sh::linux_proc {

Status read_whole_file(const std::string& path, std::string* out) {
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return Status::failure(errno, "open", path);
  char buffer[16384];
  for (;;) {
    ssize_t n = read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::failure(errno, "read", path);
    if (n == 0) return Status::success();
    out->append(buffer, static_cast<size_t>(n));
  }
}

}  // namespace safe_sh::linux_proc
