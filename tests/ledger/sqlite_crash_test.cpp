// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// Crash safety of the SQLite store: a process applying notifications is killed (SIGKILL) at
// random moments, again and again; each restart redelivers every notification from the first.
// A notification id commits together with its change, so in the end every notification is
// applied exactly once — none lost, none twice — and the file is intact.
#include <sqlite3.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <thread>

#include "catch.hpp"
#include "ledger/support/crash_counting.hpp"
#include "support/background_process.hpp"
#include "support/scoped_environment.hpp"
#include "support/test_data.hpp"
#include "wechatpay/ledger/sqlite_store.hpp"

namespace wechatpay::ledger_test {
namespace {

constexpr int kNotifications = 600;
constexpr int kOrders = 6;

std::unique_ptr<SqliteLedgerStore> OpenAt(std::string const& path) {
  SqliteLedgerOptions options;
  options.path = path;
  auto store = SqliteLedgerStore::Open(options);
  INFO(store.status().ToString());
  REQUIRE(store.ok());
  return *std::move(store);
}

// PRAGMA integrity_check on the file, with a connection of its own.
void RawIntegrityCheck(std::string const& path) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  std::string const verdict = reinterpret_cast<char const*>(sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  CHECK(verdict == "ok");
}

// The process that gets killed. Hidden: runs only when asked for by its tag.
TEST_CASE("SQLite crash-test deliverer", "[.][sqlite-crash-deliverer]") {
  char const* path = std::getenv("LEDGER_CRASH_DB");
  REQUIRE(path != nullptr);
  auto store = OpenAt(path);
  for (int n = 0; n < kNotifications; ++n) REQUIRE(DeliverCounted(*store, n, kOrders).ok());
}

TEST_CASE("SQLite store: killed at random points, redelivered, every notification applied once",
          "[ledger][sqlite]") {
  testing::TempDir dir;
  std::string const path = dir.File("ledger.db");
  testing::ScopedEnvironment env("LEDGER_CRASH_DB", path.c_str());
  std::mt19937 random(20261207);
  std::uniform_int_distribution<int> delay_ms(30, 400);
  for (int round = 0; round < 6; ++round) {
    testing::BackgroundProcess deliverer("/proc/self/exe", {"[sqlite-crash-deliverer]"});
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    // Leaving the scope kills it with SIGKILL (if it has not finished) and reaps it.
  }
  // The last restart runs to the end, in this process.
  auto store = OpenAt(path);
  int const applied_before = RedeliverAllAndCheck(*store, kNotifications, kOrders);
  INFO("notifications applied before the last restart: " << applied_before);
  CHECK(applied_before > 0);  // the killed processes did apply some
  RawIntegrityCheck(path);
}

}  // namespace
}  // namespace wechatpay::ledger_test
