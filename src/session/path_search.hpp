// Finding programs as execvp() does (internal to the session module).
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace thoth::session_detail {

inline bool is_executable_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// execvp()'s search: each $PATH entry in order, an empty entry meaning the current directory; the
// entries `skip` refuses are passed over.
inline std::optional<std::string> find_on_path(const std::string& name, std::string_view path_var,
                                               const std::function<bool(const std::string&)>& skip = {}) {
  for (;;) {
    const auto colon = path_var.find(':');
    const std::string dir(path_var.substr(0, colon));
    const std::string candidate = dir.empty() ? name : dir + "/" + name;
    if (!(skip && skip(dir)) && is_executable_file(candidate)) return candidate;
    if (colon == std::string_view::npos) return std::nullopt;
    path_var.remove_prefix(colon + 1);
  }
}

}  // namespace thoth::session_detail
