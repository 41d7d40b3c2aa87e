#include "session/alarm.hpp"

namespace thoth::session_detail {

Alarm::Alarm(std::chrono::milliseconds limit, std::function<void()> on_expiry)
    : thread_([this, until = std::chrono::steady_clock::now() + limit,
               on_expiry = std::move(on_expiry)](std::stop_token stop) {
        std::unique_lock lock(mu_);
        // Returns early only when the destructor asks the thread to stop.
        wake_.wait_until(lock, stop, until, [] { return false; });
        if (stop.stop_requested()) return;
        rang_.store(true);
        lock.unlock();
        on_expiry();
      }) {}

Alarm::~Alarm() {
  thread_.request_stop();  // wakes the wait (condition_variable_any watches the token)
  if (thread_.joinable()) thread_.join();
}

}  // namespace thoth::session_detail
