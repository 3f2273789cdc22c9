// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The ledger as PaymentWatcher's event source across instances, on the real PostgreSQL server
// of tests/ledger/support/postgres_server: two "instances" in this process, each with its own
// store (own pool and own LISTEN connection) and ledger. A checkout watched on instance A ends
// when instance B's notification handler applies the callback (LISTEN/NOTIFY), with no query
// after the watch's first one; the latency from the delivery at B to the end of the watch at A
// is printed (p50/p99 over 120 orders; the target is < 100 ms, only a generous bound is
// asserted). And a dropped LISTEN connection loses no watch: polling ends it meanwhile, and the
// pushes resume once the store has reconnected.

#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "ledger/support/postgres_server.hpp"
#include "watch_bridge_support.hpp"
#include "wechatpay/ledger/notification_applier.hpp"
#include "wechatpay/ledger/postgres_store.hpp"
#include "wechatpay/ledger/watch_bridge.hpp"

namespace wechatpay {
namespace {

using testing::PostgresTestDatabase;
using Clock = std::chrono::steady_clock;

// One instance of the merchant's server: its own store (pool + LISTEN connection) and ledger.
struct Instance {
  explicit Instance(std::string const& url) {
    auto opened = PostgresLedgerStore::Open(url);
    INFO((opened.ok() ? std::string() : opened.status().ToString()));
    REQUIRE(opened.ok());
    store = std::shared_ptr<LedgerStore>(std::move(*opened));
    ledger = std::make_shared<Ledger>(store);
  }
  std::shared_ptr<LedgerStore> store;
  std::shared_ptr<Ledger> ledger;
};

// The process ids of the backends of the current database that LISTEN (the stores' event
// connections).
std::vector<std::string> ListeningBackends(PGconn* admin) {
  PGresult* result = PQexec(admin,
                            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                            "AND query LIKE 'LISTEN %'");
  REQUIRE(PQresultStatus(result) == PGRES_TUPLES_OK);
  std::vector<std::string> pids;
  for (int row = 0; row < PQntuples(result); ++row) pids.emplace_back(PQgetvalue(result, row, 0));
  PQclear(result);
  return pids;
}

TEST_CASE(
    "Watch bridge (PostgreSQL): a checkout watched on instance A learns of a callback "
    "handled by instance B",
    "[ledger][postgres][watch]") {
  PostgresTestDatabase database;
  Instance a(database.url());
  Instance b(database.url());
  auto wechat = testing::NotPaidWeChat();
  PaymentWatcher watcher_a{NativePayClient(wechat)};
  auto bridge = ConnectLedgerToWatcher(*a.ledger, watcher_a);
  INFO((bridge.ok() ? std::string() : bridge.status().ToString()));
  REQUIRE(bridge.ok());
  auto handler_b = MakeLedgerNotificationHandler(testing::WatchBridgeParser(),
                                                 {kEventTransactionSuccess}, b.ledger);

  int const kOrders = 120;
  std::vector<double> latency_ms;
  int pushed = 0;
  for (int i = 0; i < kOrders; ++i) {
    std::string const no = "WATCH-PG-" + std::to_string(i);
    testing::RecordCreated(*a.ledger, no, 100 + i);  // the checkout on A creates the order
    std::promise<Clock::time_point> ended;
    auto ended_at = ended.get_future();
    auto watch = watcher_a.Watch(no, testing::PushOnlyWatch(),
                                 [&ended](WatchResult const&) { ended.set_value(Clock::now()); });
    REQUIRE(testing::WaitForQueries(*wechat, static_cast<std::size_t>(i) + 1));

    auto const delivery = testing::PaidDelivery("EV-WATCH-PG-" + std::to_string(i), no, 100 + i);
    auto const start = Clock::now();
    auto handled = handler_b.Handle(delivery.headers, delivery.body);
    INFO(handled.status.ToString());
    REQUIRE(handled.answer.success());
    REQUIRE(watch.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
    auto const& result = watch.get();
    if (result.end == WatchEnd::kPushed) ++pushed;
    CHECK(result.paid());
    CHECK(result.queries == 1);
    REQUIRE(result.transaction);
    REQUIRE(result.transaction->amount);
    CHECK(result.transaction->amount->total == 100 + i);
    CHECK(result.transaction->transaction_id.has_value());
    latency_ms.push_back(std::chrono::duration<double, std::milli>(ended_at.get() - start).count());
  }
  CHECK(pushed == kOrders);
  CHECK(wechat->query_order_by_out_trade_no().calls() == static_cast<std::size_t>(kOrders));

  std::sort(latency_ms.begin(), latency_ms.end());
  auto percentile = [&](double p) {
    auto index = static_cast<std::size_t>(p * static_cast<double>(latency_ms.size() - 1) + 0.5);
    return latency_ms[index];
  };
  std::printf(
      "postgres watch bridge: %d callbacks handled by instance B, watches on instance A ended "
      "(delivery at B -> watch ended at A): p50 %.2f ms, p99 %.2f ms, max %.2f ms "
      "(target < 100 ms)\n",
      kOrders, percentile(0.50), percentile(0.99), latency_ms.back());
  // Sanity only (a loaded machine is not a benchmark): the interval is a minute.
  CHECK(percentile(0.99) < 5000.0);
}

TEST_CASE(
    "Watch bridge (PostgreSQL): a dropped LISTEN connection loses no watch: polling ends "
    "it, and pushes resume after the reconnect",
    "[ledger][postgres][watch]") {
  PostgresTestDatabase database;
  Instance a(database.url());
  Instance b(database.url());
  // A fake WeChat that knows what instance B's ledger knows: paid once B applied the payment.
  auto wechat = std::make_shared<testing::FakeNativePayChannel>();
  wechat->query_order_by_out_trade_no().SetHandler(
      [&b](QueryOrderByOutTradeNoRequest const& request) -> StatusOr<Transaction> {
        Transaction transaction;
        transaction.out_trade_no = request.out_trade_no;
        transaction.trade_state = "NOTPAY";
        auto order = b.ledger->GetOrder(request.out_trade_no);
        if (order.ok() && order->has_value() && (*order)->state == LedgerOrderState::kPaid) {
          transaction.trade_state = "SUCCESS";
          transaction.transaction_id = (*order)->transaction_id;
        }
        return transaction;
      });
  PaymentWatcher watcher_a{NativePayClient(wechat)};
  auto bridge = ConnectLedgerToWatcher(*a.ledger, watcher_a);
  REQUIRE(bridge.ok());
  auto handler_b = MakeLedgerNotificationHandler(testing::WatchBridgeParser(),
                                                 {kEventTransactionSuccess}, b.ledger);
  PGconn* admin = PQconnectdb(database.url().c_str());
  REQUIRE(PQstatus(admin) == CONNECTION_OK);
  auto const listening = ListeningBackends(admin);
  REQUIRE(listening.size() == 1);  // A's bridge; B subscribes to nothing

  // Cut A's LISTEN connection, then pay: the NOTIFY may be lost, the watch is not.
  testing::RecordCreated(*a.ledger, "WATCH-PG-DROP-1", 100);
  WatchOptions polling;
  polling.interval = std::chrono::milliseconds(200);
  auto watch = watcher_a.Watch("WATCH-PG-DROP-1", polling);
  std::string const kill = "SELECT pg_terminate_backend(" + listening.front() + ")";
  PGresult* killed = PQexec(admin, kill.c_str());
  REQUIRE(PQresultStatus(killed) == PGRES_TUPLES_OK);
  CHECK(std::string(PQgetvalue(killed, 0, 0)) == "t");
  PQclear(killed);
  auto const delivery = testing::PaidDelivery("EV-WATCH-PG-DROP-1", "WATCH-PG-DROP-1", 100);
  REQUIRE(handler_b.Handle(delivery.headers, delivery.body).answer.success());
  REQUIRE(watch.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK(watch.get().paid());
  std::printf("postgres watch bridge: the watch during the dropped LISTEN ended %s\n",
              WatchEndName(watch.get().end));

  // The store reconnects by itself (with backoff); then a callback at B is pushed to A again.
  auto reconnected = [&] {
    auto const now_listening = ListeningBackends(admin);
    return now_listening.size() == 1 && now_listening.front() != listening.front();
  };
  auto const deadline = Clock::now() + std::chrono::seconds(30);
  while (!reconnected() && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(reconnected());
  testing::RecordCreated(*a.ledger, "WATCH-PG-DROP-2", 100);
  auto queries_before = wechat->query_order_by_out_trade_no().calls();
  auto again = watcher_a.Watch("WATCH-PG-DROP-2", testing::PushOnlyWatch());
  REQUIRE(testing::WaitForQueries(*wechat, queries_before + 1));
  auto const second = testing::PaidDelivery("EV-WATCH-PG-DROP-2", "WATCH-PG-DROP-2", 100);
  REQUIRE(handler_b.Handle(second.headers, second.body).answer.success());
  REQUIRE(again.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK(again.get().end == WatchEnd::kPushed);
  CHECK(again.get().queries == 1);
  PQfinish(admin);
}

}  // namespace
}  // namespace wechatpay
