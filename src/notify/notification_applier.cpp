// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// DeduplicatingNotificationApplier: claim → application callback → commit. This was the body
// of NotificationHandler::Handle() before appliers existed; it moved here unchanged so that a
// handler can be given another applier (the ledger's, which deduplicates and applies in one
// database transaction) without a second handler class.

#include <exception>
#include <string>
#include <utility>

#include "wechatpay/notify/applier.hpp"
#include "wechatpay/notify/deduplicator.hpp"

namespace wechatpay {
namespace {

using Outcome = AppliedNotification::Outcome;

Status RunCallback(DeduplicatingNotificationApplier::Callback const& callback,
                   Notification const& n) {
  if (!callback) return Status(StatusCode::kInternal, "NotificationHandler has no callback");
  try {
    return callback(n);
  } catch (std::exception const& e) {
    return Status(StatusCode::kInternal,
                  std::string("the notification callback threw: ") + e.what());
  } catch (...) {
    return Status(StatusCode::kInternal, "the notification callback threw");
  }
}

// The deduplicator may be the application's own (a database): an exception from it is an
// error like any other, not something to let escape into the HTTP server.
template <typename Fn>
auto Guarded(Fn&& fn, char const* what) -> decltype(fn()) {
  try {
    return fn();
  } catch (std::exception const& e) {
    return Status(StatusCode::kInternal,
                  std::string("the deduplicator's ") + what + " threw: " + e.what());
  } catch (...) {
    return Status(StatusCode::kInternal, std::string("the deduplicator's ") + what + " threw");
  }
}

}  // namespace

DeduplicatingNotificationApplier::DeduplicatingNotificationApplier(
    Callback callback, std::shared_ptr<NotificationDeduplicator> deduplicator)
    : callback_(std::move(callback)),
      deduplicator_(deduplicator ? std::move(deduplicator)
                                 : std::make_shared<InMemoryNotificationDeduplicator>()) {}

AppliedNotification DeduplicatingNotificationApplier::Apply(Notification const& n) {
  AppliedNotification applied;
  auto claim = Guarded([&] { return deduplicator_->Claim(n.id); }, "Claim()");
  if (!claim) {
    applied.outcome = Outcome::kFailed;
    applied.status = claim.status();
    return applied;
  }
  switch (*claim) {
    case NotificationDeduplicator::ClaimResult::kAlreadyProcessed:
      applied.outcome = Outcome::kDuplicate;
      return applied;
    case NotificationDeduplicator::ClaimResult::kInProgress:
      applied.outcome = Outcome::kInProgress;
      applied.status = Status(StatusCode::kInternal,
                              "notification " + n.id + " is being processed by another delivery");
      return applied;
    case NotificationDeduplicator::ClaimResult::kClaimed:
      break;
  }

  auto status = RunCallback(callback_, n);
  if (!status.ok()) {
    // Not marked processed: WeChat's redelivery runs the callback again.
    applied.bookkeeping_status = Guarded([&] { return deduplicator_->Release(n.id); }, "Release()");
    applied.outcome = Outcome::kFailed;
    applied.status = std::move(status);
    return applied;
  }
  // The application has recorded the event; success is the right answer even if the
  // deduplicator cannot remember it (a later redelivery would then reach an idempotent
  // callback).
  applied.bookkeeping_status = Guarded([&] { return deduplicator_->Commit(n.id); }, "Commit()");
  applied.outcome = Outcome::kProcessed;
  return applied;
}

}  // namespace wechatpay
