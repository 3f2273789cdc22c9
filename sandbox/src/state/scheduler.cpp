// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "state/scheduler.hpp"

#include "common/signals.hpp"

namespace wechatpay::sandbox::internal {

Scheduler::Scheduler(std::size_t threads) {
  // Threads inherit the creating thread's signal mask: block SIGPIPE around their creation.
  sigset_t const previous = wechatpay::internal::BlockSignals({SIGPIPE});
  for (std::size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { Work(); });
  wechatpay::internal::RestoreSignalMask(previous);
}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::Schedule(std::chrono::milliseconds delay, std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    queue_.emplace(Key{std::chrono::steady_clock::now() + delay, next_sequence_++},
                   std::move(task));
  }
  // Every worker re-reads the earliest due time: the new task may come before the one they
  // are waiting for.
  cv_.notify_all();
}

void Scheduler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    queue_.clear();
  }
  cv_.notify_all();
  for (auto& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
}

void Scheduler::Work() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (queue_.empty()) {
      cv_.wait(lock);
      continue;
    }
    auto const due = queue_.begin()->first.first;
    if (std::chrono::steady_clock::now() < due) {
      cv_.wait_until(lock, due);
      continue;
    }
    std::function<void()> task = std::move(queue_.begin()->second);
    queue_.erase(queue_.begin());
    lock.unlock();
    task();
    lock.lock();
  }
}

}  // namespace wechatpay::sandbox::internal
