// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// NotificationHandler: parse → event type → the applier (by default claim → application
// callback → commit, notification_applier.cpp) → answer. The only path to a success answer for
// a new notification goes through an applier that reported it durably applied.

#include <exception>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/json_text.hpp"
#include "common/text.hpp"
#include "wechatpay/notify/answer.hpp"
#include "wechatpay/notify/applier.hpp"
#include "wechatpay/notify/deduplicator.hpp"
#include "wechatpay/notify/handler.hpp"
#include "wechatpay/notify/models.hpp"
#include "wechatpay/notify/parser.hpp"

namespace wechatpay {
namespace {

// Another delivery of the same id is being processed: a 5xx makes WeChat try again later, when
// that delivery has either committed (then: duplicate, success) or released (then: processed).
// Answering success here would be wrong, because the other delivery may still fail.
constexpr int kInProgressStatus = 503;

// A notification for another route: our configuration is wrong (a notify_url pointing at the
// wrong route), not WeChat's request, so a 5xx like the other failures fixed on our side.
constexpr int kUnexpectedEventStatus = 500;

std::string JoinTypes(std::set<std::string, std::less<>> const& types) {
  std::string out;
  for (auto const& type : types) out += (out.empty() ? "" : ", ") + type;
  return out.empty() ? "none" : out;
}

NotificationResult Failed(NotificationResult result, Status status) {
  result.outcome = NotificationOutcome::kFailed;
  result.status = std::move(status);
  result.answer = AnswerFor(Status(StatusCode::kInternal, "processing failed"));
  return result;
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
    case NotificationOutcome::kUnexpectedEvent:
      return "UNEXPECTED_EVENT";
  }
  return "UNKNOWN";
}

NotificationHandler::NotificationHandler(NotificationParser parser,
                                         std::vector<std::string_view> const& event_types,
                                         Callback callback,
                                         std::shared_ptr<NotificationDeduplicator> deduplicator)
    : parser_(std::move(parser)), event_types_(event_types.begin(), event_types.end()) {
  // The callback path is one applier among others; the handler keeps its deduplicator for
  // deduplicator().
  auto applier = std::make_shared<DeduplicatingNotificationApplier>(std::move(callback),
                                                                    std::move(deduplicator));
  deduplicator_ = applier->deduplicator();
  applier_ = std::move(applier);
}

NotificationHandler NotificationHandler::WithApplier(
    NotificationParser parser, std::vector<std::string_view> const& event_types,
    std::shared_ptr<NotificationApplier> applier) {
  NotificationHandler handler(std::move(parser), event_types, Callback());
  handler.deduplicator_.reset();
  handler.applier_ = std::move(applier);
  return handler;
}

bool NotificationHandler::Accepts(std::string_view event_type) const {
  return event_types_.find(event_type) != event_types_.end();
}

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

  // Before the claim: an event this handler does not apply must not be marked processed (see
  // the class comment), nor block its delivery to the right handler with a claim.
  if (!Accepts(n.event_type)) {
    result.outcome = NotificationOutcome::kUnexpectedEvent;
    ErrorInfo info;
    info.field = "event_type";
    result.status =
        Status(StatusCode::kInvalidArgument,
               "notification " + n.id + " has event_type " + internal::JsonQuote(n.event_type) +
                   ", which this handler does not accept (it accepts " + JoinTypes(event_types_) +
                   "): is notify_url pointing at the " + "right route?",
               std::move(info));
    result.answer = FailureAnswer(kUnexpectedEventStatus, "event type not handled at this URL");
    return result;
  }

  if (!applier_) {
    return Failed(std::move(result), Status(StatusCode::kInternal,
                                            "NotificationHandler has no "
                                            "applier"));
  }
  AppliedNotification applied;
  try {
    applied = applier_->Apply(n);
  } catch (std::exception const& e) {  // an application's applier: never into the server
    applied.outcome = AppliedNotification::Outcome::kFailed;
    applied.status = Status(StatusCode::kInternal, std::string("the applier threw: ") + e.what());
  } catch (...) {
    applied.outcome = AppliedNotification::Outcome::kFailed;
    applied.status = Status(StatusCode::kInternal, "the applier threw");
  }
  result.deduplicator_status = std::move(applied.bookkeeping_status);
  result.note = std::move(applied.note);
  switch (applied.outcome) {
    case AppliedNotification::Outcome::kProcessed:
      result.outcome = NotificationOutcome::kProcessed;
      result.answer = SuccessAnswer();
      return result;
    case AppliedNotification::Outcome::kDuplicate:
      result.outcome = NotificationOutcome::kDuplicate;
      result.answer = SuccessAnswer();
      return result;
    case AppliedNotification::Outcome::kInProgress:
      result.outcome = NotificationOutcome::kInProgress;
      result.status = std::move(applied.status);
      result.answer = FailureAnswer(kInProgressStatus, "notification is being processed");
      return result;
    case AppliedNotification::Outcome::kFailed:
      break;
  }
  // Not applied: WeChat's redelivery tries again.
  return Failed(std::move(result), std::move(applied.status));
}

}  // namespace wechatpay
