// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file ledger/notification_applier.hpp
/// LedgerNotificationApplier: NotificationHandler's applier for the ledger. The notification id
/// is recorded as processed in the same database transaction as the order's change
/// (Ledger::ApplyNotification()), so a crash between "applied" and "marked processed" cannot
/// happen, and the handler answers success only after that transaction committed.
///
/// @code
///   auto handler = wechatpay::MakeLedgerNotificationHandler(
///       parser, {wechatpay::kEventTransactionSuccess}, ledger);
///   auto result = handler.Handle(headers, raw_body);   // 2xx only once committed
/// @endcode
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "wechatpay/ledger/ledger.hpp"
#include "wechatpay/ledger_export.hpp"
#include "wechatpay/notify/applier.hpp"
#include "wechatpay/notify/handler.hpp"
#include "wechatpay/notify/parser.hpp"

namespace wechatpay {

/// Applies notifications through a Ledger. What the handler answers, by what
/// Ledger::ApplyNotification() did:
/// - applied: kProcessed, 2xx;
/// - recorded and flagged for review (a mismatch, an unknown order under kRecordFlagged, a
///   payment after a close): kProcessed with `note` = the reason, 2xx;
/// - already applied (e.g. a query came first): kProcessed, 2xx;
/// - a duplicate notification id: kDuplicate, 2xx;
/// - an unknown order under UnknownOrderPolicy::kRefuse: kFailed, 500;
/// - a store error (kUnavailable, kAborted, ...): kFailed, 500.
///
/// A flagged event is answered success because it is recorded: a redelivery would find the
/// same mismatch, and the person reviewing it has everything in the ledger.
///
/// @par Thread Safety
/// Safe from many threads (and many processes on one PostgreSQL ledger).
class WECHATPAY_LEDGER_EXPORT LedgerNotificationApplier : public NotificationApplier {
 public:
  /// Called after a notification was committed (not for duplicates): e.g. to hand a paid
  /// transaction to a PaymentWatcher. Exceptions are caught and dropped; it does not change
  /// the answer.
  using AfterCommit = std::function<void(Notification const&, LedgerApplyResult const&)>;

  /// Applies through `ledger` (must not be null).
  explicit LedgerNotificationApplier(std::shared_ptr<Ledger> ledger,
                                     AfterCommit after_commit = nullptr);

  /// See NotificationApplier::Apply().
  AppliedNotification Apply(Notification const& notification) override;

 private:
  std::shared_ptr<Ledger> ledger_;
  AfterCommit after_commit_;
};

/// NotificationHandler::WithApplier(parser, event_types, a LedgerNotificationApplier over
/// `ledger` with `after_commit`).
WECHATPAY_LEDGER_EXPORT NotificationHandler MakeLedgerNotificationHandler(
    NotificationParser parser, std::vector<std::string_view> const& event_types,
    std::shared_ptr<Ledger> ledger, LedgerNotificationApplier::AfterCommit after_commit = nullptr);

}  // namespace wechatpay
