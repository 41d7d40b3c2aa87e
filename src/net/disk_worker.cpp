#include "net/disk_worker.hpp"

#include <algorithm>
#include <system_error>

namespace thoth::net {

DiskWorker::DiskWorker(unsigned threads) : max_threads_(std::max(1u, threads)) {}

DiskWorker::~DiskWorker() { stop(); }

void DiskWorker::post(std::function<void()> task) {
  std::unique_lock lock(mu_);
  if (stopped_) {
    lock.unlock();
    task();
    return;
  }
  queue_.push_back(std::move(task));
  // A new thread only when none is waiting: a run without disk work starts none. None once stopping:
  // stop() runs what is left.
  if (!stopping_ && idle_ == 0 && threads_.size() < max_threads_) {
    try {
      threads_.emplace_back([this] { run(); });
      return;
    } catch (const std::system_error&) {
      // No thread to be had (the process at its limit): the threads there are take the task, or,
      // without any, the caller runs it.
      if (threads_.empty()) {
        auto own = std::move(queue_.back());
        queue_.pop_back();
        lock.unlock();
        own();
        return;
      }
    }
  }
  work_.notify_one();
}

void DiskWorker::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_.notify_all();
  // No thread is added once stopping_ is set.
  for (auto& t : threads_) t.join();
  threads_.clear();
  std::unique_lock lock(mu_);
  // Tasks posted while the threads were leaving.
  while (!queue_.empty()) {
    auto task = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    task();
    lock.lock();
  }
  stopped_ = true;
}

void DiskWorker::run() {
  std::unique_lock lock(mu_);
  while (true) {
    ++idle_;
    work_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    --idle_;
    if (queue_.empty()) return;  // stopping, and nothing left to do
    auto task = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    task();
    lock.lock();
  }
}

}  // namespace thoth::net
