// A one-shot alarm: runs a callback on a thread of its own when a time limit passes, unless the alarm
// is destroyed first. The session sets one for --resolve-timeout: the resolver checks its deadline
// between steps, but it cannot interrupt a wait for the network (a server trickling a byte at a time
// is never silent long enough for --timeout), so the alarm cancels the client's requests.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace thoth::session_detail {

class Alarm {
 public:
  Alarm(std::chrono::milliseconds limit, std::function<void()> on_expiry);
  // Stops the thread; the callback has run or never will.
  ~Alarm();
  Alarm(const Alarm&) = delete;
  Alarm& operator=(const Alarm&) = delete;

  // The limit passed and the callback ran (or is running).
  bool rang() const { return rang_.load(); }

 private:
  std::mutex mu_;
  std::condition_variable_any wake_;
  std::atomic<bool> rang_{false};
  std::jthread thread_;  // last: it uses the members above
};

}  // namespace thoth::session_detail
