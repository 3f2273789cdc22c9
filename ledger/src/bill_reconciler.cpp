// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// BillReconciliation (bill_reconciler.hpp): one day of WeChat's trade bill against the ledger.
// The bill side is kept compact (a few fields per row) as rows arrive; Finish() looks each row
// up in the store, lists what the ledger has for the day (LedgerQuery's paid_* and
// refund_succeeded_* bounds) and records the differences on the orders (bill_review.cpp).

#include "wechatpay/ledger/bill_reconciler.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <functional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "bill_review.hpp"
#include "common/rfc3339.hpp"
#include "ledger_rules.hpp"

namespace wechatpay {
namespace {

using ledger_internal::InvalidField;

constexpr LedgerTime kDayMs = 24LL * 60 * 60 * 1000;

// A payment row of the bill: only what is compared.
struct BillPayment {
  std::string out_trade_no;
  std::string transaction_id;
  std::int64_t amount_fen = 0;
};

// A refund row of the bill.
struct BillRefund {
  std::string out_trade_no;
  std::string out_refund_no;
  std::string transaction_id;
  std::int64_t refund_fen = 0;
  std::string status;
};

// The orders matching `query` within [from, before) of the bound `set_bounds` sets, all of
// them: a List() that comes back full (the store's limit) is split in two halves of time and
// each listed again, so no day is too busy to reconcile.
StatusOr<std::vector<OrderRecord>> ListAll(
    Ledger const& ledger, LedgerQuery query, LedgerTime from, LedgerTime before,
    std::function<void(LedgerQuery&, LedgerTime, LedgerTime)> const& set_bounds) {
  query.limit = 10000;
  set_bounds(query, from, before);
  auto orders = ledger.List(query);
  if (!orders.ok()) return orders.status();
  if (static_cast<int>(orders->size()) < query.limit) return orders;
  if (before - from < 2) {
    return Status(StatusCode::kAborted,
                  "more than 10000 ledger orders fall in one millisecond of the bill's day");
  }
  LedgerTime const middle = from + (before - from) / 2;
  auto first = ListAll(ledger, query, from, middle, set_bounds);
  if (!first.ok()) return first.status();
  auto second = ListAll(ledger, query, middle, before, set_bounds);
  if (!second.ok()) return second.status();
  first->insert(first->end(), std::make_move_iterator(second->begin()),
                std::make_move_iterator(second->end()));
  return first;
}

std::string Fen(std::int64_t fen) { return std::to_string(fen) + " fen"; }

}  // namespace

std::string_view BillDifferenceKindName(BillDifferenceKind kind) {
  switch (kind) {
    case BillDifferenceKind::kMissingInLedger:
      return "MISSING_IN_LEDGER";
    case BillDifferenceKind::kMissingInBill:
      return "MISSING_IN_BILL";
    case BillDifferenceKind::kAmountDiffers:
      return "AMOUNT_DIFFERS";
    case BillDifferenceKind::kStateDiffers:
      return "STATE_DIFFERS";
    case BillDifferenceKind::kRefundDiffers:
      return "REFUND_DIFFERS";
  }
  return "UNKNOWN";
}

StatusOr<std::pair<LedgerTime, LedgerTime>> BeijingDayBounds(std::string_view bill_date) {
  bool shaped = bill_date.size() == 10 && bill_date[4] == '-' && bill_date[7] == '-';
  for (std::size_t i = 0; shaped && i < bill_date.size(); ++i) {
    if (i != 4 && i != 7 && (bill_date[i] < '0' || bill_date[i] > '9')) shaped = false;
  }
  if (!shaped) return InvalidField("bill_date", "bill_date must be a date written yyyy-MM-dd");
  // The day starts at 00:00 Beijing time (UTC+8, no daylight saving): the one RFC 3339 parser
  // of the project checks that the date exists.
  std::string const start = std::string(bill_date) + "T00:00:00+08:00";
  auto const problem = internal::Rfc3339Problem(start);
  if (!problem.empty())
    return InvalidField("bill_date", "bill_date is not a real date: " + problem);
  auto const at = internal::ParseRfc3339(start);
  if (!at) return InvalidField("bill_date", "bill_date is not a real date");
  auto const from = static_cast<LedgerTime>(
      std::chrono::duration_cast<std::chrono::milliseconds>(at->time_since_epoch()).count());
  return std::make_pair(from, from + kDayMs);
}

struct BillReconciliation::Impl {
  std::shared_ptr<Ledger> ledger;
  std::string bill_date;
  BillReconcileOptions options;
  std::vector<BillPayment> payments;
  std::vector<BillRefund> refunds;
  std::int64_t skipped = 0;
  bool date_checked = false;  // bill_date checked once, by the first Add()

  void Compare(BillPayment const& payment, std::optional<OrderRecord> const& order,
               BillReconcileReport& report) const;
  Status CompareRefund(BillRefund const& refund, BillReconcileReport& report) const;
  Status LedgerPayments(LedgerTime from, LedgerTime before, std::set<std::string> const& in_bill,
                        BillReconcileReport& report) const;
  Status LedgerRefunds(LedgerTime from, LedgerTime before, std::set<std::string> const& in_bill,
                       BillReconcileReport& report) const;
};

void BillReconciliation::Impl::Compare(BillPayment const& payment,
                                       std::optional<OrderRecord> const& order,
                                       BillReconcileReport& report) const {
  BillDifference difference;
  difference.out_trade_no = payment.out_trade_no;
  difference.transaction_id = payment.transaction_id;
  difference.bill_fen = payment.amount_fen;
  difference.bill_state = "SUCCESS";
  if (!order) {
    difference.kind = BillDifferenceKind::kMissingInLedger;
    difference.detail = "paid " + Fen(payment.amount_fen) + " in the bill; the ledger has no order";
    report.differences.push_back(std::move(difference));
    return;
  }
  difference.ledger_fen = order->total_fen;
  difference.ledger_state = std::string(LedgerOrderStateName(order->state));
  if (difference.transaction_id.empty()) difference.transaction_id = order->transaction_id;
  if (order->state != LedgerOrderState::kPaid) {
    difference.kind = BillDifferenceKind::kStateDiffers;
    difference.detail = "paid in the bill; " + difference.ledger_state + " in the ledger";
  } else if (!payment.transaction_id.empty() && !order->transaction_id.empty() &&
             payment.transaction_id != order->transaction_id) {
    difference.kind = BillDifferenceKind::kStateDiffers;
    difference.detail = "paid by transaction " + payment.transaction_id + " in the bill; by " +
                        order->transaction_id + " in the ledger";
  } else if (payment.amount_fen != order->total_fen) {
    difference.kind = BillDifferenceKind::kAmountDiffers;
    difference.detail = "order amount " + Fen(payment.amount_fen) + " in the bill; total " +
                        Fen(order->total_fen) + " in the ledger";
  } else {
    ++report.matched_payments;
    report.matched_payment_fen += payment.amount_fen;
    return;
  }
  report.differences.push_back(std::move(difference));
}

Status BillReconciliation::Impl::CompareRefund(BillRefund const& refund,
                                               BillReconcileReport& report) const {
  auto found = ledger->store()->GetRefund(refund.out_refund_no);
  if (!found.ok()) return found.status();
  BillDifference difference;
  difference.kind = BillDifferenceKind::kRefundDiffers;
  difference.out_trade_no = refund.out_trade_no;
  difference.out_refund_no = refund.out_refund_no;
  difference.transaction_id = refund.transaction_id;
  difference.bill_fen = refund.refund_fen;
  difference.bill_state = refund.status;
  if (!*found) {
    difference.detail = "refund of " + Fen(refund.refund_fen) +
                        " in the bill; the ledger has no refund " + refund.out_refund_no;
    report.differences.push_back(std::move(difference));
    return Status();
  }
  RefundRecord const& record = **found;
  difference.ledger_fen = record.refund_fen;
  difference.ledger_state = std::string(LedgerRefundStateName(record.state));
  if (record.out_trade_no != refund.out_trade_no) {
    difference.detail = "refund of order " + refund.out_trade_no + " in the bill; of order " +
                        record.out_trade_no + " in the ledger";
  } else if (record.refund_fen != refund.refund_fen) {
    difference.detail = "refund of " + Fen(refund.refund_fen) + " in the bill; of " +
                        Fen(record.refund_fen) + " in the ledger";
  } else if (!refund.status.empty() && refund.status != difference.ledger_state) {
    difference.detail =
        "refund " + refund.status + " in the bill; " + difference.ledger_state + " in the ledger";
  } else {
    ++report.matched_refunds;
    report.matched_refund_fen += refund.refund_fen;
    return Status();
  }
  report.differences.push_back(std::move(difference));
  return Status();
}

Status BillReconciliation::Impl::LedgerPayments(LedgerTime from, LedgerTime before,
                                                std::set<std::string> const& in_bill,
                                                BillReconcileReport& report) const {
  LedgerQuery query;
  query.states = {LedgerOrderState::kPaid};
  auto orders =
      ListAll(*ledger, query, from, before, [](LedgerQuery& q, LedgerTime f, LedgerTime b) {
        q.paid_from = f;
        q.paid_before = b;
      });
  if (!orders.ok()) return orders.status();
  // Oldest payment first (by instant: the texts may carry different offsets), so that the
  // report reads in the order of the day.
  auto paid_at = [](OrderRecord const& order) {
    auto const at = internal::ParseRfc3339(order.success_time);
    return at ? at->time_since_epoch().count() : 0;
  };
  std::sort(orders->begin(), orders->end(), [&](OrderRecord const& a, OrderRecord const& b) {
    auto const a_at = paid_at(a);
    auto const b_at = paid_at(b);
    return std::tie(a_at, a.out_trade_no) < std::tie(b_at, b.out_trade_no);
  });
  for (auto const& order : *orders) {
    ++report.ledger_payments;
    report.ledger_payment_fen += order.total_fen;
    if (in_bill.count(order.out_trade_no) != 0) continue;
    BillDifference difference;
    difference.kind = BillDifferenceKind::kMissingInBill;
    difference.out_trade_no = order.out_trade_no;
    difference.transaction_id = order.transaction_id;
    difference.ledger_fen = order.total_fen;
    difference.ledger_state = std::string(LedgerOrderStateName(order.state));
    difference.detail = "paid " + Fen(order.total_fen) + " at " + order.success_time +
                        " in the ledger; not in the bill";
    report.differences.push_back(std::move(difference));
  }
  return Status();
}

Status BillReconciliation::Impl::LedgerRefunds(LedgerTime from, LedgerTime before,
                                               std::set<std::string> const& in_bill,
                                               BillReconcileReport& report) const {
  auto orders =
      ListAll(*ledger, LedgerQuery{}, from, before, [](LedgerQuery& q, LedgerTime f, LedgerTime b) {
        q.refund_succeeded_from = f;
        q.refund_succeeded_before = b;
      });
  if (!orders.ok()) return orders.status();
  std::sort(orders->begin(), orders->end(), [](OrderRecord const& a, OrderRecord const& b) {
    return a.out_trade_no < b.out_trade_no;
  });
  for (auto const& order : *orders) {
    // Which of the order's refunds reached SUCCESS within the day: the history says when.
    auto history = ledger->History(order.out_trade_no);
    if (!history.ok()) return history.status();
    auto rows = ledger->store()->Get(order.out_trade_no);
    if (!rows.ok()) return rows.status();
    std::set<std::string> seen;
    for (auto const& entry : *history) {
      if (entry.out_refund_no.empty() || entry.to_state != "SUCCESS" ||
          entry.from_state == "SUCCESS" || entry.at < from || entry.at >= before ||
          !seen.insert(entry.out_refund_no).second) {
        continue;
      }
      auto refund = std::find_if(
          rows->refunds.begin(), rows->refunds.end(),
          [&](RefundRecord const& r) { return r.out_refund_no == entry.out_refund_no; });
      if (refund == rows->refunds.end()) continue;  // history of a refund since removed
      ++report.ledger_refunds;
      report.ledger_refund_fen += refund->refund_fen;
      if (in_bill.count(refund->out_refund_no) != 0) continue;
      BillDifference difference;
      difference.kind = BillDifferenceKind::kMissingInBill;
      difference.out_trade_no = order.out_trade_no;
      difference.out_refund_no = refund->out_refund_no;
      difference.transaction_id = order.transaction_id;
      difference.ledger_fen = refund->refund_fen;
      difference.ledger_state = std::string(LedgerRefundStateName(refund->state));
      difference.detail =
          "refund of " + Fen(refund->refund_fen) + " succeeded in the ledger; not in the bill";
      report.differences.push_back(std::move(difference));
    }
  }
  return Status();
}

BillReconciliation::BillReconciliation(std::shared_ptr<Ledger> ledger, std::string bill_date,
                                       BillReconcileOptions options)
    : impl_(std::make_unique<Impl>()) {
  impl_->ledger = std::move(ledger);
  impl_->bill_date = std::move(bill_date);
  impl_->options = options;
}

BillReconciliation::~BillReconciliation() = default;
BillReconciliation::BillReconciliation(BillReconciliation&&) noexcept = default;
BillReconciliation& BillReconciliation::operator=(BillReconciliation&&) noexcept = default;

Status BillReconciliation::Add(TradeBillRow const& row) {
  if (!impl_->date_checked) {
    auto bounds = BeijingDayBounds(impl_->bill_date);
    if (!bounds.ok()) return bounds.status();
    impl_->date_checked = true;
  }
  if (row.trade_state == "SUCCESS") {
    if (row.out_trade_no.empty()) {
      return InvalidField("out_trade_no", "a payment row of the bill has no 商户订单号");
    }
    BillPayment payment;
    payment.out_trade_no = row.out_trade_no;
    payment.transaction_id = row.transaction_id;
    // 订单金额 is what the order asked for (the ledger's total); a bill that leaves it empty is
    // compared by 应结订单金额, which equals it when no coupon paid a part.
    payment.amount_fen = row.order_total_fen != 0 ? row.order_total_fen : row.settlement_total_fen;
    impl_->payments.push_back(std::move(payment));
  } else if (row.trade_state == "REFUND") {
    if (row.out_trade_no.empty()) {
      return InvalidField("out_trade_no", "a refund row of the bill has no 商户订单号");
    }
    if (row.out_refund_no.empty()) {
      return InvalidField("out_refund_no", "a refund row of the bill has no 商户退款单号");
    }
    BillRefund refund;
    refund.out_trade_no = row.out_trade_no;
    refund.out_refund_no = row.out_refund_no;
    refund.transaction_id = row.transaction_id;
    refund.refund_fen = row.refund_fen;
    refund.status = row.refund_status;
    impl_->refunds.push_back(std::move(refund));
  } else {
    ++impl_->skipped;  // REVOKED and the like: no money moved that the ledger books
  }
  return Status();
}

StatusOr<BillReconcileReport> BillReconciliation::Finish() {
  if (!impl_->ledger) return InvalidField("ledger", "the reconciliation needs a ledger");
  auto bounds = BeijingDayBounds(impl_->bill_date);
  if (!bounds.ok()) return bounds.status();
  auto const [from, before] = *bounds;
  BillReconcileReport report;
  report.bill_date = impl_->bill_date;
  report.bill_rows_skipped = impl_->skipped;

  std::set<std::string> payments_in_bill;
  for (auto const& payment : impl_->payments) {
    ++report.bill_payments;
    report.bill_payment_fen += payment.amount_fen;
    payments_in_bill.insert(payment.out_trade_no);
    auto rows = impl_->ledger->store()->Get(payment.out_trade_no);
    if (!rows.ok()) return rows.status();
    impl_->Compare(payment, rows->order, report);
  }
  std::set<std::string> refunds_in_bill;
  for (auto const& refund : impl_->refunds) {
    ++report.bill_refunds;
    report.bill_refund_fen += refund.refund_fen;
    refunds_in_bill.insert(refund.out_refund_no);
    auto compared = impl_->CompareRefund(refund, report);
    if (!compared.ok()) return compared;
  }
  auto payments = impl_->LedgerPayments(from, before, payments_in_bill, report);
  if (!payments.ok()) return payments;
  auto refunds = impl_->LedgerRefunds(from, before, refunds_in_bill, report);
  if (!refunds.ok()) return refunds;

  if (impl_->options.record_review) {
    for (auto const& difference : report.differences) {
      auto recorded = bill_internal::RecordDifference(*impl_->ledger, report.bill_date, difference);
      if (!recorded.ok()) return recorded.status();
      if (*recorded) ++report.recorded;
    }
  }
  return report;
}

StatusOr<BillReconcileReport> ReconcileTradeBill(std::shared_ptr<Ledger> ledger,
                                                 std::string const& bill_date,
                                                 std::vector<TradeBillRow> const& rows,
                                                 BillReconcileOptions options) {
  BillReconciliation day(std::move(ledger), bill_date, options);
  for (auto const& row : rows) {
    auto added = day.Add(row);
    if (!added.ok()) return added;
  }
  return day.Finish();
}

}  // namespace wechatpay
