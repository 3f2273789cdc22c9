// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// NotificationHandler: parse → claim → application callback → commit → answer. The only path
// to a success answer for a new notification goes through a callback that returned OK.

#include <exception>
#include <string>
#include <utility>

#include "wechatpay/notification.hpp"

namespace wechatpay {
namespace {

// Another delivery of the same id is being processed: a 5xx makes WeChat try again later, when
// that delivery has either committed (then: duplicate, success) or released (then: processed).
// Answering success here would be wrong, because the other delivery may still fail.
constexpr int kInProgressStatus = 503;

NotificationResult Failed(NotificationResult result, Status status) {
  result.outcome = NotificationOutcome::kFailed;
  result.status = std::move(status);
  result.answer = AnswerFor(Status(StatusCode::kInternal, "processing failed"));
  return result;
}

Status RunCallback(NotificationHandler::Callback const& callback, Notification const& n) {
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

std::string_view NotificationOutcomeName(NotificationOutcome outcome) {
  switch (outcome) {
    case NotificationOutcome::kProcessed:
      return "PROCESSED";
    case NotificationOutcome::kDuplicate:
      return "DUPLICATE";
    case NotificationOutcome::kInProgress:
      return "IN_PROGRESS";
    case NotificationOutcome::kRejected:
      return "REJECTED";
    case NotificationOutcome::kFailed:
      return "FAILED";
  }
  return "UNKNOWN";
}

NotificationHandler::NotificationHandler(NotificationParser parser, Callback callback,
                                         std::shared_ptr<NotificationDeduplicator> deduplicator)
    : parser_(std::move(parser)),
      callback_(std::move(callback)),
      deduplicator_(deduplicator ? std::move(deduplicator)
                                 : std::make_shared<InMemoryNotificationDeduplicator>()) {}

NotificationResult NotificationHandler::Handle(HttpHeaders const& headers,
                                               std::string_view raw_body) const {
  NotificationResult result;
  auto parsed = parser_.Parse(headers, raw_body);
  if (!parsed) {
    result.outcome = NotificationOutcome::kRejected;
    result.status = parsed.status();
    result.answer = AnswerFor(result.status);
    return result;
  }
  result.notification = *std::move(parsed);
  auto const& n = *result.notification;

  auto claim = Guarded([&] { return deduplicator_->Claim(n.id); }, "Claim()");
  if (!claim) return Failed(std::move(result), claim.status());
  switch (*claim) {
    case NotificationDeduplicator::ClaimResult::kAlreadyProcessed:
      result.outcome = NotificationOutcome::kDuplicate;
      result.answer = SuccessAnswer();
      return result;
    case NotificationDeduplicator::ClaimResult::kInProgress:
      result.outcome = NotificationOutcome::kInProgress;
      result.status = Status(StatusCode::kInternal,
                             "notification " + n.id + " is being processed by another delivery");
      result.answer = FailureAnswer(kInProgressStatus, "notification is being processed");
      return result;
    case NotificationDeduplicator::ClaimResult::kClaimed:
      break;
  }

  auto status = RunCallback(callback_, n);
  if (!status.ok()) {
    // Not marked processed: WeChat's redelivery runs the callback again.
    result.deduplicator_status = Guarded([&] { return deduplicator_->Release(n.id); }, "Release()");
    return Failed(std::move(result), std::move(status));
  }
  // The application has recorded the event; success is the right answer even if the
  // deduplicator cannot remember it (a later redelivery would then reach an idempotent
  // callback).
  result.deduplicator_status = Guarded([&] { return deduplicator_->Commit(n.id); }, "Commit()");
  result.outcome = NotificationOutcome::kProcessed;
  result.answer = SuccessAnswer();
  return result;
}

}  // namespace wechatpay
