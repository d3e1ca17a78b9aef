// The only node-addon-api file: registers probe() and launcherPath(), and
// turns native failures into JS errors with code, errno, syscall and path.
#include <dlfcn.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <string>

#include <napi.h>

#include "common/status.h"
#include "include/safe_sh.h"

namespace {

Napi::Error native_error(Napi::Env env, const safe_sh::Status& status) {
  Napi::Error error = Napi::Error::New(env, safe_sh::describe(status));
  error.Set("code", Napi::String::New(env, "ERR_SAFESH_NATIVE"));
  error.Set("errno", Napi::Number::New(env, status.err));
  error.Set("syscall", Napi::String::New(env, status.syscall));
  if (!status.path.empty()) error.Set("path", Napi::String::New(env, status.path));
  return error;
}

Napi::Value type_error(Napi::Env env, const char* message) {
  Napi::TypeError error = Napi::TypeError::New(env, message);
  error.Set("code", Napi::String::New(env, "ERR_INVALID_ARG_TYPE"));
  error.ThrowAsJavaScriptException();
  return env.Undefined();
}

std::string reason(const char* what, int err) {
  return std::string(what) + ": " + safe_sh::errno_name(err) + " (" + std::strerror(err) + ")";
}

Napi::Value Probe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() > 0 && !info[0].IsUndefined()) return type_error(env, "probe() takes no arguments");

  struct safe_sh_probe facts{};
  safe_sh_probe(&facts);
  Napi::Array reasons = Napi::Array::New(env);
  uint32_t n = 0;
  if (facts.landlock_abi == 0) reasons.Set(n++, reason("landlock_create_ruleset", facts.landlock_errno));
  if (!facts.seccomp) reasons.Set(n++, std::string("seccomp: PR_GET_SECCOMP failed (kernel without CONFIG_SECCOMP)"));
  if (!facts.user_namespaces) reasons.Set(n++, reason("unshare(CLONE_NEWUSER)", facts.userns_errno));
  else if (!facts.net_namespaces) reasons.Set(n++, reason("unshare(CLONE_NEWUSER|CLONE_NEWNET)", facts.netns_errno));

  Napi::Object result = Napi::Object::New(env);
  result.Set("platform", Napi::String::New(env, "linux"));
  result.Set("landlockAbi", Napi::Number::New(env, facts.landlock_abi));
  result.Set("seccomp", Napi::Boolean::New(env, facts.seccomp != 0));
  result.Set("userNamespaces", Napi::Boolean::New(env, facts.user_namespaces != 0));
  result.Set("netNamespaces", Napi::Boolean::New(env, facts.net_namespaces != 0));
  result.Set("reasons", reasons);
  return result;
}

// The launcher is built next to this addon (build/Release/safe-sh-exec).
Napi::Value LauncherPath(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Dl_info self{};
  if (dladdr(reinterpret_cast<void*>(&LauncherPath), &self) == 0 || self.dli_fname == nullptr) {
    native_error(env, safe_sh::Status::failure(ENOENT, "dladdr")).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::string path(self.dli_fname);
  path = path.substr(0, path.rfind('/') + 1) + "safe-sh-exec";
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    native_error(env, safe_sh::Status::failure(errno, "stat", path)).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::String::New(env, path);
}

// flock(fd, exclusive|unlock), blocking. The kernel drops the lock when the
// holder dies, so a writer killed mid-record never leaves the log locked.
Napi::Value Flock(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 2 || !info[0].IsNumber() || !info[1].IsString())
    return type_error(env, "flock(fd: number, mode: \"exclusive\" | \"shared\" | \"unlock\")");
  double number = info[0].As<Napi::Number>().DoubleValue();
  // Int32Value() would quietly turn 3.5 or 2^32+3 into another, valid fd.
  if (!(number >= 0 && number <= 2147483647.0) || number != static_cast<double>(static_cast<int>(number)))
    return type_error(env, "flock: fd must be a non-negative integer");
  int fd = static_cast<int>(number);
  std::string mode = info[1].As<Napi::String>().Utf8Value();
  int op = mode == "exclusive" ? LOCK_EX : mode == "shared" ? LOCK_SH : mode == "unlock" ? LOCK_UN : -1;
  if (op < 0) return type_error(env, "flock: mode must be \"exclusive\", \"shared\" or \"unlock\"");
  while (flock(fd, op) != 0) {
    if (errno == EINTR) continue;
    native_error(env, safe_sh::Status::failure(errno, "flock")).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return env.Undefined();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("probe", Napi::Function::New(env, Probe, "probe"));
  exports.Set("launcherPath", Napi::Function::New(env, LauncherPath, "launcherPath"));
  exports.Set("flock", Napi::Function::New(env, Flock, "flock"));
  exports.Set("version", Napi::String::New(env, safe_sh_version()));
  return exports;
}

}  // namespace

NODE_API_MODULE(safe_sh, Init)
