// Environment assembly and PATH lookup for the launcher.
#include "environment.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace safe_sh {

namespace {

std::string name_of(const std::string& entry) { return entry.substr(0, entry.find('=')); }

void remove_name(std::vector<std::string>* env, const std::string& name) {
  env->erase(std::remove_if(env->begin(), env->end(),
                            [&name](const std::string& entry) { return name_of(entry) == name; }),
             env->end());
}

}  // namespace

std::vector<std::string> build_environment(const Plan& plan, char* const* current) {
  std::vector<std::string> env;
  for (char* const* entry = current; entry != nullptr && *entry != nullptr; ++entry) {
    std::string text(*entry);
    if (text.find('=') == std::string::npos) continue;
    if (plan.clear_env && std::find(plan.keep_env.begin(), plan.keep_env.end(), name_of(text)) == plan.keep_env.end())
      continue;
    env.push_back(std::move(text));
  }
  for (const std::string& name : plan.unset_env) remove_name(&env, name);
  for (const std::string& assignment : plan.set_env) {
    remove_name(&env, name_of(assignment));
    env.push_back(assignment);
  }
  return env;
}

const char* find_env(const std::vector<std::string>& env, const std::string& name) {
  for (const std::string& entry : env)
    if (entry.size() > name.size() && entry[name.size()] == '=' && entry.compare(0, name.size(), name) == 0)
      return entry.c_str() + name.size() + 1;
  return nullptr;
}

std::string resolve_program(const std::string& program, const char* path, int* err) {
  auto usable = [err](const std::string& candidate) {
    struct stat st;
    // A PATH directory we may not search (EACCES) hides nothing we could
    // run: like bash, that is "not found", not "not executable".
    if (stat(candidate.c_str(), &st) != 0) {
      *err = ENOENT;
      return false;
    }
    if (S_ISDIR(st.st_mode) || access(candidate.c_str(), X_OK) != 0) {
      *err = EACCES;
      return false;
    }
    return true;
  };
  if (program.find('/') != std::string::npos) return usable(program) ? program : "";

  std::string search = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  int first_error = ENOENT;
  size_t start = 0;
  while (start <= search.size()) {
    size_t end = search.find(':', start);
    if (end == std::string::npos) end = search.size();
    std::string dir = search.substr(start, end - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (usable(candidate)) return candidate;
    if (*err == EACCES) first_error = EACCES;
    start = end + 1;
  }
  *err = first_error;
  return "";
}

}  // namespace safe_sh
