// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Delayed work (callback retries, refund completion) on a few threads that sleep on a
// condition variable until the earliest task is due: no polling, and a slow callback receiver
// does not hold up the other timers.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace wechatpay::sandbox::internal {

/// Runs tasks after a delay.
///
/// @par Thread Safety
/// Schedule() may be called from any thread, tasks included; Stop() from the owner.
class Scheduler {
 public:
  /// Starts `threads` workers (SIGPIPE blocked in them: a receiver that closes its connection
  /// must not kill the process).
  explicit Scheduler(std::size_t threads);
  /// Stops.
  ~Scheduler();
  Scheduler(Scheduler const&) = delete;
  Scheduler& operator=(Scheduler const&) = delete;

  /// Runs `task` once `delay` has passed (ignored after Stop()).
  void Schedule(std::chrono::milliseconds delay, std::function<void()> task);

  /// Drops pending tasks, waits for running ones and joins the workers. Idempotent.
  void Stop();

 private:
  // Ordered by due time, then by scheduling order (FIFO among tasks due at the same instant).
  using Key = std::pair<std::chrono::steady_clock::time_point, std::uint64_t>;
  void Work();

  std::mutex mu_;
  std::condition_variable cv_;
  std::map<Key, std::function<void()>> queue_;
  std::uint64_t next_sequence_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace wechatpay::sandbox::internal
