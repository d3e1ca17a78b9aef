// The child's environment, built from the launcher's own and the plan.
#pragma once

#include <string>
#include <vector>

#include "plan.h"

namespace safe_sh {

std::vector<std::string> build_environment(const Plan& plan, char* const* current);

// The value of NAME in env, or nullptr.
const char* find_env(const std::vector<std::string>& env, const std::string& name);

// Resolves PROGRAM as execvp would with the given PATH: a name containing '/'
// is used as it is. Returns "" with *err set (ENOENT, EACCES) when not found.
std::string resolve_program(const std::string& program, const char* path, int* err);

}  // namespace safe_sh
