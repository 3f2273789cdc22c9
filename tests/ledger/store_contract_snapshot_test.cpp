// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// The store contract, part 8: Get() reads an order and its refunds from one snapshot, so that a
// reader never sees the order of one commit with the refunds of another — readers running while
// a writer commits change after change.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "store_contract_support.hpp"

namespace wechatpay::ledger_test {
namespace {

TEST_CASE("Store contract: Get sees an order and its refunds from the same commit",
          "[ledger][contract]") {
  ForEachStore([](StoreDatabase&, LedgerStore& store) {
    constexpr int kWrites = 300;
    std::atomic<bool> done{false};
    std::atomic<int> reads{0};
    std::atomic<int> torn{0};
    std::atomic<int> failed{0};
    std::vector<std::thread> readers;
    for (int r = 0; r < 3; ++r) {
      readers.emplace_back([&] {
        while (!done) {
          auto rows = store.Get("ORDER-1");
          if (!rows.ok()) {
            ++failed;
            continue;
          }
          if (!rows->order) continue;
          ++reads;
          // Each commit writes the order and its refund with refund_fen = the order's version.
          if (rows->refunds.size() != 1 || rows->refunds[0].refund_fen != rows->order->version) {
            ++torn;
          }
        }
      });
    }
    for (int i = 0; i < kWrites; ++i) {
      MustMutate(store, "ORDER-1", [](LedgerRows const& rows) -> StatusOr<LedgerChange> {
        std::int64_t const next = rows.order ? rows.order->version + 1 : 1;
        LedgerChange change;
        change.order = rows.order ? *rows.order : MakeOrder("ORDER-1");
        change.refund = MakeRefund("ORDER-1", "REFUND-1");
        change.refund->refund_fen = next;
        return change;
      });
    }
    done = true;
    for (auto& reader : readers) reader.join();
    INFO("reads while writing: " << reads);
    CHECK(failed == 0);
    CHECK(torn == 0);
    CHECK(reads > 0);
    CHECK(MustGetOrder(store, "ORDER-1").version == kWrites);
  });
}

}  // namespace
}  // namespace wechatpay::ledger_test
