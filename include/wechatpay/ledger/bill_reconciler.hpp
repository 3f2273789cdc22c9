// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file ledger/bill_reconciler.hpp
/// Daily reconciliation of WeChat Pay's trade bill with the ledger (docs/ledger.md, "Daily
/// reconciliation"). The bill is what WeChat settled; the ledger is what the merchant's books
/// say. For one Beijing day (UTC+8) every payment of the bill (rows with trade_state SUCCESS) and
/// every refund (rows with trade_state REFUND) is compared with the ledger, and the ledger's
/// orders paid that day (success_time) and refunds that succeeded that day (the history entry
/// that recorded SUCCESS) are compared with the bill. Every difference is reported and, by
/// default, recorded on its order for review (review_reason and a history entry, source
/// LedgerSource::kReconciler, detail "bill <date>: ..."), once: running the same day again
/// records nothing twice.
///
/// @code
///   wechatpay::BillReconciliation day(ledger, "2026-12-06");
///   wechatpay::TradeBillReader reader([&](wechatpay::TradeBillRow&& row) { return day.Add(row);
///   });
///   ... reader.Feed(chunk) for every chunk of the decompressed bill, then reader.Finish() ...
///   auto report = day.Finish();
///   std::cout << wechatpay::BillReconcileTable(*report);
/// @endcode
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wechatpay/ledger/ledger.hpp"
#include "wechatpay/ledger/records.hpp"
#include "wechatpay/ledger_export.hpp"
#include "wechatpay/protocol/bill_format.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay {

/// What kind of difference the bill and the ledger show.
enum class BillDifferenceKind {
  /// The bill has a payment whose out_trade_no the ledger does not know.
  kMissingInLedger,
  /// The ledger has a payment (or a successful refund) on that day that the bill does not list.
  kMissingInBill,
  /// The bill's order amount (订单金额; 应结订单金额 when the bill leaves it empty) is not the
  /// ledger's total.
  kAmountDiffers,
  /// The bill says paid, the ledger says otherwise (NOT_PAID, CLOSED, ...), or the ledger holds
  /// another transaction_id.
  kStateDiffers,
  /// A refund row of the bill disagrees with the ledger: an out_refund_no the ledger does not
  /// know (or knows under another order), another amount, another status.
  kRefundDiffers,
};

/// The stable name of a kind: "MISSING_IN_LEDGER", "MISSING_IN_BILL", "AMOUNT_DIFFERS",
/// "STATE_DIFFERS", "REFUND_DIFFERS".
WECHATPAY_LEDGER_EXPORT std::string_view BillDifferenceKindName(BillDifferenceKind kind);

/// One difference between the bill and the ledger. Amounts in fen.
struct WECHATPAY_LEDGER_EXPORT BillDifference {
  /// What differs.
  BillDifferenceKind kind = BillDifferenceKind::kMissingInLedger;
  /// The order.
  std::string out_trade_no;
  /// The refund, for refund differences ("" for a payment).
  std::string out_refund_no;
  /// WeChat's transaction_id (the bill's; the ledger's when the bill has none).
  std::string transaction_id;
  /// The bill's amount (the order amount for a payment, the refund amount for a refund);
  /// nullopt when the bill has no such row.
  std::optional<std::int64_t> bill_fen;
  /// The ledger's amount (the order's total, the refund's amount); nullopt when the ledger has
  /// no such record.
  std::optional<std::int64_t> ledger_fen;
  /// The bill's state ("SUCCESS" for a payment; the refund status for a refund); "" when absent.
  std::string bill_state;
  /// The ledger's state (LedgerOrderStateName / LedgerRefundStateName); "" when absent.
  std::string ledger_state;
  /// The difference in words (also the review reason written on the order).
  std::string detail;
};

/// The result of reconciling one day.
struct WECHATPAY_LEDGER_EXPORT BillReconcileReport {
  /// The bill's date, yyyy-MM-dd (Beijing time).
  std::string bill_date;
  /// Payment rows of the bill (trade_state SUCCESS).
  std::int64_t bill_payments = 0;
  std::int64_t bill_payment_fen = 0;  ///< sum of the payment rows' order amounts
  /// Refund rows of the bill (trade_state REFUND).
  std::int64_t bill_refunds = 0;
  std::int64_t bill_refund_fen = 0;  ///< sum of the refund rows' refund amounts
  /// Rows of the bill that are neither (e.g. REVOKED): not compared.
  std::int64_t bill_rows_skipped = 0;
  /// The ledger's orders paid that day (state PAID, success_time within the day).
  std::int64_t ledger_payments = 0;
  std::int64_t ledger_payment_fen = 0;  ///< sum of their totals
  /// The ledger's refunds that reached SUCCESS that day.
  std::int64_t ledger_refunds = 0;
  std::int64_t ledger_refund_fen = 0;  ///< sum of their amounts
  /// Payments found equal on both sides.
  std::int64_t matched_payments = 0;
  std::int64_t matched_payment_fen = 0;  ///< sum of the matched payments' amounts
  /// Refunds found equal on both sides.
  std::int64_t matched_refunds = 0;
  std::int64_t matched_refund_fen = 0;  ///< sum of the matched refunds' amounts
  /// Differences newly recorded on orders by this run (0 when they had been recorded before,
  /// or with BillReconcileOptions::record_review false).
  std::int64_t recorded = 0;
  /// Every difference: the bill's rows in file order first, then what only the ledger has.
  std::vector<BillDifference> differences;
};

/// How a reconciliation runs.
struct WECHATPAY_LEDGER_EXPORT BillReconcileOptions {
  /// Record each difference on its order (review_reason, history); false only reports.
  bool record_review = true;
};

/// The Beijing day `bill_date` (yyyy-MM-dd, a real date) as [from, before) in milliseconds
/// since the epoch: 2026-12-06 is [2026-12-05T16:00:00Z, 2026-12-06T16:00:00Z). Errors:
/// kInvalidArgument naming the field `bill_date` and the rule.
WECHATPAY_LEDGER_EXPORT StatusOr<std::pair<LedgerTime, LedgerTime>> BeijingDayBounds(
    std::string_view bill_date);

/// The reconciliation of one day, fed the bill's rows one at a time (a TradeBillReader's row
/// handler can call Add()), so that a large bill is never held whole: only the few fields
/// compared are kept per row. Not thread-safe; one per day and bill.
class WECHATPAY_LEDGER_EXPORT BillReconciliation {
 public:
  /// A reconciliation of `ledger` (must not be null) with the trade bill of `bill_date`
  /// (yyyy-MM-dd; checked by Add() and Finish(), see BeijingDayBounds()).
  BillReconciliation(std::shared_ptr<Ledger> ledger, std::string bill_date,
                     BillReconcileOptions options = {});
  /// Drops what was added; nothing is recorded without Finish().
  ~BillReconciliation();
  /// Moves the rows added so far (the moved-from object must not be used again).
  BillReconciliation(BillReconciliation&&) noexcept;
  /// Moves the rows added so far (the moved-from object must not be used again).
  BillReconciliation& operator=(BillReconciliation&&) noexcept;

  /// Takes one detail row of the bill (bill_type ALL, SUCCESS or REFUND). Errors:
  /// kInvalidArgument for a bad bill_date, or a payment or refund row without out_trade_no (or,
  /// for a refund, out_refund_no), naming the column.
  Status Add(TradeBillRow const& row);

  /// Compares what was added with the ledger, records the differences (unless
  /// BillReconcileOptions::record_review is false) and returns the report. Errors: the
  /// store's (kUnavailable, ...): differences recorded before the error stay recorded, and a
  /// new run records only the others. kInvalidArgument for a bad bill_date.
  StatusOr<BillReconcileReport> Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Reconciles `rows` (a whole bill in memory) with the ledger: BillReconciliation in one call.
WECHATPAY_LEDGER_EXPORT StatusOr<BillReconcileReport> ReconcileTradeBill(
    std::shared_ptr<Ledger> ledger, std::string const& bill_date,
    std::vector<TradeBillRow> const& rows, BillReconcileOptions options = {});

/// The report as JSON lines: one object per difference
/// (`{"kind":"AMOUNT_DIFFERS","out_trade_no":..,"out_refund_no":..,"transaction_id":..,
/// "bill_fen":100,"ledger_fen":90,"bill_state":..,"ledger_state":..,"detail":..}`, an absent
/// amount as null), then one summary object (`{"summary":true,"bill_date":..,"differences":N,
/// ...the report's counts and totals...}`), each line ending with '\n'.
WECHATPAY_LEDGER_EXPORT std::string BillReconcileJsonLines(BillReconcileReport const& report);

/// The report as a table for a person: one line per difference with aligned columns (KIND,
/// OUT_TRADE_NO, OUT_REFUND_NO, BILL, LEDGER, DETAIL; amounts in fen), then the totals.
WECHATPAY_LEDGER_EXPORT std::string BillReconcileTable(BillReconcileReport const& report);

}  // namespace wechatpay
