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

/// Inserts or replaces the order row.
Status WriteOrder(Connection& db, std::string_view operation, OrderRecord const& order);
/// Inserts or replaces the refund row; kInvalidArgument when out_refund_no belongs to another
/// order (nothing is written then).
Status WriteRefund(Connection& db, std::string_view operation, RefundRecord const& refund);
/// Appends `entry` at `seq`.
Status WriteHistory(Connection& db, std::string_view operation, HistoryEntry const& entry,
                    std::int64_t seq);
/// The order's last history seq (0 when none).
StatusOr<std::int64_t> LastHistorySeq(Connection& db, std::string_view operation,
                                      std::string const& out_trade_no);
Status WriteLease(Connection& db, std::string_view operation, std::string const& out_trade_no,
                  std::string const& owner, LedgerTime until);

/// True when the notification id has been recorded.
StatusOr<bool> NotificationRecorded(Connection& db, std::string_view operation,
                                    std::string const& id);
Status RecordNotification(Connection& db, std::string_view operation, std::string const& id,
                          LedgerTime processed_at, std::string const& out_trade_no);

}  // namespace wechatpay::ledger_sqlite
