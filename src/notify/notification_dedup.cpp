// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The in-memory deduplicator: a FIFO-bounded set of processed ids plus the set of ids being
// processed right now.

#include <algorithm>
#include <mutex>
#include <string>

#include "wechatpay/notify/deduplicator.hpp"

namespace wechatpay {

InMemoryNotificationDeduplicator::InMemoryNotificationDeduplicator(std::size_t capacity)
    : capacity_(std::max<std::size_t>(capacity, 1)) {}

StatusOr<NotificationDeduplicator::ClaimResult> InMemoryNotificationDeduplicator::Claim(
    std::string const& id) {
  std::lock_guard<std::mutex> lock(mu_);
  if (processed_.count(id) != 0) return ClaimResult::kAlreadyProcessed;
  if (!in_progress_.insert(id).second) return ClaimResult::kInProgress;
  return ClaimResult::kClaimed;
}

Status InMemoryNotificationDeduplicator::Commit(std::string const& id) {
  std::lock_guard<std::mutex> lock(mu_);
  in_progress_.erase(id);
  if (!processed_.insert(id).second) return {};
  order_.push_back(id);
  // FIFO rather than LRU: a redelivery does not refresh an id, because WeChat's redeliveries
  // end after about 24 hours no matter what.
  while (order_.size() > capacity_) {
    processed_.erase(order_.front());
    order_.pop_front();
  }
  return {};
}

Status InMemoryNotificationDeduplicator::Release(std::string const& id) {
  std::lock_guard<std::mutex> lock(mu_);
  in_progress_.erase(id);
  return {};
}

bool InMemoryNotificationDeduplicator::IsProcessed(std::string const& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  return processed_.count(id) != 0;
}

std::size_t InMemoryNotificationDeduplicator::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return processed_.size();
}

}  // namespace wechatpay
