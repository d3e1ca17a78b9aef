// JSON string literals for the launcher's hand-written JSON lines (it needs
// no JSON library: a handful of fixed keys, only the free text escaped).
#pragma once

#include <cstdio>
#include <string>

namespace safe_sh {

// TEXT as a JSON string literal, quotes included.
inline std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04x", c);
      out += escape;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace safe_sh
