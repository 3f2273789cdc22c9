// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The Ledger's rules for an order's creation, payment, query answers and close, on a real
// SQLite store: every transition, every refusal, and what is flagged instead of applied.

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "ledger_fixture.hpp"
#include "wechatpay/ledger/ledger_client.hpp"
#include "wechatpay/testing/fake_channel.hpp"

namespace wechatpay {
namespace {

using testing::LedgerFixture;
using testing::OrderRequest;
using testing::PaidTransaction;
using testing::PaymentNotification;
using testing::ServiceError;
using testing::UnknownOutcome;

constexpr LedgerTime kMinute = 60 * 1000;

NativePrepayResponse CodeUrl(std::string const& url = "weixin://wxpay/bizpayurl?pr=ledger1") {
  NativePrepayResponse response;
  response.code_url = url;
  return response;
}

// An order in kNotPaid with its code_url.
void Created(LedgerFixture& f, std::string const& no, std::int64_t total = 100) {
  REQUIRE(f.ledger->RecordOrderCreating(OrderRequest(no, total)).ok());
  REQUIRE(f.ledger->RecordPrepayResult(no, CodeUrl()).ok());
}

TEST_CASE("Ledger: an order is recorded before the prepay call, once") {
  LedgerFixture f;
  auto const now = f.Now();
  auto created = f.ledger->RecordOrderCreating(OrderRequest("LEDGER-CREATE-1", 250));
  INFO(created.status().ToString());
  REQUIRE(created.ok());
  CHECK(created->state == LedgerOrderState::kCreating);
  CHECK(created->total_fen == 250);
  CHECK(created->version == 1);
  CHECK(created->created_at == now);
  CHECK(created->close_deadline == now + 10 * kMinute);
  // Scheduled for the Reconciler in case the result is never recorded (a crash mid-call).
  CHECK(created->next_check_at == now + kMinute);

  // The same order again (a retry of the whole checkout): returned as it is.
  f.clock->Advance(std::chrono::seconds(5));
  auto again = f.ledger->RecordOrderCreating(OrderRequest("LEDGER-CREATE-1", 250));
  REQUIRE(again.ok());
  CHECK(again->version == 1);
  CHECK(again->created_at == now);

  // Other terms under the same out_trade_no: refused, naming the field, never overwritten.
  auto other = f.ledger->RecordOrderCreating(OrderRequest("LEDGER-CREATE-1", 260));
  REQUIRE_FALSE(other.ok());
  CHECK(other.status().code() == StatusCode::kAlreadyExists);
  CHECK(other.status().info().field == "amount.total");
  auto described = OrderRequest("LEDGER-CREATE-1", 250);
  described.description = "另一个商品";
  auto other_description = f.ledger->RecordOrderCreating(described);
  REQUIRE_FALSE(other_description.ok());
  CHECK(other_description.status().code() == StatusCode::kAlreadyExists);
  CHECK(other_description.status().info().field == "description");
  CHECK(f.Order("LEDGER-CREATE-1").total_fen == 250);
  CHECK(f.Order("LEDGER-CREATE-1").description == "账本测试");

  auto history = f.ledger->History("LEDGER-CREATE-1");
  REQUIRE(history.ok());
  REQUIRE(history->size() == 1);
  CHECK((*history)[0].source == LedgerSource::kClient);
  CHECK((*history)[0].to_state == "CREATING");
}

TEST_CASE("Ledger: the close deadline is the order's time_expire when earlier") {
  LedgerFixture f;
  auto request = OrderRequest("LEDGER-EXPIRE-1");
  // The fake clock starts at Unix time 1700000000 (2023-11-14T22:13:20Z): 3 minutes later.
  request.time_expire = "2023-11-14T22:16:20Z";
  auto created = f.ledger->RecordOrderCreating(request);
  REQUIRE(created.ok());
  CHECK(created->close_deadline == f.Now() + 3 * kMinute);
  REQUIRE(f.ledger->RecordPrepayResult("LEDGER-EXPIRE-1", CodeUrl()).ok());
  CHECK(f.Order("LEDGER-EXPIRE-1").code_url_expires_at == f.Now() + 3 * kMinute);

  auto bad = OrderRequest("LEDGER-EXPIRE-2");
  bad.time_expire = "tomorrow";
  auto refused = f.ledger->RecordOrderCreating(bad);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().info().field == "time_expire");
}

// Issue 18: a code_url ordered again (the old one's 2 hours are over, the order still open) is
// capped by the order's time_expire like the first one; the ledger's record does not keep
// time_expire once the first code_url is recorded, so it comes with the request.
TEST_CASE("Ledger: a renewed code_url expires no later than the order's time_expire") {
  LedgerFixture f;
  auto const start = f.Now();
  auto request = OrderRequest("LEDGER-RENEW-1");
  // The fake clock starts at 2023-11-14T22:13:20Z: the order may be paid for 3 hours.
  request.time_expire = "2023-11-15T01:13:20Z";
  LedgerTime const time_expire = start + 180 * kMinute;
  REQUIRE(f.ledger->RecordOrderCreating(request).ok());
  auto first = f.ledger->RecordPrepayResult(request, CodeUrl("weixin://wxpay/bizpayurl?pr=one"));
  REQUIRE(first.ok());
  CHECK(first->code_url_expires_at == start + 120 * kMinute);

  // 2 h 10 min later the first code_url is dead; the same order again gives a new one, which
  // works 2 hours at WeChat but the order itself only 50 more minutes.
  f.clock->Advance(std::chrono::minutes(130));
  REQUIRE(f.ledger->RecordOrderCreating(request).ok());
  auto renewed = f.ledger->RecordPrepayResult(request, CodeUrl("weixin://wxpay/bizpayurl?pr=two"));
  REQUIRE(renewed.ok());
  CHECK(renewed->code_url == "weixin://wxpay/bizpayurl?pr=two");
  CHECK(renewed->code_url_expires_at == time_expire);

  SECTION("through a LedgerClient, which records with the request") {
    auto wechat = std::make_shared<testing::FakeNativePayChannel>();
    NativePrepayResponse answer;
    answer.code_url = "weixin://wxpay/bizpayurl?pr=three";
    wechat->native_prepay().Queue(answer);
    LedgerClient shop(NativePayClient(wechat), f.ledger);
    f.clock->Advance(std::chrono::minutes(10));
    auto placed = shop.NativePrepay(request);
    INFO(placed.status().ToString());
    REQUIRE(placed.ok());
    CHECK(f.Order("LEDGER-RENEW-1").code_url == "weixin://wxpay/bizpayurl?pr=three");
    CHECK(f.Order("LEDGER-RENEW-1").code_url_expires_at == time_expire);
  }
  SECTION("a time_expire that does not parse is refused, naming it") {
    auto bad = request;
    bad.time_expire = "soon";
    auto refused = f.ledger->RecordPrepayResult(bad, CodeUrl());
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.status().info().field == "time_expire");
  }
}

// Issue 18: the history records changes, not re-confirmations. WeChat's answer to the prepay
// (a code_url) means the order is NOTPAY; a query that says NOTPAY again writes nothing, while a
// query that changes trade_state (the payer scanned: USERPAYING) is recorded once.
TEST_CASE("Ledger: a query that repeats NOTPAY adds no history entry; a new trade_state does") {
  LedgerFixture f;
  Created(f, "LEDGER-REPEAT-1");
  auto const created = f.Order("LEDGER-REPEAT-1");
  CHECK(created.trade_state == "NOTPAY");
  auto history = [&f] {
    auto entries = f.ledger->History("LEDGER-REPEAT-1");
    REQUIRE(entries.ok());
    return *entries;
  };
  REQUIRE(history().size() == 2);  // CREATING, then NOT_PAID with the code_url

  for (int i = 0; i < 3; ++i) {
    f.clock->Advance(std::chrono::seconds(2));
    auto again = f.ledger->ApplyQuery(PaidTransaction("LEDGER-REPEAT-1", 100, "", "NOTPAY"));
    REQUIRE(again.ok());
    CHECK_FALSE(again->applied);
    CHECK(again->order->version == created.version);
  }
  CHECK(history().size() == 2);

  auto scanned = f.ledger->ApplyQuery(PaidTransaction("LEDGER-REPEAT-1", 100, "", "USERPAYING"));
  REQUIRE(scanned.ok());
  CHECK(scanned->order->trade_state == "USERPAYING");
  CHECK(scanned->order->version == created.version + 1);
  auto entries = history();
  REQUIRE(entries.size() == 3);
  CHECK(entries.back().from_state == "NOT_PAID");
  CHECK(entries.back().to_state == "NOT_PAID");
  CHECK(entries.back().detail == "trade_state USERPAYING");
  REQUIRE(f.ledger->ApplyQuery(PaidTransaction("LEDGER-REPEAT-1", 100, "", "USERPAYING")).ok());
  CHECK(history().size() == 3);
}

TEST_CASE("Ledger: the prepay result — code_url, unknown outcome, definite refusal") {
  LedgerFixture f;
  REQUIRE(f.ledger->RecordOrderCreating(OrderRequest("LEDGER-PREPAY-1")).ok());

  SECTION("a code_url: NOTPAID, checked again at the close deadline") {
    auto order = f.ledger->RecordPrepayResult("LEDGER-PREPAY-1", CodeUrl());
    REQUIRE(order.ok());
    CHECK(order->state == LedgerOrderState::kNotPaid);
    CHECK(order->code_url == "weixin://wxpay/bizpayurl?pr=ledger1");
    CHECK(order->code_url_expires_at == f.Now() + 120 * kMinute);
    CHECK(order->next_check_at == order->close_deadline);
    CHECK(order->version == 2);
  }
  SECTION("an unknown outcome: stays CREATING, outcome_unknown, scheduled") {
    f.clock->Advance(std::chrono::seconds(30));
    auto order = f.ledger->RecordPrepayResult("LEDGER-PREPAY-1", UnknownOutcome());
    REQUIRE(order.ok());
    CHECK(order->state == LedgerOrderState::kCreating);
    CHECK(order->outcome_unknown);
    CHECK(order->next_check_at == f.Now() + kMinute);
    CHECK(order->last_error.find("TRANSPORT") != std::string::npos);
    // A definite refusal of the next attempt does not prove the first created nothing.
    auto refused = f.ledger->RecordPrepayResult("LEDGER-PREPAY-1", ServiceError("PARAM_ERROR"));
    REQUIRE(refused.ok());
    CHECK(refused->state == LedgerOrderState::kCreating);
    CHECK(refused->outcome_unknown);
    LedgerQuery unknown;
    unknown.outcome_unknown_only = true;
    auto listed = f.ledger->List(unknown);
    REQUIRE(listed.ok());
    REQUIRE(listed->size() == 1);
    CHECK((*listed)[0].out_trade_no == "LEDGER-PREPAY-1");
  }
  SECTION("a definite refusal: CREATE_FAILED with the error; a new attempt reopens it") {
    auto order = f.ledger->RecordPrepayResult("LEDGER-PREPAY-1", ServiceError("PARAM_ERROR"));
    REQUIRE(order.ok());
    CHECK(order->state == LedgerOrderState::kCreateFailed);
    CHECK_FALSE(order->outcome_unknown);
    CHECK(order->last_error.find("PARAM_ERROR") != std::string::npos);
    CHECK(order->next_check_at == 0);
    auto retried = f.ledger->RecordOrderCreating(OrderRequest("LEDGER-PREPAY-1"));
    REQUIRE(retried.ok());
    CHECK(retried->state == LedgerOrderState::kCreating);
  }
  SECTION("ORDER_PAID is a refusal that proves the order exists: queried, not failed") {
    auto order = f.ledger->RecordPrepayResult("LEDGER-PREPAY-1", ServiceError("ORDERPAID", 403));
    REQUIRE(order.ok());
    CHECK(order->state == LedgerOrderState::kCreating);
    CHECK(order->outcome_unknown);
  }
  auto unknown = f.ledger->RecordPrepayResult("LEDGER-NOPE-1", CodeUrl());
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.status().info().field == "out_trade_no");
}

TEST_CASE("Ledger: a payment callback is applied once, redeliveries are duplicates") {
  LedgerFixture f;
  Created(f, "LEDGER-PAY-1", 100);
  auto const paid = PaymentNotification("EV-PAY-1", PaidTransaction("LEDGER-PAY-1", 100));
  auto first = f.ledger->ApplyNotification(paid);
  INFO(first.status().ToString());
  REQUIRE(first.ok());
  CHECK(first->applied);
  CHECK_FALSE(first->duplicate);
  CHECK_FALSE(first->flagged);
  REQUIRE(first->order.has_value());
  CHECK(first->order->state == LedgerOrderState::kPaid);
  CHECK(first->order->transaction_id == "4200000001202612070001");
  CHECK(first->order->payer_total_fen == 100);
  CHECK(first->order->next_check_at == 0);

  auto again = f.ledger->ApplyNotification(paid);
  REQUIRE(again.ok());
  CHECK(again->duplicate);
  CHECK_FALSE(again->applied);
  CHECK(again->order->version == first->order->version);

  // The same payment under another notification id (a query came first, or WeChat sent two):
  // nothing new, nothing flagged.
  auto other_id = f.ledger->ApplyNotification(
      PaymentNotification("EV-PAY-1B", PaidTransaction("LEDGER-PAY-1", 100)));
  REQUIRE(other_id.ok());
  CHECK_FALSE(other_id->duplicate);
  CHECK_FALSE(other_id->applied);
  CHECK_FALSE(other_id->flagged);

  auto history = f.ledger->History("LEDGER-PAY-1");
  REQUIRE(history.ok());
  REQUIRE(history->size() == 3);
  CHECK(history->back().source == LedgerSource::kCallback);
  CHECK(history->back().notification_id == "EV-PAY-1");
  CHECK(history->back().from_state == "NOT_PAID");
  CHECK(history->back().to_state == "PAID");
  auto processed = f.store->IsNotificationProcessed("EV-PAY-1");
  REQUIRE(processed.ok());
  CHECK(*processed);
}

TEST_CASE("Ledger: an amount mismatch is flagged and never applied") {
  LedgerFixture f;
  Created(f, "LEDGER-MISMATCH-1", 100);
  auto result = f.ledger->ApplyNotification(
      PaymentNotification("EV-MISMATCH-1", PaidTransaction("LEDGER-MISMATCH-1", 1)));
  REQUIRE(result.ok());
  CHECK(result->flagged);
  CHECK_FALSE(result->applied);
  CHECK(result->review_reason.find("amount.total") != std::string::npos);
  auto order = f.Order("LEDGER-MISMATCH-1");
  CHECK(order.state == LedgerOrderState::kNotPaid);
  CHECK(order.transaction_id.empty());
  CHECK(order.review_reason.find("1 fen") != std::string::npos);
  LedgerQuery review;
  review.needs_review_only = true;
  auto listed = f.ledger->List(review);
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 1);

  // Cleared by a person, with a note in the history.
  auto cleared = f.ledger->ClearReview("LEDGER-MISMATCH-1", "refunded the payer by hand");
  REQUIRE(cleared.ok());
  CHECK(cleared->review_reason.empty());
  auto history = f.ledger->History("LEDGER-MISMATCH-1");
  REQUIRE(history.ok());
  CHECK(history->back().source == LedgerSource::kApplication);
  CHECK(history->back().detail.find("refunded the payer by hand") != std::string::npos);
}

TEST_CASE("Ledger: a payment for an unknown out_trade_no follows the policy") {
  SECTION("default: recorded, flagged, nothing lost") {
    LedgerFixture f;
    auto result = f.ledger->ApplyNotification(
        PaymentNotification("EV-UNKNOWN-1", PaidTransaction("LEDGER-ELSEWHERE-1", 300)));
    REQUIRE(result.ok());
    CHECK(result->applied);
    CHECK(result->flagged);
    auto order = f.Order("LEDGER-ELSEWHERE-1");
    CHECK(order.state == LedgerOrderState::kPaid);
    CHECK(order.total_fen == 300);
    CHECK(order.review_reason.find("did not create") != std::string::npos);
  }
  SECTION("kRefuse: an error, nothing written, the id not marked processed") {
    LedgerOptions options;
    options.unknown_order = UnknownOrderPolicy::kRefuse;
    LedgerFixture f(options);
    auto result = f.ledger->ApplyNotification(
        PaymentNotification("EV-UNKNOWN-2", PaidTransaction("LEDGER-ELSEWHERE-2", 300)));
    REQUIRE_FALSE(result.ok());
    CHECK(result.status().info().field == "out_trade_no");
    auto order = f.ledger->GetOrder("LEDGER-ELSEWHERE-2");
    REQUIRE(order.ok());
    CHECK_FALSE(order->has_value());
    auto processed = f.store->IsNotificationProcessed("EV-UNKNOWN-2");
    REQUIRE(processed.ok());
    CHECK_FALSE(*processed);
  }
}

TEST_CASE("Ledger: a payment of a closed order is recorded as paid and flagged") {
  LedgerFixture f;
  Created(f, "LEDGER-LATE-1", 100);
  REQUIRE(f.ledger->RecordClose("LEDGER-LATE-1", Status()).ok());
  CHECK(f.Order("LEDGER-LATE-1").state == LedgerOrderState::kClosed);
  auto result = f.ledger->ApplyNotification(
      PaymentNotification("EV-LATE-1", PaidTransaction("LEDGER-LATE-1", 100)));
  REQUIRE(result.ok());
  CHECK(result->applied);
  CHECK(result->flagged);
  auto order = f.Order("LEDGER-LATE-1");
  CHECK(order.state == LedgerOrderState::kPaid);
  CHECK(order.review_reason.find("CLOSED") != std::string::npos);
}

TEST_CASE("Ledger: a second transaction for a paid order is flagged, not applied") {
  LedgerFixture f;
  Created(f, "LEDGER-TWICE-1", 100);
  REQUIRE(f.ledger
              ->ApplyNotification(
                  PaymentNotification("EV-TWICE-1", PaidTransaction("LEDGER-TWICE-1", 100)))
              .ok());
  auto second = f.ledger->ApplyNotification(PaymentNotification(
      "EV-TWICE-2", PaidTransaction("LEDGER-TWICE-1", 100, "4200000001202612079999")));
  REQUIRE(second.ok());
  CHECK(second->flagged);
  CHECK_FALSE(second->applied);
  CHECK(second->review_reason.find("transaction_id") != std::string::npos);
  CHECK(f.Order("LEDGER-TWICE-1").transaction_id == "4200000001202612070001");
}

TEST_CASE("Ledger: query answers move the state; contradictions are flagged") {
  LedgerFixture f;
  REQUIRE(f.ledger->RecordOrderCreating(OrderRequest("LEDGER-QUERY-1")).ok());
  REQUIRE(f.ledger->RecordPrepayResult("LEDGER-QUERY-1", UnknownOutcome()).ok());

  // The Reconciler's query finds the order: it exists, unpaid.
  auto notpay = f.ledger->ApplyQuery(PaidTransaction("LEDGER-QUERY-1", 100, "", "NOTPAY"),
                                     LedgerSource::kReconciler);
  REQUIRE(notpay.ok());
  CHECK(notpay->applied);
  CHECK(notpay->order->state == LedgerOrderState::kNotPaid);
  CHECK_FALSE(notpay->order->outcome_unknown);
  auto history = f.ledger->History("LEDGER-QUERY-1");
  REQUIRE(history.ok());
  CHECK(history->back().source == LedgerSource::kReconciler);

  // The same answer again: nothing written.
  auto same = f.ledger->ApplyQuery(PaidTransaction("LEDGER-QUERY-1", 100, "", "NOTPAY"));
  REQUIRE(same.ok());
  CHECK_FALSE(same->applied);
  CHECK(same->order->version == notpay->order->version);

  SECTION("SUCCESS pays it") {
    auto paid = f.ledger->ApplyQuery(PaidTransaction("LEDGER-QUERY-1", 100));
    REQUIRE(paid.ok());
    CHECK(paid->applied);
    CHECK(paid->order->state == LedgerOrderState::kPaid);
    // A paid order that WeChat later calls CLOSED: a contradiction, flagged, left paid.
    auto closed = f.ledger->ApplyQuery(PaidTransaction("LEDGER-QUERY-1", 100, "", "CLOSED"));
    REQUIRE(closed.ok());
    CHECK(closed->flagged);
    CHECK_FALSE(closed->applied);
    CHECK(closed->order->state == LedgerOrderState::kPaid);
    // REFUND is still paid, and only updates trade_state.
    auto refunded = f.ledger->ApplyQuery(
        PaidTransaction("LEDGER-QUERY-1", 100, "4200000001202612070001", "REFUND"));
    REQUIRE(refunded.ok());
    CHECK(refunded->order->state == LedgerOrderState::kPaid);
    CHECK(refunded->order->trade_state == "REFUND");
  }
  SECTION("CLOSED, REVOKED, PAYERROR end it") {
    auto closed = f.ledger->ApplyQuery(PaidTransaction("LEDGER-QUERY-1", 100, "", "CLOSED"));
    REQUIRE(closed.ok());
    CHECK(closed->order->state == LedgerOrderState::kClosed);
    CHECK(closed->order->next_check_at == 0);
    auto payerror = f.ledger->ApplyQuery(PaidTransaction("LEDGER-QUERY-1", 100, "", "PAYERROR"));
    REQUIRE(payerror.ok());
    CHECK(payerror->flagged);
    CHECK(payerror->order->state == LedgerOrderState::kClosed);
  }
  SECTION("an unknown trade_state is an error") {
    auto odd = f.ledger->ApplyQuery(PaidTransaction("LEDGER-QUERY-1", 100, "", "LOST"));
    REQUIRE_FALSE(odd.ok());
    CHECK(odd.status().info().field == "trade_state");
  }
  SECTION("an unpaid answer for an order the ledger does not have writes nothing") {
    auto elsewhere = f.ledger->ApplyQuery(PaidTransaction("LEDGER-QUERY-9", 100, "", "NOTPAY"));
    REQUIRE(elsewhere.ok());
    CHECK_FALSE(elsewhere->order.has_value());
  }
}

TEST_CASE("Ledger: the close result") {
  LedgerFixture f;
  Created(f, "LEDGER-CLOSE-1");
  SECTION("an unknown outcome is scheduled for the Reconciler") {
    auto order = f.ledger->RecordClose("LEDGER-CLOSE-1", UnknownOutcome());
    REQUIRE(order.ok());
    CHECK(order->state == LedgerOrderState::kNotPaid);
    CHECK(order->outcome_unknown);
    CHECK(order->next_check_at == f.Now() + kMinute);
  }
  SECTION("ORDER_PAID: the payment is not in the ledger yet, the Reconciler queries it") {
    auto order = f.ledger->RecordClose("LEDGER-CLOSE-1", ServiceError("ORDER_PAID", 403));
    REQUIRE(order.ok());
    CHECK(order->state == LedgerOrderState::kNotPaid);
    CHECK(order->outcome_unknown);
  }
  SECTION("ORDER_CLOSED is closed") {
    auto order = f.ledger->RecordClose("LEDGER-CLOSE-1", ServiceError("ORDER_CLOSED"));
    REQUIRE(order.ok());
    CHECK(order->state == LedgerOrderState::kClosed);
  }
  SECTION("a paid order never becomes closed") {
    REQUIRE(f.ledger
                ->ApplyNotification(
                    PaymentNotification("EV-CLOSE-1", PaidTransaction("LEDGER-CLOSE-1", 100)))
                .ok());
    auto order = f.ledger->RecordClose("LEDGER-CLOSE-1", Status());
    REQUIRE(order.ok());
    CHECK(order->state == LedgerOrderState::kPaid);
    CHECK_FALSE(order->review_reason.empty());
  }
}

TEST_CASE("Ledger: concurrent deliveries of one notification apply it once") {
  LedgerFixture f;
  Created(f, "LEDGER-RACE-1", 100);
  auto const paid = PaymentNotification("EV-RACE-1", PaidTransaction("LEDGER-RACE-1", 100));
  std::atomic<int> applied{0};
  std::atomic<int> duplicates{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto result = f.ledger->ApplyNotification(paid);
      if (!result) {
        ++errors;
      } else if (result->duplicate) {
        ++duplicates;
      } else if (result->applied) {
        ++applied;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(errors == 0);
  CHECK(applied == 1);
  CHECK(duplicates == 7);
  auto history = f.ledger->History("LEDGER-RACE-1");
  REQUIRE(history.ok());
  CHECK(history->size() == 3);  // created, code_url, paid
}

TEST_CASE("Ledger: Subscribe() hears every committed change") {
  LedgerFixture f;
  std::mutex mu;
  std::vector<LedgerEvent> events;
  auto subscription = f.ledger->Subscribe([&](LedgerEvent const& event) {
    std::lock_guard<std::mutex> lock(mu);
    events.push_back(event);
  });
  REQUIRE(subscription.ok());
  Created(f, "LEDGER-EVENTS-1", 100);
  REQUIRE(f.ledger
              ->ApplyNotification(
                  PaymentNotification("EV-EVENTS-1", PaidTransaction("LEDGER-EVENTS-1", 100)))
              .ok());
  // A duplicate commits nothing: no event.
  REQUIRE(f.ledger
              ->ApplyNotification(
                  PaymentNotification("EV-EVENTS-1", PaidTransaction("LEDGER-EVENTS-1", 100)))
              .ok());
  auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  auto count = [&] {
    std::lock_guard<std::mutex> lock(mu);
    return events.size();
  };
  while (count() < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // a wrong fourth would show
  std::lock_guard<std::mutex> lock(mu);
  REQUIRE(events.size() == 3);
  CHECK(events[0].state == LedgerOrderState::kCreating);
  CHECK(events[1].state == LedgerOrderState::kNotPaid);
  CHECK(events[2].state == LedgerOrderState::kPaid);
  CHECK(events[2].version == 3);
  CHECK(events[2].out_trade_no == "LEDGER-EVENTS-1");
}

}  // namespace
}  // namespace wechatpay
