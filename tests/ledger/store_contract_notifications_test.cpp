// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// The store contract, part 2: notification ids are recorded in the mutation's transaction, and
// a recorded id is never applied again — one after the other, or 8 deliveries at once.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "store_contract_support.hpp"

namespace wechatpay::ledger_test {
namespace {

// Marks the order paid and counts its runs.
LedgerMutation PayOnce(std::atomic<int>& runs) {
  return [&runs](LedgerRows const& rows) -> StatusOr<LedgerChange> {
    ++runs;
    LedgerChange change;
    change.order = rows.order ? *rows.order : MakeOrder("ORDER-1");
    change.order->state = LedgerOrderState::kPaid;
    change.history = {MakeEntry("ORDER-1", "paid", LedgerSource::kCallback)};
    return change;
  };
}

TEST_CASE("Store contract: a notification id is applied once, then reported as a duplicate",
          "[ledger][contract]") {
  ForEachStore([](StoreDatabase&, LedgerStore& store) {
    PutOrder(store, MakeOrder("ORDER-1"));
    CHECK_FALSE(*store.IsNotificationProcessed("EV-1"));
    std::atomic<int> runs{0};
    auto first = MustMutate(store, "ORDER-1", PayOnce(runs), "EV-1");
    CHECK_FALSE(first.duplicate_notification);
    CHECK(runs == 1);
    CHECK(*store.IsNotificationProcessed("EV-1"));

    auto again = MustMutate(store, "ORDER-1", PayOnce(runs), "EV-1");
    CHECK(again.duplicate_notification);
    CHECK(runs == 1);  // not run again
    // The rows as they are, for the caller to answer with.
    REQUIRE(again.rows.order.has_value());
    CHECK(again.rows.order->state == LedgerOrderState::kPaid);
    CHECK(again.rows.order->version == 2);
    CHECK(MustGetOrder(store, "ORDER-1").version == 2);
    CHECK(store.History("ORDER-1")->size() == 1);

    // Another id applies; an empty id is never recorded nor deduplicated.
    MustMutate(store, "ORDER-1", PayOnce(runs), "EV-2");
    MustMutate(store, "ORDER-1", PayOnce(runs), "");
    MustMutate(store, "ORDER-1", PayOnce(runs), "");
    CHECK(runs == 4);
    CHECK_FALSE(*store.IsNotificationProcessed(""));
    // An id is global: the same id for another order is a duplicate too.
    auto elsewhere = MustMutate(store, "ORDER-2", PayOnce(runs), "EV-1");
    CHECK(elsewhere.duplicate_notification);
    CHECK(runs == 4);
  });
}

TEST_CASE("Store contract: an empty change still records its notification id",
          "[ledger][contract]") {
  ForEachStore([](StoreDatabase&, LedgerStore& store) {
    MustMutate(store, "ORDER-1", Write(LedgerChange{}), "EV-IGNORED");
    CHECK(*store.IsNotificationProcessed("EV-IGNORED"));
    auto rows = store.Get("ORDER-1");
    REQUIRE(rows.ok());
    CHECK_FALSE(rows->order.has_value());
  });
}

TEST_CASE("Store contract: 8 deliveries of one notification at once apply it exactly once",
          "[ledger][contract]") {
  ForEachStore([](StoreDatabase& database, LedgerStore& store) {
    // Two store instances on the database, as two instances of an application would have.
    auto second = database.Open();
    REQUIRE(second.ok());
    PutOrder(store, MakeOrder("ORDER-1"));
    for (int round = 0; round < 5; ++round) {
      std::string const id = "EV-" + std::to_string(round);
      std::atomic<int> runs{0};
      std::atomic<int> ready{0};
      std::atomic<int> applied{0};
      std::atomic<int> duplicates{0};
      std::atomic<int> failed{0};
      std::vector<std::thread> threads;
      for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
          LedgerStore& target = t % 2 == 0 ? store : **second;
          ++ready;
          while (ready < 8) std::this_thread::yield();  // start together
          auto result = target.Mutate("ORDER-1", id, PayOnce(runs));
          if (!result.ok()) {
            ++failed;
          } else if (result->duplicate_notification) {
            ++duplicates;
          } else {
            ++applied;
          }
        });
      }
      for (auto& thread : threads) thread.join();
      CHECK(failed == 0);
      CHECK(runs == 1);
      CHECK(applied == 1);
      CHECK(duplicates == 7);
    }
    CHECK(MustGetOrder(store, "ORDER-1").version == 6);  // the put + 5 rounds
    CHECK(store.History("ORDER-1")->size() == 5);
  });
}

}  // namespace
}  // namespace wechatpay::ledger_test
