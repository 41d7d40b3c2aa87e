#include "index/parse_ahead.hpp"

#include <utility>

namespace thoth::idx {

ParseAhead::ParseAhead() : thread_([this] { run(); }) {}

ParseAhead::~ParseAhead() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void ParseAhead::add(const std::string& name, Task task) {
  {
    std::lock_guard lock(mu_);
    if (!entries_.emplace(name, Entry{State::queued, std::move(task), {}, nullptr}).second) return;
    order_.push_back(name);
  }
  changed_.notify_all();
}

bool ParseAhead::has(const std::string& name) const {
  std::lock_guard lock(mu_);
  return entries_.count(name) != 0;
}

std::optional<ParseAhead::Listing> ParseAhead::take(const std::string& name) {
  std::unique_lock lock(mu_);
  auto it = entries_.find(name);
  if (it == entries_.end()) return std::nullopt;
  if (it->second.state == State::queued) {
    // Not started: parsed here rather than after the pages queued before it.
    Task task = std::move(it->second.task);
    entries_.erase(it);
    lock.unlock();
    return task();
  }
  changed_.wait(lock, [&] { return it->second.state == State::done; });
  Entry entry = std::move(it->second);
  entries_.erase(it);
  if (entry.error) std::rethrow_exception(entry.error);
  return std::move(entry.listing);
}

void ParseAhead::run() {
  std::unique_lock lock(mu_);
  while (true) {
    changed_.wait(lock, [this] { return stop_ || !order_.empty(); });
    if (stop_) return;
    const std::string name = std::move(order_.front());
    order_.pop_front();
    auto it = entries_.find(name);
    if (it == entries_.end() || it->second.state != State::queued) continue;  // taken by the resolver
    it->second.state = State::parsing;
    Task task = std::move(it->second.task);
    lock.unlock();
    Listing listing;
    std::exception_ptr error;
    try {
      listing = task();
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    // std::map nodes stay put: `it` still names the entry, which only take() removes once done.
    it->second.listing = std::move(listing);
    it->second.error = error;
    it->second.state = State::done;
    changed_.notify_all();
  }
}

}  // namespace thoth::idx
