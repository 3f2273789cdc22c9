// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/channel/cancellation.hpp"

#include <utility>
#include <vector>

namespace wechatpay {

void CallCancellation::Cancel() {
  std::lock_guard<std::recursive_mutex> running(running_);
  std::map<std::uint64_t, std::function<void()>> to_run;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (cancelled_) return;
    cancelled_ = true;
    to_run.swap(on_cancel_);
  }
  for (auto& [id, fn] : to_run) fn();
}

bool CallCancellation::cancelled() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return cancelled_;
}

std::uint64_t CallCancellation::OnCancel(std::function<void()> fn) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto const id = next_id_++;
    if (!cancelled_) {
      on_cancel_.emplace(id, std::move(fn));
      return id;
    }
  }
  fn();
  return 0;
}

void CallCancellation::Forget(std::uint64_t id) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (on_cancel_.erase(id) > 0) return;
  }
  // Not registered any more: it ran, or Cancel() is running it now. Waiting for Cancel() to
  // end makes "never running once Forget() returns" true (recursive: a function may forget
  // itself or another from inside Cancel()).
  std::lock_guard<std::recursive_mutex> running(running_);
}

}  // namespace wechatpay
