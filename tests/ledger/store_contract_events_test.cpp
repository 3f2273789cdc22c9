// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// The store contract, part 5: Subscribe() — an event per committed change of an order, after
// the commit, never for a change that rolled back, none after the subscription ends.
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "store_contract_support.hpp"

namespace wechatpay::ledger_test {
namespace {

TEST_CASE("Store contract: subscribers get committed changes only, in order",
          "[ledger][contract]") {
  ForEachStore([](StoreDatabase&, LedgerStore& store) {
    EventLog log;
    // What a subscriber reads from the store when told must already be committed.
    std::vector<std::int64_t> stored_versions;
    std::mutex mutex;
    auto subscription = store.Subscribe([&](LedgerEvent const& event) {
      auto rows = store.Get(event.out_trade_no);
      {
        std::lock_guard<std::mutex> lock(mutex);
        stored_versions.push_back(rows.ok() && rows->order ? rows->order->version : -1);
      }
      log.Callback()(event);
    });
    INFO(subscription.status().ToString());
    REQUIRE(subscription.ok());

    PutOrder(store, MakeOrder("ORDER-1"));
    // Rolled back: no event.
    auto failed = store.Mutate("ORDER-1", "", [](LedgerRows const&) -> StatusOr<LedgerChange> {
      return Status(StatusCode::kInvalidArgument, "refused");
    });
    CHECK_FALSE(failed.ok());
    // No order row written (history only): no event.
    LedgerChange history_only;
    history_only.history = {MakeEntry("ORDER-1", "noted")};
    MustMutate(store, "ORDER-1", Write(history_only));
    auto paid = MakeOrder("ORDER-1");
    paid.state = LedgerOrderState::kPaid;
    PutOrder(store, paid);

    auto events = log.WaitFor(2);
    REQUIRE(events.size() == 2);
    CHECK(events[0].out_trade_no == "ORDER-1");
    CHECK(events[0].state == LedgerOrderState::kNotPaid);
    CHECK(events[0].version == 1);
    CHECK(events[1].state == LedgerOrderState::kPaid);
    CHECK(events[1].version == 2);
    {
      std::lock_guard<std::mutex> lock(mutex);
      REQUIRE(stored_versions.size() == 2);
      CHECK(stored_versions[0] >= 1);
      CHECK(stored_versions[1] >= 2);
    }
    // Nothing else arrives (the rolled-back and history-only changes published nothing).
    CHECK(log.WaitFor(3, std::chrono::milliseconds(300)).size() == 2);

    // A duplicate notification publishes nothing either.
    MustMutate(store, "ORDER-1", Write(LedgerChange{}), "EV-1");
    auto duplicate = MustMutate(store, "ORDER-1", Write(LedgerChange{}), "EV-1");
    CHECK(duplicate.duplicate_notification);
    CHECK(log.WaitFor(3, std::chrono::milliseconds(300)).size() == 2);

    // Ended: no more calls.
    subscription->reset();
    PutOrder(store, MakeOrder("ORDER-2"));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(log.WaitFor(3, std::chrono::milliseconds(0)).size() == 2);
  });
}

TEST_CASE("Store contract: every subscriber gets every event, and a subscription may end itself",
          "[ledger][contract]") {
  ForEachStore([](StoreDatabase&, LedgerStore& store) {
    EventLog first;
    EventLog second;
    auto a = store.Subscribe(first.Callback());
    REQUIRE(a.ok());
    std::unique_ptr<LedgerSubscription> self_ending;
    std::mutex mutex;
    EventLog third;
    auto b = store.Subscribe([&](LedgerEvent const& event) {
      third.Callback()(event);
      std::lock_guard<std::mutex> lock(mutex);
      self_ending.reset();  // destroyed from inside its own delivery: must not deadlock
    });
    REQUIRE(b.ok());
    {
      std::lock_guard<std::mutex> lock(mutex);
      self_ending = *std::move(b);
    }
    auto c = store.Subscribe(second.Callback());
    REQUIRE(c.ok());
    for (int i = 1; i <= 3; ++i) PutOrder(store, MakeOrder("ORDER-" + std::to_string(i)));
    CHECK(first.WaitFor(3).size() == 3);
    CHECK(second.WaitFor(3).size() == 3);
    CHECK(third.WaitFor(1).size() == 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    CHECK(third.WaitFor(2, std::chrono::milliseconds(0)).size() == 1);
  });
}

TEST_CASE("Store contract: a subscriber may write to the store from its callback",
          "[ledger][contract]") {
  ForEachStore([](StoreDatabase&, LedgerStore& store) {
    // Delivered while a write lock is held, this would deadlock instead of answering.
    EventLog log;
    std::atomic<bool> wrote{false};
    auto subscription = store.Subscribe([&](LedgerEvent const& event) {
      if (event.out_trade_no == "ORDER-1") {
        LedgerChange change;
        change.order = MakeOrder("ORDER-1-SHIPPED");
        wrote = store.Mutate("ORDER-1-SHIPPED", "", Write(change)).ok();
      }
      log.Callback()(event);
    });
    REQUIRE(subscription.ok());
    PutOrder(store, MakeOrder("ORDER-1"));
    auto events = log.WaitFor(2);
    REQUIRE(events.size() == 2);
    CHECK(wrote);
    CHECK(events[1].out_trade_no == "ORDER-1-SHIPPED");
  });
}

}  // namespace
}  // namespace wechatpay::ledger_test
