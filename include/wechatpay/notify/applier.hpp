// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file notify/applier.hpp
/// NotificationApplier: what NotificationHandler does with a verified notification of an
/// accepted type — apply it exactly once and say whether it was new or a redelivery. Two
/// implementations: DeduplicatingNotificationApplier (a NotificationDeduplicator around the
/// application's callback: claim, callback, commit) and, in the optional ledger component,
/// LedgerNotificationApplier (deduplication and the state change in one database
/// transaction). The handler answers success only for kProcessed and kDuplicate.

#include <functional>
#include <memory>
#include <string>

#include "wechatpay/export.hpp"
#include "wechatpay/notify/deduplicator.hpp"
#include "wechatpay/notify/models.hpp"
#include "wechatpay/status.hpp"

namespace wechatpay {

/// What a NotificationApplier did with one notification.
struct WECHATPAY_EXPORT AppliedNotification {
  /// What happened; one of the outcomes an applier decides.
  enum class Outcome {
    /// Applied now and durably recorded: answer success.
    kProcessed,
    /// Applied before (a redelivery): answer success, nothing done.
    kDuplicate,
    /// Another delivery of the same id is being applied right now: answer 503, WeChat retries.
    kInProgress,
    /// Not applied (status says why): answer 500, WeChat redelivers.
    kFailed,
  };
  /// What happened.
  Outcome outcome = Outcome::kFailed;
  /// OK for kProcessed and kDuplicate; the reason otherwise (for logs; never a secret).
  Status status;
  /// An error after the event was applied that does not change the answer (e.g. the
  /// deduplicator's Commit() or Release() failed); OK otherwise.
  Status bookkeeping_status;
  /// A remark for logs, e.g. the ledger's review reason when it recorded the event but
  /// flagged it for a person; empty otherwise.
  std::string note;
};

/// Applies verified notifications exactly once (a redelivery is recognised, never applied
/// again), durably before it returns kProcessed.
///
/// @par Thread Safety
/// Implementations must be safe to call from many threads at once (the handler is called from
/// the server's worker threads), and must not apply one notification id twice when two
/// deliveries of it arrive at the same moment.
class WECHATPAY_EXPORT NotificationApplier {
 public:
  virtual ~NotificationApplier() = default;
  /// Applies `notification` (verified and decrypted, of a type the handler accepts). Must not
  /// throw (the handler treats an exception as kFailed all the same).
  virtual AppliedNotification Apply(Notification const& notification) = 0;
};

/// The applier of a handler built with a callback: Claim() the id in `deduplicator`, run
/// `callback`, Commit() after it returned OK or Release() after an error. A duplicate skips the
/// callback; an id claimed by another delivery is kInProgress. Exceptions of the callback and
/// of the deduplicator are caught and reported as errors.
class WECHATPAY_EXPORT DeduplicatingNotificationApplier : public NotificationApplier {
 public:
  /// The application's callback: OK once the event is durably recorded.
  using Callback = std::function<Status(Notification const&)>;

  /// `callback` may be null (every Apply() then fails with kInternal); a null `deduplicator`
  /// means a new InMemoryNotificationDeduplicator.
  explicit DeduplicatingNotificationApplier(
      Callback callback, std::shared_ptr<NotificationDeduplicator> deduplicator = nullptr);

  /// See NotificationApplier::Apply().
  AppliedNotification Apply(Notification const& notification) override;

  /// The deduplicator in use.
  std::shared_ptr<NotificationDeduplicator> const& deduplicator() const noexcept {
    return deduplicator_;
  }

 private:
  Callback callback_;
  std::shared_ptr<NotificationDeduplicator> deduplicator_;
};

}  // namespace wechatpay
