// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/testing/fake_clock.hpp"

#include <algorithm>
#include <thread>

namespace wechatpay::testing {

using SteadyTime = std::chrono::steady_clock::time_point;

FakeClock::FakeClock(std::chrono::system_clock::time_point wall_start)
    // Any fixed steady instant will do; far from zero so that subtracting a grace period or a
    // timeout from it never underflows.
    : now_(SteadyTime(std::chrono::hours(24 * 365))), wall_(wall_start) {}

SteadyTime FakeClock::Now() const {
  std::lock_guard<std::mutex> lock(mu_);
  return now_;
}

std::chrono::system_clock::time_point FakeClock::WallNow() const {
  std::lock_guard<std::mutex> lock(mu_);
  return wall_;
}

void FakeClock::WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                          SteadyTime deadline) {
  Waiter waiter{&cv, lock.mutex(), deadline, false};
  {
    std::lock_guard<std::mutex> guard(mu_);
    if (now_ >= deadline) return;
    waiters_.push_back(&waiter);
  }
  waiting_cv_.notify_all();
  // The caller's mutex stays locked from its last look at the time until cv.wait() releases
  // it; WakeDue() notifies only while holding that mutex, so no wake-up falls in between.
  cv.wait(lock);
  std::lock_guard<std::mutex> guard(mu_);
  waiters_.erase(std::find(waiters_.begin(), waiters_.end(), &waiter));
}

void FakeClock::Advance(std::chrono::steady_clock::duration delta) {
  if (delta <= std::chrono::steady_clock::duration::zero()) return;
  AdvanceTo(Now() + delta);
}

void FakeClock::AdvanceTo(SteadyTime when) {
  std::unique_lock<std::mutex> lock(mu_);
  if (when > now_) {
    wall_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(when - now_);
    now_ = when;
  }
  WakeDue(lock);
}

// Notifies every waiter whose deadline has come, each under its own mutex (see WaitUntil). The
// waiter's thread may hold that mutex while it waits for mu_ (to read the time), so the mutex
// is only tried, and mu_ is let go between rounds until every due waiter got its notification.
void FakeClock::WakeDue(std::unique_lock<std::mutex>& lock) {
  for (;;) {
    bool pending = false;
    for (Waiter* waiter : waiters_) {
      if (waiter->woken || waiter->deadline > now_) continue;
      if (waiter->mu->try_lock()) {
        waiter->woken = true;
        waiter->cv->notify_all();
        waiter->mu->unlock();
      } else {
        pending = true;
      }
    }
    if (!pending) return;
    lock.unlock();
    std::this_thread::yield();
    lock.lock();
  }
}

bool FakeClock::AwaitWaiter(std::chrono::milliseconds limit) const {
  std::unique_lock<std::mutex> lock(mu_);
  return waiting_cv_.wait_for(lock, limit, [this] {
    return std::any_of(waiters_.begin(), waiters_.end(),
                       [](Waiter const* waiter) { return !waiter->woken; });
  });
}

std::optional<SteadyTime> FakeClock::NextDeadline() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::optional<SteadyTime> next;
  for (Waiter const* waiter : waiters_) {
    if (waiter->woken || waiter->deadline == SteadyTime::max()) continue;
    if (!next || waiter->deadline < *next) next = waiter->deadline;
  }
  return next;
}

int FakeClock::waiters() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int>(std::count_if(waiters_.begin(), waiters_.end(),
                                        [](Waiter const* waiter) { return !waiter->woken; }));
}

bool FakeClock::RunUntil(std::function<bool()> const& done, std::chrono::milliseconds limit) {
  auto const give_up = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= give_up) return false;
    // Time may only jump while the watcher's thread waits: while it works (a request, a
    // callback), jumping would skip what it is about to schedule.
    if (!AwaitWaiter(std::chrono::milliseconds(10))) continue;
    if (auto next = NextDeadline()) {
      AdvanceTo(*next);
    } else {
      std::this_thread::yield();
    }
  }
  return true;
}

}  // namespace wechatpay::testing
