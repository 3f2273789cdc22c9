// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "sqlite_rows.hpp"

#include <utility>

namespace wechatpay::ledger_sqlite {
namespace {

// The column lists, in the order Bind*/Read* use them. Macros so that each statement below is
// one string literal (the statement cache is keyed by the literal).
#define ORDER_COLUMNS                                                                            \
  "out_trade_no, appid, description, total_fen, currency, state, trade_state, code_url, "        \
  "code_url_expires_at, close_deadline, transaction_id, payer_total_fen, success_time, "         \
  "created_at, updated_at, version, outcome_unknown, last_error, review_reason, next_check_at, " \
  "lease_owner, lease_until"
#define ORDER_PARAMS                                                                       \
  "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, " \
  "?20, ?21, ?22"
#define REFUND_COLUMNS                                                               \
  "out_refund_no, out_trade_no, refund_id, refund_fen, total_fen, currency, state, " \
  "refund_status, created_at, updated_at, outcome_unknown, last_error, review_reason"
#define HISTORY_COLUMNS \
  "out_trade_no, seq, out_refund_no, at, source, from_state, to_state, notification_id, detail"

Status BadStoredValue(std::string_view operation, std::string const& what, std::string const& key) {
  return Status(StatusCode::kInternal, "ledger (sqlite) " + std::string(operation) + ": " + what +
                                           " of " + key + " is not a known name");
}

StatusOr<OrderRecord> ReadOrder(Statement const& row, std::string_view operation) {
  OrderRecord order;
  order.out_trade_no = row.Text(0);
  order.appid = row.Text(1);
  order.description = row.Text(2);
  order.total_fen = row.Int(3);
  order.currency = row.Text(4);
  auto state = ParseLedgerOrderState(row.Text(5));
  if (!state) return BadStoredValue(operation, "the state", order.out_trade_no);
  order.state = *state;
  order.trade_state = row.Text(6);
  order.code_url = row.Text(7);
  order.code_url_expires_at = row.Int(8);
  order.close_deadline = row.Int(9);
  order.transaction_id = row.Text(10);
  if (!row.IsNull(11)) order.payer_total_fen = row.Int(11);
  order.success_time = row.Text(12);
  order.created_at = row.Int(13);
  order.updated_at = row.Int(14);
  order.version = row.Int(15);
  order.outcome_unknown = row.Int(16) != 0;
  order.last_error = row.Text(17);
  order.review_reason = row.Text(18);
  order.next_check_at = row.Int(19);
  order.lease_owner = row.Text(20);
  order.lease_until = row.Int(21);
  return order;
}

StatusOr<RefundRecord> ReadRefundRow(Statement const& row, std::string_view operation) {
  RefundRecord refund;
  refund.out_refund_no = row.Text(0);
  refund.out_trade_no = row.Text(1);
  refund.refund_id = row.Text(2);
  refund.refund_fen = row.Int(3);
  refund.total_fen = row.Int(4);
  refund.currency = row.Text(5);
  auto state = ParseLedgerRefundState(row.Text(6));
  if (!state) return BadStoredValue(operation, "the state", refund.out_refund_no);
  refund.state = *state;
  refund.refund_status = row.Text(7);
  refund.created_at = row.Int(8);
  refund.updated_at = row.Int(9);
  refund.outcome_unknown = row.Int(10) != 0;
  refund.last_error = row.Text(11);
  refund.review_reason = row.Text(12);
  return refund;
}

StatusOr<HistoryEntry> ReadHistoryRow(Statement const& row, std::string_view operation) {
  HistoryEntry entry;
  entry.out_trade_no = row.Text(0);
  entry.seq = row.Int(1);
  entry.out_refund_no = row.Text(2);
  entry.at = row.Int(3);
  auto source = ParseLedgerSource(row.Text(4));
  if (!source) return BadStoredValue(operation, "a history source", entry.out_trade_no);
  entry.source = *source;
  entry.from_state = row.Text(5);
  entry.to_state = row.Text(6);
  entry.notification_id = row.Text(7);
  entry.detail = row.Text(8);
  return entry;
}

// Steps `statement` to the end, reading every row with `read`.
template <typename T, typename Read>
StatusOr<std::vector<T>> ReadAll(Connection& db, std::string_view operation, Statement& statement,
                                 Read read) {
  std::vector<T> rows;
  for (;;) {
    int rc = statement.Step();
    if (rc == SQLITE_DONE) return rows;
    if (rc != SQLITE_ROW) return db.Error(operation, rc);
    auto row = read(statement, operation);
    if (!row.ok()) return row.status();
    rows.push_back(*std::move(row));
  }
}

Status StepDone(Connection& db, std::string_view operation, Statement& statement) {
  int rc = statement.Step();
  return rc == SQLITE_DONE ? Status() : db.Error(operation, rc);
}

}  // namespace

StatusOr<LedgerRows> ReadRows(Connection& db, std::string_view operation,
                              std::string const& out_trade_no) {
  LedgerRows rows;
  {
    auto select = db.Prepare(operation,
                             "SELECT " ORDER_COLUMNS " FROM ledger_orders WHERE out_trade_no = ?1");
    if (!select.ok()) return select.status();
    (*select)->Bind(1, out_trade_no);
    auto orders = ReadAll<OrderRecord>(db, operation, **select, ReadOrder);
    if (!orders.ok()) return orders.status();
    if (!orders->empty()) rows.order = std::move(orders->front());
  }
  auto refunds = ReadRefunds(db, operation, out_trade_no);
  if (!refunds.ok()) return refunds.status();
  rows.refunds = *std::move(refunds);
  return rows;
}

StatusOr<std::vector<RefundRecord>> ReadRefunds(Connection& db, std::string_view operation,
                                                std::string const& out_trade_no) {
  // rowid: the order of insertion, kept by the upsert in WriteRefund.
  auto select = db.Prepare(operation, "SELECT " REFUND_COLUMNS
                                      " FROM ledger_refunds WHERE out_trade_no = ?1"
                                      " ORDER BY created_at, rowid");
  if (!select.ok()) return select.status();
  (*select)->Bind(1, out_trade_no);
  return ReadAll<RefundRecord>(db, operation, **select, ReadRefundRow);
}

StatusOr<std::optional<RefundRecord>> ReadRefund(Connection& db, std::string_view operation,
                                                 std::string const& out_refund_no) {
  auto select = db.Prepare(
      operation, "SELECT " REFUND_COLUMNS " FROM ledger_refunds WHERE out_refund_no = ?1");
  if (!select.ok()) return select.status();
  (*select)->Bind(1, out_refund_no);
  auto refunds = ReadAll<RefundRecord>(db, operation, **select, ReadRefundRow);
  if (!refunds.ok()) return refunds.status();
  if (refunds->empty()) return std::optional<RefundRecord>();
  return std::optional<RefundRecord>(std::move(refunds->front()));
}

StatusOr<std::vector<HistoryEntry>> ReadHistory(Connection& db, std::string_view operation,
                                                std::string const& out_trade_no) {
  auto select = db.Prepare(operation, "SELECT " HISTORY_COLUMNS
                                      " FROM ledger_history WHERE out_trade_no = ?1 ORDER BY seq");
  if (!select.ok()) return select.status();
  (*select)->Bind(1, out_trade_no);
  return ReadAll<HistoryEntry>(db, operation, **select, ReadHistoryRow);
}

StatusOr<std::vector<OrderRecord>> ReadOrders(Connection& db, std::string_view operation,
                                              LedgerQuery const& query) {
  // One statement for every query: a filter whose parameter is empty or 0 is off; the states
  // are matched as ",NAME," inside ",A,B,".
  auto select = db.Prepare(operation, "SELECT " ORDER_COLUMNS
                                      " FROM ledger_orders"
                                      " WHERE (?1 = '' OR instr(?1, ',' || state || ',') > 0)"
                                      " AND (?2 = 0 OR review_reason <> '')"
                                      " AND (?3 = 0 OR outcome_unknown <> 0)"
                                      " AND (?4 = 0 OR created_at >= ?4)"
                                      " AND (?5 = 0 OR created_at < ?5)"
                                      // success_time is RFC 3339 text with its offset, which
                                      // strftime() turns into UTC seconds (NULL when it is not
                                      // a date-time: no match). The GLOB keeps out what
                                      // strftime() would read otherwise (a bare number is a
                                      // Julian day to it), as PostgreSQL's pattern does.
                                      " AND ((?7 = 0 AND ?8 = 0) OR success_time GLOB"
                                      " '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*')"
                                      " AND (?7 = 0 OR CAST(strftime('%s', success_time)"
                                      " AS INTEGER) * 1000 >= ?7)"
                                      " AND (?8 = 0 OR CAST(strftime('%s', success_time)"
                                      " AS INTEGER) * 1000 < ?8)"
                                      " AND ((?9 = 0 AND ?10 = 0) OR EXISTS (SELECT 1"
                                      " FROM ledger_history h"
                                      " WHERE h.out_trade_no = ledger_orders.out_trade_no"
                                      " AND h.out_refund_no <> '' AND h.to_state = 'SUCCESS'"
                                      " AND h.from_state <> 'SUCCESS'"
                                      " AND (?9 = 0 OR h.at >= ?9) AND (?10 = 0 OR h.at < ?10)))"
                                      " ORDER BY created_at DESC, out_trade_no DESC LIMIT ?6");
  if (!select.ok()) return select.status();
  std::string states;
  for (auto state : query.states) {
    states += (states.empty() ? "," : "") + std::string(LedgerOrderStateName(state)) + ",";
  }
  (*select)->Bind(1, states);
  (*select)->Bind(2, std::int64_t{query.needs_review_only ? 1 : 0});
  (*select)->Bind(3, std::int64_t{query.outcome_unknown_only ? 1 : 0});
  (*select)->Bind(4, query.created_from);
  (*select)->Bind(5, query.created_before);
  (*select)->Bind(6, std::int64_t{query.limit});
  (*select)->Bind(7, query.paid_from);
  (*select)->Bind(8, query.paid_before);
  (*select)->Bind(9, query.refund_succeeded_from);
  (*select)->Bind(10, query.refund_succeeded_before);
  return ReadAll<OrderRecord>(db, operation, **select, ReadOrder);
}

StatusOr<std::vector<OrderRecord>> ReadLeasable(Connection& db, std::string_view operation,
                                                std::string const& owner, LedgerTime now,
                                                int limit) {
  auto select = db.Prepare(operation, "SELECT " ORDER_COLUMNS
                                      " FROM ledger_orders"
                                      " WHERE next_check_at > 0 AND next_check_at <= ?1"
                                      " AND (lease_owner = '' OR lease_owner = ?2"
                                      " OR lease_until <= ?1)"
                                      " ORDER BY next_check_at, out_trade_no LIMIT ?3");
  if (!select.ok()) return select.status();
  (*select)->Bind(1, now);
  (*select)->Bind(2, owner);
  (*select)->Bind(3, std::int64_t{limit});
  return ReadAll<OrderRecord>(db, operation, **select, ReadOrder);
}

namespace {

// The columns an update of an order sets, in ORDER_COLUMNS' numbering, except the two that
// indexes cover (created_at ?14, next_check_at ?20), which WriteOrder() sets only when they
// change.
#define ORDER_UPDATE_SET                                                                    \
  "UPDATE ledger_orders SET appid = ?2, description = ?3, total_fen = ?4, currency = ?5,"   \
  " state = ?6, trade_state = ?7, code_url = ?8, code_url_expires_at = ?9,"                 \
  " close_deadline = ?10, transaction_id = ?11, payer_total_fen = ?12, success_time = ?13," \
  " updated_at = ?15, version = ?16, outcome_unknown = ?17, last_error = ?18,"              \
  " review_reason = ?19, lease_owner = ?21, lease_until = ?22"
#define ORDER_UPDATE_WHERE " WHERE out_trade_no = ?1"

StatusOr<std::unique_ptr<Statement>> PrepareOrderWrite(Connection& db, std::string_view operation,
                                                       OrderRecord const& order,
                                                       OrderRecord const* stored) {
  if (stored == nullptr) {
    return db.Prepare(operation,
                      "INSERT INTO ledger_orders (" ORDER_COLUMNS ") VALUES (" ORDER_PARAMS ")");
  }
  // An existing row is updated in place, and an indexed column only when its value changes:
  // SQLite rewrites an index's entry whenever the UPDATE names one of its columns, whatever the
  // value. Pages written to the WAL per payment, measured: INSERT OR REPLACE (which deletes and
  // reinserts the row and all its index entries) 6, every column named 3, this 2 (the row and
  // the next_check_at index, which a payment does change). Fewer pages per commit: a shorter
  // write lock and fewer checkpoints.
  bool const created = order.created_at != stored->created_at;
  bool const next_check = order.next_check_at != stored->next_check_at;
  if (created && next_check) {
    return db.Prepare(
        operation, ORDER_UPDATE_SET ", created_at = ?14, next_check_at = ?20" ORDER_UPDATE_WHERE);
  }
  if (created) {
    return db.Prepare(operation, ORDER_UPDATE_SET ", created_at = ?14" ORDER_UPDATE_WHERE);
  }
  if (next_check) {
    return db.Prepare(operation, ORDER_UPDATE_SET ", next_check_at = ?20" ORDER_UPDATE_WHERE);
  }
  return db.Prepare(operation, ORDER_UPDATE_SET ORDER_UPDATE_WHERE);
}

#undef ORDER_UPDATE_SET
#undef ORDER_UPDATE_WHERE

}  // namespace

Status WriteOrder(Connection& db, std::string_view operation, OrderRecord const& order,
                  OrderRecord const* stored) {
  // Every statement PrepareOrderWrite() chooses takes all 22 parameters by their numbers (an
  // update leaves some unused).
  auto statement = PrepareOrderWrite(db, operation, order, stored);
  if (!statement.ok()) return statement.status();
  auto& s = **statement;
  s.Bind(1, order.out_trade_no);
  s.Bind(2, order.appid);
  s.Bind(3, order.description);
  s.Bind(4, order.total_fen);
  s.Bind(5, order.currency);
  s.Bind(6, LedgerOrderStateName(order.state));
  s.Bind(7, order.trade_state);
  s.Bind(8, order.code_url);
  s.Bind(9, order.code_url_expires_at);
  s.Bind(10, order.close_deadline);
  s.Bind(11, order.transaction_id);
  if (order.payer_total_fen) {
    s.Bind(12, *order.payer_total_fen);
  } else {
    s.BindNull(12);
  }
  s.Bind(13, order.success_time);
  s.Bind(14, order.created_at);
  s.Bind(15, order.updated_at);
  s.Bind(16, order.version);
  s.Bind(17, std::int64_t{order.outcome_unknown ? 1 : 0});
  s.Bind(18, order.last_error);
  s.Bind(19, order.review_reason);
  s.Bind(20, order.next_check_at);
  s.Bind(21, order.lease_owner);
  s.Bind(22, order.lease_until);
  if (auto status = StepDone(db, operation, s); !status.ok()) return status;
  if (db.Changes() != 1) {
    return Status(StatusCode::kInternal, "ledger (sqlite) " + std::string(operation) +
                                             ": the order " + order.out_trade_no +
                                             " was not written");
  }
  return Status();
}

Status WriteRefund(Connection& db, std::string_view operation, RefundRecord const& refund) {
  // An upsert, not INSERT OR REPLACE: the row keeps its rowid, so refunds stay in insertion
  // order. The WHERE leaves a refund of another order untouched (0 changes: refused below).
  auto upsert = db.Prepare(
      operation, "INSERT INTO ledger_refunds (" REFUND_COLUMNS
                 ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
                 " ON CONFLICT (out_refund_no) DO UPDATE SET refund_id = excluded.refund_id,"
                 " refund_fen = excluded.refund_fen, total_fen = excluded.total_fen,"
                 " currency = excluded.currency, state = excluded.state,"
                 " refund_status = excluded.refund_status, created_at = excluded.created_at,"
                 " updated_at = excluded.updated_at, outcome_unknown = excluded.outcome_unknown,"
                 " last_error = excluded.last_error, review_reason = excluded.review_reason"
                 " WHERE ledger_refunds.out_trade_no = excluded.out_trade_no");
  if (!upsert.ok()) return upsert.status();
  auto& s = **upsert;
  s.Bind(1, refund.out_refund_no);
  s.Bind(2, refund.out_trade_no);
  s.Bind(3, refund.refund_id);
  s.Bind(4, refund.refund_fen);
  s.Bind(5, refund.total_fen);
  s.Bind(6, refund.currency);
  s.Bind(7, LedgerRefundStateName(refund.state));
  s.Bind(8, refund.refund_status);
  s.Bind(9, refund.created_at);
  s.Bind(10, refund.updated_at);
  s.Bind(11, std::int64_t{refund.outcome_unknown ? 1 : 0});
  s.Bind(12, refund.last_error);
  s.Bind(13, refund.review_reason);
  if (auto status = StepDone(db, operation, s); !status.ok()) return status;
  if (db.Changes() == 0) {
    ErrorInfo info;
    info.field = "refund.out_refund_no";
    return Status(StatusCode::kInvalidArgument,
                  "ledger " + std::string(operation) +
                      ": refund.out_refund_no already belongs to another order",
                  info);
  }
  return Status();
}

Status AppendHistory(Connection& db, std::string_view operation, HistoryEntry const& entry) {
  // The seq in the INSERT itself rather than a SELECT of the last one first: one statement
  // less under the write lock per entry.
  auto insert = db.Prepare(operation, "INSERT INTO ledger_history (" HISTORY_COLUMNS
                                      ") VALUES (?1, (SELECT coalesce(max(seq), 0) + 1"
                                      " FROM ledger_history WHERE out_trade_no = ?1),"
                                      " ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!insert.ok()) return insert.status();
  auto& s = **insert;
  s.Bind(1, entry.out_trade_no);
  s.Bind(2, entry.out_refund_no);
  s.Bind(3, entry.at);
  s.Bind(4, LedgerSourceName(entry.source));
  s.Bind(5, entry.from_state);
  s.Bind(6, entry.to_state);
  s.Bind(7, entry.notification_id);
  s.Bind(8, entry.detail);
  return StepDone(db, operation, s);
}

Status WriteLease(Connection& db, std::string_view operation, std::string const& out_trade_no,
                  std::string const& owner, LedgerTime until) {
  auto update = db.Prepare(operation,
                           "UPDATE ledger_orders SET lease_owner = ?2, lease_until = ?3"
                           " WHERE out_trade_no = ?1");
  if (!update.ok()) return update.status();
  (*update)->Bind(1, out_trade_no);
  (*update)->Bind(2, owner);
  (*update)->Bind(3, until);
  return StepDone(db, operation, **update);
}

StatusOr<bool> NotificationRecorded(Connection& db, std::string_view operation,
                                    std::string const& id) {
  auto select = db.Prepare(operation, "SELECT 1 FROM ledger_notifications WHERE id = ?1");
  if (!select.ok()) return select.status();
  (*select)->Bind(1, id);
  int rc = (*select)->Step();
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db.Error(operation, rc);
}

StatusOr<bool> RecordNotificationOnce(Connection& db, std::string_view operation,
                                      std::string const& id, LedgerTime processed_at,
                                      std::string const& out_trade_no) {
  auto insert = db.Prepare(operation,
                           "INSERT INTO ledger_notifications (id, processed_at, out_trade_no)"
                           " VALUES (?1, ?2, ?3) ON CONFLICT (id) DO NOTHING");
  if (!insert.ok()) return insert.status();
  (*insert)->Bind(1, id);
  (*insert)->Bind(2, processed_at);
  (*insert)->Bind(3, out_trade_no);
  if (auto status = StepDone(db, operation, **insert); !status.ok()) return status;
  return db.Changes() == 1;
}

}  // namespace wechatpay::ledger_sqlite
