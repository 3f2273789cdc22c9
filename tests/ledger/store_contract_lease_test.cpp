// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// The store contract, part 4: LeaseDue() — due orders only, one owner at a time, a lease ends
// when it runs out or when a Mutate() clears it.
#include <algorithm>
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

std::set<std::string> Keys(StatusOr<std::vector<OrderRecord>> const& orders) {
  INFO(orders.status().ToString());
  REQUIRE(orders.ok());
  std::set<std::string> keys;
  for (auto const& order : *orders) keys.insert(order.out_trade_no);
  return keys;
}

void PutDue(LedgerStore& store, std::string const& key, LedgerTime next_check_at) {
  auto order = MakeOrder(key);
  order.next_check_at = next_check_at;
  PutOrder(store, order);
}

TEST_CASE("Store contract: LeaseDue leases due orders to one owner at a time",
          "[ledger][contract]") {
  ForEachStore([](StoreDatabase&, LedgerStore& store) {
    PutDue(store, "DUE-1", 100);
    PutDue(store, "DUE-2", 200);
    PutDue(store, "LATER", 100000);
    PutDue(store, "NEVER", 0);  // not scheduled

    auto leased = store.LeaseDue("instance-a", 1000, 60000, 10);
    CHECK(Keys(leased) == std::set<std::string>{"DUE-1", "DUE-2"});
    for (auto const& order : *leased) {
      CHECK(order.lease_owner == "instance-a");
      CHECK(order.lease_until == 61000);
    }
    auto stored = MustGetOrder(store, "DUE-1");
    CHECK(stored.lease_owner == "instance-a");
    CHECK(stored.lease_until == 61000);
    CHECK(stored.version == 1);  // a lease is not a change of the order

    // Another owner gets nothing while the leases last; the holder may renew.
    CHECK(Keys(store.LeaseDue("instance-b", 2000, 60000, 10)).empty());
    CHECK(Keys(store.LeaseDue("instance-a", 2000, 60000, 10)) ==
          std::set<std::string>{"DUE-1", "DUE-2"});
    CHECK(MustGetOrder(store, "DUE-1").lease_until == 62000);

    // A lease that ran out is free again (at its end exactly: it no longer lasts beyond now).
    CHECK(Keys(store.LeaseDue("instance-b", 61999, 1000, 10)).empty());
    CHECK(Keys(store.LeaseDue("instance-b", 62000, 1000, 10)) ==
          std::set<std::string>{"DUE-1", "DUE-2"});
    CHECK(MustGetOrder(store, "DUE-2").lease_owner == "instance-b");

    // A Mutate() that clears the lease ends it at once.
    MustMutate(store, "DUE-1", [](LedgerRows const& rows) -> StatusOr<LedgerChange> {
      LedgerChange change;
      change.order = *rows.order;
      change.order->lease_owner.clear();
      change.order->lease_until = 0;
      return change;
    });
    CHECK(Keys(store.LeaseDue("instance-c", 62500, 1000, 10)) == std::set<std::string>{"DUE-1"});

    // Later orders become due with time; the limit takes the soonest first.
    CHECK(Keys(store.LeaseDue("instance-d", 100000, 1000, 1)) == std::set<std::string>{"DUE-1"});
    CHECK(Keys(store.LeaseDue("instance-d", 100000, 1000, 10)) ==
          std::set<std::string>{"DUE-1", "DUE-2", "LATER"});
  });
}

TEST_CASE("Store contract: LeaseDue refuses a bad owner, duration or limit", "[ledger][contract]") {
  ForEachStore([](StoreDatabase&, LedgerStore& store) {
    auto check = [](StatusOr<std::vector<OrderRecord>> const& result, std::string const& field) {
      REQUIRE_FALSE(result.ok());
      CHECK(result.status().code() == StatusCode::kInvalidArgument);
      CHECK(result.status().info().field == field);
    };
    check(store.LeaseDue("", 1000, 1000, 10), "owner");
    check(store.LeaseDue("a", 1000, 0, 10), "lease_ms");
    check(store.LeaseDue("a", 1000, 1000, 0), "limit");
    check(store.LeaseDue("a", 1000, 1000, 10001), "limit");
  });
}

TEST_CASE("Store contract: owners leasing at once never share an order", "[ledger][contract]") {
  ForEachStore([](StoreDatabase& database, LedgerStore& store) {
    auto second = database.Open();
    REQUIRE(second.ok());
    for (int i = 0; i < 40; ++i) PutDue(store, "DUE-" + std::to_string(i), 100 + i);
    std::mutex mutex;
    std::map<std::string, std::vector<std::string>> owners_of;  // order -> owners
    std::atomic<int> failed{0};
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        LedgerStore& target = t % 2 == 0 ? store : **second;
        std::string const owner = "instance-" + std::to_string(t);
        ++ready;
        while (ready < 8) std::this_thread::yield();
        auto leased = target.LeaseDue(owner, 1000, 600000, 5);
        if (!leased.ok()) {
          ++failed;
          return;
        }
        std::lock_guard<std::mutex> lock(mutex);
        for (auto const& order : *leased) owners_of[order.out_trade_no].push_back(owner);
      });
    }
    for (auto& thread : threads) thread.join();
    CHECK(failed == 0);
    CHECK(owners_of.size() == 40);  // 8 owners x 5: every order leased, ...
    for (auto const& [order, owners] : owners_of) {
      INFO(order);
      CHECK(owners.size() == 1);  // ... each by one owner only
      CHECK(MustGetOrder(store, order).lease_owner == owners.front());
    }
  });
}

}  // namespace
}  // namespace wechatpay::ledger_test
