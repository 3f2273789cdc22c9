// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once
// The ledger's records as PostgreSQL rows: the column lists (one column per record field, named
// as the field) and the conversions both ways, written once for every statement of the store.
#include <vector>

#include "postgres_connection.hpp"
#include "wechatpay/ledger/records.hpp"

namespace wechatpay::ledger_postgres {

/// "out_trade_no, appid, ..., lease_until": ledger_orders' columns in OrderParams() order.
extern char const* const kPgOrderColumns;
/// The number of columns in kPgOrderColumns.
inline constexpr int kPgOrderColumnCount = 22;
/// ledger_refunds' columns in RefundParams() order.
extern char const* const kPgRefundColumns;
/// The number of columns in kPgRefundColumns.
inline constexpr int kPgRefundColumnCount = 13;
/// ledger_history's columns as HistoryFromRow() reads them.
extern char const* const kPgHistoryColumns;

/// The order's fields as statement parameters, in kPgOrderColumns order.
std::vector<PgParam> OrderParams(OrderRecord const& order);
/// The refund's fields as statement parameters, in kPgRefundColumns order.
std::vector<PgParam> RefundParams(RefundRecord const& refund);

/// The order in `row` (columns from `first`, as kPgOrderColumns). kInternal when a stored state
/// is not one this library knows (the database was written by something else).
StatusOr<OrderRecord> OrderFromRow(PgResult const& result, int row, int first = 0);
/// The refund in `row` (columns as kPgRefundColumns).
StatusOr<RefundRecord> RefundFromRow(PgResult const& result, int row);
/// The history entry in `row` (columns as kPgHistoryColumns).
StatusOr<HistoryEntry> HistoryFromRow(PgResult const& result, int row);

}  // namespace wechatpay::ledger_postgres
