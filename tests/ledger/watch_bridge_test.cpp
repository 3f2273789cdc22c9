// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The ledger as PaymentWatcher's event source on SQLite (in-process events): a callback applied
// through the ledger's notification handler, or a close recorded in the ledger, ends the watch
// at once with the ledger's transaction — no query after the watch's first one, although the
// poll interval is a minute. And LedgerOrderTransaction(): the record → Transaction mapping.

#include <chrono>
#include <future>
#include <string>

#include "catch.hpp"
#include "ledger_fixture.hpp"
#include "watch_bridge_support.hpp"
#include "wechatpay/ledger/notification_applier.hpp"
#include "wechatpay/ledger/watch_bridge.hpp"

namespace wechatpay {
namespace {

using testing::LedgerFixture;
using Clock = std::chrono::steady_clock;

TEST_CASE(
    "Watch bridge (SQLite): a callback applied through the ledger handler ends the watch "
    "at once, without another query",
    "[ledger][watch]") {
  LedgerFixture f;
  testing::RecordCreated(*f.ledger, "WATCH-SQLITE-1", 100);
  auto wechat = testing::NotPaidWeChat();
  PaymentWatcher watcher{NativePayClient(wechat)};
  auto bridge = ConnectLedgerToWatcher(*f.ledger, watcher);
  REQUIRE(bridge.ok());

  auto watch = watcher.Watch("WATCH-SQLITE-1", testing::PushOnlyWatch());
  REQUIRE(testing::WaitForQueries(*wechat, 1));  // the watch's first query: NOTPAY
  CHECK(watcher.IsWatching("WATCH-SQLITE-1"));
  CHECK_FALSE(watcher.IsWatching("WATCH-SQLITE-OTHER"));

  auto handler = MakeLedgerNotificationHandler(testing::WatchBridgeParser(),
                                               {kEventTransactionSuccess}, f.ledger);
  auto const delivery = testing::PaidDelivery("EV-WATCH-SQLITE-1", "WATCH-SQLITE-1", 100);
  auto const start = Clock::now();
  auto handled = handler.Handle(delivery.headers, delivery.body);
  INFO(handled.status.ToString());
  REQUIRE(handled.answer.success());

  // The interval is a minute: only the ledger's event can end the watch this soon.
  REQUIRE(watch.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
  auto const elapsed = Clock::now() - start;
  CHECK(elapsed < std::chrono::seconds(2));
  auto const& result = watch.get();
  CHECK(result.end == WatchEnd::kPushed);
  CHECK(result.status.ok());
  CHECK(result.paid());
  CHECK(result.queries == 1);
  CHECK(wechat->query_order_by_out_trade_no().calls() == 1);
  CHECK_FALSE(watcher.IsWatching("WATCH-SQLITE-1"));
  // The ledger's transaction: what the callback said, as recorded.
  auto const order = f.Order("WATCH-SQLITE-1");
  REQUIRE(result.transaction);
  CHECK(result.transaction->out_trade_no == "WATCH-SQLITE-1");
  CHECK(result.transaction->trade_state == "SUCCESS");
  CHECK_FALSE(order.transaction_id.empty());
  CHECK(result.transaction->transaction_id == order.transaction_id);
  CHECK(result.transaction->success_time == order.success_time);
  REQUIRE(result.transaction->amount);
  CHECK(result.transaction->amount->total == 100);
  CHECK(result.transaction->amount->currency == "CNY");
}

TEST_CASE(
    "Watch bridge (SQLite): a close recorded in the ledger ends the watch as CLOSED; "
    "changes of other orders and non-final changes do not",
    "[ledger][watch]") {
  LedgerFixture f;
  testing::RecordCreated(*f.ledger, "WATCH-SQLITE-2", 200);
  auto wechat = testing::NotPaidWeChat();
  PaymentWatcher watcher{NativePayClient(wechat)};
  auto bridge = ConnectLedgerToWatcher(*f.ledger, watcher);
  REQUIRE(bridge.ok());
  auto watch = watcher.Watch("WATCH-SQLITE-2", testing::PushOnlyWatch());
  REQUIRE(testing::WaitForQueries(*wechat, 1));

  // Another order paid, this order's non-final change: the watch goes on.
  testing::RecordCreated(*f.ledger, "WATCH-SQLITE-3", 300);
  REQUIRE(f.ledger->ApplyQuery(testing::PaidTransaction("WATCH-SQLITE-3", 300)).ok());
  Transaction not_paid;
  not_paid.out_trade_no = "WATCH-SQLITE-2";
  not_paid.trade_state = "USERPAYING";
  REQUIRE(f.ledger->ApplyQuery(not_paid).ok());
  CHECK(watch.wait_for(std::chrono::milliseconds(300)) == std::future_status::timeout);

  REQUIRE(f.ledger->RecordClose("WATCH-SQLITE-2", Status()).ok());
  REQUIRE(watch.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
  auto const& result = watch.get();
  CHECK(result.end == WatchEnd::kPushed);
  REQUIRE(result.transaction);
  CHECK(result.transaction->trade_state == "CLOSED");
  CHECK_FALSE(result.paid());
  CHECK(result.queries == 1);
}

TEST_CASE("LedgerOrderTransaction: final states map to trade states, others to nothing",
          "[ledger][watch]") {
  OrderRecord order;
  order.out_trade_no = "MAP-1";
  order.total_fen = 500;
  order.currency = "CNY";
  for (auto state :
       {LedgerOrderState::kCreating, LedgerOrderState::kNotPaid, LedgerOrderState::kCreateFailed}) {
    order.state = state;
    CHECK_FALSE(LedgerOrderTransaction(order).has_value());
  }
  order.state = LedgerOrderState::kClosed;
  auto closed = LedgerOrderTransaction(order);
  REQUIRE(closed);
  CHECK(closed->trade_state == "CLOSED");
  CHECK_FALSE(closed->transaction_id.has_value());
  CHECK_FALSE(closed->appid.has_value());
  CHECK(closed->raw_json.empty());
  order.state = LedgerOrderState::kRevoked;
  CHECK(LedgerOrderTransaction(order)->trade_state == "REVOKED");
  order.state = LedgerOrderState::kPayError;
  CHECK(LedgerOrderTransaction(order)->trade_state == "PAYERROR");

  order.state = LedgerOrderState::kPaid;
  order.trade_state = "SUCCESS";
  order.appid = "wxd678efh567hg6787";
  order.transaction_id = "4200000001202612070009";
  order.success_time = "2026-12-07T10:00:00+08:00";
  order.payer_total_fen = 450;
  auto paid = LedgerOrderTransaction(order);
  REQUIRE(paid);
  CHECK(paid->out_trade_no == "MAP-1");
  CHECK(paid->trade_state == "SUCCESS");
  CHECK(paid->appid == "wxd678efh567hg6787");
  CHECK(paid->transaction_id == "4200000001202612070009");
  CHECK(paid->success_time == "2026-12-07T10:00:00+08:00");
  REQUIRE(paid->amount);
  CHECK(paid->amount->total == 500);
  CHECK(paid->amount->payer_total == 450);
  CHECK(paid->amount->currency == "CNY");
  order.trade_state = "REFUND";  // refunded since: WeChat's query would say REFUND
  CHECK(LedgerOrderTransaction(order)->trade_state == "REFUND");
}

}  // namespace
}  // namespace wechatpay
