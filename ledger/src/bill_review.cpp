// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "bill_review.hpp"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "ledger_rules.hpp"

namespace wechatpay::bill_internal {
namespace {

std::string Value(std::optional<std::int64_t> const& fen, std::string const& state) {
  return (fen ? std::to_string(*fen) : std::string("-")) + "/" + (state.empty() ? "-" : state);
}

}  // namespace

std::string DifferenceKey(std::string const& bill_date, BillDifference const& difference) {
  return "bill:" + bill_date + ":" + std::string(BillDifferenceKindName(difference.kind)) + ":" +
         difference.out_trade_no + ":" + difference.out_refund_no + ":" +
         Value(difference.bill_fen, difference.bill_state) + ":" +
         Value(difference.ledger_fen, difference.ledger_state);
}

StatusOr<bool> RecordDifference(Ledger& ledger, std::string const& bill_date,
                                BillDifference const& difference) {
  if (difference.out_trade_no.empty() || difference.kind == BillDifferenceKind::kMissingInLedger) {
    return false;
  }
  ledger_internal::Context ctx;
  ctx.now = ledger.Now();
  ctx.source = LedgerSource::kReconciler;
  ctx.options = &ledger.options();
  std::string const reason = "bill " + bill_date + ": " +
                             std::string(BillDifferenceKindName(difference.kind)) + ": " +
                             difference.detail;
  bool wrote = false;
  auto result = ledger.store()->Mutate(
      difference.out_trade_no, DifferenceKey(bill_date, difference),
      [&](LedgerRows const& rows) -> StatusOr<LedgerChange> {
        wrote = false;
        LedgerChange change;
        if (!rows.order) return change;
        OrderRecord order = *rows.order;
        auto const state = std::string(LedgerOrderStateName(order.state));
        ledger_internal::AddReview(order.review_reason, reason);
        std::string from_state = state;
        std::string to_state = state;
        std::string out_refund_no;
        auto refund = std::find_if(rows.refunds.begin(), rows.refunds.end(), [&](auto const& r) {
          return !difference.out_refund_no.empty() && r.out_refund_no == difference.out_refund_no;
        });
        if (refund != rows.refunds.end()) {
          RefundRecord flagged = *refund;
          ledger_internal::AddReview(flagged.review_reason, reason);
          flagged.updated_at = ctx.now;
          from_state = to_state = std::string(LedgerRefundStateName(flagged.state));
          out_refund_no = flagged.out_refund_no;
          change.refund = std::move(flagged);
        }
        // Stamped like every change (version, updated_at), but a flag is no work of the
        // background Reconciler: a lease it holds on the order stays its own.
        auto const lease_owner = order.lease_owner;
        auto const lease_until = order.lease_until;
        ledger_internal::Stamp(order, rows.refunds, ctx);
        order.lease_owner = lease_owner;
        order.lease_until = lease_until;
        change.history.push_back(ledger_internal::Entry(ctx, order.out_trade_no, out_refund_no,
                                                        from_state, to_state, reason));
        change.order = std::move(order);
        wrote = true;
        return change;
      });
  if (!result.ok()) return result.status();
  return wrote && !result->duplicate_notification;
}

}  // namespace wechatpay::bill_internal
