// `thoth lock`'s use of the resolution memo (thoth/resolution_memo.hpp): which runs may use it and
// what their key covers.
#pragma once

#include <optional>
#include <string>

#include "cli/context.hpp"
#include "thoth/resolution_memo.hpp"
#include "thoth/session.hpp"

namespace thoth::cli {

class LockMemo {
 public:
  // After session.open(). Off when `off` (advice, --no-memo) or main() did not give the whole command
  // line, and unless the lock can only come from index pages and the inputs the key covers: an HTTP
  // cache, every source an http(s) index, no direct reference or local path among the requirements
  // and constraints.
  // `previous` is the lock file the run replaces (read_previous_lock), whose pins it keeps.
  LockMemo(const Context& ctx, Session& session, const RequirementSet& inputs, const std::string& output,
           const std::optional<std::string>& previous, bool off);

  bool enabled() const { return !key_.empty(); }
  // The lock an earlier run with the same key wrote, when this run can use it: the same target, a
  // -o file the earlier run read or wrote (MemoRecord::pins_match), and every page it read answering
  // with the same body now.
  std::optional<std::string> find(Session& session) const;
  // Keeps `text`, the lock this run made, unless a page request failed (its outcome cannot be asked
  // again) or the run gave a warning (a later run using the record would not give it).
  void keep(Session& session, const std::string& text, std::size_t warnings) const;

 private:
  ResolutionMemo memo_;
  std::string key_;   // of the run's inputs; empty: the memo is off
  std::string slot_;  // where the record lives: the -o file, or the command (the lock goes to a stream)
  std::string previous_sha256_;  // of the lock file replaced; "" when there is none
};

}  // namespace thoth::cli
