// Index pages turned into listings on a second thread while the resolver works on others. On a cold
// run, parsing the pages that arrive from the network (JSON, file names, tags, the digest written for
// the next run) is most of what the main thread does; with a second core the resolver then mostly
// finds its listings ready. The thread takes pages in the order they were queued; a page the
// resolver asks for before the thread reached it is parsed by the resolver's own thread (never waits
// behind others), and one being parsed is waited for.
#pragma once

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "index/sources.hpp"

namespace thoth::idx {

class ParseAhead {
 public:
  using Listing = ListingSource::Listing;
  using Task = std::function<Listing()>;

  ParseAhead();
  ~ParseAhead();  // waits for the page being parsed, drops the others
  ParseAhead(const ParseAhead&) = delete;
  ParseAhead& operator=(const ParseAhead&) = delete;

  void add(const std::string& name, Task task);
  bool has(const std::string& name) const;
  // The listing of `name`, once: parsed by the thread, or here when the thread has not started it.
  // Rethrows what parsing threw. nullopt when `name` was not added (or was already taken).
  std::optional<Listing> take(const std::string& name);

 private:
  enum class State { queued, parsing, done };
  struct Entry {
    State state = State::queued;
    Task task;
    Listing listing;
    std::exception_ptr error;
  };
  void run();

  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::map<std::string, Entry> entries_;
  std::deque<std::string> order_;  // names in the order added; taken ones are skipped
  bool stop_ = false;
  std::thread thread_;  // last: started once the rest is set up
};

}  // namespace thoth::idx
