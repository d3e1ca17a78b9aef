// A failed system call, as the native core reports it: errno, the call and
// the path it was about. Only addon.cc and launcher.cc turn it into text.
#pragma once

#include <string>

namespace safe_sh {

struct Status {
  int err = 0;               // errno; 0 means success
  std::string syscall;       // e.g. "landlock_add_rule"
  std::string path;          // the path involved, if any

  bool ok() const { return err == 0; }
  static Status success() { return Status{}; }
  static Status failure(int err, std::string syscall, std::string path = "") {
    return Status{err, std::move(syscall), std::move(path)};
  }
};

// "landlock_add_rule(/src): EACCES (Permission denied)"
std::string describe(const Status& status);

// "EACCES" for 13; the number as text when the name is unknown.
const char* errno_name(int err);

}  // namespace safe_sh
