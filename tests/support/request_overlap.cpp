// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "support/request_overlap.hpp"

#include <algorithm>

namespace wechatpay::testing {

std::function<void(RequestEvent const&)> RequestOverlap::Hook() {
  return [this](RequestEvent const& event) {
    // Attempt 0: nothing was sent (a local failure, a cancelled retry wait).
    if (event.operation != operation_ || event.attempt == 0) return;
    std::lock_guard<std::mutex> lock(mu_);
    spans_.push_back({std::chrono::steady_clock::now(), event.attempt_latency});
  };
}

std::size_t RequestOverlap::attempts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return spans_.size();
}

std::size_t RequestOverlap::MostAtOnce() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::size_t most = 0;
  // The overlap is highest at some span's end: count the spans that contain each end.
  for (auto const& a : spans_) {
    std::size_t overlapping = 0;
    for (auto const& b : spans_) {
      if (b.end - b.took <= a.end && a.end <= b.end) ++overlapping;
    }
    most = std::max(most, overlapping);
  }
  return most;
}

}  // namespace wechatpay::testing
