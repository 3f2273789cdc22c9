// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "postgres_rows.hpp"

#include <string>

namespace wechatpay::ledger_postgres {
namespace {

PgParam Int(std::int64_t value) { return std::to_string(value); }
PgParam Bool(bool value) { return std::string(value ? "true" : "false"); }

Status UnknownStored(char const* what, std::string_view value) {
  return Status(StatusCode::kInternal, std::string("ledger: the database holds an unknown ") +
                                           what + " \"" + std::string(value) + "\"");
}

}  // namespace

char const* const kPgOrderColumns =
    "out_trade_no, appid, description, total_fen, currency, state, trade_state, code_url, "
    "code_url_expires_at, close_deadline, transaction_id, payer_total_fen, success_time, "
    "created_at, updated_at, version, outcome_unknown, last_error, review_reason, "
    "next_check_at, lease_owner, lease_until";

char const* const kPgRefundColumns =
    "out_refund_no, out_trade_no, refund_id, refund_fen, total_fen, currency, state, "
    "refund_status, created_at, updated_at, outcome_unknown, last_error, review_reason";

char const* const kPgHistoryColumns =
    "out_trade_no, out_refund_no, seq, at, source, from_state, to_state, notification_id, detail";

std::vector<PgParam> OrderParams(OrderRecord const& o) {
  return {o.out_trade_no,
          o.appid,
          o.description,
          Int(o.total_fen),
          o.currency,
          std::string(LedgerOrderStateName(o.state)),
          o.trade_state,
          o.code_url,
          Int(o.code_url_expires_at),
          Int(o.close_deadline),
          o.transaction_id,
          o.payer_total_fen ? Int(*o.payer_total_fen) : std::nullopt,
          o.success_time,
          Int(o.created_at),
          Int(o.updated_at),
          Int(o.version),
          Bool(o.outcome_unknown),
          o.last_error,
          o.review_reason,
          Int(o.next_check_at),
          o.lease_owner,
          Int(o.lease_until)};
}

std::vector<PgParam> RefundParams(RefundRecord const& r) {
  return {r.out_refund_no,
          r.out_trade_no,
          r.refund_id,
          Int(r.refund_fen),
          Int(r.total_fen),
          r.currency,
          std::string(LedgerRefundStateName(r.state)),
          r.refund_status,
          Int(r.created_at),
          Int(r.updated_at),
          Bool(r.outcome_unknown),
          r.last_error,
          r.review_reason};
}

StatusOr<OrderRecord> OrderFromRow(PgResult const& result, int row, int first) {
  auto text = [&](int column) { return std::string(result.Text(row, first + column)); };
  auto integer = [&](int column) { return result.Int(row, first + column); };
  OrderRecord o;
  o.out_trade_no = text(0);
  o.appid = text(1);
  o.description = text(2);
  o.total_fen = integer(3);
  o.currency = text(4);
  auto state = ParseLedgerOrderState(result.Text(row, first + 5));
  if (!state) return UnknownStored("order state", result.Text(row, first + 5));
  o.state = *state;
  o.trade_state = text(6);
  o.code_url = text(7);
  o.code_url_expires_at = integer(8);
  o.close_deadline = integer(9);
  o.transaction_id = text(10);
  if (!result.IsNull(row, first + 11)) o.payer_total_fen = integer(11);
  o.success_time = text(12);
  o.created_at = integer(13);
  o.updated_at = integer(14);
  o.version = integer(15);
  o.outcome_unknown = result.Bool(row, first + 16);
  o.last_error = text(17);
  o.review_reason = text(18);
  o.next_check_at = integer(19);
  o.lease_owner = text(20);
  o.lease_until = integer(21);
  return o;
}

StatusOr<RefundRecord> RefundFromRow(PgResult const& result, int row) {
  auto text = [&](int column) { return std::string(result.Text(row, column)); };
  RefundRecord r;
  r.out_refund_no = text(0);
  r.out_trade_no = text(1);
  r.refund_id = text(2);
  r.refund_fen = result.Int(row, 3);
  r.total_fen = result.Int(row, 4);
  r.currency = text(5);
  auto state = ParseLedgerRefundState(result.Text(row, 6));
  if (!state) return UnknownStored("refund state", result.Text(row, 6));
  r.state = *state;
  r.refund_status = text(7);
  r.created_at = result.Int(row, 8);
  r.updated_at = result.Int(row, 9);
  r.outcome_unknown = result.Bool(row, 10);
  r.last_error = text(11);
  r.review_reason = text(12);
  return r;
}

StatusOr<HistoryEntry> HistoryFromRow(PgResult const& result, int row) {
  auto text = [&](int column) { return std::string(result.Text(row, column)); };
  HistoryEntry h;
  h.out_trade_no = text(0);
  h.out_refund_no = text(1);
  h.seq = result.Int(row, 2);
  h.at = result.Int(row, 3);
  auto source = ParseLedgerSource(result.Text(row, 4));
  if (!source) return UnknownStored("history source", result.Text(row, 4));
  h.source = *source;
  h.from_state = text(5);
  h.to_state = text(6);
  h.notification_id = text(7);
  h.detail = text(8);
  return h;
}

}  // namespace wechatpay::ledger_postgres
