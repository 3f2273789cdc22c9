// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// NotificationHandler::WithApplier(): the handler answers on what its applier reports, and
// only a verified notification of an accepted type reaches the applier.

#include <stdexcept>
#include <string>
#include <vector>

#include "catch.hpp"
#include "support/test_merchant.hpp"
#include "wechatpay/notify/applier.hpp"
#include "wechatpay/notify/handler.hpp"

namespace wechatpay {
namespace {

using testing::FixedTime;
using testing::kNotifyNow;
using testing::TestMerchant;

NotificationParser Parser() {
  NotificationParserOptions options;
  options.clock = [] { return FixedTime(kNotifyNow); };
  auto parser = MakeNotificationParser(TestMerchant::Config(), std::move(options));
  REQUIRE(parser.ok());
  return *parser;
}

// An applier that answers what the test says and remembers what it was given.
class ScriptedApplier : public NotificationApplier {
 public:
  AppliedNotification Apply(Notification const& notification) override {
    ids.push_back(notification.id);
    if (throw_it) throw std::runtime_error("applier exploded");
    return answer;
  }
  AppliedNotification answer;
  bool throw_it = false;
  std::vector<std::string> ids;
};

TEST_CASE("NotificationHandler::WithApplier answers on the applier's outcome") {
  auto applier = std::make_shared<ScriptedApplier>();
  auto handler = NotificationHandler::WithApplier(Parser(), {kEventTransactionSuccess}, applier);
  CHECK_FALSE(handler.has_deduplicator());
  CHECK(handler.applier() == applier);
  auto const delivery = testing::MakeNotification(
      "TRANSACTION.SUCCESS", testing::TransactionPlaintext("APPLIER-ORDER-1", 100));

  SECTION("processed: success, with the applier's note") {
    applier->answer.outcome = AppliedNotification::Outcome::kProcessed;
    applier->answer.note = "flagged for review: amount";
    auto result = handler.Handle(delivery.headers, delivery.body);
    CHECK(result.outcome == NotificationOutcome::kProcessed);
    CHECK(result.answer.success());
    CHECK(result.note == "flagged for review: amount");
    REQUIRE(result.notification.has_value());
    REQUIRE(applier->ids.size() == 1);
    CHECK(applier->ids[0] == result.notification->id);
  }
  SECTION("duplicate: success") {
    applier->answer.outcome = AppliedNotification::Outcome::kDuplicate;
    auto result = handler.Handle(delivery.headers, delivery.body);
    CHECK(result.outcome == NotificationOutcome::kDuplicate);
    CHECK(result.answer.success());
  }
  SECTION("in progress: 503") {
    applier->answer.outcome = AppliedNotification::Outcome::kInProgress;
    applier->answer.status = Status(StatusCode::kInternal, "busy");
    auto result = handler.Handle(delivery.headers, delivery.body);
    CHECK(result.outcome == NotificationOutcome::kInProgress);
    CHECK(result.answer.status_code == 503);
  }
  SECTION("failed: 500 with the applier's reason") {
    applier->answer.outcome = AppliedNotification::Outcome::kFailed;
    applier->answer.status = Status(StatusCode::kUnavailable, "database unreachable");
    auto result = handler.Handle(delivery.headers, delivery.body);
    CHECK(result.outcome == NotificationOutcome::kFailed);
    CHECK(result.answer.status_code == 500);
    CHECK(result.status.code() == StatusCode::kUnavailable);
  }
  SECTION("an exception is a failure, not a crash of the server") {
    applier->throw_it = true;
    auto result = handler.Handle(delivery.headers, delivery.body);
    CHECK(result.outcome == NotificationOutcome::kFailed);
    CHECK(result.answer.status_code == 500);
    CHECK(result.status.message().find("applier exploded") != std::string::npos);
  }
  SECTION("an event type the handler does not accept never reaches the applier") {
    auto refund = testing::MakeNotification("REFUND.SUCCESS", testing::RefundPlaintext());
    auto result = handler.Handle(refund.headers, refund.body);
    CHECK(result.outcome == NotificationOutcome::kUnexpectedEvent);
    CHECK(applier->ids.empty());
  }
  SECTION("a forged delivery never reaches the applier") {
    auto forged = delivery;
    forged.body[forged.body.size() / 2] ^= 1;
    auto result = handler.Handle(forged.headers, forged.body);
    CHECK(result.outcome == NotificationOutcome::kRejected);
    CHECK(applier->ids.empty());
  }
}

TEST_CASE("NotificationHandler::WithApplier without an applier fails every delivery") {
  auto handler = NotificationHandler::WithApplier(Parser(), {kEventTransactionSuccess}, nullptr);
  auto const delivery = testing::MakeNotification(
      "TRANSACTION.SUCCESS", testing::TransactionPlaintext("APPLIER-ORDER-2", 100));
  auto result = handler.Handle(delivery.headers, delivery.body);
  CHECK(result.outcome == NotificationOutcome::kFailed);
  CHECK(result.answer.status_code == 500);
}

}  // namespace
}  // namespace wechatpay
