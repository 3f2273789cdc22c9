// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The bill reconciliation's report as text (bill_reconciler.hpp): JSON lines for programs,
// written with the project's one JSON text helper (common/json_text.hpp), and an aligned table
// for a person.

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/json_text.hpp"
#include "wechatpay/ledger/bill_reconciler.hpp"

namespace wechatpay {
namespace {

using internal::JsonObject;

void OptFen(JsonObject& object, std::string_view key, std::optional<std::int64_t> const& fen) {
  if (fen) {
    object.Int(key, *fen);
  } else {
    object.Raw(key, "null");
  }
}

// A side of a difference in the table: the state and the amount, "-" when that side has none.
std::string Side(std::optional<std::int64_t> const& fen, std::string const& state) {
  std::string text = state;
  if (fen) text += (text.empty() ? "" : " ") + std::to_string(*fen);
  return text.empty() ? "-" : text;
}

std::string Counted(std::int64_t count, std::int64_t fen) {
  return std::to_string(count) + " (" + std::to_string(fen) + " fen)";
}

}  // namespace

std::string BillReconcileJsonLines(BillReconcileReport const& report) {
  std::string out;
  for (auto const& d : report.differences) {
    JsonObject line;
    line.Str("kind", BillDifferenceKindName(d.kind))
        .Str("out_trade_no", d.out_trade_no)
        .Str("out_refund_no", d.out_refund_no)
        .Str("transaction_id", d.transaction_id);
    OptFen(line, "bill_fen", d.bill_fen);
    OptFen(line, "ledger_fen", d.ledger_fen);
    line.Str("bill_state", d.bill_state)
        .Str("ledger_state", d.ledger_state)
        .Str("detail", d.detail);
    out += line.Build() + "\n";
  }
  JsonObject summary;
  summary.Bool("summary", true)
      .Str("bill_date", report.bill_date)
      .Int("differences", static_cast<std::int64_t>(report.differences.size()))
      .Int("bill_payments", report.bill_payments)
      .Int("bill_payment_fen", report.bill_payment_fen)
      .Int("bill_refunds", report.bill_refunds)
      .Int("bill_refund_fen", report.bill_refund_fen)
      .Int("bill_rows_skipped", report.bill_rows_skipped)
      .Int("ledger_payments", report.ledger_payments)
      .Int("ledger_payment_fen", report.ledger_payment_fen)
      .Int("ledger_refunds", report.ledger_refunds)
      .Int("ledger_refund_fen", report.ledger_refund_fen)
      .Int("matched_payments", report.matched_payments)
      .Int("matched_payment_fen", report.matched_payment_fen)
      .Int("matched_refunds", report.matched_refunds)
      .Int("matched_refund_fen", report.matched_refund_fen)
      .Int("recorded", report.recorded);
  out += summary.Build() + "\n";
  return out;
}

std::string BillReconcileTable(BillReconcileReport const& report) {
  std::string out = "bill " + report.bill_date + ": ";
  if (report.differences.empty()) {
    out += "no differences\n";
  } else {
    out += std::to_string(report.differences.size()) + " difference" +
           (report.differences.size() == 1 ? "" : "s") + " (amounts in fen)\n";
    using Row = std::array<std::string, 6>;
    std::vector<Row> rows;
    rows.push_back({"KIND", "OUT_TRADE_NO", "OUT_REFUND_NO", "BILL", "LEDGER", "DETAIL"});
    for (auto const& d : report.differences) {
      rows.push_back({std::string(BillDifferenceKindName(d.kind)), d.out_trade_no,
                      d.out_refund_no.empty() ? "-" : d.out_refund_no,
                      Side(d.bill_fen, d.bill_state), Side(d.ledger_fen, d.ledger_state),
                      d.detail});
    }
    // Every column but the last is padded to its widest cell. The cells padded are ASCII
    // (kinds, WeChat's order numbers, states, digits), so bytes are columns.
    std::array<std::size_t, 5> width{};
    for (auto const& row : rows) {
      for (std::size_t i = 0; i < width.size(); ++i) width[i] = std::max(width[i], row[i].size());
    }
    for (auto const& row : rows) {
      std::string line;
      for (std::size_t i = 0; i < width.size(); ++i) {
        line += row[i] + std::string(width[i] - row[i].size() + 2, ' ');
      }
      out += line + row[5] + "\n";
    }
  }
  out += "payments: bill " + Counted(report.bill_payments, report.bill_payment_fen) + ", ledger " +
         Counted(report.ledger_payments, report.ledger_payment_fen) + ", matched " +
         Counted(report.matched_payments, report.matched_payment_fen) + "\n";
  out += "refunds:  bill " + Counted(report.bill_refunds, report.bill_refund_fen) + ", ledger " +
         Counted(report.ledger_refunds, report.ledger_refund_fen) + ", matched " +
         Counted(report.matched_refunds, report.matched_refund_fen) + "\n";
  if (report.bill_rows_skipped > 0) {
    out += "skipped:  " + std::to_string(report.bill_rows_skipped) +
           " bill rows neither paid nor refunded (e.g. REVOKED)\n";
  }
  out += "recorded for review: " + std::to_string(report.recorded) + " new\n";
  return out;
}

}  // namespace wechatpay
