// What every command receives: the standard streams, the global flags and a snapshot of the process
// environment. Commands read these instead of std::cout or getenv(), so there is no global state and a
// test can run a command against string streams and a made-up environment.
#pragma once

#include <iosfwd>
#include <map>
#include <optional>
#include <string>

namespace thoth::cli {

enum class Verbosity { Quiet, Normal, Verbose };

struct Context {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  std::map<std::string, std::string> env;  // the process environment when the program started
  Verbosity verbosity = Verbosity::Normal;

  // The value of an environment variable, or nullopt when it is unset.
  std::optional<std::string> getenv(const std::string& name) const;

  // A progress or diagnostic line on stderr, shown only with -v.
  void note(const std::string& line) const;
};

// Snapshot of `environ` (name=value pairs).
std::map<std::string, std::string> environment_snapshot(const char* const* environ_ptr);

}  // namespace thoth::cli
