// HttpClient's disk threads: hashing stored blobs, moving downloads into the blob store and on to
// their destination, cache writes. They keep that work off the network thread, whose curl loop would
// otherwise stall every transfer while one file is hashed or copied.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace thoth::net {

class DiskWorker {
 public:
  // Up to `threads` threads (at least one), started as tasks come.
  explicit DiskWorker(unsigned threads);
  // stop()
  ~DiskWorker();
  DiskWorker(const DiskWorker&) = delete;
  DiskWorker& operator=(const DiskWorker&) = delete;

  // Runs `task` on a disk thread. A task must not throw. After stop(), or when no thread can be
  // started at all, runs it on the calling thread.
  void post(std::function<void()> task);
  // Runs every task posted so far (and those they post), then joins the threads.
  void stop();

 private:
  void run();

  const unsigned max_threads_;
  std::mutex mu_;
  std::condition_variable work_;
  std::deque<std::function<void()>> queue_;
  unsigned idle_ = 0;  // threads waiting for a task
  bool stopping_ = false;
  bool stopped_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace thoth::net
