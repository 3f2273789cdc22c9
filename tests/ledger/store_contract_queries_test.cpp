// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// The store contract, part 3: List() filters, order and limits.
#include <string>
#include <vector>

#include "store_contract_support.hpp"

namespace wechatpay::ledger_test {
namespace {

std::vector<std::string> Keys(StatusOr<std::vector<OrderRecord>> const& orders) {
  INFO(orders.status().ToString());
  REQUIRE(orders.ok());
  std::vector<std::string> keys;
  for (auto const& order : *orders) keys.push_back(order.out_trade_no);
  return keys;
}

TEST_CASE("Store contract: List filters by state, review, outcome and creation time",
          "[ledger][contract]") {
  ForEachStore([](StoreDatabase&, LedgerStore& store) {
    // O1 .. O6 created at 1000 .. 6000.
    auto put = [&](int n, LedgerOrderState state, bool review, bool unknown) {
      auto order = MakeOrder("O" + std::to_string(n), n * 1000);
      order.state = state;
      if (review) order.review_reason = "amount mismatch";
      order.outcome_unknown = unknown;
      PutOrder(store, order);
    };
    put(1, LedgerOrderState::kCreating, false, true);
    put(2, LedgerOrderState::kNotPaid, false, false);
    put(3, LedgerOrderState::kPaid, true, false);
    put(4, LedgerOrderState::kClosed, false, true);
    put(5, LedgerOrderState::kPaid, false, false);
    put(6, LedgerOrderState::kPayError, true, true);

    LedgerQuery all;
    CHECK(Keys(store.List(all)) == std::vector<std::string>{"O6", "O5", "O4", "O3", "O2", "O1"});

    LedgerQuery paid;
    paid.states = {LedgerOrderState::kPaid};
    CHECK(Keys(store.List(paid)) == std::vector<std::string>{"O5", "O3"});
    paid.states = {LedgerOrderState::kPaid, LedgerOrderState::kCreating};
    CHECK(Keys(store.List(paid)) == std::vector<std::string>{"O5", "O3", "O1"});
    paid.states = {LedgerOrderState::kRevoked};
    CHECK(Keys(store.List(paid)).empty());

    LedgerQuery review;
    review.needs_review_only = true;
    CHECK(Keys(store.List(review)) == std::vector<std::string>{"O6", "O3"});

    LedgerQuery unknown;
    unknown.outcome_unknown_only = true;
    CHECK(Keys(store.List(unknown)) == std::vector<std::string>{"O6", "O4", "O1"});

    LedgerQuery window;
    window.created_from = 2000;    // inclusive
    window.created_before = 5000;  // exclusive
    CHECK(Keys(store.List(window)) == std::vector<std::string>{"O4", "O3", "O2"});

    LedgerQuery combined;
    combined.states = {LedgerOrderState::kPaid, LedgerOrderState::kPayError};
    combined.needs_review_only = true;
    combined.created_from = 4000;
    CHECK(Keys(store.List(combined)) == std::vector<std::string>{"O6"});

    LedgerQuery limited;
    limited.limit = 2;
    CHECK(Keys(store.List(limited)) == std::vector<std::string>{"O6", "O5"});

    // The records come back whole.
    auto orders = store.List(all);
    REQUIRE(orders.ok());
    CHECK(orders->back().code_url == "weixin://wxpay/bizpayurl?pr=O1");
    CHECK(orders->back().version == 1);
    CHECK(orders->back().outcome_unknown);
  });
}

TEST_CASE("Store contract: List refuses a limit outside 1..10000", "[ledger][contract]") {
  ForEachStore([](StoreDatabase&, LedgerStore& store) {
    for (int limit : {0, -1, 10001}) {
      LedgerQuery query;
      query.limit = limit;
      auto refused = store.List(query);
      REQUIRE_FALSE(refused.ok());
      CHECK(refused.status().code() == StatusCode::kInvalidArgument);
      CHECK(refused.status().info().field == "limit");
    }
    LedgerQuery most;
    most.limit = 10000;
    CHECK(store.List(most).ok());
  });
}

}  // namespace
}  // namespace wechatpay::ledger_test
