// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "ledger/support/crash_counting.hpp"

#include <cstdint>
#include <string>

#include "catch.hpp"
#include "store_contract_support.hpp"

namespace wechatpay::ledger_test {

Status DeliverCounted(LedgerStore& store, int n, int orders) {
  std::string const key = "ORDER-" + std::to_string(n % orders);
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

int RedeliverAllAndCheck(LedgerStore& store, int notifications, int orders) {
  int applied_before = 0;
  for (int n = 0; n < notifications; ++n) {
    auto processed = store.IsNotificationProcessed("EV-" + std::to_string(n));
    REQUIRE(processed.ok());
    applied_before += *processed ? 1 : 0;
    auto status = DeliverCounted(store, n, orders);
    INFO(status.ToString());
    REQUIRE(status.ok());
  }
  std::int64_t total = 0;
  std::size_t entries = 0;
  for (int k = 0; k < orders; ++k) {
    std::string const key = "ORDER-" + std::to_string(k);
    auto order = MustGetOrder(store, key);
    auto history = store.History(key);
    REQUIRE(history.ok());
    CHECK(order.total_fen == notifications / orders);  // once each: none lost, none twice
    CHECK(order.version == notifications / orders);
    CHECK(history->size() == static_cast<std::size_t>(notifications / orders));
    total += order.total_fen;
    entries += history->size();
  }
  CHECK(total == notifications);
  CHECK(entries == static_cast<std::size_t>(notifications));
  return applied_before;
}

}  // namespace wechatpay::ledger_test
