// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The Ledger's refund rules on a real SQLite store: recorded before the call, moved by its
// answer, by REFUND.* callbacks and by queries (PROCESSING, SUCCESS, CLOSED, ABNORMAL), the
// amount cross-checked, and the sum of an order's refunds kept within its total.

#include <chrono>
#include <string>

#include "catch.hpp"
#include "ledger_fixture.hpp"

namespace wechatpay {
namespace {

using testing::LedgerFixture;
using testing::OrderRequest;
using testing::PaidTransaction;
using testing::PaymentNotification;
using testing::RefundAnswer;
using testing::RefundNotificationOf;
using testing::ServiceError;
using testing::UnknownOutcome;

constexpr LedgerTime kMinute = 60 * 1000;

void PaidOrder(LedgerFixture& f, std::string const& no, std::int64_t total) {
  REQUIRE(f.ledger->RecordOrderCreating(OrderRequest(no, total)).ok());
  NativePrepayResponse response;
  response.code_url = "weixin://wxpay/bizpayurl?pr=refund";
  REQUIRE(f.ledger->RecordPrepayResult(no, response).ok());
  REQUIRE(
      f.ledger->ApplyNotification(PaymentNotification("EV-PAID-" + no, PaidTransaction(no, total)))
          .ok());
}

CreateRefundRequest RefundRequest(std::string const& no, std::string const& refund_no,
                                  std::int64_t refund, std::int64_t total) {
  CreateRefundRequest request;
  request.out_trade_no = no;
  request.out_refund_no = refund_no;
  request.amount.refund = refund;
  request.amount.total = total;
  return request;
}

TEST_CASE("Ledger refunds: recorded before the call, only for a paid order, within its total") {
  LedgerFixture f;
  REQUIRE(f.ledger->RecordOrderCreating(OrderRequest("LEDGER-RF-UNPAID", 100)).ok());
  auto unpaid =
      f.ledger->RecordRefundCreating(RefundRequest("LEDGER-RF-UNPAID", "RF-U-01", 10, 100));
  REQUIRE_FALSE(unpaid.ok());
  CHECK(unpaid.status().info().field == "out_trade_no");

  PaidOrder(f, "LEDGER-RF-1", 100);
  auto first = f.ledger->RecordRefundCreating(RefundRequest("LEDGER-RF-1", "RF-1-01", 60, 100));
  INFO(first.status().ToString());
  REQUIRE(first.ok());
  CHECK(first->state == LedgerRefundState::kCreating);
  CHECK(f.Order("LEDGER-RF-1").next_check_at == f.Now() + kMinute);
  // Idempotent; other terms under the same out_refund_no are refused.
  REQUIRE(f.ledger->RecordRefundCreating(RefundRequest("LEDGER-RF-1", "RF-1-01", 60, 100)).ok());
  auto other = f.ledger->RecordRefundCreating(RefundRequest("LEDGER-RF-1", "RF-1-01", 61, 100));
  REQUIRE_FALSE(other.ok());
  CHECK(other.status().code() == StatusCode::kAlreadyExists);
  CHECK(other.status().info().field == "amount.refund");
  // 60 + 50 > 100: refused before anything is sent.
  auto too_much = f.ledger->RecordRefundCreating(RefundRequest("LEDGER-RF-1", "RF-1-02", 50, 100));
  REQUIRE_FALSE(too_much.ok());
  CHECK(too_much.status().info().field == "amount.refund");
  auto wrong_total =
      f.ledger->RecordRefundCreating(RefundRequest("LEDGER-RF-1", "RF-1-03", 10, 99));
  REQUIRE_FALSE(wrong_total.ok());
  CHECK(wrong_total.status().info().field == "amount.total");
  auto no_order = RefundRequest("LEDGER-RF-1", "RF-1-04", 10, 100);
  no_order.out_trade_no.reset();
  no_order.transaction_id = "4200000001202612070001";
  auto by_id = f.ledger->RecordRefundCreating(no_order);
  REQUIRE_FALSE(by_id.ok());
  CHECK(by_id.status().info().field == "out_trade_no");
}

TEST_CASE("Ledger refunds: PROCESSING, then the callback's SUCCESS once") {
  LedgerFixture f;
  PaidOrder(f, "LEDGER-RF-2", 100);
  REQUIRE(f.ledger->RecordRefundCreating(RefundRequest("LEDGER-RF-2", "RF-2-01", 40, 100)).ok());
  auto processing = f.ledger->RecordRefundResult(
      "RF-2-01", RefundAnswer("LEDGER-RF-2", "RF-2-01", "PROCESSING", 40, 100));
  INFO(processing.status().ToString());
  REQUIRE(processing.ok());
  CHECK(processing->state == LedgerRefundState::kProcessing);
  CHECK(processing->refund_id == "5000000001202612070001");
  // A refund in flight is re-queried by the Reconciler.
  CHECK(f.Order("LEDGER-RF-2").next_check_at == f.Now() + kMinute);

  auto const success =
      RefundNotificationOf("EV-RF-2", "SUCCESS", "LEDGER-RF-2", "RF-2-01", 40, 100);
  auto applied = f.ledger->ApplyNotification(success);
  REQUIRE(applied.ok());
  CHECK(applied->applied);
  REQUIRE(applied->refund.has_value());
  CHECK(applied->refund->state == LedgerRefundState::kSuccess);
  CHECK(f.Order("LEDGER-RF-2").next_check_at == 0);
  auto again = f.ledger->ApplyNotification(success);
  REQUIRE(again.ok());
  CHECK(again->duplicate);

  // SUCCESS is final: a later CLOSED is a contradiction, flagged.
  auto closed =
      f.ledger->ApplyRefundQuery(RefundAnswer("LEDGER-RF-2", "RF-2-01", "CLOSED", 40, 100));
  REQUIRE(closed.ok());
  CHECK(closed->flagged);
  CHECK(closed->refund->state == LedgerRefundState::kSuccess);
  CHECK_FALSE(f.Order("LEDGER-RF-2").review_reason.empty());

  auto history = f.ledger->History("LEDGER-RF-2");
  REQUIRE(history.ok());
  bool saw_refund_callback = false;
  for (auto const& entry : *history) {
    if (entry.out_refund_no == "RF-2-01" && entry.source == LedgerSource::kCallback) {
      saw_refund_callback = true;
      CHECK(entry.from_state == "PROCESSING");
      CHECK(entry.to_state == "SUCCESS");
      CHECK(entry.notification_id == "EV-RF-2");
    }
  }
  CHECK(saw_refund_callback);
}

TEST_CASE("Ledger refunds: ABNORMAL, then SUCCESS once the merchant acted") {
  LedgerFixture f;
  PaidOrder(f, "LEDGER-RF-3", 100);
  REQUIRE(f.ledger->RecordRefundCreating(RefundRequest("LEDGER-RF-3", "RF-3-01", 100, 100)).ok());
  REQUIRE(f.ledger
              ->RecordRefundResult("RF-3-01",
                                   RefundAnswer("LEDGER-RF-3", "RF-3-01", "PROCESSING", 100, 100))
              .ok());
  auto abnormal = f.ledger->ApplyNotification(
      RefundNotificationOf("EV-RF-3A", "ABNORMAL", "LEDGER-RF-3", "RF-3-01", 100, 100));
  REQUIRE(abnormal.ok());
  CHECK(abnormal->refund->state == LedgerRefundState::kAbnormal);
  auto success =
      f.ledger->ApplyRefundQuery(RefundAnswer("LEDGER-RF-3", "RF-3-01", "SUCCESS", 100, 100));
  REQUIRE(success.ok());
  CHECK(success->applied);
  CHECK(success->refund->state == LedgerRefundState::kSuccess);
}

TEST_CASE("Ledger refunds: an abnormal-refund application takes ABNORMAL to PROCESSING") {
  LedgerFixture f;
  PaidOrder(f, "LEDGER-RF-3B", 100);
  REQUIRE(f.ledger->RecordRefundCreating(RefundRequest("LEDGER-RF-3B", "RF-3B-01", 100, 100)).ok());
  REQUIRE(f.ledger
              ->RecordRefundResult("RF-3B-01",
                                   RefundAnswer("LEDGER-RF-3B", "RF-3B-01", "PROCESSING", 100, 100))
              .ok());
  REQUIRE(f.ledger
              ->ApplyNotification(RefundNotificationOf("EV-RF-3B", "ABNORMAL", "LEDGER-RF-3B",
                                                       "RF-3B-01", 100, 100))
              .ok());
  // After apply-abnormal-refund WeChat answers and reports the refund PROCESSING: applied as
  // a move, not flagged as a contradiction.
  auto processing =
      f.ledger->ApplyRefundQuery(RefundAnswer("LEDGER-RF-3B", "RF-3B-01", "PROCESSING", 100, 100));
  REQUIRE(processing.ok());
  CHECK_FALSE(processing->flagged);
  CHECK(processing->applied);
  CHECK(processing->refund->state == LedgerRefundState::kProcessing);
  CHECK(f.Order("LEDGER-RF-3B").review_reason.empty());
  auto success =
      f.ledger->ApplyRefundQuery(RefundAnswer("LEDGER-RF-3B", "RF-3B-01", "SUCCESS", 100, 100));
  REQUIRE(success.ok());
  CHECK(success->applied);
  CHECK(success->refund->state == LedgerRefundState::kSuccess);
}

TEST_CASE("Ledger refunds: CLOSED gives the amount back to the order's total") {
  LedgerFixture f;
  PaidOrder(f, "LEDGER-RF-4", 100);
  REQUIRE(f.ledger->RecordRefundCreating(RefundRequest("LEDGER-RF-4", "RF-4-01", 80, 100)).ok());
  REQUIRE(f.ledger
              ->RecordRefundResult("RF-4-01",
                                   RefundAnswer("LEDGER-RF-4", "RF-4-01", "PROCESSING", 80, 100))
              .ok());
  REQUIRE_FALSE(
      f.ledger->RecordRefundCreating(RefundRequest("LEDGER-RF-4", "RF-4-02", 80, 100)).ok());
  auto closed = f.ledger->ApplyNotification(
      RefundNotificationOf("EV-RF-4", "CLOSED", "LEDGER-RF-4", "RF-4-01", 80, 100));
  REQUIRE(closed.ok());
  CHECK(closed->refund->state == LedgerRefundState::kClosed);
  CHECK(f.ledger->RecordRefundCreating(RefundRequest("LEDGER-RF-4", "RF-4-02", 80, 100)).ok());
}

TEST_CASE("Ledger refunds: mismatches, unknown refunds and over-refunds are flagged") {
  LedgerFixture f;
  PaidOrder(f, "LEDGER-RF-5", 100);
  REQUIRE(f.ledger->RecordRefundCreating(RefundRequest("LEDGER-RF-5", "RF-5-01", 30, 100)).ok());

  SECTION("an amount that is not the one requested: flagged, not applied") {
    auto result = f.ledger->ApplyNotification(
        RefundNotificationOf("EV-RF-5A", "SUCCESS", "LEDGER-RF-5", "RF-5-01", 31, 100));
    REQUIRE(result.ok());
    CHECK(result->flagged);
    CHECK_FALSE(result->applied);
    CHECK(result->review_reason.find("amount.refund") != std::string::npos);
    CHECK(result->refund->state == LedgerRefundState::kCreating);
  }
  SECTION(
      "a refund the ledger did not create, taking the sum above the total: recorded, "
      "flagged") {
    auto result = f.ledger->ApplyNotification(
        RefundNotificationOf("EV-RF-5B", "SUCCESS", "LEDGER-RF-5", "RF-5-99", 90, 100));
    REQUIRE(result.ok());
    CHECK(result->applied);
    CHECK(result->flagged);
    CHECK(result->refund->state == LedgerRefundState::kSuccess);
    auto order = f.Order("LEDGER-RF-5");
    CHECK(order.review_reason.find("did not create") != std::string::npos);
    CHECK(order.review_reason.find("120 fen") != std::string::npos);
  }
  SECTION("a refund for an order the ledger does not have: recorded per the policy") {
    auto result = f.ledger->ApplyNotification(
        RefundNotificationOf("EV-RF-5C", "SUCCESS", "LEDGER-RF-ELSEWHERE", "RF-X-01", 10, 50));
    REQUIRE(result.ok());
    CHECK(result->flagged);
    auto order = f.Order("LEDGER-RF-ELSEWHERE");
    CHECK(order.state == LedgerOrderState::kPaid);
    CHECK(order.total_fen == 50);
  }
}

TEST_CASE("Ledger refunds: the call's unknown outcome and definite refusal") {
  LedgerFixture f;
  PaidOrder(f, "LEDGER-RF-6", 100);
  REQUIRE(f.ledger->RecordRefundCreating(RefundRequest("LEDGER-RF-6", "RF-6-01", 10, 100)).ok());
  SECTION("unknown: outcome_unknown, scheduled") {
    auto refund = f.ledger->RecordRefundResult("RF-6-01", UnknownOutcome());
    REQUIRE(refund.ok());
    CHECK(refund->state == LedgerRefundState::kCreating);
    CHECK(refund->outcome_unknown);
    CHECK(f.Order("LEDGER-RF-6").next_check_at == f.Now() + kMinute);
  }
  SECTION("NOT_ENOUGH: nothing was created; the same out_refund_no may be tried again") {
    auto refund = f.ledger->RecordRefundResult("RF-6-01", ServiceError("NOT_ENOUGH", 403));
    REQUIRE(refund.ok());
    CHECK(refund->state == LedgerRefundState::kCreateFailed);
    CHECK(refund->last_error.find("NOT_ENOUGH") != std::string::npos);
    auto retried = f.ledger->RecordRefundCreating(RefundRequest("LEDGER-RF-6", "RF-6-01", 10, 100));
    REQUIRE(retried.ok());
    CHECK(retried->state == LedgerRefundState::kCreating);
  }
  auto unknown = f.ledger->RecordRefundResult("RF-NOPE", UnknownOutcome());
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().info().field == "out_refund_no");
}

TEST_CASE("Ledger refunds: ClearReview clears the order's and every refund's flag") {
  LedgerFixture f;
  PaidOrder(f, "LEDGER-RF-7", 100);
  // Two refunds the ledger did not create: both flagged, and the order with them.
  REQUIRE(f.ledger
              ->ApplyNotification(
                  RefundNotificationOf("EV-RF-7A", "SUCCESS", "LEDGER-RF-7", "RF-7-01", 10, 100))
              .ok());
  REQUIRE(f.ledger
              ->ApplyNotification(
                  RefundNotificationOf("EV-RF-7B", "SUCCESS", "LEDGER-RF-7", "RF-7-02", 20, 100))
              .ok());
  auto before = f.ledger->Refunds("LEDGER-RF-7");
  REQUIRE(before.ok());
  REQUIRE(before->size() == 2);
  CHECK_FALSE((*before)[0].review_reason.empty());
  CHECK_FALSE((*before)[1].review_reason.empty());
  REQUIRE_FALSE(f.ledger->ClearReview("LEDGER-RF-7", "").ok());
  auto cleared = f.ledger->ClearReview("LEDGER-RF-7", "refunds made on the merchant platform");
  REQUIRE(cleared.ok());
  CHECK(cleared->review_reason.empty());
  auto after = f.ledger->Refunds("LEDGER-RF-7");
  REQUIRE(after.ok());
  CHECK((*after)[0].review_reason.empty());
  CHECK((*after)[1].review_reason.empty());
  LedgerQuery review;
  review.needs_review_only = true;
  auto listed = f.ledger->List(review);
  REQUIRE(listed.ok());
  CHECK(listed->empty());
}

TEST_CASE("Ledger refunds: the Reconciler's check ends its lease and moves next_check_at on") {
  LedgerFixture f;
  PaidOrder(f, "LEDGER-RF-8", 100);
  REQUIRE(f.ledger->RecordRefundCreating(RefundRequest("LEDGER-RF-8", "RF-8-01", 10, 100)).ok());
  REQUIRE(f.ledger
              ->RecordRefundResult("RF-8-01",
                                   RefundAnswer("LEDGER-RF-8", "RF-8-01", "PROCESSING", 10, 100))
              .ok());
  // Due a minute later: the Reconciler leases it and queries; WeChat still says PROCESSING.
  f.clock->Advance(std::chrono::minutes(2));
  auto leased = f.store->LeaseDue("instance-a", f.Now(), 30000, 10);
  REQUIRE(leased.ok());
  REQUIRE(leased->size() == 1);
  auto before = f.Order("LEDGER-RF-8");
  CHECK(before.lease_owner == "instance-a");
  CHECK(before.next_check_at <= f.Now());
  auto checked = f.ledger->ApplyRefundQuery(
      RefundAnswer("LEDGER-RF-8", "RF-8-01", "PROCESSING", 10, 100), LedgerSource::kReconciler);
  REQUIRE(checked.ok());
  CHECK_FALSE(checked->applied);
  auto after = f.Order("LEDGER-RF-8");
  CHECK(after.lease_owner.empty());
  CHECK(after.next_check_at == f.Now() + kMinute);
  auto history = f.ledger->History("LEDGER-RF-8");
  REQUIRE(history.ok());
  CHECK(history->back().source == LedgerSource::kReconciler);
  CHECK(history->back().detail.find("unchanged") != std::string::npos);
  // Not due any more: another instance leases nothing.
  auto again = f.store->LeaseDue("instance-b", f.Now(), 30000, 10);
  REQUIRE(again.ok());
  CHECK(again->empty());
  // An application's query repeating the same answer writes nothing.
  auto queried =
      f.ledger->ApplyRefundQuery(RefundAnswer("LEDGER-RF-8", "RF-8-01", "PROCESSING", 10, 100));
  REQUIRE(queried.ok());
  CHECK(f.Order("LEDGER-RF-8").version == after.version);
}

}  // namespace
}  // namespace wechatpay
