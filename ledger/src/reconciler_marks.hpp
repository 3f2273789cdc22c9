// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The two writes the Reconciler makes itself, beside the Ledger's operations: putting off an
// order whose call failed (it stays due, later), and flagging an order that WeChat does not know
// after its close deadline. Each is one LedgerStore::Mutate() on the order's current rows.

#include <string>

#include "wechatpay/ledger/ledger.hpp"
#include "wechatpay/status.hpp"

namespace wechatpay::reconciler_internal {

/// Moves the order's next check to `at` and keeps `error` as its last_error (bounded, never a
/// secret: Status::ToString()), releasing the lease. An order that no longer needs checking
/// (next_check_at 0: it reached a final state meanwhile) is left as it is.
Status PutOff(Ledger& ledger, std::string const& out_trade_no, LedgerTime now, LedgerTime at,
              Status const& error);

/// Flags the order for review because WeChat answers ORDER_NOT_EXIST after its close deadline,
/// with a history entry (source kReconciler), and stops scheduling it. Nothing changes for an
/// order that is no longer waiting for WeChat (paid, closed, failed).
Status FlagUnknownAtWeChat(Ledger& ledger, std::string const& out_trade_no, LedgerTime now,
                           Status const& answer);

}  // namespace wechatpay::reconciler_internal
