// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once
// The SQLite store's reads and writes of single rows: one function per table and direction, so
// that every statement lists the columns in one order.
#include <optional>
#include <string>
#include <vector>

#include "sqlite_connection.hpp"
#include "wechatpay/ledger/store.hpp"

namespace wechatpay::ledger_sqlite {

/// The order `out_trade_no` and its refunds, oldest first.
StatusOr<LedgerRows> ReadRows(Connection& db, std::string_view operation,
                              std::string const& out_trade_no);
/// The order's refunds, oldest first.
StatusOr<std::vector<RefundRecord>> ReadRefunds(Connection& db, std::string_view operation,
                                                std::string const& out_trade_no);
StatusOr<std::optional<RefundRecord>> ReadRefund(Connection& db, std::string_view operation,
                                                 std::string const& out_refund_no);
StatusOr<std::vector<HistoryEntry>> ReadHistory(Connection& db, std::string_view operation,
                                                std::string const& out_trade_no);
StatusOr<std::vector<OrderRecord>> ReadOrders(Connection& db, std::string_view operation,
                                              LedgerQuery const& query);
/// Orders due for the Reconciler that `owner` may lease at `now`, soonest first.
StatusOr<std::vector<OrderRecord>> ReadLeasable(Connection& db, std::string_view operation,
                                                std::string const& owner, LedgerTime now,
                                                int limit);

/// Writes the order row: inserts it when `stored` is null, else updates the stored row
/// (`stored` is that row as read in this transaction; kInternal when it is gone).
Status WriteOrder(Connection& db, std::string_view operation, OrderRecord const& order,
                  OrderRecord const* stored);
/// Inserts or replaces the refund row; kInvalidArgument when out_refund_no belongs to another
/// order (nothing is written then).
Status WriteRefund(Connection& db, std::string_view operation, RefundRecord const& refund);
/// Appends `entry` at the order's next seq (1 for its first entry).
Status AppendHistory(Connection& db, std::string_view operation, HistoryEntry const& entry);
Status WriteLease(Connection& db, std::string_view operation, std::string const& out_trade_no,
                  std::string const& owner, LedgerTime until);

/// True when the notification id has been recorded.
StatusOr<bool> NotificationRecorded(Connection& db, std::string_view operation,
                                    std::string const& id);
/// Records the notification id; false (nothing written) when it was recorded before.
StatusOr<bool> RecordNotificationOnce(Connection& db, std::string_view operation,
                                      std::string const& id, LedgerTime processed_at,
                                      std::string const& out_trade_no);

}  // namespace wechatpay::ledger_sqlite
