// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file notify/deduplicator.hpp
/// NotificationDeduplicator and its in-memory default: keep WeChat's redeliveries from running
/// the application's callback twice.

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include "wechatpay/export.hpp"

#include "wechatpay/status_or.hpp"

namespace wechatpay {

/// Remembers which notifications the application has processed, keyed by notification id, so
/// that WeChat's redeliveries do not apply an event twice. A delivery first Claim()s the id;
/// after the application's callback succeeded it Commit()s it, after a failure it Release()s it
/// so that the next redelivery is processed again. A claimed id is not handed out twice, so
/// concurrent deliveries of one notification cannot both run the callback.
///
/// Implement it over the application's database (a unique key on the id, claims as rows with a
/// lease so a crash does not block an id forever) to survive restarts and to share it between
/// server instances; the in-memory default does neither.
///
/// @par Thread Safety
/// Implementations must be safe to call from many threads at once.
class WECHATPAY_EXPORT NotificationDeduplicator {
 public:
  /// What Claim() found.
  enum class ClaimResult {
    /// The caller now owns the id and must Commit() or Release() it.
    kClaimed,
    /// The id was committed before: a redelivery; do not process it again.
    kAlreadyProcessed,
    /// Another delivery holds the claim right now.
    kInProgress,
  };

  virtual ~NotificationDeduplicator() = default;

  /// Claims `id` for processing. Errors (e.g. the store is unreachable) fail the delivery, which
  /// WeChat then retries.
  virtual StatusOr<ClaimResult> Claim(std::string const& id) = 0;
  /// Records `id` as processed and drops the claim. Called only after the application's
  /// callback returned OK.
  virtual Status Commit(std::string const& id) = 0;
  /// Drops the claim on `id` without recording it, so the next delivery processes it again.
  virtual Status Release(std::string const& id) = 0;
};

/// The default deduplicator: processed ids in memory, bounded. When `capacity` ids are
/// remembered, committing another forgets the oldest (first in, first out), so a redelivery of
/// a forgotten id would run the callback again: keep the application's own update idempotent
/// too (CheckPayment()). WeChat redelivers for about 24 hours; size the capacity to a day of
/// notifications. Lost on restart.
///
/// @par Thread Safety
/// Safe to use from many threads at once (one mutex; every operation is O(1)).
class WECHATPAY_EXPORT InMemoryNotificationDeduplicator : public NotificationDeduplicator {
 public:
  /// The default capacity.
  static constexpr std::size_t kDefaultCapacity = 100000;

  /// Remembers up to `capacity` processed ids (at least 1). Claims in progress are not counted.
  explicit InMemoryNotificationDeduplicator(std::size_t capacity = kDefaultCapacity);

  /// See NotificationDeduplicator::Claim(). Never fails.
  StatusOr<ClaimResult> Claim(std::string const& id) override;
  /// See NotificationDeduplicator::Commit(). Never fails.
  Status Commit(std::string const& id) override;
  /// See NotificationDeduplicator::Release(). Never fails.
  Status Release(std::string const& id) override;

  /// True when `id` is remembered as processed.
  bool IsProcessed(std::string const& id) const;
  /// Number of remembered processed ids.
  std::size_t size() const;
  /// The capacity.
  std::size_t capacity() const noexcept { return capacity_; }

 private:
  std::size_t const capacity_;
  mutable std::mutex mu_;
  std::unordered_set<std::string> processed_;
  std::deque<std::string> order_;  // processed ids, oldest first
  std::unordered_set<std::string> in_progress_;
};

}  // namespace wechatpay
