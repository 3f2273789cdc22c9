// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/channel/cancellation.hpp"

#include <utility>

namespace wechatpay {

void CallCancellation::Cancel() {
  std::unique_lock<std::mutex> lock(mutex_);
  if (cancelled_) return;
  cancelled_ = true;
  // One at a time, each outside the lock: a function takes its call's locks, and may forget
  // itself or another.
  while (!on_cancel_.empty()) {
    auto node = on_cancel_.extract(on_cancel_.begin());
    running_id_ = node.key();
    running_thread_ = std::this_thread::get_id();
    lock.unlock();
    node.mapped()();
    lock.lock();
    running_id_ = 0;
    ran_.notify_all();
  }
}

bool CallCancellation::cancelled() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return cancelled_;
}

std::uint64_t CallCancellation::OnCancel(std::function<void()> fn) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!cancelled_) {
      auto const id = next_id_++;
      on_cancel_.emplace(id, std::move(fn));
      return id;
    }
  }
  fn();
  return 0;
}

void CallCancellation::Forget(std::uint64_t id) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (id == 0 || on_cancel_.erase(id) > 0) return;
  // Not registered any more: it ran, or Cancel() is running it now. Only the latter is waited
  // for, and not from inside the function itself.
  ran_.wait(lock,
            [&] { return running_id_ != id || running_thread_ == std::this_thread::get_id(); });
}

}  // namespace wechatpay
