// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file notify/handler.hpp
/// NotificationHandler: verifies and decrypts a delivery (NotificationParser), has it applied
/// exactly once (a NotificationApplier: by default the NotificationDeduplicator around the
/// application's callback; with the optional ledger, LedgerNotificationApplier) and produces
/// the HTTP answer: success goes out only after the event is durably recorded.
///
/// Typical use, with any HTTP server:
/// @code
///   auto parser = wechatpay::MakeNotificationParser(config).value();
///   // The payment route: TRANSACTION.SUCCESS only; any other event type is answered failure
///   // and left unprocessed, so that its delivery to the right route still applies it.
///   wechatpay::NotificationHandler handler(
///       parser, {wechatpay::kEventTransactionSuccess}, [&](wechatpay::Notification const& n) {
///         return orders.ApplyPaymentDurably(*n.transaction);  // OK only once committed
///       });
///   // in the route: raw body bytes and the request headers, exactly as received
///   auto result = handler.Handle(headers, raw_body);
///   reply(result.answer.status_code, result.answer.content_type, result.answer.body);
/// @endcode

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include "wechatpay/export.hpp"

#include "wechatpay/http/types.hpp"
#include "wechatpay/notify/answer.hpp"
#include "wechatpay/notify/applier.hpp"
#include "wechatpay/notify/deduplicator.hpp"
#include "wechatpay/notify/models.hpp"
#include "wechatpay/notify/parser.hpp"
#include "wechatpay/status.hpp"

namespace wechatpay {

/// What happened to one delivery.
enum class NotificationOutcome {
  /// Verified, new, and the application's callback returned OK: answered success.
  kProcessed,
  /// Verified, and already processed before (a redelivery): answered success without calling
  /// the application.
  kDuplicate,
  /// Verified, but another delivery of the same id is being processed right now: answered 503
  /// so WeChat tries again later; by then the first delivery has committed or released it.
  kInProgress,
  /// Parse() refused it (size, signature, envelope, decryption, plaintext): answered per
  /// AnswerFor(); the callback was not called.
  kRejected,
  /// Verified, but processing failed (the callback returned an error or threw, or the
  /// deduplicator failed): answered 500 so WeChat redelivers.
  kFailed,
  /// Verified, but its event_type is not one the handler accepts (a notification sent to the
  /// wrong route, e.g. a payment to the refund route): answered 500 so WeChat redelivers; the
  /// callback was not called and the id was neither claimed nor marked processed, so the
  /// delivery to the handler that accepts it still processes it.
  kUnexpectedEvent,
};

/// The stable name of an outcome, e.g. "PROCESSED".
WECHATPAY_EXPORT std::string_view NotificationOutcomeName(NotificationOutcome outcome);

/// The full result of NotificationHandler::Handle().
struct WECHATPAY_EXPORT NotificationResult {
  /// What happened.
  NotificationOutcome outcome = NotificationOutcome::kRejected;
  /// OK for kProcessed and kDuplicate; otherwise the reason (the parser's, the callback's or
  /// the deduplicator's error). For logs: it may quote header values, never a secret.
  Status status;
  /// The notification, whenever it was verified and parsed.
  std::optional<Notification> notification;
  /// The answer to send. Success only for kProcessed and kDuplicate.
  NotificationAnswer answer;
  /// A Commit() or Release() error of the deduplicator (the answer does not depend on it: after
  /// a failed Commit() the application has still recorded the event). OK otherwise. For another
  /// applier: its AppliedNotification::bookkeeping_status.
  Status deduplicator_status;
  /// The applier's remark (AppliedNotification::note), e.g. the ledger's review reason when it
  /// recorded the event but flagged it; empty otherwise.
  std::string note;
};

/// Handles deliveries end to end: Parse(), check the event type, apply exactly once (by
/// default: deduplicate and call the application), answer.
///
/// A handler accepts only the event types it was created with: one handler per route (e.g.
/// TRANSACTION.SUCCESS for the payment notify_url, the REFUND.* types for the refund one). A
/// verified notification of another type is answered failure (kUnexpectedEvent) before the
/// deduplicator sees it, so a misrouted payment is never marked processed on the wrong route —
/// which, with a deduplicator shared between routes, would make its real delivery a
/// "duplicate" that nothing ever applied.
///
/// The success answer goes out only after the callback returned OK: return OK only once the
/// event is durably recorded (committed to the database, queued durably, ...). Any error makes
/// WeChat redeliver, and the id is then not marked processed. A duplicate is answered success
/// without calling the callback again. A handler built WithApplier() answers the same way on
/// what its applier reports.
///
/// @par Thread Safety
/// Handle() is safe from many threads at once (as the server's worker threads call it). The
/// callback then runs concurrently for different notifications, never twice at once for one id.
class WECHATPAY_EXPORT NotificationHandler {
 public:
  /// The application's callback: apply the event, return OK once it is durably recorded, an
  /// error to have WeChat redeliver it. Exceptions are caught and treated as errors.
  using Callback = std::function<Status(Notification const&)>;

  /// A handler with `parser` that runs `callback` for notifications whose event_type is one of
  /// `event_types` (copied; e.g. `{kEventTransactionSuccess}` or `{kEventRefundSuccess,
  /// kEventRefundAbnormal, kEventRefundClosed}`; an empty list accepts nothing). `callback` must
  /// not be null: a null callback fails every accepted delivery with kInternal. A null
  /// `deduplicator` means a new InMemoryNotificationDeduplicator; share one deduplicator between
  /// handlers that may see the same notifications.
  NotificationHandler(NotificationParser parser, std::vector<std::string_view> const& event_types,
                      Callback callback,
                      std::shared_ptr<NotificationDeduplicator> deduplicator = nullptr);

  /// A handler with `parser` that has `applier` apply the notifications whose event_type is one
  /// of `event_types` (e.g. a LedgerNotificationApplier: deduplication and the state change in
  /// one database transaction). Answers: kProcessed and kDuplicate success, kInProgress 503,
  /// kFailed 500 (WeChat redelivers). A null `applier` fails every accepted delivery with
  /// kInternal. (A named function, not a constructor: `NotificationHandler(p, t, nullptr)`
  /// must keep meaning a null callback.)
  static NotificationHandler WithApplier(NotificationParser parser,
                                         std::vector<std::string_view> const& event_types,
                                         std::shared_ptr<NotificationApplier> applier);

  /// Handles one delivery: the request's headers and its raw body bytes as received.
  NotificationResult Handle(HttpHeaders const& headers, std::string_view raw_body) const;

  /// The deduplicator in use. Only for a handler built with a callback (has_deduplicator()):
  /// one built WithApplier() has none, its applier deduplicates.
  NotificationDeduplicator& deduplicator() const noexcept { return *deduplicator_; }

  /// True for a handler built with a callback, which deduplicates with deduplicator().
  bool has_deduplicator() const noexcept { return deduplicator_ != nullptr; }

  /// The applier in use (for a handler built with a callback: its
  /// DeduplicatingNotificationApplier). May be null only when WithApplier() was given null.
  std::shared_ptr<NotificationApplier> const& applier() const noexcept { return applier_; }

  /// True when `event_type` is one of the handler's event types.
  bool Accepts(std::string_view event_type) const;

  /// The parser in use (its max_body_bytes() and CheckBodySize() are what a server needs to
  /// bound how much of a body it reads).
  NotificationParser const& parser() const noexcept { return parser_; }

 private:
  NotificationParser parser_;
  std::set<std::string, std::less<>> event_types_;
  std::shared_ptr<NotificationApplier> applier_;
  std::shared_ptr<NotificationDeduplicator> deduplicator_;  // null for WithApplier()
};

}  // namespace wechatpay
