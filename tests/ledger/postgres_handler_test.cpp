// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The NotificationHandler with the ledger's applier over a real PostgreSQL server, end to end
// from the signed delivery to the committed rows:
// - two instances (two handler + Ledger + store sets, each with its own connections, in this
//   process) receive the same callback at the same moment, for 1000 payments: each is applied
//   once, both deliveries are answered 2xx;
// - the server is stopped while callbacks arrive: those are answered 5xx and nothing is applied
//   half; after the restart the redeliveries apply everything exactly once;
// - the receiving process killed at random points during 1000 callbacks from the sandbox
//   (crash_delivery.hpp): none lost, none applied twice, none stuck.
// The store-level versions of these (Mutate, no handler) are in postgres_store_test.cpp.

#include <libpq-fe.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "crash_delivery.hpp"
#include "ledger/support/postgres_server.hpp"
#include "ledger_fixture.hpp"
#include "support/test_merchant.hpp"
#include "wechatpay/ledger/notification_applier.hpp"
#include "wechatpay/ledger/postgres_store.hpp"

namespace wechatpay {
namespace {

using testing::FixedTime;
using testing::kNotifyNow;
using testing::NotificationSpec;
using testing::OrderRequest;
using testing::PostgresServer;
using testing::PostgresTestDatabase;
using testing::SignedNotification;
using testing::TestMerchant;
using testing::TransactionPlaintext;

NotificationParser Parser() {
  NotificationParserOptions options;
  options.clock = [] { return FixedTime(kNotifyNow); };
  auto parser = MakeNotificationParser(TestMerchant::Config(), std::move(options));
  REQUIRE(parser.ok());
  return *parser;
}

// One receiving instance: its own store (its own connection pool), Ledger and handler.
struct Instance {
  explicit Instance(std::string const& url, PostgresLedgerStoreOptions const& store_options = {}) {
    auto opened = PostgresLedgerStore::Open(url, store_options);
    INFO(opened.status().ToString());
    REQUIRE(opened.ok());
    store = *std::move(opened);
    ledger = std::make_shared<Ledger>(store);
    handler = std::make_unique<NotificationHandler>(
        MakeLedgerNotificationHandler(Parser(), {kEventTransactionSuccess}, ledger));
  }
  std::shared_ptr<LedgerStore> store;
  std::shared_ptr<Ledger> ledger;
  std::unique_ptr<NotificationHandler> handler;
};

std::string OrderNo(int n) { return "LEDGER-PG-H-" + std::to_string(n); }

// The signed callbacks of `count` payments of 100 fen (each its own order and event id).
std::vector<SignedNotification> Callbacks(int count, std::string const& prefix) {
  std::vector<SignedNotification> callbacks;
  callbacks.reserve(count);
  for (int n = 0; n < count; ++n) {
    NotificationSpec spec;
    spec.id = prefix + std::to_string(n);
    spec.plaintext = TransactionPlaintext(OrderNo(n), 100);
    spec.timestamp = kNotifyNow;
    callbacks.push_back(testing::MakeNotification(spec));
  }
  return callbacks;
}

void CreateOrders(Ledger& ledger, int count) {
  for (int n = 0; n < count; ++n) {
    REQUIRE(ledger.RecordOrderCreating(OrderRequest(OrderNo(n), 100)).ok());
    NativePrepayResponse response;
    response.code_url = "weixin://wxpay/bizpayurl?pr=pg-handler";
    REQUIRE(ledger.RecordPrepayResult(OrderNo(n), response).ok());
  }
}

// One number from SQL, straight from the server (not through the store under test).
long long CountRows(std::string const& url, std::string const& sql) {
  std::unique_ptr<PGconn, decltype(&PQfinish)> connection(PQconnectdb(url.c_str()), &PQfinish);
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(connection.get(), sql.c_str()),
                                                       &PQclear);
  REQUIRE(PQresultStatus(result.get()) == PGRES_TUPLES_OK);
  return std::atoll(PQgetvalue(result.get(), 0, 0));
}

// Every order PAID once: state, version (created 1, prepay 2, paid 3), exactly one callback
// history entry carrying its event id; and one ledger_notifications row per event.
void CheckPaidOnce(Ledger& ledger, std::string const& url, int count, std::string const& prefix) {
  int not_paid = 0, wrong_version = 0, wrong_history = 0;
  for (int n = 0; n < count; ++n) {
    auto order = ledger.GetOrder(OrderNo(n));
    REQUIRE(order.ok());
    REQUIRE(order->has_value());
    if ((*order)->state != LedgerOrderState::kPaid) ++not_paid;
    if ((*order)->version != 3) ++wrong_version;
    auto history = ledger.History(OrderNo(n));
    REQUIRE(history.ok());
    int callbacks = 0;
    for (auto const& entry : *history) {
      if (entry.source != LedgerSource::kCallback) continue;
      ++callbacks;
      if (entry.notification_id != prefix + std::to_string(n)) ++wrong_history;
    }
    if (callbacks != 1) ++wrong_history;
  }
  CHECK(not_paid == 0);
  CHECK(wrong_version == 0);
  CHECK(wrong_history == 0);
  CHECK(CountRows(url, "SELECT count(*) FROM ledger_notifications") == count);
}

// Two threads meet here before each delivery, so that both deliveries start together.
class Rendezvous {
 public:
  void Meet() {
    std::unique_lock<std::mutex> lock(mutex_);
    auto const generation = generation_;
    if (++waiting_ == 2) {
      waiting_ = 0;
      ++generation_;
      ready_.notify_all();
      return;
    }
    ready_.wait(lock, [&] { return generation_ != generation; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  int waiting_ = 0;
  long long generation_ = 0;
};

TEST_CASE(
    "Ledger handler on PostgreSQL: two instances get the same callback at the same moment, "
    "1000 times: each payment applied once, both answered 2xx",
    "[ledger][postgres]") {
  PostgresTestDatabase database;
  std::string const url = database.url();
  Instance a(url);
  Instance b(url);
  constexpr int kPayments = 1000;
  CreateOrders(*a.ledger, kPayments);
  auto const callbacks = Callbacks(kPayments, "EV-PG-TWO-");

  struct Tally {
    int processed = 0, duplicate = 0, not_success = 0;
    std::vector<std::string> failures;  // reported after the joins: Catch is not thread-safe
  };
  Rendezvous rendezvous;
  auto deliver_all = [&](Instance& instance, Tally& tally) {
    for (auto const& callback : callbacks) {
      rendezvous.Meet();
      auto result = instance.handler->Handle(callback.headers, callback.body);
      if (!result.answer.success()) {
        ++tally.not_success;
        tally.failures.push_back(result.status.ToString());
      }
      if (result.outcome == NotificationOutcome::kProcessed) ++tally.processed;
      if (result.outcome == NotificationOutcome::kDuplicate) ++tally.duplicate;
    }
  };
  Tally on_a, on_b;
  auto const start = std::chrono::steady_clock::now();
  std::thread thread_a(deliver_all, std::ref(a), std::ref(on_a));
  std::thread thread_b(deliver_all, std::ref(b), std::ref(on_b));
  thread_a.join();
  thread_b.join();
  for (auto const* tally : {&on_a, &on_b}) {
    for (auto const& failure : tally->failures) UNSCOPED_INFO(failure);
  }
  auto const took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  std::printf(
      "postgres handler, two instances: %d payments x 2 deliveries in %lld ms; A processed %d "
      "duplicate %d, B processed %d duplicate %d, not 2xx %d\n",
      kPayments, static_cast<long long>(took.count()), on_a.processed, on_a.duplicate,
      on_b.processed, on_b.duplicate, on_a.not_success + on_b.not_success);
  CHECK(on_a.not_success + on_b.not_success == 0);
  // Each payment: one delivery applied it, the other saw it done.
  CHECK(on_a.processed + on_b.processed == kPayments);
  CHECK(on_a.duplicate + on_b.duplicate == kPayments);
  // Both instances won some races (otherwise the deliveries were not concurrent).
  CHECK(on_a.processed > 0);
  CHECK(on_b.processed > 0);
  CheckPaidOnce(*b.ledger, url, kPayments, "EV-PG-TWO-");
}

TEST_CASE(
    "Ledger handler on PostgreSQL: the server stopped mid-traffic: callbacks answered 5xx, "
    "nothing applied half, the redeliveries apply everything once",
    "[ledger][postgres]") {
  auto& server = PostgresServer::Shared();
  PostgresTestDatabase database;
  std::string const url = database.url();
  PostgresLedgerStoreOptions options;
  options.connect_timeout = std::chrono::seconds(2);
  options.statement_timeout = std::chrono::seconds(5);
  Instance instance(url, options);
  constexpr int kPayments = 400;
  CreateOrders(*instance.ledger, kPayments);
  auto const callbacks = Callbacks(kPayments, "EV-PG-FAULT-");

  // WeChat's first delivery of each callback, one after another, while the server is stopped
  // and started again underneath.
  std::atomic<int> answered_2xx{0};
  std::atomic<int> answered_5xx{0};
  std::atomic<int> answered_other{0};
  std::atomic<bool> stopped{false};
  std::atomic<int> while_stopped{0};
  std::atomic<int> success_while_stopped{0};
  std::atomic<bool> restarted{false};
  std::atomic<int> failed_after_restart{0};
  std::atomic<int> success_after_restart{0};
  std::string first_after_restart;
  std::vector<int> failed;
  std::vector<std::string> other_answers;  // read after the join: Catch is not thread-safe
  std::thread wechat([&] {
    for (int n = 0; n < kPayments; ++n) {
      bool const down = stopped;
      auto result = instance.handler->Handle(callbacks[n].headers, callbacks[n].body);
      int const code = result.answer.status_code;
      if (result.answer.success()) {
        ++answered_2xx;
        if (down && stopped) ++success_while_stopped;
      } else if (code >= 500 && code <= 599) {
        ++answered_5xx;
        failed.push_back(n);
        if (restarted) {
          if (failed_after_restart++ == 0) first_after_restart = result.status.ToString();
        }
      } else {
        ++answered_other;
        other_answers.push_back(std::to_string(code) + " " + result.status.ToString());
      }
      if (down && stopped) ++while_stopped;
      if (restarted && result.answer.success()) ++success_after_restart;
      // Callbacks arrive over time, not in a burst: the stop and the restart fall among them.
      std::this_thread::sleep_for(std::chrono::milliseconds(4));
    }
  });
  while (answered_2xx < kPayments / 4) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  server.Stop();
  stopped = true;  // set after the stop and cleared before the start: surely down meanwhile
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  stopped = false;
  server.Start();
  restarted = true;
  wechat.join();

  std::printf(
      "postgres handler, server stopped mid-traffic: %d callbacks: %d answered 2xx, %d 5xx "
      "(%d delivered while stopped, %d after the restart), %d other; after the restart %d "
      "answered 2xx\n",
      kPayments, answered_2xx.load(), answered_5xx.load(), while_stopped.load(),
      failed_after_restart.load(), answered_other.load(), success_after_restart.load());
  INFO("first failure after the restart: " << first_after_restart);
  for (auto const& answer : other_answers) UNSCOPED_INFO(answer);
  CHECK(answered_other == 0);
  CHECK(answered_5xx > 0);
  CHECK(success_while_stopped == 0);
  CHECK(while_stopped > 0);  // callbacks did arrive while the server was down
  // The store reconnects by itself: at most a call under way at the restart fails after it,
  // and traffic goes on.
  CHECK(failed_after_restart <= 1);
  CHECK(success_after_restart > 0);
  CHECK(answered_2xx + answered_5xx == kPayments);

  // Nothing half: before any redelivery, each order is either fully paid (state, callback
  // history entry, notification row) or untouched (none of them).
  int half = 0, paid_before = 0;
  for (int n = 0; n < kPayments; ++n) {
    auto order = instance.ledger->GetOrder(OrderNo(n));
    REQUIRE(order.ok());
    REQUIRE(order->has_value());
    auto history = instance.ledger->History(OrderNo(n));
    REQUIRE(history.ok());
    bool has_callback_entry = false;
    for (auto const& entry : *history) {
      has_callback_entry = has_callback_entry || entry.source == LedgerSource::kCallback;
    }
    auto processed = instance.store->IsNotificationProcessed("EV-PG-FAULT-" + std::to_string(n));
    REQUIRE(processed.ok());
    bool const paid = (*order)->state == LedgerOrderState::kPaid;
    if (paid != has_callback_entry || paid != *processed) ++half;
    paid_before += paid ? 1 : 0;
  }
  CHECK(half == 0);
  CHECK(paid_before >= answered_2xx);  // a commit whose answer was lost with the connection
  CHECK(paid_before < kPayments);

  // WeChat redelivers what was not answered 2xx: the same signed bodies.
  int redelivered_ok = 0;
  for (int n : failed) {
    auto result = instance.handler->Handle(callbacks[n].headers, callbacks[n].body);
    INFO(result.status.ToString());
    CHECK(result.answer.success());
    redelivered_ok += result.answer.success() ? 1 : 0;
  }
  CHECK(redelivered_ok == static_cast<int>(failed.size()));
  CheckPaidOnce(*instance.ledger, url, kPayments, "EV-PG-FAULT-");
}

TEST_CASE(
    "Ledger handler on PostgreSQL: the receiver killed at random points during 1000 callbacks "
    "from the sandbox: none lost, none applied twice, none stuck",
    "[ledger][postgres]") {
  PostgresTestDatabase database;
  std::string const url = database.url();
  testing::RunCrashDelivery(
      url, [&url] { return CountRows(url, "SELECT count(*) FROM ledger_notifications"); },
      "postgres");
}

}  // namespace
}  // namespace wechatpay
