// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "http/curl_handle_pool.hpp"

#include <utility>

namespace wechatpay::internal {

CurlHandlePool::Lease CurlHandlePool::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      PooledCurl handles = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(handles), false);
    }
  }
  PooledCurl handles;
  handles.multi.reset(curl_multi_init());
  handles.easy.reset(curl_easy_init());
  return Lease(this, std::move(handles), true);
}

void CurlHandlePool::Release(PooledCurl handles) {
  if (!handles.easy || !handles.multi) return;
  PooledCurl evicted;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (max_idle_ == 0) {
      evicted = std::move(handles);
    } else {
      if (idle_.size() >= max_idle_) {
        evicted = std::move(idle_.front());
        idle_.erase(idle_.begin());
      }
      idle_.push_back(std::move(handles));
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
