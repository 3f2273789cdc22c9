// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// PostgresLedgerStore beyond the contract suite, on the real server of
// tests/ledger/support/postgres_server: two stores (two pools, as two instances would have)
// applying the same notifications at the same moment, events crossing from one store to the
// other (latency printed), the server stopped in the middle of traffic and started again, the
// bounded wait on a locked row, schema versions, and the password kept out of every message.

#include <libpq-fe.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "ledger/support/postgres_server.hpp"
#include "wechatpay/ledger/open.hpp"
#include "wechatpay/ledger/postgres_store.hpp"

namespace wechatpay {
namespace {

using testing::PostgresServer;
using testing::PostgresTestDatabase;
using Clock = std::chrono::steady_clock;

std::unique_ptr<PostgresLedgerStore> OpenStore(std::string const& url,
                                               PostgresLedgerStoreOptions options = {}) {
  auto store = PostgresLedgerStore::Open(url, options);
  INFO((store.ok() ? std::string() : store.status().ToString()));
  REQUIRE(store.ok());
  return std::move(*store);
}

// A mutation standing for "apply this notification": the order's version goes up by one and
// the history gets one entry naming the notification, so that the final version counts how
// many times a notification was applied.
LedgerMutation Apply(std::string const& out_trade_no, std::string const& notification_id) {
  return [out_trade_no, notification_id](LedgerRows const& rows) -> StatusOr<LedgerChange> {
    LedgerChange change;
    OrderRecord order;
    if (rows.order) {
      order = *rows.order;
    } else {
      order.out_trade_no = out_trade_no;
      order.total_fen = 100;
      order.state = LedgerOrderState::kNotPaid;
      order.created_at = 1000;
    }
    std::string const from(rows.order ? LedgerOrderStateName(order.state) : "");
    order.version += 1;
    order.updated_at = 1000 + order.version;
    change.order = order;
    HistoryEntry entry;
    entry.source = LedgerSource::kCallback;
    entry.from_state = from;
    entry.to_state = std::string(LedgerOrderStateName(order.state));
    entry.notification_id = notification_id;
    entry.detail = "applied";
    change.history.push_back(entry);
    return change;
  };
}

// Both threads wait here until both have arrived, then go at the same moment.
class Barrier {
 public:
  explicit Barrier(int parties) : parties_(parties) {}
  void Wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    auto const generation = generation_;
    if (++arrived_ == parties_) {
      arrived_ = 0;
      ++generation_;
      all_.notify_all();
      return;
    }
    all_.wait(lock, [&] { return generation != generation_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable all_;
  int const parties_;
  int arrived_ = 0;
  long generation_ = 0;
};

TEST_CASE("PostgreSQL: two stores apply the same notification at the same moment exactly once",
          "[ledger][postgres]") {
  PostgresTestDatabase database;
  auto a = OpenStore(database.url());
  auto b = OpenStore(database.url());
  int const kRounds = 1000;
  // Four orders, so that rounds on different orders overlap too.
  auto order_of = [](int round) { return "pg-dup-" + std::to_string(round % 4); };
  Barrier barrier(2);
  std::atomic<int> applied_by_a{0}, applied_by_b{0}, duplicates{0}, errors{0};
  std::vector<int> applied_per_round(kRounds, 0);
  std::mutex mutex;
  auto deliver = [&](PostgresLedgerStore& store, std::atomic<int>& applied) {
    for (int round = 0; round < kRounds; ++round) {
      std::string const id = "notification-" + std::to_string(round);
      barrier.Wait();
      auto result = store.Mutate(order_of(round), id, Apply(order_of(round), id));
      if (!result.ok()) {
        ++errors;
        continue;
      }
      if (result->duplicate_notification) {
        ++duplicates;
      } else {
        ++applied;
        std::lock_guard<std::mutex> lock(mutex);
        ++applied_per_round[round];
      }
    }
  };
  auto const start = Clock::now();
  std::thread thread_a(deliver, std::ref(*a), std::ref(applied_by_a));
  std::thread thread_b(deliver, std::ref(*b), std::ref(applied_by_b));
  thread_a.join();
  thread_b.join();
  auto const elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  std::printf(
      "postgres: %d notifications delivered twice at once in %lld ms; applied by A %d, "
      "by B %d\n",
      kRounds, static_cast<long long>(elapsed.count()), applied_by_a.load(), applied_by_b.load());

  CHECK(errors == 0);
  CHECK(applied_by_a + applied_by_b == kRounds);
  CHECK(duplicates == kRounds);
  CHECK(std::count(applied_per_round.begin(), applied_per_round.end(), 1) == kRounds);
  // Both instances won some rounds: the race was real.
  CHECK(applied_by_a > 0);
  CHECK(applied_by_b > 0);
  std::set<std::string> seen;
  for (int i = 0; i < 4; ++i) {
    std::string const order = "pg-dup-" + std::to_string(i);
    auto rows = a->Get(order);
    REQUIRE(rows.ok());
    REQUIRE(rows->order);
    CHECK(rows->order->version == kRounds / 4);
    auto history = b->History(order);
    REQUIRE(history.ok());
    CHECK(history->size() == static_cast<std::size_t>(kRounds / 4));
    for (std::size_t k = 0; k < history->size(); ++k) {
      CHECK((*history)[k].seq == static_cast<std::int64_t>(k + 1));
      seen.insert((*history)[k].notification_id);
    }
  }
  CHECK(seen.size() == static_cast<std::size_t>(kRounds));
  auto processed = b->IsNotificationProcessed("notification-999");
  REQUIRE(processed.ok());
  CHECK(*processed);
}

TEST_CASE("PostgreSQL: a change committed on one store reaches a subscriber of another",
          "[ledger][postgres]") {
  PostgresTestDatabase database;
  auto a = OpenStore(database.url());
  auto b = OpenStore(database.url());
  int const kEvents = 200;
  std::mutex mutex;
  std::condition_variable arrived;
  std::map<std::int64_t, Clock::time_point> received;  // version -> when B heard of it
  auto subscription = b->Subscribe([&](LedgerEvent const& event) {
    auto const now = Clock::now();
    std::lock_guard<std::mutex> lock(mutex);
    if (event.out_trade_no == "pg-event") received.emplace(event.version, now);
    arrived.notify_all();
  });
  REQUIRE(subscription.ok());

  std::vector<std::chrono::microseconds> latencies;
  for (int i = 1; i <= kEvents; ++i) {
    auto const committed_before = Clock::now();
    auto result = a->Mutate("pg-event", "", Apply("pg-event", ""));
    REQUIRE(result.ok());
    REQUIRE(result->rows.order->version == i);
    // From A's commit to B's callback (the commit happens just before Mutate returns; taking
    // the time before the call makes the figure an upper bound).
    std::unique_lock<std::mutex> lock(mutex);
    REQUIRE(
        arrived.wait_for(lock, std::chrono::seconds(10), [&] { return received.count(i) == 1; }));
    latencies.push_back(
        std::chrono::duration_cast<std::chrono::microseconds>(received[i] - committed_before));
  }
  std::sort(latencies.begin(), latencies.end());
  auto const p50 = latencies[latencies.size() / 2];
  auto const p99 = latencies[latencies.size() * 99 / 100];
  std::printf(
      "postgres: event from store A to a subscriber of store B over %d events: "
      "p50 %.2f ms, p99 %.2f ms (Mutate on A included)\n",
      kEvents, p50.count() / 1000.0, p99.count() / 1000.0);
  CHECK(received.size() == static_cast<std::size_t>(kEvents));
  // A sanity bound only (the machine is shared): the issue's target is 100 ms.
  CHECK(p99 < std::chrono::seconds(2));
  std::lock_guard<std::mutex> lock(mutex);
  auto const last = received.rbegin();
  CHECK(last->first == kEvents);
}

TEST_CASE(
    "PostgreSQL: the server stopped mid-traffic: kUnavailable, nothing half-applied, "
    "and after a restart the same store works again",
    "[ledger][postgres]") {
  auto& server = PostgresServer::Shared();
  PostgresTestDatabase database;
  PostgresLedgerStoreOptions options;
  options.connect_timeout = std::chrono::seconds(2);
  options.statement_timeout = std::chrono::seconds(5);
  options.pool_size = 4;
  auto store = OpenStore(database.url(), options);
  std::atomic<int> event_count{0};
  auto subscription = store->Subscribe([&](LedgerEvent const&) { ++event_count; });
  REQUIRE(subscription.ok());

  int const kThreads = 4;
  int const kPerThread = 150;
  std::atomic<bool> restarted{false};
  std::atomic<int> failed_after_restart{0};
  std::atomic<int> ok_count{0}, unavailable{0}, other_errors{0};
  std::atomic<long long> slowest_failure_ms{0};
  std::vector<std::vector<std::string>> failed(kThreads);
  // Catch's assertions and messages are not thread-safe: the workers collect, the test reports.
  std::mutex other_mutex;
  std::vector<std::string> other_messages;
  auto traffic = [&](int thread) {
    for (int i = 0; i < kPerThread; ++i) {
      std::string const id = "n-" + std::to_string(thread) + "-" + std::to_string(i);
      std::string const order = "pg-fault-" + std::to_string(thread);
      auto const start = Clock::now();
      auto result = store->Mutate(order, id, Apply(order, id));
      auto const took =
          std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
      if (result.ok()) {
        ++ok_count;
        continue;
      }
      failed[thread].push_back(id);
      if (result.status().code() == StatusCode::kUnavailable) {
        ++unavailable;
        if (took > slowest_failure_ms) slowest_failure_ms = took;
      } else {
        ++other_errors;
        std::lock_guard<std::mutex> lock(other_mutex);
        other_messages.push_back(result.status().ToString());
      }
      if (restarted) ++failed_after_restart;
      // While the server is down, deliveries keep coming (WeChat redelivers) but not in a spin.
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back(traffic, t);
  // Let some traffic through, then stop the server under it.
  while (ok_count < 100) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  server.Stop();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  server.Start();
  restarted = true;
  for (auto& thread : threads) thread.join();
  std::printf(
      "postgres: fault run: %d applied, %d unavailable (slowest failure %lld ms, %d "
      "after the restart), %d other errors\n",
      ok_count.load(), unavailable.load(), slowest_failure_ms.load(), failed_after_restart.load(),
      other_errors.load());
  for (auto const& message : other_messages) UNSCOPED_INFO(message);
  CHECK(other_errors == 0);
  // The pool reconnects by itself: at most the calls already under way at the restart fail.
  CHECK(failed_after_restart <= kThreads);
  // Traffic went on after the restart.
  CHECK(ok_count > 100 + kThreads);
  CHECK(unavailable > 0);
  // A failure is answered quickly, not after a hang.
  CHECK(slowest_failure_ms < 10000);

  // Nothing half-applied: for every order, its version is the number of its notifications
  // recorded as processed, and its history has exactly one entry per processed notification.
  for (int t = 0; t < kThreads; ++t) {
    std::string const order = "pg-fault-" + std::to_string(t);
    int processed = 0;
    for (int i = 0; i < kPerThread; ++i) {
      auto seen =
          store->IsNotificationProcessed("n-" + std::to_string(t) + "-" + std::to_string(i));
      REQUIRE(seen.ok());
      if (*seen) ++processed;
    }
    auto rows = store->Get(order);
    REQUIRE(rows.ok());
    REQUIRE(rows->order);
    CHECK(rows->order->version == processed);
    auto history = store->History(order);
    REQUIRE(history.ok());
    CHECK(history->size() == static_cast<std::size_t>(processed));
  }
  // WeChat redelivers what was answered 5xx: each is applied once (a commit whose answer was
  // lost is found as a duplicate), and every order ends with all its notifications applied.
  for (int t = 0; t < kThreads; ++t) {
    std::string const order = "pg-fault-" + std::to_string(t);
    for (auto const& id : failed[t]) {
      auto result = store->Mutate(order, id, Apply(order, id));
      INFO((result.ok() ? "" : result.status().ToString()));
      REQUIRE(result.ok());
    }
    auto rows = store->Get(order);
    REQUIRE(rows.ok());
    CHECK(rows->order->version == kPerThread);
  }
  // The LISTEN connection came back too (it retries with backoff of at most 5 s).
  int const before = event_count;
  auto const deadline = Clock::now() + std::chrono::seconds(15);
  while (event_count == before && Clock::now() < deadline) {
    REQUIRE(store->Mutate("pg-fault-after", "", Apply("pg-fault-after", "")).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  CHECK(event_count > before);
}

TEST_CASE(
    "PostgreSQL: the first call after a server restart succeeds on a pool of stale "
    "connections",
    "[ledger][postgres]") {
  auto& server = PostgresServer::Shared();
  PostgresTestDatabase database;
  auto store = OpenStore(database.url());
  // Fill the pool with idle connections.
  REQUIRE(store->Mutate("pg-restart", "first", Apply("pg-restart", "first")).ok());
  server.Stop();
  server.Start();
  auto read = store->Get("pg-restart");
  INFO((read.ok() ? "" : read.status().ToString()));
  REQUIRE(read.ok());
  CHECK(read->order->version == 1);
  server.Stop();
  server.Start();
  auto written = store->Mutate("pg-restart", "second", Apply("pg-restart", "second"));
  INFO((written.ok() ? "" : written.status().ToString()));
  REQUIRE(written.ok());
  CHECK(written->rows.order->version == 2);
}

TEST_CASE("PostgreSQL: a row lock held elsewhere bounds Mutate by statement_timeout",
          "[ledger][postgres]") {
  PostgresTestDatabase database;
  PostgresLedgerStoreOptions options;
  options.statement_timeout = std::chrono::milliseconds(300);
  auto store = OpenStore(database.url(), options);
  REQUIRE(store->Mutate("pg-locked", "", Apply("pg-locked", "")).ok());
  // Another client holds the order's row lock and does not let go.
  std::unique_ptr<PGconn, decltype(&PQfinish)> other(PQconnectdb(database.url().c_str()),
                                                     &PQfinish);
  REQUIRE(PQstatus(other.get()) == CONNECTION_OK);
  PQclear(PQexec(other.get(), "BEGIN"));
  PQclear(PQexec(other.get(),
                 "SELECT * FROM ledger_orders WHERE out_trade_no = 'pg-locked' FOR UPDATE"));
  auto const start = Clock::now();
  auto result = store->Mutate("pg-locked", "n-locked", Apply("pg-locked", "n-locked"));
  auto const took = Clock::now() - start;
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == StatusCode::kUnavailable);
  CHECK(result.status().message().find("statement_timeout") != std::string::npos);
  CHECK(took < std::chrono::seconds(3));
  // Nothing was written: the notification is not recorded, so the redelivery applies it.
  PQclear(PQexec(other.get(), "ROLLBACK"));
  auto processed = store->IsNotificationProcessed("n-locked");
  REQUIRE(processed.ok());
  CHECK_FALSE(*processed);
  auto retried = store->Mutate("pg-locked", "n-locked", Apply("pg-locked", "n-locked"));
  REQUIRE(retried.ok());
  CHECK_FALSE(retried->duplicate_notification);
  CHECK(retried->rows.order->version == 2);
}

TEST_CASE("PostgreSQL: two instances leasing at once never lease the same order",
          "[ledger][postgres]") {
  PostgresTestDatabase database;
  auto a = OpenStore(database.url());
  auto b = OpenStore(database.url());
  int const kOrders = 60;
  for (int i = 0; i < kOrders; ++i) {
    std::string const order = "pg-due-" + std::to_string(i);
    auto created = a->Mutate(order, "", [order](LedgerRows const&) -> StatusOr<LedgerChange> {
      LedgerChange change;
      OrderRecord record;
      record.out_trade_no = order;
      record.state = LedgerOrderState::kNotPaid;
      record.version = 1;
      record.next_check_at = 500;
      change.order = record;
      return change;
    });
    REQUIRE(created.ok());
  }
  // Three instances (two stores, one of them used from two threads under two owner names)
  // lease in rounds at the same moment; an order may be leased again by its own owner, never
  // by another while the lease lasts.
  // What the leasing threads saw, checked once they are done (Catch is not thread-safe).
  std::mutex mutex;
  std::map<std::string, std::set<std::string>> owners_of;
  std::vector<std::string> wrong;
  Barrier barrier(3);
  auto lease = [&](PostgresLedgerStore& store, std::string const& owner) {
    for (int round = 0; round < 20; ++round) {
      barrier.Wait();
      auto got = store.LeaseDue(owner, 1000 + round, 60000, 7);
      std::lock_guard<std::mutex> lock(mutex);
      if (!got.ok()) {
        wrong.push_back(owner + ": " + got.status().ToString());
        continue;
      }
      for (auto const& order : *got) {
        if (order.lease_owner != owner || order.lease_until != 61000 + round) {
          wrong.push_back(owner + " got " + order.out_trade_no + " leased to " + order.lease_owner +
                          " until " + std::to_string(order.lease_until));
        }
        owners_of[order.out_trade_no].insert(owner);
      }
    }
  };
  std::thread one(lease, std::ref(*a), "instance-a");
  std::thread two(lease, std::ref(*b), "instance-b");
  lease(*a, "instance-c");
  one.join();
  two.join();
  for (auto const& line : wrong) UNSCOPED_INFO(line);
  CHECK(wrong.empty());
  // Each took its 7, and nobody took another's.
  CHECK(owners_of.size() == 21);
  for (auto const& [order, owners] : owners_of) {
    INFO(order);
    CHECK(owners.size() == 1);
  }
  // Once the leases have run out, another owner takes them.
  auto later = b->LeaseDue("instance-d", 100000, 1000, 100);
  REQUIRE(later.ok());
  CHECK(later->size() == static_cast<std::size_t>(kOrders));
}

TEST_CASE(
    "PostgreSQL: two stores opening a new database at once both migrate it; a newer "
    "schema is refused naming both versions",
    "[ledger][postgres]") {
  PostgresTestDatabase database;
  std::vector<StatusOr<std::unique_ptr<PostgresLedgerStore>>> opened;
  std::mutex mutex;
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto store = PostgresLedgerStore::Open(database.url());
      std::lock_guard<std::mutex> lock(mutex);
      opened.push_back(std::move(store));
    });
  }
  for (auto& thread : threads) thread.join();
  for (auto const& store : opened) {
    INFO((store.ok() ? "" : store.status().ToString()));
    CHECK(store.ok());
  }
  opened.clear();

  std::unique_ptr<PGconn, decltype(&PQfinish)> admin(PQconnectdb(database.url().c_str()),
                                                     &PQfinish);
  REQUIRE(PQstatus(admin.get()) == CONNECTION_OK);
  // Once the schema exists, a role that may only read and write the tables (no CREATE) opens
  // the store and uses it.
  auto& server = PostgresServer::Shared();
  std::string const role = "rw_" + database.name();
  for (std::string const& sql :
       {"CREATE ROLE " + role + " LOGIN PASSWORD '" + server.password() + "'",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + role}) {
    std::unique_ptr<PGresult, decltype(&PQclear)> done(PQexec(admin.get(), sql.c_str()), &PQclear);
    REQUIRE(PQresultStatus(done.get()) == PGRES_COMMAND_OK);
  }
  {
    std::string const url = "postgresql://" + role + ":" + server.password() +
                            "@127.0.0.1:" + std::to_string(server.port()) + "/" + database.name();
    auto limited = PostgresLedgerStore::Open(url);
    INFO((limited.ok() ? "" : limited.status().ToString()));
    REQUIRE(limited.ok());
    auto written = (*limited)->Mutate("pg-limited", "n-limited", Apply("pg-limited", "n-limited"));
    INFO((written.ok() ? "" : written.status().ToString()));
    CHECK(written.ok());
  }
  PQclear(PQexec(admin.get(), ("DROP OWNED BY " + role).c_str()));
  PQclear(PQexec(admin.get(), "UPDATE ledger_schema_version SET version = 7"));
  auto refused = PostgresLedgerStore::Open(database.url());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == StatusCode::kConfiguration);
  CHECK(refused.status().message().find("version 7") != std::string::npos);
  CHECK(refused.status().message().find("version 1") != std::string::npos);
}

// Issue 18: a login the server refuses is a configuration error (the URL must change), not
// kUnavailable ("retry later"), which would have WeChat's callbacks answered 5xx forever and
// an operator waiting for a database that is up.
TEST_CASE("PostgreSQL: a refused login is kConfiguration naming the ledger, not kUnavailable",
          "[ledger][postgres]") {
  auto& server = PostgresServer::Shared();
  PostgresTestDatabase database;
  std::unique_ptr<PGconn, decltype(&PQfinish)> admin(PQconnectdb(database.url().c_str()),
                                                     &PQfinish);
  REQUIRE(PQstatus(admin.get()) == CONNECTION_OK);
  // A role of its own, with its own password (not the test superuser's).
  std::string const role = "login_" + database.name();
  std::string const password = "R1ght-" + database.name() + "-pass";
  for (std::string const& sql : {"CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'",
                                 "GRANT ALL ON SCHEMA public TO " + role}) {
    std::unique_ptr<PGresult, decltype(&PQclear)> done(PQexec(admin.get(), sql.c_str()), &PQclear);
    REQUIRE(PQresultStatus(done.get()) == PGRES_COMMAND_OK);
  }
  std::string const at = "@127.0.0.1:" + std::to_string(server.port()) + "/" + database.name();
  std::string const wrong = "Wr0ng-" + database.name() + "-pass";

  // The right password opens the store: the role and its password are what the test thinks.
  auto right = PostgresLedgerStore::Open("postgresql://" + role + ":" + password + at);
  INFO((right.ok() ? std::string() : right.status().ToString()));
  REQUIRE(right.ok());

  auto refused_login = [&](Status const& status) {
    INFO(status.ToString());
    CHECK(status.code() == StatusCode::kConfiguration);
    CHECK(status.info().field == "ledger");
    CHECK(status.message().find("refused the login") != std::string::npos);
    CHECK(status.message().find("password authentication failed") != std::string::npos);
    CHECK(status.message().find(wrong) == std::string::npos);
    CHECK(status.message().find(":***@") != std::string::npos);
  };
  std::string const wrong_url = "postgresql://" + role + ":" + wrong + at;
  auto opened = PostgresLedgerStore::Open(wrong_url);
  REQUIRE_FALSE(opened.ok());
  refused_login(opened.status());
  // The same through OpenLedgerStore(), which the CLI and the examples use.
  auto named = OpenLedgerStore(wrong_url);
  REQUIRE_FALSE(named.ok());
  refused_login(named.status());

  // No password where the server asks for one (passfile: no ~/.pgpass may supply one).
  auto bare = PostgresLedgerStore::Open("postgresql://" + role + at + "?passfile=/nonexistent");
  REQUIRE_FALSE(bare.ok());
  INFO(bare.status().ToString());
  CHECK(bare.status().code() == StatusCode::kConfiguration);
  CHECK(bare.status().message().find("asks for a password") != std::string::npos);

  // A server that cannot be reached is still kUnavailable: retrying later may work.
  auto unreachable = PostgresLedgerStore::Open("postgresql://" + role + ":" + password +
                                               "@127.0.0.1:1/db?connect_timeout=2");
  REQUIRE_FALSE(unreachable.ok());
  CHECK(unreachable.status().code() == StatusCode::kUnavailable);
}

// The pids of backends waiting for a lock on a database: a connection between its password
// exchange and the end of its start-up waits there while another session renames its database.
std::vector<std::string> BackendsWaitingForDatabase(PGconn* admin) {
  std::unique_ptr<PGresult, decltype(&PQclear)> found(
      PQexec(admin,
             "SELECT pid FROM pg_locks WHERE locktype = 'object' AND NOT granted AND "
             "classid = 'pg_database'::regclass"),
      &PQclear);
  std::vector<std::string> pids;
  if (PQresultStatus(found.get()) != PGRES_TUPLES_OK) return pids;
  for (int i = 0; i < PQntuples(found.get()); ++i) pids.push_back(PQgetvalue(found.get(), i, 0));
  return pids;
}

std::vector<std::string> AwaitBackendsWaitingForDatabase(PGconn* admin) {
  auto const until = Clock::now() + std::chrono::seconds(20);
  auto pids = BackendsWaitingForDatabase(admin);
  while (pids.empty() && Clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    pids = BackendsWaitingForDatabase(admin);
  }
  return pids;
}

TEST_CASE(
    "PostgreSQL: a connection terminated after its password was accepted (a shutdown during the "
    "login) is tried again, not reported as a refused login",
    "[ledger][postgres]") {
  auto& server = PostgresServer::Shared();
  PostgresTestDatabase database;
  // The admin session works from another database: renaming one needs it to have no sessions.
  std::string const admin_db = server.CreateDatabase();
  std::unique_ptr<PGconn, decltype(&PQfinish)> admin(PQconnectdb(server.Url(admin_db).c_str()),
                                                     &PQfinish);
  REQUIRE(PQstatus(admin.get()) == CONNECTION_OK);
  auto exec = [&](std::string const& sql) {
    std::unique_ptr<PGresult, decltype(&PQclear)> done(PQexec(admin.get(), sql.c_str()), &PQclear);
    INFO(sql << ": " << PQresultErrorMessage(done.get()));
    REQUIRE(PQresultStatus(done.get()) == PGRES_COMMAND_OK);
  };
  // The uncommitted rename holds the database's lock: a new connection to it authenticates
  // and then waits, as a backend does that a shutdown terminates in the middle of its login.
  exec("BEGIN");
  exec("ALTER DATABASE " + database.name() + " RENAME TO " + database.name() + "_held");

  std::mutex mutex;
  std::optional<Status> opened;  // set by the opener, read by the test after join
  std::thread opener([&] {
    PostgresLedgerStoreOptions options;
    options.connect_timeout = std::chrono::seconds(20);
    auto store = PostgresLedgerStore::Open(database.url(), options);
    std::lock_guard<std::mutex> lock(mutex);
    opened = store.ok() ? Status() : store.status();
  });
  auto first = AwaitBackendsWaitingForDatabase(admin.get());
  bool terminated = false;
  if (first.size() == 1) {
    std::unique_ptr<PGresult, decltype(&PQclear)> done(
        PQexec(admin.get(), ("SELECT pg_terminate_backend(" + first[0] + ")").c_str()), &PQclear);
    terminated = PQresultStatus(done.get()) == PGRES_TUPLES_OK;
  }
  // The second attempt authenticates again and waits for the same lock; then the rename is
  // undone and it goes through.
  auto const until = Clock::now() + std::chrono::seconds(20);
  std::vector<std::string> second;
  while (Clock::now() < until) {
    second = BackendsWaitingForDatabase(admin.get());
    if (!second.empty() && second != first) break;
    {
      std::lock_guard<std::mutex> lock(mutex);
      if (opened) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  exec("ROLLBACK");
  opener.join();
  CHECK(first.size() == 1);
  CHECK(terminated);
  REQUIRE(opened);
  INFO(opened->ToString());
  CHECK(opened->ok());
  CHECK(second.size() == 1);
  admin.reset();
  server.DropDatabase(admin_db);
}

// True when `text` holds any 8-byte piece of `secret` (a message must not quote even part of it).
bool QuotesPartOf(std::string const& text, std::string const& secret) {
  for (std::size_t i = 0; i + 8 <= secret.size(); ++i) {
    if (text.find(secret.substr(i, 8)) != std::string::npos) return true;
  }
  return false;
}

TEST_CASE("PostgreSQL: the password never appears in a Status message", "[ledger][postgres]") {
  auto& server = PostgresServer::Shared();
  PostgresTestDatabase database;
  std::string const wrong = "Wr0ngPassw0rd-c0ffee";

  SECTION("a wrong password") {
    auto store = PostgresLedgerStore::Open(server.UrlWithPassword(database.name(), wrong));
    REQUIRE_FALSE(store.ok());
    CHECK(store.status().code() == StatusCode::kConfiguration);
    INFO(store.status().ToString());
    CHECK(store.status().message().find("password authentication failed") != std::string::npos);
    CHECK_FALSE(QuotesPartOf(store.status().ToString(), wrong));
    CHECK(store.status().message().find(":***@") != std::string::npos);
  }
  SECTION("a URL libpq cannot read, with the password in it") {
    // A bad percent-escape inside the password: libpq's own message quotes that part.
    auto store =
        PostgresLedgerStore::Open("postgresql://wechatpay_test:" + wrong + "%zz@127.0.0.1:1/db");
    REQUIRE_FALSE(store.ok());
    CHECK(store.status().code() == StatusCode::kInvalidArgument);
    CHECK(store.status().info().field == "ledger");
    INFO(store.status().ToString());
    CHECK_FALSE(QuotesPartOf(store.status().ToString(), wrong));
  }
  SECTION("the password as a query parameter, server unreachable") {
    auto store = PostgresLedgerStore::Open(
        "postgresql://wechatpay_test@127.0.0.1:1/db?password=" + wrong + "&connect_timeout=2");
    REQUIRE_FALSE(store.ok());
    CHECK(store.status().code() == StatusCode::kUnavailable);
    INFO(store.status().ToString());
    CHECK_FALSE(QuotesPartOf(store.status().ToString(), wrong));
    CHECK(store.status().message().find("password=***") != std::string::npos);
  }
  SECTION("the right password, errors while the server is down") {
    auto store = OpenStore(database.url());
    server.Stop();
    auto mutated = store->Mutate("pg-secret", "n", Apply("pg-secret", "n"));
    auto read = store->Get("pg-secret");
    auto subscribed = store->Subscribe([](LedgerEvent const&) {});
    server.Start();
    for (Status const& status : {mutated.status(), read.status(), subscribed.status()}) {
      INFO(status.ToString());
      CHECK(status.code() == StatusCode::kUnavailable);
      CHECK_FALSE(QuotesPartOf(status.ToString(), server.password()));
    }
  }
}

TEST_CASE("PostgreSQL: RedactPostgresUrl hides the password, as every message shows the URL",
          "[ledger][postgres]") {
  CHECK(RedactPostgresUrl("postgresql://u:s3cret@db.example:5432/ledger?sslmode=require") ==
        "postgresql://u:***@db.example:5432/ledger?sslmode=require");
  CHECK(RedactPostgresUrl("postgres://u@h/db?password=s3cret&application_name=x") ==
        "postgres://u@h/db?password=***&application_name=x");
  CHECK(RedactPostgresUrl("postgresql://u@h/db") == "postgresql://u@h/db");
  CHECK(RedactPostgresUrl("postgresql://u:p%40ss@h/db") == "postgresql://u:***@h/db");
}

TEST_CASE("PostgreSQL: OpenLedgerStore opens postgresql:// and postgres:// URLs",
          "[ledger][postgres]") {
  PostgresTestDatabase database;
  std::string const url = database.url();
  for (std::string const& form : {url, "postgres://" + url.substr(url.find("://") + 3)}) {
    auto store = OpenLedgerStore(form);
    INFO((store.ok() ? "" : store.status().ToString()));
    REQUIRE(store.ok());
    CHECK(dynamic_cast<PostgresLedgerStore*>(store->get()) != nullptr);
    REQUIRE((*store)->Mutate("pg-open", "", Apply("pg-open", "")).ok());
  }
  auto rows = PostgresLedgerStore::Open(url).value()->Get("pg-open");
  REQUIRE(rows.ok());
  CHECK(rows->order->version == 2);
}

TEST_CASE("PostgreSQL: a URL that is not postgresql:// is refused naming the field",
          "[ledger][postgres]") {
  auto store = PostgresLedgerStore::Open("host=127.0.0.1 password=x");
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == StatusCode::kInvalidArgument);
  CHECK(store.status().info().field == "ledger");
  auto pool = PostgresLedgerStore::Open(PostgresServer::Shared().Url("postgres"),
                                        PostgresLedgerStoreOptions{0});
  REQUIRE_FALSE(pool.ok());
  CHECK(pool.status().info().field == "pool_size");
}

TEST_CASE("PostgreSQL: subscriptions end cleanly: inside their own callback, and after the store",
          "[ledger][postgres]") {
  PostgresTestDatabase database;
  auto store = OpenStore(database.url());
  std::mutex mutex;
  std::condition_variable done;
  std::unique_ptr<LedgerSubscription> self_ending;
  int self_calls = 0;
  auto subscribed = store->Subscribe([&](LedgerEvent const&) {
    std::lock_guard<std::mutex> lock(mutex);
    ++self_calls;
    self_ending.reset();  // a subscriber may end its subscription from its callback
    done.notify_all();
  });
  REQUIRE(subscribed.ok());
  {
    std::lock_guard<std::mutex> lock(mutex);
    self_ending = std::move(*subscribed);
  }
  std::atomic<int> other_calls{0};
  auto other = store->Subscribe([&](LedgerEvent const&) { ++other_calls; });
  REQUIRE(other.ok());
  REQUIRE(store->Mutate("pg-sub", "", Apply("pg-sub", "")).ok());
  {
    std::unique_lock<std::mutex> lock(mutex);
    REQUIRE(done.wait_for(lock, std::chrono::seconds(10), [&] { return self_calls == 1; }));
  }
  REQUIRE(store->Mutate("pg-sub", "", Apply("pg-sub", "")).ok());
  auto const deadline = Clock::now() + std::chrono::seconds(10);
  while (other_calls < 2 && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  CHECK(other_calls == 2);
  CHECK(self_calls == 1);
  // The store goes first; the subscription that outlived it ends without a crash or a hang.
  store.reset();
  other->reset();
}

TEST_CASE("PostgreSQL: a deadlock is retried (and reported as kAborted when retries are off)",
          "[ledger][postgres]") {
  for (int retries : {5, 0}) {
    INFO("max_conflict_retries " << retries);
    PostgresTestDatabase database;
    PostgresLedgerStoreOptions options;
    options.max_conflict_retries = retries;
    auto store = OpenStore(database.url(), options);
    REQUIRE(store->Mutate("pg-deadlock", "", Apply("pg-deadlock", "")).ok());
    // Another client locks the order; Mutate records notification N and waits for the order;
    // the other client then inserts N too: a cycle, which PostgreSQL breaks (after its
    // deadlock_timeout, 1 s) by aborting the transaction that waited first, Mutate's.
    std::unique_ptr<PGconn, decltype(&PQfinish)> other(PQconnectdb(database.url().c_str()),
                                                       &PQfinish);
    REQUIRE(PQstatus(other.get()) == CONNECTION_OK);
    PQclear(PQexec(other.get(), "BEGIN"));
    PQclear(PQexec(other.get(),
                   "SELECT 1 FROM ledger_orders WHERE out_trade_no = 'pg-deadlock' FOR UPDATE"));
    StatusOr<LedgerMutationResult> result = Status(StatusCode::kInternal, "not run");
    std::thread mutate(
        [&] { result = store->Mutate("pg-deadlock", "N", Apply("pg-deadlock", "N")); });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    REQUIRE(PQsendQuery(other.get(),
                        "INSERT INTO ledger_notifications (id, processed_at, out_trade_no) "
                        "VALUES ('N', 0, 'pg-deadlock')") == 1);
    while (PGresult* done = PQgetResult(other.get())) PQclear(done);
    PQclear(PQexec(other.get(), "ROLLBACK"));
    mutate.join();
    if (retries > 0) {
      INFO((result.ok() ? "" : result.status().ToString()));
      REQUIRE(result.ok());
      CHECK_FALSE(result->duplicate_notification);
      CHECK(result->rows.order->version == 2);
    } else {
      REQUIRE_FALSE(result.ok());
      CHECK(result.status().code() == StatusCode::kAborted);
      CHECK(result.status().message().find("40P01") != std::string::npos);
      auto processed = store->IsNotificationProcessed("N");
      REQUIRE(processed.ok());
      CHECK_FALSE(*processed);
    }
  }
}

TEST_CASE("PostgreSQL: the pool never opens more than pool_size connections",
          "[ledger][postgres]") {
  PostgresTestDatabase database;
  PostgresLedgerStoreOptions options;
  options.pool_size = 2;
  options.pool_wait = std::chrono::milliseconds(300);
  auto store = OpenStore(database.url(), options);
  // Two Mutate()s hold both connections (their mutations wait for the test).
  std::mutex mutex;
  std::condition_variable changed;
  int inside = 0;
  bool release = false;
  auto holding = [&](std::string const& order) {
    return [&, order](LedgerRows const& rows) -> StatusOr<LedgerChange> {
      std::unique_lock<std::mutex> lock(mutex);
      ++inside;
      changed.notify_all();
      changed.wait(lock, [&] { return release; });
      return Apply(order, "")(rows);
    };
  };
  // Checked after the joins: Catch is not thread-safe.
  std::atomic<bool> one_ok{false}, two_ok{false};
  std::thread one([&] { one_ok = store->Mutate("pg-pool-1", "", holding("pg-pool-1")).ok(); });
  std::thread two([&] { two_ok = store->Mutate("pg-pool-2", "", holding("pg-pool-2")).ok(); });
  {
    std::unique_lock<std::mutex> lock(mutex);
    REQUIRE(changed.wait_for(lock, std::chrono::seconds(10), [&] { return inside == 2; }));
  }
  // A third call waits pool_wait for a connection, then gives up.
  auto const start = Clock::now();
  auto third = store->Get("pg-pool-1");
  auto const waited = Clock::now() - start;
  REQUIRE_FALSE(third.ok());
  CHECK(third.status().code() == StatusCode::kUnavailable);
  CHECK(third.status().message().find("pool_size") != std::string::npos);
  CHECK(waited >= std::chrono::milliseconds(250));
  // The server agrees: two connections of the store's.
  std::unique_ptr<PGconn, decltype(&PQfinish)> admin(PQconnectdb(database.url().c_str()),
                                                     &PQfinish);
  REQUIRE(PQstatus(admin.get()) == CONNECTION_OK);
  std::unique_ptr<PGresult, decltype(&PQclear)> count(
      PQexec(admin.get(),
             "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'wechatpay-ledger' "
             "AND datname = current_database()"),
      &PQclear);
  REQUIRE(PQresultStatus(count.get()) == PGRES_TUPLES_OK);
  CHECK(std::string(PQgetvalue(count.get(), 0, 0)) == "2");
  {
    std::lock_guard<std::mutex> lock(mutex);
    release = true;
  }
  changed.notify_all();
  one.join();
  two.join();
  CHECK(one_ok);
  CHECK(two_ok);
  // A connection came back: the next call gets it.
  auto after = store->Get("pg-pool-1");
  REQUIRE(after.ok());
  CHECK(after->order->version == 1);
}

TEST_CASE(
    "PostgreSQL: a write the server refuses after others in the same round trip applies nothing, "
    "and the connection serves the next Mutate",
    "[ledger][postgres]") {
  PostgresTestDatabase database;
  PostgresLedgerStoreOptions options;
  options.pool_size = 1;  // the failed transaction's connection serves the next call
  auto store = OpenStore(database.url(), options);
  REQUIRE(store->Mutate("pg-refused", "n-1", Apply("pg-refused", "n-1")).ok());
  // The order's update and the history entry go to the server together with COMMIT; the
  // history's detail is not UTF-8, which the server refuses after it has updated the order.
  auto refused =
      store->Mutate("pg-refused", "n-2", [](LedgerRows const& rows) -> StatusOr<LedgerChange> {
        auto change = Apply("pg-refused", "n-2")(rows);
        if (change.ok()) change->history[0].detail = "not UTF-8: \xff\xfe";
        return change;
      });
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == StatusCode::kInvalidArgument);
  auto rows = store->Get("pg-refused");
  REQUIRE(rows.ok());
  REQUIRE(rows->order);
  CHECK(rows->order->version == 1);  // the update before the refused insert rolled back
  auto processed = store->IsNotificationProcessed("n-2");
  REQUIRE(processed.ok());
  CHECK_FALSE(*processed);
  auto next = store->Mutate("pg-refused", "n-2", Apply("pg-refused", "n-2"));
  INFO((next.ok() ? std::string() : next.status().ToString()));
  REQUIRE(next.ok());
  REQUIRE(next->rows.order);
  CHECK(next->rows.order->version == 2);
  auto history = store->History("pg-refused");
  REQUIRE(history.ok());
  REQUIRE(history->size() == 2);
  CHECK((*history)[1].seq == 2);
  CHECK((*history)[1].detail == "applied");
}

TEST_CASE("PostgreSQL: a mutation's own kAborted is returned at once, not retried as a conflict",
          "[ledger][postgres]") {
  PostgresTestDatabase database;
  auto store = OpenStore(database.url());
  int runs = 0;
  auto result = store->Mutate("pg-aborted", "n-aborted",
                              [&runs](LedgerRows const&) -> StatusOr<LedgerChange> {
                                ++runs;
                                return Status(StatusCode::kAborted, "the application gave up");
                              });
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == StatusCode::kAborted);
  CHECK(result.status().message() == "the application gave up");
  CHECK(runs == 1);
  auto processed = store->IsNotificationProcessed("n-aborted");
  REQUIRE(processed.ok());
  CHECK_FALSE(*processed);
}

TEST_CASE(
    "PostgreSQL: one connection serves Mutate after a rollback, a duplicate and a failed "
    "mutation (its prepared statements outlive them), history seq in order",
    "[ledger][postgres]") {
  PostgresTestDatabase database;
  PostgresLedgerStoreOptions options;
  options.pool_size = 1;  // every call below runs on the same connection
  auto store = OpenStore(database.url(), options);
  auto first = store->Mutate("pg-one-conn", "n-1", Apply("pg-one-conn", "n-1"));
  REQUIRE(first.ok());
  auto failed =
      store->Mutate("pg-one-conn", "n-2", [](LedgerRows const&) -> StatusOr<LedgerChange> {
        return Status(StatusCode::kInvalidArgument, "refused by the application");
      });
  CHECK(failed.status().code() == StatusCode::kInvalidArgument);
  auto duplicate = store->Mutate("pg-one-conn", "n-1", Apply("pg-one-conn", "n-1"));
  REQUIRE(duplicate.ok());
  CHECK(duplicate->duplicate_notification);
  // Two history entries in one change: each takes the next seq.
  auto second =
      store->Mutate("pg-one-conn", "n-2", [](LedgerRows const& rows) -> StatusOr<LedgerChange> {
        auto change = Apply("pg-one-conn", "n-2")(rows);
        if (change.ok()) change->history.push_back(change->history[0]);
        return change;
      });
  REQUIRE(second.ok());
  REQUIRE(second->rows.order);
  CHECK(second->rows.order->version == 2);
  auto history = store->History("pg-one-conn");
  REQUIRE(history.ok());
  REQUIRE(history->size() == 3);
  CHECK((*history)[0].notification_id == "n-1");
  CHECK((*history)[1].notification_id == "n-2");
  CHECK((*history)[2].notification_id == "n-2");
  for (std::size_t i = 0; i < history->size(); ++i)
    CHECK((*history)[i].seq == static_cast<std::int64_t>(i + 1));
  auto n2 = store->IsNotificationProcessed("n-2");
  REQUIRE(n2.ok());
  CHECK(*n2);
}

}  // namespace
}  // namespace wechatpay
