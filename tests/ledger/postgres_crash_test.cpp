// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// Crash safety of the PostgreSQL store: a process applying notifications from four threads is
// killed (SIGKILL) at random moments, again and again, with transactions open; the server rolls
// back what the dead process left open. Each restart redelivers every notification from the
// first. In the end every notification is applied exactly once: none lost, none twice.
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "ledger/support/crash_counting.hpp"
#include "ledger/support/postgres_server.hpp"
#include "store_contract_support.hpp"
#include "support/background_process.hpp"
#include "support/scoped_environment.hpp"
#include "wechatpay/ledger/postgres_store.hpp"

namespace wechatpay::ledger_test {
namespace {

constexpr int kNotifications = 1000;
constexpr int kOrders = 8;
constexpr int kThreads = 4;

std::unique_ptr<PostgresLedgerStore> OpenAt(std::string const& url) {
  auto store = PostgresLedgerStore::Open(url);
  INFO(store.status().ToString());
  REQUIRE(store.ok());
  return *std::move(store);
}

// The process that gets killed: four threads, each delivering every fourth notification.
// Hidden: runs only when asked for by its tag.
TEST_CASE("PostgreSQL crash-test deliverer", "[.][postgres-crash-deliverer]") {
  char const* url = std::getenv("LEDGER_CRASH_PG_URL");
  REQUIRE(url != nullptr);
  auto store = OpenAt(url);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&store, t] {
      for (int n = t; n < kNotifications; n += kThreads) {
        if (!DeliverCounted(*store, n, kOrders).ok()) std::abort();
      }
    });
  }
  for (auto& thread : threads) thread.join();
}

TEST_CASE(
    "PostgreSQL store: killed at random points, redelivered, every notification applied "
    "once",
    "[ledger][postgres]") {
  testing::PostgresTestDatabase database;
  std::string const url = database.url();
  { OpenAt(url); }  // the schema, before the first kill
  testing::ScopedEnvironment env("LEDGER_CRASH_PG_URL", url.c_str());
  std::mt19937 random(20261207);
  // Each round kills the deliverer once it has applied a random number more notifications,
  // then a few random milliseconds later: a kill in mid-work whatever the machine's speed (a
  // fixed delay let a fast store finish all of them before the first kill).
  std::uniform_int_distribution<int> step(20, 200);
  std::uniform_int_distribution<int> jitter_ms(0, 5);
  auto applied_now = [&url] {
    std::unique_ptr<PGconn, decltype(&PQfinish)> connection(PQconnectdb(url.c_str()), &PQfinish);
    std::unique_ptr<PGresult, decltype(&PQclear)> result(
        PQexec(connection.get(), "SELECT count(*) FROM ledger_notifications"), &PQclear);
    return PQresultStatus(result.get()) == PGRES_TUPLES_OK
               ? std::atoi(PQgetvalue(result.get(), 0, 0))
               : -1;
  };
  int killed_midway = 0;
  std::string progress;
  for (int round = 0; round < 12; ++round) {
    int const target = std::min(kNotifications - 20, applied_now() + step(random));
    {
      testing::BackgroundProcess deliverer("/proc/self/exe", {"[postgres-crash-deliverer]"});
      auto const give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
      while (applied_now() < target && std::chrono::steady_clock::now() < give_up) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(jitter_ms(random)));
      // Leaving the scope kills it with SIGKILL (if it has not finished) and reaps it.
    }
    int const applied = applied_now();
    progress += " " + std::to_string(applied);
    if (applied > 0 && applied < kNotifications) ++killed_midway;
  }
  std::printf("postgres crash test: notifications applied after each kill:%s\n", progress.c_str());
  // Kills hit the deliverer in the middle of its work (at a random count, reproducibly).
  CHECK(killed_midway >= 2);
  // The last restart runs to the end, in this process.
  auto store = OpenAt(url);
  int const applied_before = RedeliverAllAndCheck(*store, kNotifications, kOrders);
  std::printf("postgres crash test: %d of %d notifications applied before the last restart\n",
              applied_before, kNotifications);
  CHECK(applied_before > 0);  // the killed processes did apply some
  // No order is left locked or half-created: every order can be changed at once.
  PostgresLedgerStoreOptions quick;
  quick.statement_timeout = std::chrono::milliseconds(1000);
  auto checker = PostgresLedgerStore::Open(url, quick);
  REQUIRE(checker.ok());
  for (int k = 0; k < kOrders; ++k) {
    CHECK((*checker)->Mutate("ORDER-" + std::to_string(k), "", Write(LedgerChange{})).ok());
  }
}

}  // namespace
}  // namespace wechatpay::ledger_test
