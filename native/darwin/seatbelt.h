// Applying a Seatbelt profile to the calling process: the SBPL text made by
// src/sandbox/darwin/profile.ts, its paths passed as parameters.
#pragma once

#include <string>
#include <vector>

#include "../common/status.h"

namespace safe_sh::darwin_sb {

// Each "NAME=/path" must name a canonical path: an existing one must equal
// its realpath(3), a missing one must sit beneath a canonical parent.
// Seatbelt matches resolved paths, so any other spelling is a rule that
// silently never matches. Fails with EINVAL and the offending path.
Status check_params(const std::vector<std::string>& params);

// sandbox_init_with_parameters(profile, 0, params): irreversible, inherited
// by every child. The symbol is resolved at run time (it is not in the
// public SDK); its absence fails with ENOSYS, a compile error with EINVAL
// and the compiler's message in *error.
Status apply_profile(const std::string& profile, const std::vector<std::string>& params, std::string* error);

}  // namespace safe_sh::darwin_sb
