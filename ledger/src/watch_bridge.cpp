// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The ledger → PaymentWatcher bridge (wechatpay/ledger/watch_bridge.hpp).

#include "wechatpay/ledger/watch_bridge.hpp"

#include <string>
#include <utility>

namespace wechatpay {
namespace {

// The final ledger states, i.e. those with a terminal trade state. kCreateFailed is final for
// the ledger but has none: the watch of such an order ends by its query (ORDER_NOT_EXIST).
std::optional<std::string> FinalTradeState(OrderRecord const& order) {
  switch (order.state) {
    case LedgerOrderState::kPaid:
      // A paid order that was refunded since is reported REFUND by WeChat's query; both are
      // "paid" for the watch, but keep the one WeChat said.
      return std::string(order.trade_state == "REFUND" ? "REFUND" : "SUCCESS");
    case LedgerOrderState::kClosed:
      return std::string("CLOSED");
    case LedgerOrderState::kRevoked:
      return std::string("REVOKED");
    case LedgerOrderState::kPayError:
      return std::string("PAYERROR");
    case LedgerOrderState::kCreating:
    case LedgerOrderState::kNotPaid:
    case LedgerOrderState::kCreateFailed:
      break;
  }
  return std::nullopt;
}

bool IsFinal(LedgerOrderState state) {
  OrderRecord probe;
  probe.state = state;
  return FinalTradeState(probe).has_value();
}

std::optional<std::string> NonEmpty(std::string const& text) {
  if (text.empty()) return std::nullopt;
  return text;
}

}  // namespace

std::optional<Transaction> LedgerOrderTransaction(OrderRecord const& order) {
  auto trade_state = FinalTradeState(order);
  if (!trade_state) return std::nullopt;
  Transaction transaction;
  transaction.out_trade_no = order.out_trade_no;
  transaction.trade_state = std::move(*trade_state);
  transaction.appid = NonEmpty(order.appid);
  transaction.transaction_id = NonEmpty(order.transaction_id);
  transaction.success_time = NonEmpty(order.success_time);
  TransactionAmount amount;
  amount.total = order.total_fen;
  amount.currency = order.currency;
  amount.payer_total = order.payer_total_fen;
  transaction.amount = std::move(amount);
  return transaction;
}

StatusOr<std::unique_ptr<LedgerSubscription>> ConnectLedgerToWatcher(Ledger const& ledger,
                                                                     PaymentWatcher& watcher) {
  return ledger.Subscribe([&ledger, &watcher](LedgerEvent const& event) {
    // Filter before reading: most changes are of orders this instance does not watch.
    if (!IsFinal(event.state) || !watcher.IsWatching(event.out_trade_no)) return;
    auto order = ledger.GetOrder(event.out_trade_no);
    if (!order.ok() || !order->has_value()) return;  // the watcher's polling takes over
    if (auto transaction = LedgerOrderTransaction(**order)) watcher.Push(*transaction);
  });
}

}  // namespace wechatpay
