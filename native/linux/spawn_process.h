// posix_spawn with stdio inherited, piped or /dev/null, default signal
// dispositions and nothing blocked: shared by the addon (child.cc) and the C
// library (native/lib). No event loop here.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "../common/status.h"
#include "../common/unique_fd.h"

namespace safe_sh::linux_child {

enum class Stdio { kInherit, kPipe, kIgnore };

struct SpawnSpec {
  std::string file;                 // absolute path; no PATH lookup
  std::vector<std::string> argv;
  std::vector<std::string> env;     // "NAME=value"
  std::string cwd;                  // empty: ours
  Stdio stdio[3] = {Stdio::kInherit, Stdio::kInherit, Stdio::kInherit};
  bool new_session = false;         // setsid(): a group a timeout can kill whole
  std::string input;                // written to a piped stdin, which is then closed
  bool report_pipe = false;         // fd 3 of the child: a pipe we read (the launcher's --report-fd)
};

// The child's fd of the report pipe.
constexpr int kReportFd = 3;

// Starts spec.file. For each piped stream, ours[i] is our end (stdin's write
// end, stdout's, stderr's and the report pipe's read ends), non-blocking and
// close-on-exec.
Status start_process(const SpawnSpec& spec, pid_t* pid, UniqueFd ours[kReportFd + 1]);

}  // namespace safe_sh::linux_child
