// SHA-256 (FIPS 180-4) for the audit hash chain. In the addon so the CLI
// need not load node:crypto, which pulls in ~35 modules (stream included)
// and cost ~12 ms of every start. Tests compare it with node:crypto.
#pragma once

#include <cstddef>
#include <string>

namespace safe_sh {

// Lower-case hex digest of `size` bytes at `data`.
std::string sha256_hex(const unsigned char* data, size_t size);

}  // namespace safe_sh
