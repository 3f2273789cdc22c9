// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once
// The check every store applies to a mutation's LedgerChange before writing it: the change must
// stay inside the order it was made for (a store keys every row by it and holds only its lock).
#include <string>

#include "wechatpay/ledger/store.hpp"

namespace wechatpay::ledger_store {

/// kInvalidArgument naming the field when the order, the refund or a history entry belongs to
/// another out_trade_no than `out_trade_no`, or the refund has no out_refund_no. A history entry
/// may leave out_trade_no empty (the order's is stored).
Status CheckLedgerChange(std::string const& out_trade_no, LedgerChange const& change);

}  // namespace wechatpay::ledger_store
