// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// LedgerNotificationApplier: the handler's applier over Ledger::ApplyNotification(), whose one
// transaction both records the notification id and changes the order.

#include "wechatpay/ledger/notification_applier.hpp"

#include <exception>
#include <utility>

namespace wechatpay {

LedgerNotificationApplier::LedgerNotificationApplier(std::shared_ptr<Ledger> ledger,
                                                     AfterCommit after_commit)
    : ledger_(std::move(ledger)), after_commit_(std::move(after_commit)) {}

AppliedNotification LedgerNotificationApplier::Apply(Notification const& notification) {
  using Outcome = AppliedNotification::Outcome;
  AppliedNotification applied;
  if (!ledger_) {
    applied.outcome = Outcome::kFailed;
    applied.status = Status(StatusCode::kInternal, "LedgerNotificationApplier has no ledger");
    return applied;
  }
  auto result = ledger_->ApplyNotification(notification);
  if (!result) {
    // Nothing was written (the transaction rolled back or never began): WeChat redelivers.
    applied.outcome = Outcome::kFailed;
    applied.status = result.status();
    return applied;
  }
  if (result->duplicate) {
    applied.outcome = Outcome::kDuplicate;
    return applied;
  }
  applied.outcome = Outcome::kProcessed;
  if (result->flagged) applied.note = "flagged for review: " + result->review_reason;
  if (after_commit_) {
    try {
      after_commit_(notification, *result);
    } catch (...) {  // the event is committed: the answer stays success
    }
  }
  return applied;
}

NotificationHandler MakeLedgerNotificationHandler(
    NotificationParser parser, std::vector<std::string_view> const& event_types,
    std::shared_ptr<Ledger> ledger, LedgerNotificationApplier::AfterCommit after_commit) {
  return NotificationHandler::WithApplier(
      std::move(parser), event_types,
      std::make_shared<LedgerNotificationApplier>(std::move(ledger), std::move(after_commit)));
}

}  // namespace wechatpay
