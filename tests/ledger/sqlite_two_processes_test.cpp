// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// Two processes writing one SQLite ledger at the same time: this test binary runs itself again
// as the second writer (the hidden test case below), and both count in the same orders. The
// process-wide mutex does not cover the other process: SQLite's lock and the busy timeout do.
#include <cstdlib>
#include <future>
#include <string>
#include <thread>

#include "store_contract_support.hpp"
#include "support/run_process.hpp"
#include "support/test_data.hpp"
#include "wechatpay/ledger/sqlite_store.hpp"

namespace wechatpay::ledger_test {
namespace {

constexpr int kWrites = 300;
constexpr int kOrders = 5;

// Adds one to the order's total_fen, recording who did it.
void CountIn(LedgerStore& store, int i, std::string const& who) {
  std::string const key = "ORDER-" + std::to_string(i % kOrders);
  MustMutate(store, key, [&](LedgerRows const& rows) -> StatusOr<LedgerChange> {
    LedgerChange change;
    change.order = rows.order ? *rows.order : MakeOrder(key);
    change.order->total_fen = rows.order ? rows.order->total_fen + 1 : 1;
    change.history = {MakeEntry(key, who)};
    return change;
  });
}

std::unique_ptr<LedgerStore> OpenAt(std::string const& path) {
  SqliteLedgerOptions options;
  options.path = path;
  auto store = SqliteLedgerStore::Open(options);
  INFO(store.status().ToString());
  REQUIRE(store.ok());
  return *std::move(store);
}

// The second process. Hidden: runs only when asked for by its tag.
TEST_CASE("SQLite second-process writer", "[.][sqlite-second-process]") {
  char const* path = std::getenv("LEDGER_TEST_DB");
  REQUIRE(path != nullptr);
  auto store = OpenAt(path);
  PutOrder(*store, MakeOrder("CHILD-STARTED"));
  for (int i = 0; i < kWrites; ++i) CountIn(*store, i, "child");
}

TEST_CASE("SQLite store: two processes writing one file at once lose nothing", "[ledger][sqlite]") {
  testing::TempDir dir;
  std::string const path = dir.File("ledger.db");
  auto store = OpenAt(path);
  auto child = std::async(std::launch::async, [&] {
    return testing::RunProcess("/proc/self/exe", {"[sqlite-second-process]"},
                               {{"LEDGER_TEST_DB", path}});
  });
  // Start counting once the child writes too.
  for (int i = 0; i < 1000; ++i) {
    auto rows = store->Get("CHILD-STARTED");
    REQUIRE(rows.ok());
    if (rows->order) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (int i = 0; i < kWrites; ++i) CountIn(*store, i, "parent");
  auto result = child.get();
  INFO(result.out << result.err);
  REQUIRE(result.exit_code == 0);

  int switches = 0;
  for (int n = 0; n < kOrders; ++n) {
    std::string const key = "ORDER-" + std::to_string(n);
    auto order = MustGetOrder(*store, key);
    CHECK(order.total_fen == 2 * kWrites / kOrders);
    CHECK(order.version == 2 * kWrites / kOrders);
    auto history = store->History(key);
    REQUIRE(history.ok());
    REQUIRE(history->size() == static_cast<std::size_t>(2 * kWrites / kOrders));
    for (std::size_t i = 1; i < history->size(); ++i) {
      CHECK((*history)[i].seq == static_cast<std::int64_t>(i + 1));
      if ((*history)[i].detail != (*history)[i - 1].detail) ++switches;
    }
  }
  // The writes interleaved: the two processes really wrote at the same time.
  CHECK(switches >= 2);
}

}  // namespace
}  // namespace wechatpay::ledger_test
