// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// NotificationHandler with the ledger's applier: signed deliveries through the real parser into
// a real SQLite ledger. Success is answered only after the transaction committed; a database
// that cannot take the write is a 5xx with nothing applied; flagged events per the policy.

#include <sqlite3.h>

#include <chrono>
#include <string>

#include "catch.hpp"
#include "ledger_fixture.hpp"
#include "support/test_merchant.hpp"
#include "wechatpay/ledger/notification_applier.hpp"

namespace wechatpay {
namespace {

using testing::FixedTime;
using testing::kNotifyNow;
using testing::LedgerFixture;
using testing::NotificationSpec;
using testing::OrderRequest;
using testing::TestMerchant;
using testing::TransactionPlaintext;

NotificationParser Parser() {
  NotificationParserOptions options;
  options.clock = [] { return FixedTime(kNotifyNow); };
  auto parser = MakeNotificationParser(TestMerchant::Config(), std::move(options));
  REQUIRE(parser.ok());
  return *parser;
}

testing::SignedNotification Paid(std::string const& id, std::string const& out_trade_no,
                                 std::int64_t total) {
  NotificationSpec spec;
  spec.id = id;
  spec.plaintext = TransactionPlaintext(out_trade_no, total);
  spec.timestamp = kNotifyNow;
  return testing::MakeNotification(spec);
}

void Created(LedgerFixture& f, std::string const& no, std::int64_t total) {
  REQUIRE(f.ledger->RecordOrderCreating(OrderRequest(no, total)).ok());
  NativePrepayResponse response;
  response.code_url = "weixin://wxpay/bizpayurl?pr=handler";
  REQUIRE(f.ledger->RecordPrepayResult(no, response).ok());
}

TEST_CASE("Ledger handler: applied once, 2xx after the commit, redeliveries are duplicates") {
  LedgerFixture f;
  Created(f, "LEDGER-HANDLER-1", 100);
  int after_commit = 0;
  auto handler = MakeLedgerNotificationHandler(
      Parser(), {kEventTransactionSuccess}, f.ledger,
      [&](Notification const&, LedgerApplyResult const& result) {
        // Runs after the commit: the ledger already says PAID.
        ++after_commit;
        CHECK(result.order->state == LedgerOrderState::kPaid);
        CHECK(f.Order("LEDGER-HANDLER-1").state == LedgerOrderState::kPaid);
      });
  CHECK_FALSE(handler.has_deduplicator());
  auto const delivery = Paid("EV-LEDGER-H1", "LEDGER-HANDLER-1", 100);
  auto first = handler.Handle(delivery.headers, delivery.body);
  INFO(first.status.ToString());
  CHECK(first.outcome == NotificationOutcome::kProcessed);
  CHECK(first.answer.success());
  CHECK(first.note.empty());
  CHECK(f.Order("LEDGER-HANDLER-1").state == LedgerOrderState::kPaid);
  auto second = handler.Handle(delivery.headers, delivery.body);
  CHECK(second.outcome == NotificationOutcome::kDuplicate);
  CHECK(second.answer.success());
  CHECK(after_commit == 1);
  CHECK(f.Order("LEDGER-HANDLER-1").version == 3);
}

TEST_CASE("Ledger handler: flagged events are answered per the policy") {
  SECTION("an amount mismatch: recorded for review, 2xx, never applied") {
    LedgerFixture f;
    Created(f, "LEDGER-HANDLER-2", 100);
    auto handler = MakeLedgerNotificationHandler(Parser(), {kEventTransactionSuccess}, f.ledger);
    auto const delivery = Paid("EV-LEDGER-H2", "LEDGER-HANDLER-2", 1);
    auto result = handler.Handle(delivery.headers, delivery.body);
    CHECK(result.outcome == NotificationOutcome::kProcessed);
    CHECK(result.answer.success());
    CHECK(result.note.find("amount.total") != std::string::npos);
    CHECK(f.Order("LEDGER-HANDLER-2").state == LedgerOrderState::kNotPaid);
  }
  SECTION("an unknown order under kRefuse: 5xx, nothing recorded, the redelivery tried again") {
    LedgerOptions options;
    options.unknown_order = UnknownOrderPolicy::kRefuse;
    LedgerFixture f(options);
    auto handler = MakeLedgerNotificationHandler(Parser(), {kEventTransactionSuccess}, f.ledger);
    auto const delivery = Paid("EV-LEDGER-H3", "LEDGER-HANDLER-3", 100);
    auto result = handler.Handle(delivery.headers, delivery.body);
    CHECK(result.outcome == NotificationOutcome::kFailed);
    CHECK(result.answer.status_code == 500);
    CHECK(result.status.info().field == "out_trade_no");
    // The order is recorded meanwhile (say, by the system that created it): the redelivery
    // applies it.
    Created(f, "LEDGER-HANDLER-3", 100);
    auto redelivered = handler.Handle(delivery.headers, delivery.body);
    CHECK(redelivered.outcome == NotificationOutcome::kProcessed);
    CHECK(f.Order("LEDGER-HANDLER-3").state == LedgerOrderState::kPaid);
  }
}

TEST_CASE("Ledger handler: a database that cannot take the write answers 5xx, applies nothing") {
  LedgerFixture f({}, std::chrono::milliseconds(200));
  Created(f, "LEDGER-HANDLER-4", 100);
  auto handler = MakeLedgerNotificationHandler(Parser(), {kEventTransactionSuccess}, f.ledger);
  auto const delivery = Paid("EV-LEDGER-H4", "LEDGER-HANDLER-4", 100);
  {
    // Another process holds the database's write lock beyond the store's busy timeout.
    sqlite3* other = nullptr;
    REQUIRE(sqlite3_open(f.DatabasePath().c_str(), &other) == SQLITE_OK);
    REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
    auto result = handler.Handle(delivery.headers, delivery.body);
    sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(other);
    INFO(result.status.ToString());
    CHECK(result.outcome == NotificationOutcome::kFailed);
    CHECK(result.answer.status_code >= 500);
    CHECK(result.status.code() == StatusCode::kUnavailable);
  }
  CHECK(f.Order("LEDGER-HANDLER-4").state == LedgerOrderState::kNotPaid);
  auto processed = f.store->IsNotificationProcessed("EV-LEDGER-H4");
  REQUIRE(processed.ok());
  CHECK_FALSE(*processed);
  // WeChat's redelivery, once the database is back: applied.
  auto redelivered = handler.Handle(delivery.headers, delivery.body);
  CHECK(redelivered.outcome == NotificationOutcome::kProcessed);
  CHECK(f.Order("LEDGER-HANDLER-4").state == LedgerOrderState::kPaid);
}

}  // namespace
}  // namespace wechatpay
