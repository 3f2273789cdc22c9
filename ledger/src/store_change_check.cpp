// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "store_change_check.hpp"

namespace wechatpay::ledger_store {
namespace {

Status Outside(std::string const& field) {
  ErrorInfo info;
  info.field = field;
  return Status(StatusCode::kInvalidArgument,
                "ledger: " + field + " must be the out_trade_no given to Mutate()", info);
}

}  // namespace

Status CheckLedgerChange(std::string const& out_trade_no, LedgerChange const& change) {
  if (change.order && change.order->out_trade_no != out_trade_no) {
    return Outside("order.out_trade_no");
  }
  if (change.refund) {
    if (change.refund->out_trade_no != out_trade_no) return Outside("refund.out_trade_no");
    if (change.refund->out_refund_no.empty()) {
      ErrorInfo info;
      info.field = "refund.out_refund_no";
      return Status(StatusCode::kInvalidArgument, "ledger: refund.out_refund_no must not be empty",
                    info);
    }
  }
  for (auto const& entry : change.history) {
    if (!entry.out_trade_no.empty() && entry.out_trade_no != out_trade_no) {
      return Outside("history.out_trade_no");
    }
  }
  return Status();
}

}  // namespace wechatpay::ledger_store
