// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// How the bill reconciliation records a difference on its order: one LedgerStore::Mutate() that
// adds the difference to the order's review_reason (and the refund's, for a refund the ledger
// knows) with a history entry, source kReconciler — once per difference and day, however often
// the day is reconciled.

#include <string>

#include "wechatpay/ledger/bill_reconciler.hpp"
#include "wechatpay/ledger/ledger.hpp"

namespace wechatpay::bill_internal {

/// The key under which `difference` of `bill_date` is recorded as processed (the store's
/// processed-id table, as for notifications): the day, the kind, the order, the refund and both
/// values, so that the same difference is recorded once and a changed one again.
std::string DifferenceKey(std::string const& bill_date, BillDifference const& difference);

/// Records `difference` on its order. True when it was written now; false when it had been
/// recorded before, or when the ledger has no such order (a MISSING_IN_LEDGER payment, a refund
/// of an unknown order: there is nothing to flag, the report alone names it).
StatusOr<bool> RecordDifference(Ledger& ledger, std::string const& bill_date,
                                BillDifference const& difference);

}  // namespace wechatpay::bill_internal
