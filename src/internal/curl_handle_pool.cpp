// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "internal/curl_handle_pool.hpp"

#include <utility>

namespace wechatpay::internal {

CurlHandlePool::Lease CurlHandlePool::Acquire() {
  CurlEasyPtr handle;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      handle = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  // Reset outside the lock: it only touches this handle, which we now own exclusively.
  if (handle) {
    curl_easy_reset(handle.get());
  } else {
    handle.reset(curl_easy_init());
  }
  return Lease(this, std::move(handle));
}

void CurlHandlePool::Release(CurlEasyPtr handle) {
  if (!handle) return;
  CurlEasyPtr evicted;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (max_idle_ == 0) {
      evicted = std::move(handle);
    } else {
      if (idle_.size() >= max_idle_) {
        evicted = std::move(idle_.front());
        idle_.erase(idle_.begin());
      }
      idle_.push_back(std::move(handle));
    }
  }
  // `evicted` is cleaned up here, outside the lock: closing its connections (a TLS
  // close_notify each) must not stall other threads waiting for a handle.
}

std::size_t CurlHandlePool::idle_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return idle_.size();
}

}  // namespace wechatpay::internal
