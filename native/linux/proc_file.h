// Whole-file reads of /proc files with read(2): no iostreams, whose locale
// set-up cost the launcher ~0.4 ms on its first use.
#pragma once

#include <string>

#include "../common/status.h"

namespace safe_sh::linux_proc {

// Appends the contents of PATH to *out; retries EINTR. Fails with the
// open or read errno.
Status read_whole_file(const std::string& path, std::string* out);

}  // namespace safe_sh::linux_proc
