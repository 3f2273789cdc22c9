// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// The store contract, part 8: List() by payment time (success_time) and by the time a refund
// reached SUCCESS (its history), the two questions of the daily bill reconciliation.
#include <string>
#include <vector>

#include "store_contract_support.hpp"

namespace wechatpay::ledger_test {
namespace {

// 2026-12-06 in Beijing time (UTC+8) is [2026-12-05T16:00:00Z, 2026-12-06T16:00:00Z).
constexpr LedgerTime kDayFrom = 1796486400000;
constexpr LedgerTime kDayBefore = kDayFrom + 24LL * 3600 * 1000;

std::vector<std::string> Keys(StatusOr<std::vector<OrderRecord>> const& orders) {
  INFO(orders.status().ToString());
  REQUIRE(orders.ok());
  std::vector<std::string> keys;
  for (auto const& order : *orders) keys.push_back(order.out_trade_no);
  return keys;
}

TEST_CASE("Store contract: List by success_time, to the second, whatever its offset",
          "[ledger][contract]") {
  ForEachStore([](StoreDatabase&, LedgerStore& store) {
    int n = 0;
    auto paid = [&](std::string const& no, std::string const& success_time) {
      auto order = MakeOrder(no, 1000 + ++n);
      order.state = LedgerOrderState::kPaid;
      order.success_time = success_time;
      PutOrder(store, order);
    };
    paid("BEFORE", "2026-12-05T23:59:59+08:00");        // the day before, in Beijing
    paid("FIRST", "2026-12-06T00:00:00+08:00");         // the day's first second
    paid("UTC", "2026-12-06T03:00:00Z");                // 11:00 in Beijing
    paid("LAST", "2026-12-06T23:59:59+08:00");          // the day's last second (15:59:59Z)
    paid("FRACTION", "2026-12-06T23:59:59.999+08:00");  // still that second
    paid("NEXT", "2026-12-07T00:00:00+08:00");          // the next day
    paid("NEXT_UTC", "2026-12-06T16:00:00Z");           // the same instant, in UTC
    paid("EMPTY", "");                                  // no success_time: never in a window
    paid("GARBAGE", "yesterday");                       // not a date-time: never in a window
    paid("JULIAN", "2461381");  // a Julian day to SQLite (2026-12-06T12:00Z): not RFC 3339

    LedgerQuery day;
    day.paid_from = kDayFrom;
    day.paid_before = kDayBefore;
    CHECK(Keys(store.List(day)) == std::vector<std::string>{"FRACTION", "LAST", "UTC", "FIRST"});

    LedgerQuery from_only;
    from_only.paid_from = kDayBefore;
    CHECK(Keys(store.List(from_only)) == std::vector<std::string>{"NEXT_UTC", "NEXT"});

    LedgerQuery before_only;
    before_only.paid_before = kDayFrom;
    CHECK(Keys(store.List(before_only)) == std::vector<std::string>{"BEFORE"});

    // Combined with the other filters as usual.
    day.states = {LedgerOrderState::kNotPaid};
    CHECK(Keys(store.List(day)).empty());
    day.states = {LedgerOrderState::kPaid};
    day.limit = 2;
    CHECK(Keys(store.List(day)) == std::vector<std::string>{"FRACTION", "LAST"});
  });
}

TEST_CASE("Store contract: List by the time a refund reached SUCCESS", "[ledger][contract]") {
  ForEachStore([](StoreDatabase&, LedgerStore& store) {
    int n = 0;
    // An order with one refund whose history says it went from `from` to `to` at `at`.
    auto refunded = [&](std::string const& no, std::string const& from, std::string const& to,
                        LedgerTime at) {
      auto order = MakeOrder(no, 1000 + ++n);
      order.state = LedgerOrderState::kPaid;
      auto refund = MakeRefund(no, "R-" + no);
      refund.state = LedgerRefundState::kSuccess;
      auto entry = MakeEntry(no, "refund " + to);
      entry.out_refund_no = refund.out_refund_no;
      entry.from_state = from;
      entry.to_state = to;
      entry.at = at;
      LedgerChange change;
      change.order = order;
      change.refund = refund;
      change.history = {entry};
      MustMutate(store, no, Write(change));
    };
    refunded("EARLY", "PROCESSING", "SUCCESS", kDayFrom - 1);
    refunded("FIRST", "PROCESSING", "SUCCESS", kDayFrom);
    refunded("LAST", "CREATING", "SUCCESS", kDayBefore - 1);
    refunded("NEXT", "PROCESSING", "SUCCESS", kDayBefore);
    refunded("STILL", "CREATING", "PROCESSING", kDayFrom + 10);  // not a success
    refunded("CHECKED", "SUCCESS", "SUCCESS", kDayFrom + 20);    // a note on a finished refund
    // An order-level entry that names no refund does not count, whatever its states.
    auto order = MakeOrder("ORDER_ONLY", 1000 + ++n);
    auto entry = MakeEntry("ORDER_ONLY", "odd");
    entry.from_state = "PAID";
    entry.to_state = "SUCCESS";
    entry.at = kDayFrom + 30;
    PutOrder(store, order, {entry});

    LedgerQuery day;
    day.refund_succeeded_from = kDayFrom;
    day.refund_succeeded_before = kDayBefore;
    CHECK(Keys(store.List(day)) == std::vector<std::string>{"LAST", "FIRST"});

    LedgerQuery after;
    after.refund_succeeded_from = kDayBefore;
    CHECK(Keys(store.List(after)) == std::vector<std::string>{"NEXT"});

    LedgerQuery before;
    before.refund_succeeded_before = kDayFrom;
    CHECK(Keys(store.List(before)) == std::vector<std::string>{"EARLY"});
  });
}

}  // namespace
}  // namespace wechatpay::ledger_test
