// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0

#include "reconciler_marks.hpp"

#include <utility>

#include "ledger_rules.hpp"

namespace wechatpay::reconciler_internal {

Status PutOff(Ledger& ledger, std::string const& out_trade_no, LedgerTime now, LedgerTime at,
              Status const& error) {
  auto text = ledger_internal::ErrorText(error);
  auto result = ledger.store()->Mutate(out_trade_no, "",
                                       [&](LedgerRows const& rows) -> StatusOr<LedgerChange> {
                                         LedgerChange change;
                                         if (!rows.order || rows.order->next_check_at == 0)
                                           return change;
                                         OrderRecord order = *rows.order;
                                         order.next_check_at = at;
                                         order.last_error = text;
                                         order.updated_at = now;
                                         order.lease_owner.clear();
                                         order.lease_until = 0;
                                         // No history entry: a failed look changed nothing in the
                                         // books, and an order that keeps failing would fill its
                                         // history with the same line.
                                         change.order = std::move(order);
                                         return change;
                                       });
  return result.status();
}

Status FlagUnknownAtWeChat(Ledger& ledger, std::string const& out_trade_no, LedgerTime now,
                           Status const& answer) {
  ledger_internal::Context ctx;
  ctx.now = now;
  ctx.source = LedgerSource::kReconciler;
  ctx.options = &ledger.options();
  auto const reason = std::string("WeChat has no such order after its close deadline");
  auto result = ledger.store()->Mutate(
      out_trade_no, "", [&](LedgerRows const& rows) -> StatusOr<LedgerChange> {
        LedgerChange change;
        if (!rows.order) return change;
        OrderRecord order = *rows.order;
        if (order.state != LedgerOrderState::kCreating &&
            order.state != LedgerOrderState::kNotPaid) {
          return change;
        }
        auto const state = std::string(LedgerOrderStateName(order.state));
        ledger_internal::AddReview(order.review_reason, reason);
        order.last_error = ledger_internal::ErrorText(answer);
        ledger_internal::Stamp(order, rows.refunds, ctx);
        // Nothing more to learn from WeChat; a person decides (docs/ledger.md, review).
        order.next_check_at = 0;
        change.history.push_back(
            ledger_internal::Entry(ctx, out_trade_no, "", state, state, reason + ": flagged"));
        change.order = std::move(order);
        return change;
      });
  return result.status();
}

}  // namespace wechatpay::reconciler_internal
