// The only node-addon-api file: registers probe(), launcherPath(), flock(),
// spawn(), isatty(), sha256() and the tunnel relay, and turns native
// failures into JS errors with code, errno, syscall and path.
#include <dlfcn.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <napi.h>

#include "common/sha256.h"
#include "common/status.h"
#include "include/safe_sh.h"
#include "linux/child.h"
#include "linux/relay.h"

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

// As child_process does: a string with a NUL byte would be cut short by
// execve, so what was checked (the whole string) would not be what runs.
Napi::Value nul_error(Napi::Env env, const char* what) {
  Napi::TypeError error = Napi::TypeError::New(env, std::string("spawn: ") + what + " must be a string without null bytes");
  error.Set("code", Napi::String::New(env, "ERR_INVALID_ARG_VALUE"));
  error.ThrowAsJavaScriptException();
  return env.Undefined();
}

bool has_nul(const std::string& text) { return text.find('\0') != std::string::npos; }

bool any_has_nul(const std::vector<std::string>& texts) {
  for (const std::string& text : texts)
    if (has_nul(text)) return true;
  return false;
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
  // The same file builds for macOS, where every Linux fact below is absent.
  struct utsname host{};
  bool darwin = uname(&host) == 0 && std::strcmp(host.sysname, "Darwin") == 0;
  result.Set("platform", Napi::String::New(env, darwin ? "darwin" : "linux"));
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

std::vector<std::string> strings(const Napi::Array& array) {
  std::vector<std::string> out;
  for (uint32_t i = 0; i < array.Length(); ++i) out.push_back(array.Get(i).As<Napi::String>().Utf8Value());
  return out;
}

// argv words: a string (UTF-8) or a Buffer of the exact bytes (a name or an
// argument that is not UTF-8 passes through unchanged). A Buffer with a NUL
// would be cut short by execve: refused.
std::vector<std::string> words(const Napi::Array& array) {
  std::vector<std::string> out;
  for (uint32_t i = 0; i < array.Length(); ++i) {
    Napi::Value word = array.Get(i);
    if (word.IsBuffer()) {
      Napi::Buffer<char> bytes = word.As<Napi::Buffer<char>>();
      out.emplace_back(bytes.Data(), bytes.Length());
    } else {
      out.push_back(word.As<Napi::String>().Utf8Value());
    }
  }
  return out;
}

bool all_words(const Napi::Value& value) {
  if (!value.IsArray()) return false;
  Napi::Array array = value.As<Napi::Array>();
  for (uint32_t i = 0; i < array.Length(); ++i) {
    Napi::Value word = array.Get(i);
    if (word.IsString()) continue;
    if (!word.IsBuffer()) return false;
    Napi::Buffer<char> bytes = word.As<Napi::Buffer<char>>();
    if (std::memchr(bytes.Data(), '\0', bytes.Length()) != nullptr) return false;
  }
  return true;
}

bool all_strings(const Napi::Value& value) {
  if (!value.IsArray()) return false;
  Napi::Array array = value.As<Napi::Array>();
  for (uint32_t i = 0; i < array.Length(); ++i)
    if (!array.Get(i).IsString()) return false;
  return true;
}

// The JS callbacks of one child, kept alive until its close event.
struct ChildCallbacks {
  Napi::FunctionReference on_data;
  Napi::FunctionReference on_end;
  Napi::FunctionReference on_close;
  Napi::AsyncContext context;
  ChildCallbacks(Napi::Env env) : context(env, "safe-sh:child") {}

  // MakeCallback runs the microtasks the callback queues, as libuv callbacks do.
  Napi::Value call(Napi::FunctionReference& fn, std::initializer_list<napi_value> args) {
    return fn.MakeCallback(fn.Env().Global(), args, context);
  }
};

// sha256(bytes) → lower-case hex: the audit chain's hash (see common/sha256.h).
Napi::Value Sha256(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 1 || !info[0].IsBuffer()) return type_error(env, "sha256(bytes: Buffer)");
  Napi::Buffer<unsigned char> bytes = info[0].As<Napi::Buffer<unsigned char>>();
  return Napi::String::New(env, safe_sh::sha256_hex(bytes.Data(), bytes.Length()));
}

// isatty(fd): whether fd is a terminal, without Node's tty module (which
// loads net and stream, ~5 ms of every CLI start).
Napi::Value IsATty(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 1 || !info[0].IsNumber()) return type_error(env, "isatty(fd: number)");
  return Napi::Boolean::New(env, isatty(info[0].As<Napi::Number>().Int32Value()) == 1);
}

// spawn({file, argv, env, cwd, stdio, newSession, input, reportPipe}, onData, onEnd, onClose) → pid.
Napi::Value Spawn(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* usage =
      "spawn(spec: {file, argv: (string | Buffer without NUL)[], env, cwd?, stdio: [in, out, err], newSession?, input?, reportPipe?}, "
      "onData(index, chunk), onEnd(index), onClose(exitCode, signal))";
  if (info.Length() != 4 || !info[0].IsObject() || !info[1].IsFunction() || !info[2].IsFunction() || !info[3].IsFunction())
    return type_error(env, usage);
  Napi::Object options = info[0].As<Napi::Object>();
  Napi::Value file = options.Get("file");
  Napi::Value cwd = options.Get("cwd");
  Napi::Value stdio = options.Get("stdio");
  Napi::Value input = options.Get("input");
  if (!file.IsString() || !all_words(options.Get("argv")) || !all_strings(options.Get("env")) || !all_strings(stdio) ||
      stdio.As<Napi::Array>().Length() != 3 || !(cwd.IsUndefined() || cwd.IsString()) ||
      !(input.IsUndefined() || input.IsBuffer()))
    return type_error(env, usage);

  safe_sh::linux_child::SpawnSpec spec;
  spec.file = file.As<Napi::String>().Utf8Value();
  spec.argv = words(options.Get("argv").As<Napi::Array>());
  spec.env = strings(options.Get("env").As<Napi::Array>());
  if (cwd.IsString()) spec.cwd = cwd.As<Napi::String>().Utf8Value();
  spec.new_session = options.Get("newSession").ToBoolean().Value();
  spec.report_pipe = options.Get("reportPipe").ToBoolean().Value();
  if (input.IsBuffer()) {
    Napi::Buffer<char> bytes = input.As<Napi::Buffer<char>>();
    spec.input.assign(bytes.Data(), bytes.Length());
  }
  std::vector<std::string> modes = strings(stdio.As<Napi::Array>());
  for (int i = 0; i < 3; ++i) {
    using safe_sh::linux_child::Stdio;
    if (modes[i] == "inherit") spec.stdio[i] = Stdio::kInherit;
    else if (modes[i] == "pipe") spec.stdio[i] = Stdio::kPipe;
    else if (modes[i] == "ignore") spec.stdio[i] = Stdio::kIgnore;
    else return type_error(env, "spawn: each stdio entry must be \"inherit\", \"pipe\" or \"ignore\"");
  }
  if (spec.argv.empty()) return type_error(env, "spawn: argv must not be empty");
  if (has_nul(spec.file)) return nul_error(env, "file");
  if (any_has_nul(spec.argv)) return nul_error(env, "each argv entry");
  if (any_has_nul(spec.env)) return nul_error(env, "each env entry");
  if (has_nul(spec.cwd)) return nul_error(env, "cwd");

  auto callbacks = std::make_shared<ChildCallbacks>(env);
  callbacks->on_data = Napi::Persistent(info[1].As<Napi::Function>());
  callbacks->on_end = Napi::Persistent(info[2].As<Napi::Function>());
  callbacks->on_close = Napi::Persistent(info[3].As<Napi::Function>());
  safe_sh::linux_child::Events events;
  events.data = [callbacks](int index, const char* data, size_t size) {
    Napi::Env env = callbacks->on_data.Env();
    Napi::HandleScope scope(env);
    Napi::Value more = callbacks->call(callbacks->on_data, {Napi::Number::New(env, index), Napi::Buffer<char>::Copy(env, data, size)});
    // Only an explicit false pauses the pipe (see resumePipe); a throw keeps it flowing.
    return more.IsEmpty() || !more.IsBoolean() || more.As<Napi::Boolean>().Value();
  };
  events.end = [callbacks](int index) {
    Napi::Env env = callbacks->on_end.Env();
    Napi::HandleScope scope(env);
    callbacks->call(callbacks->on_end, {Napi::Number::New(env, index)});
  };
  events.close = [callbacks](bool reaped, int wait_status) {
    Napi::Env env = callbacks->on_close.Env();
    Napi::HandleScope scope(env);
    // A lost status is neither code nor signal; callers treat it as a failure.
    napi_value code = reaped && WIFEXITED(wait_status) ? Napi::Number::New(env, WEXITSTATUS(wait_status)) : env.Null();
    napi_value signal = reaped && WIFSIGNALED(wait_status) ? Napi::Number::New(env, WTERMSIG(wait_status)) : env.Null();
    callbacks->call(callbacks->on_close, {code, signal});
  };

  uv_loop_t* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr) {
    native_error(env, safe_sh::Status::failure(ENOSYS, "napi_get_uv_event_loop")).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  pid_t pid = 0;
  safe_sh::Status status = safe_sh::linux_child::spawn(loop, spec, std::move(events), &pid);
  if (!status.ok()) {
    native_error(env, status).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::Number::New(env, pid);
}

// resumePipe(pid, index): reads a pipe onData paused by returning false again.
Napi::Value ResumePipe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 2 || !info[0].IsNumber() || !info[1].IsNumber()) return type_error(env, "resumePipe(pid: number, index: 1 | 2)");
  safe_sh::linux_child::resume(info[0].As<Napi::Number>().Int32Value(), info[1].As<Napi::Number>().Int32Value());
  return env.Undefined();
}

// --- Tunnel relay -----------------------------------------------------------
// One relay thread per Node environment, started by the first relayStart().
// Results come back through a thread-safe function that is referenced only
// while a tunnel is open, so an idle relay never keeps the process alive.

struct RelayBinding;
void deliver(Napi::Env env, Napi::Function, RelayBinding* binding, safe_sh::linux_net::TunnelResult* result);
using RelayTsfn = Napi::TypedThreadSafeFunction<RelayBinding, safe_sh::linux_net::TunnelResult, deliver>;

struct RelayBinding {
  RelayTsfn tsfn;
  std::unique_ptr<safe_sh::linux_net::Relay> relay;
  std::unordered_map<uint64_t, Napi::FunctionReference> callbacks;  // JS thread only
};

void deliver(Napi::Env env, Napi::Function, RelayBinding* binding, safe_sh::linux_net::TunnelResult* result) {
  std::unique_ptr<safe_sh::linux_net::TunnelResult> owned(result);
  if (env == nullptr) return;  // the environment is going away: nobody to tell
  auto found = binding->callbacks.find(result->id);
  if (found == binding->callbacks.end()) return;
  Napi::FunctionReference callback = std::move(found->second);
  binding->callbacks.erase(found);
  if (binding->callbacks.empty()) binding->tsfn.Unref(env);
  Napi::Object out = Napi::Object::New(env);
  out.Set("upRead", Napi::Number::New(env, static_cast<double>(result->up_read)));
  out.Set("upWritten", Napi::Number::New(env, static_cast<double>(result->up_written)));
  out.Set("downRead", Napi::Number::New(env, static_cast<double>(result->down_read)));
  out.Set("downWritten", Napi::Number::New(env, static_cast<double>(result->down_written)));
  if (result->err != 0) out.Set("error", Napi::String::New(env, safe_sh::errno_name(result->err)));
  callback.Call({out});
}

RelayBinding* relay_binding(Napi::Env env) {
  if (RelayBinding* existing = env.GetInstanceData<RelayBinding>()) return existing;
  auto binding = std::make_unique<RelayBinding>();
  RelayBinding* raw = binding.get();
  binding->tsfn = RelayTsfn::New(env, "safe-sh relay", 0, 1, raw);
  binding->tsfn.Unref(env);
  safe_sh::linux_net::Relay::OnDone on_done = [raw](const safe_sh::linux_net::TunnelResult& result) {
    raw->tsfn.NonBlockingCall(new safe_sh::linux_net::TunnelResult(result));
  };
  safe_sh::Status status = safe_sh::linux_net::Relay::start(std::move(on_done), &binding->relay);
  if (!status.ok()) {
    binding->tsfn.Release();
    native_error(env, status).ThrowAsJavaScriptException();
    return nullptr;
  }
  // Registered after the thread-safe function, so it runs before Node tears
  // that down (cleanup hooks run last-in first-out): the thread is joined
  // while the function it calls still exists.
  env.AddCleanupHook([raw] { raw->relay.reset(); });
  env.SetInstanceData(binding.release());
  return raw;
}

bool fd_arg(const Napi::Object& spec, const char* key, int* fd) {
  Napi::Value value = spec.Get(key);
  if (!value.IsNumber()) return false;
  double number = value.As<Napi::Number>().DoubleValue();
  if (!(number >= 0 && number <= 2147483647.0) || number != static_cast<double>(static_cast<int>(number))) return false;
  *fd = static_cast<int>(number);
  return true;
}

std::string bytes_arg(const Napi::Object& spec, const char* key) {
  Napi::Value value = spec.Get(key);
  if (!value.IsBuffer()) return std::string();
  Napi::Buffer<char> buffer = value.As<Napi::Buffer<char>>();
  return std::string(buffer.Data(), buffer.Length());
}

// relayStart({client, upstream, toClient, toUpstream, idleMs}, done) -> id.
// The caller's fds are duplicated: the caller destroys its sockets right
// after, without ending them; the connections live on in the copies.
Napi::Value RelayStart(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* usage = "relayStart({ client: fd, upstream: fd, toClient?: Buffer, toUpstream?: Buffer, idleMs: number }, done)";
  if (info.Length() != 2 || !info[0].IsObject() || !info[1].IsFunction()) return type_error(env, usage);
  Napi::Object spec = info[0].As<Napi::Object>();
  int client = -1;
  int upstream = -1;
  if (!fd_arg(spec, "client", &client) || !fd_arg(spec, "upstream", &upstream) || !spec.Get("idleMs").IsNumber())
    return type_error(env, usage);
  RelayBinding* binding = relay_binding(env);
  if (binding == nullptr) return env.Undefined();
  safe_sh::linux_net::TunnelSpec tunnel;
  tunnel.idle_ms = spec.Get("idleMs").As<Napi::Number>().Int32Value();
  tunnel.to_client = bytes_arg(spec, "toClient");
  tunnel.to_upstream = bytes_arg(spec, "toUpstream");
  tunnel.client = fcntl(client, F_DUPFD_CLOEXEC, 0);
  if (tunnel.client < 0) {
    native_error(env, safe_sh::Status::failure(errno, "dup")).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  tunnel.upstream = fcntl(upstream, F_DUPFD_CLOEXEC, 0);
  if (tunnel.upstream < 0) {
    int err = errno;
    close(tunnel.client);
    native_error(env, safe_sh::Status::failure(err, "dup")).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  uint64_t id = 0;
  safe_sh::Status status = binding->relay->add(std::move(tunnel), &id);
  if (!status.ok()) {
    native_error(env, status).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (binding->callbacks.empty()) binding->tsfn.Ref(env);
  binding->callbacks.emplace(id, Napi::Persistent(info[1].As<Napi::Function>()));
  return Napi::Number::New(env, static_cast<double>(id));
}

// relayAbort(id): closes both sockets of a tunnel; its done() reports ECANCELED.
Napi::Value RelayAbort(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 1 || !info[0].IsNumber()) return type_error(env, "relayAbort(id: number)");
  RelayBinding* binding = env.GetInstanceData<RelayBinding>();
  if (binding != nullptr && binding->relay) binding->relay->abort(static_cast<uint64_t>(info[0].As<Napi::Number>().Int64Value()));
  return env.Undefined();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("probe", Napi::Function::New(env, Probe, "probe"));
  exports.Set("launcherPath", Napi::Function::New(env, LauncherPath, "launcherPath"));
  exports.Set("flock", Napi::Function::New(env, Flock, "flock"));
  exports.Set("spawn", Napi::Function::New(env, Spawn, "spawn"));
  exports.Set("resumePipe", Napi::Function::New(env, ResumePipe, "resumePipe"));
  exports.Set("isatty", Napi::Function::New(env, IsATty, "isatty"));
  exports.Set("sha256", Napi::Function::New(env, Sha256, "sha256"));
  exports.Set("relayStart", Napi::Function::New(env, RelayStart, "relayStart"));
  exports.Set("relayAbort", Napi::Function::New(env, RelayAbort, "relayAbort"));
  exports.Set("version", Napi::String::New(env, safe_sh_version()));
  return exports;
}

}  // namespace

NODE_API_MODULE(safe_sh, Init)
