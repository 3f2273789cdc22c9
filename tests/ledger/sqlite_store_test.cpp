// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// SqliteLedgerStore beyond the contract: the file (WAL, reopened after close), its options,
// its errors (busy beyond the timeout, not a database), and one file shared by stores.
#include <sqlite3.h>

#include <chrono>
#include <string>

#include "store_contract_support.hpp"
#include "support/test_data.hpp"
#include "wechatpay/ledger/sqlite_store.hpp"

namespace wechatpay::ledger_test {
namespace {

using testing::TempDir;

std::unique_ptr<SqliteLedgerStore> MustOpen(
    std::string const& path, std::chrono::milliseconds busy_timeout = std::chrono::seconds(5)) {
  SqliteLedgerOptions options;
  options.path = path;
  options.busy_timeout = busy_timeout;
  auto store = SqliteLedgerStore::Open(options);
  INFO(store.status().ToString());
  REQUIRE(store.ok());
  return *std::move(store);
}

// A plain sqlite3 connection, as another program would have.
class RawConnection {
 public:
  explicit RawConnection(std::string const& path) {
    REQUIRE(sqlite3_open(path.c_str(), &db_) == SQLITE_OK);
  }
  ~RawConnection() { sqlite3_close(db_); }
  RawConnection(RawConnection const&) = delete;
  RawConnection& operator=(RawConnection const&) = delete;
  int Execute(char const* sql) { return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr); }
  std::string Text(char const* sql) {
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr) == SQLITE_OK);
    std::string value;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      value = reinterpret_cast<char const*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    return value;
  }

 private:
  sqlite3* db_ = nullptr;
};

TEST_CASE("SQLite store: the file is in WAL mode with the schema version recorded",
          "[ledger][sqlite]") {
  TempDir dir;
  auto store = MustOpen(dir.File("ledger.db"));
  RawConnection raw(dir.File("ledger.db"));
  CHECK(raw.Text("PRAGMA journal_mode") == "wal");
  CHECK(raw.Text("SELECT version FROM ledger_schema_version") ==
        std::to_string(SqliteLedgerStore::SchemaVersion()));
  CHECK(raw.Text("SELECT count(*) FROM ledger_schema_version") == "1");
  CHECK(store->path() == dir.File("ledger.db"));
}

TEST_CASE("SQLite store: a store opened after the first closed finds everything",
          "[ledger][sqlite]") {
  TempDir dir;
  {
    auto store = MustOpen(dir.File("ledger.db"));
    auto order = MakeOrder("ORDER-1");
    order.payer_total_fen = 100;
    PutOrder(*store, order, {MakeEntry("ORDER-1", "created")});
    LedgerChange change;
    change.refund = MakeRefund("ORDER-1", "REFUND-1");
    MustMutate(*store, "ORDER-1", Write(change), "EV-1");
  }
  auto store = MustOpen(dir.File("ledger.db"));
  auto order = MustGetOrder(*store, "ORDER-1");
  CHECK(order.version == 1);
  CHECK(order.payer_total_fen == std::optional<std::int64_t>(100));
  CHECK(order.description == "Image形象店-深圳腾大-QQ公仔");
  CHECK(store->History("ORDER-1")->size() == 1);
  CHECK(store->GetRefund("REFUND-1")->has_value());
  CHECK(*store->IsNotificationProcessed("EV-1"));
  CHECK(PutOrder(*store, MakeOrder("ORDER-1")).rows.order->version == 2);
}

TEST_CASE("SQLite store: bad options are refused naming the option", "[ledger][sqlite]") {
  auto refused = [](SqliteLedgerOptions const& options, std::string const& field) {
    auto store = SqliteLedgerStore::Open(options);
    REQUIRE_FALSE(store.ok());
    CHECK(store.status().code() == StatusCode::kInvalidArgument);
    CHECK(store.status().info().field == field);
  };
  TempDir dir;
  SqliteLedgerOptions options;
  refused(options, "path");
  options.path = ":memory:";
  refused(options, "path");
  options.path = "file:ledger.db?mode=memory";
  refused(options, "path");
  options.path = dir.File("ledger.db");
  options.busy_timeout = std::chrono::milliseconds(0);
  refused(options, "busy_timeout");
  options.busy_timeout = std::chrono::hours(1);
  refused(options, "busy_timeout");
}

TEST_CASE("SQLite store: a file that is not a database is refused naming it", "[ledger][sqlite]") {
  TempDir dir;
  testing::WriteFile(dir.File("garbage.db"), std::string(8192, 'x'));
  SqliteLedgerOptions options;
  options.path = dir.File("garbage.db");
  auto store = SqliteLedgerStore::Open(options);
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == StatusCode::kInternal);
  CHECK(store.status().message().find("open") != std::string::npos);
  CHECK(store.status().message().find(dir.File("garbage.db")) != std::string::npos);
  CHECK(store.status().message().find("not a database") != std::string::npos);

  options.path = dir.File("missing-folder/ledger.db");
  store = SqliteLedgerStore::Open(options);
  REQUIRE_FALSE(store.ok());
  CHECK(store.status().code() == StatusCode::kUnavailable);
}

TEST_CASE("SQLite store: a write lock held beyond the busy timeout is kUnavailable, no write",
          "[ledger][sqlite]") {
  TempDir dir;
  auto store = MustOpen(dir.File("ledger.db"), std::chrono::milliseconds(200));
  PutOrder(*store, MakeOrder("ORDER-1"));
  RawConnection other(dir.File("ledger.db"));  // another program holding the write lock
  REQUIRE(other.Execute("BEGIN IMMEDIATE") == SQLITE_OK);

  auto const started = std::chrono::steady_clock::now();
  auto busy = store->Mutate("ORDER-1", "EV-1", Write(LedgerChange{}));
  auto const waited = std::chrono::steady_clock::now() - started;
  REQUIRE_FALSE(busy.ok());
  CHECK(busy.status().code() == StatusCode::kUnavailable);
  CHECK(busy.status().message().find("Mutate") != std::string::npos);
  CHECK(busy.status().message().find("BEGIN IMMEDIATE") != std::string::npos);
  CHECK(busy.status().message().find("busy timeout") != std::string::npos);
  CHECK(waited >= std::chrono::milliseconds(150));  // it waited, then gave up
  auto lease = store->LeaseDue("instance-a", 1000, 1000, 10);
  REQUIRE_FALSE(lease.ok());
  CHECK(lease.status().code() == StatusCode::kUnavailable);
  CHECK(lease.status().message().find("LeaseDue") != std::string::npos);
  // Readers are not blocked by a writer (WAL).
  CHECK(MustGetOrder(*store, "ORDER-1").version == 1);

  REQUIRE(other.Execute("ROLLBACK") == SQLITE_OK);
  CHECK_FALSE(*store->IsNotificationProcessed("EV-1"));  // nothing was written
  auto retried = MustMutate(*store, "ORDER-1", Write(LedgerChange{}), "EV-1");
  CHECK_FALSE(retried.duplicate_notification);
}

TEST_CASE("SQLite store: stores on one file share the write lock and the events",
          "[ledger][sqlite]") {
  TempDir dir;
  auto first = MustOpen(dir.File("ledger.db"));
  // Another spelling of the same file.
  auto second = MustOpen(dir.path() + "/./ledger.db");
  EventLog log;
  auto subscription = first->Subscribe(log.Callback());
  REQUIRE(subscription.ok());
  PutOrder(*second, MakeOrder("ORDER-1"));
  auto events = log.WaitFor(1);
  REQUIRE(events.size() == 1);
  CHECK(events[0].out_trade_no == "ORDER-1");
  CHECK(events[0].version == 1);
  // A subscription outlives its store without harm.
  first.reset();
  PutOrder(*second, MakeOrder("ORDER-1"));
  CHECK(log.WaitFor(2).size() == 2);
  subscription->reset();
}

}  // namespace
}  // namespace wechatpay::ledger_test
