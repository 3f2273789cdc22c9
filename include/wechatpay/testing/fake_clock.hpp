// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file testing/fake_clock.hpp
/// FakeClock: a WatcherClock whose time moves only when the test says so, so that a
/// PaymentWatcher's intervals and timeouts pass without sleeping.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "wechatpay/payment_watcher.hpp"
#include "wechatpay/testing/export.hpp"

namespace wechatpay::testing {

/// A WatcherClock that stands still until Advance() or AdvanceTo() moves it. A thread waiting on
/// it (the watcher's thread between two queries) wakes when the time reaches its deadline, or
/// when the watcher is notified (a new watch, a push, a cancel), never because real time passed.
///
/// Typical use: give it to PaymentWatcherOptions::clock, start a watch, then RunUntil() the
/// watch's future is ready; every interval and timeout in between takes no real time.
///
/// @par Thread Safety
/// All member functions are safe to call from any thread. Do not move the time while a watcher
/// that uses this clock is being destroyed on another thread.
class WECHATPAY_TESTING_EXPORT FakeClock final : public WatcherClock {
 public:
  /// A real-time bound for the functions that wait for the watcher's thread: a hang guard, so a
  /// broken test fails instead of blocking forever.
  static constexpr std::chrono::seconds kDefaultRealTimeLimit{30};

  /// Starts with WallNow() at `wall_start` (default: 2023-11-14T22:13:20Z, Unix time
  /// 1700000000) and Now() at an arbitrary fixed steady instant.
  explicit FakeClock(std::chrono::system_clock::time_point wall_start =
                         std::chrono::system_clock::time_point(std::chrono::seconds(1700000000)));
  FakeClock(FakeClock const&) = delete;
  FakeClock& operator=(FakeClock const&) = delete;

  /// The fake monotonic time.
  std::chrono::steady_clock::time_point Now() const override;
  /// The fake wall-clock time; moves together with Now().
  std::chrono::system_clock::time_point WallNow() const override;
  /// Waits until the fake time reaches `deadline` or `cv` is notified.
  void WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                 std::chrono::steady_clock::time_point deadline) override;

  /// Moves the time forward by `delta` (negative values are ignored) and wakes every thread
  /// whose deadline has come.
  void Advance(std::chrono::steady_clock::duration delta);
  /// Moves the time forward to `when` (an earlier instant is ignored) and wakes every thread
  /// whose deadline has come.
  void AdvanceTo(std::chrono::steady_clock::time_point when);

  /// Blocks, for at most `limit` of real time, until some thread waits on this clock (a
  /// watcher that has nothing to do until a later time). True when one does.
  bool AwaitWaiter(std::chrono::milliseconds limit = kDefaultRealTimeLimit) const;
  /// The earliest deadline among the threads waiting on this clock; nullopt when none waits
  /// for a time (only for a notification, or no thread waits at all).
  std::optional<std::chrono::steady_clock::time_point> NextDeadline() const;
  /// The number of threads waiting on this clock (and not yet woken).
  int waiters() const;

  /// Lets fake time run until `done()` is true: whenever every waiting thread waits, the time
  /// jumps to the earliest deadline. Returns true once `done()` holds; false when `limit` of
  /// real time passed first. `done` is called on the calling thread and must be thread-safe
  /// with respect to what the watcher does (a future's readiness, an atomic, a locked count).
  bool RunUntil(std::function<bool()> const& done,
                std::chrono::milliseconds limit = kDefaultRealTimeLimit);

 private:
  struct Waiter {
    std::condition_variable* cv;
    std::mutex* mu;
    std::chrono::steady_clock::time_point deadline;
    bool woken;
  };
  void WakeDue(std::unique_lock<std::mutex>& lock);

  mutable std::mutex mu_;                       // guards everything below
  mutable std::condition_variable waiting_cv_;  // signalled when a thread starts waiting
  std::chrono::steady_clock::time_point now_;
  std::chrono::system_clock::time_point wall_;
  std::vector<Waiter*> waiters_;
};

}  // namespace wechatpay::testing
