// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// The store contract, part 7: 8 threads x 200 read-modify-write mutations on 20 orders, through
// two store instances: no update is lost, every order's versions and history seqs run 1..n
// without a gap or a repeat, and each thread sees an order's versions strictly increase.
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store_contract_support.hpp"

namespace wechatpay::ledger_test {
namespace {

TEST_CASE("Store contract: concurrent mutations lose no update", "[ledger][contract]") {
  ForEachStore([](StoreDatabase& database, LedgerStore& store) {
    auto second = database.Open();
    REQUIRE(second.ok());
    constexpr int kThreads = 8;
    constexpr int kPerThread = 200;
    constexpr int kOrders = 20;
    std::mutex mutex;
    std::map<std::string, std::vector<std::int64_t>> versions;  // as each Mutate() returned
    std::atomic<int> failed{0};
    std::atomic<int> went_back{0};  // a thread saw an order's version not increase
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        LedgerStore& target = t % 2 == 0 ? store : **second;
        std::map<std::string, std::int64_t> last_seen;
        for (int i = 0; i < kPerThread; ++i) {
          std::string const key = "ORDER-" + std::to_string((t * 7 + i) % kOrders);
          // Read-modify-write: counts the mutations in total_fen.
          auto result =
              target.Mutate(key, "", [&](LedgerRows const& rows) -> StatusOr<LedgerChange> {
                LedgerChange change;
                change.order = rows.order ? *rows.order : MakeOrder(key);
                change.order->total_fen = rows.order ? rows.order->total_fen + 1 : 1;
                change.history = {MakeEntry(key, "thread " + std::to_string(t))};
                return change;
              });
          if (!result.ok()) {
            ++failed;
            continue;
          }
          auto const version = result->rows.order->version;
          if (version <= last_seen[key]) ++went_back;
          last_seen[key] = version;
          std::lock_guard<std::mutex> lock(mutex);
          versions[key].push_back(version);
        }
      });
    }
    for (auto& thread : threads) thread.join();
    CHECK(failed == 0);
    CHECK(went_back == 0);
    REQUIRE(versions.size() == kOrders);
    std::int64_t total = 0;
    for (auto const& [key, seen] : versions) {
      INFO(key);
      auto const n = static_cast<std::int64_t>(seen.size());
      auto order = MustGetOrder(store, key);
      CHECK(order.total_fen == n);  // no lost update
      CHECK(order.version == n);
      std::set<std::int64_t> distinct(seen.begin(), seen.end());
      CHECK(static_cast<std::int64_t>(distinct.size()) == n);  // never the same version twice
      CHECK(*distinct.begin() == 1);
      CHECK(*distinct.rbegin() == n);
      auto history = store.History(key);
      REQUIRE(history.ok());
      REQUIRE(static_cast<std::int64_t>(history->size()) == n);
      for (std::int64_t i = 0; i < n; ++i) CHECK((*history)[i].seq == i + 1);
      total += n;
    }
    CHECK(total == kThreads * kPerThread);
  });
}

}  // namespace
}  // namespace wechatpay::ledger_test
