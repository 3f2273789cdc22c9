// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// wechatpay::ledger through pkg-config (wechatpay-ledger.pc): an order recorded in a SQLite file
// and read back.
#include <wechatpay/ledger/open.hpp>

#include <cstdio>
#include <iostream>

int main() {
  std::remove("pc-ledger.db");
  auto store = wechatpay::OpenLedgerStore("pc-ledger.db");
  if (!store) {
    std::cerr << "ledger: " << store.status().ToString() << "\n";
    return 1;
  }
  auto recorded = (*store)->Mutate(
      "PKGCONFIG000001", "",
      [](wechatpay::LedgerRows const&) -> wechatpay::StatusOr<wechatpay::LedgerChange> {
        wechatpay::LedgerChange change;
        change.order.emplace();
        change.order->out_trade_no = "PKGCONFIG000001";
        change.order->total_fen = 1;
        return change;
      });
  auto rows = (*store)->Get("PKGCONFIG000001");
  if (!recorded || !rows || !rows->order || rows->order->total_fen != 1) {
    std::cerr << "ledger: the order was not recorded\n";
    return 1;
  }
  std::cout << "ledger ok\n";
  return 0;
}
