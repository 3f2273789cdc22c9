// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// Crash safety of the SQLite store: a process applying notifications is killed (SIGKILL) at
// random moments, again and again; each restart redelivers every notification from the first.
// A notification id commits together with its change, so in the end every notification is
// applied exactly once — none lost, none twice — and the file is intact.
#include <sqlite3.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>

#include "store_contract_support.hpp"
#include "support/background_process.hpp"
#include "support/scoped_environment.hpp"
#include "support/test_data.hpp"
#include "wechatpay/ledger/sqlite_store.hpp"

namespace wechatpay::ledger_test {
namespace {

constexpr int kNotifications = 600;
constexpr int kOrders = 6;

// Delivers notification `n`: one more in its order's total_fen, one history entry.
Status Deliver(LedgerStore& store, int n) {
  std::string const key = "ORDER-" + std::to_string(n % kOrders);
  std::string const id = "EV-" + std::to_string(n);
  auto result = store.Mutate(key, id, [&](LedgerRows const& rows) -> StatusOr<LedgerChange> {
    LedgerChange change;
    change.order = rows.order ? *rows.order : MakeOrder(key);
    change.order->total_fen = rows.order ? rows.order->total_fen + 1 : 1;
    auto entry = MakeEntry(key, id, LedgerSource::kCallback);
    entry.notification_id = id;
    change.history = {entry};
    return change;
  });
  return result.status();
}

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
  for (int n = 0; n < kNotifications; ++n) REQUIRE(Deliver(*store, n).ok());
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
  int duplicates_before = 0;
  for (int n = 0; n < kNotifications; ++n) {
    duplicates_before += *store->IsNotificationProcessed("EV-" + std::to_string(n)) ? 1 : 0;
    auto status = Deliver(*store, n);
    INFO(status.ToString());
    REQUIRE(status.ok());
  }
  INFO("notifications applied before the last restart: " << duplicates_before);
  CHECK(duplicates_before > 0);  // the killed processes did apply some

  std::int64_t total = 0;
  std::size_t entries = 0;
  for (int k = 0; k < kOrders; ++k) {
    std::string const key = "ORDER-" + std::to_string(k);
    auto order = MustGetOrder(*store, key);
    auto history = store->History(key);
    REQUIRE(history.ok());
    CHECK(order.total_fen == kNotifications / kOrders);  // once each: none lost, none twice
    CHECK(order.version == kNotifications / kOrders);
    CHECK(history->size() == static_cast<std::size_t>(kNotifications / kOrders));
    total += order.total_fen;
    entries += history->size();
  }
  CHECK(total == kNotifications);
  CHECK(entries == static_cast<std::size_t>(kNotifications));
  RawIntegrityCheck(path);
}

}  // namespace
}  // namespace wechatpay::ledger_test
