// Seatbelt through libsandbox's sandbox_init_with_parameters, the call
// Chromium makes; sandbox-exec(1) is a thin wrapper over the same function.
#include "seatbelt.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>

#include <cerrno>
#include <cstring>

namespace safe_sh::darwin_sb {

namespace {

using InitWithParameters = int (*)(const char* profile, uint64_t flags, const char* const parameters[], char** errorbuf);
using FreeError = void (*)(char* errorbuf);

// The canonical form realpath(3) gives for `path`, or for its deepest
// existing ancestor with the missing rest appended.
std::string canonical(const std::string& path) {
  char buffer[PATH_MAX];
  if (realpath(path.c_str(), buffer) != nullptr) return buffer;
  size_t slash = path.rfind('/');
  if (slash == std::string::npos || slash == 0) return path;
  return canonical(path.substr(0, slash)) + path.substr(slash);
}

}  // namespace

Status check_params(const std::vector<std::string>& params) {
  for (const std::string& param : params) {
    std::string path = param.substr(param.find('=') + 1);
    if (canonical(path) != path) return Status::failure(EINVAL, "--seatbelt-param (not canonical; realpath is " + canonical(path) + ")", path);
  }
  return Status::success();
}

Status apply_profile(const std::string& profile, const std::vector<std::string>& params, std::string* error) {
  auto init = reinterpret_cast<InitWithParameters>(dlsym(RTLD_DEFAULT, "sandbox_init_with_parameters"));
  auto free_error = reinterpret_cast<FreeError>(dlsym(RTLD_DEFAULT, "sandbox_free_error"));
  if (init == nullptr) return Status::failure(ENOSYS, "dlsym(sandbox_init_with_parameters)");

  // NAME, VALUE, NAME, VALUE, ..., nullptr: the strings outlive the call.
  std::vector<std::string> storage;
  storage.reserve(params.size() * 2);
  for (const std::string& param : params) {
    size_t eq = param.find('=');
    storage.push_back(param.substr(0, eq));
    storage.push_back(param.substr(eq + 1));
  }
  std::vector<const char*> argv;
  for (const std::string& item : storage) argv.push_back(item.c_str());
  argv.push_back(nullptr);

  char* message = nullptr;
  if (init(profile.c_str(), 0, argv.data(), &message) == 0) return Status::success();
  *error = message != nullptr ? message : "unknown error";
  if (message != nullptr && free_error != nullptr) free_error(message);
  return Status::failure(EINVAL, "sandbox_init_with_parameters");
}

}  // namespace safe_sh::darwin_sb
