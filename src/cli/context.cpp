#include "cli/context.hpp"

#include "cli/exit_codes.hpp"

#include <ostream>
#include <utility>
#include <vector>

namespace thoth::cli {

std::optional<std::string> Context::getenv(const std::string& name) const {
  auto it = env.find(name);
  if (it == env.end()) return std::nullopt;
  return it->second;
}

void Context::note(const std::string& line) const {
  if (verbosity == Verbosity::Verbose) err << "thoth: " << line << '\n';
}

void Context::warning(std::string_view text) const {
  if (verbosity == Verbosity::Quiet) return;
  err << "thoth: warning: " << one_line(std::string(text)) << '\n';
}

void Context::keep(std::shared_ptr<void> object) {
  // Allocated once and never deleted, so no static destructor frees the kept objects at exit either.
  static auto* const kept = new std::vector<std::shared_ptr<void>>();
  kept->push_back(std::move(object));
}

std::map<std::string, std::string> environment_snapshot(const char* const* environ_ptr) {
  std::map<std::string, std::string> env;
  for (const char* const* p = environ_ptr; p != nullptr && *p != nullptr; ++p) {
    std::string_view entry(*p);
    auto eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    // First definition wins, as getenv() does when a name appears twice.
    env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return env;
}

}  // namespace thoth::cli
