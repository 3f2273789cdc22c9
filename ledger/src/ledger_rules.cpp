// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The shared pieces of the Ledger's rules (ledger_rules.hpp).

#include "ledger_rules.hpp"

#include <chrono>
#include <string>
#include <utility>

namespace wechatpay::ledger_internal {
namespace {

// Bounds on the texts the ledger stores from elsewhere: an error message or a list of review
// reasons must not grow a row without limit (a message may quote an answer's excerpt).
constexpr std::size_t kMaxErrorText = 512;
constexpr std::size_t kMaxReviewText = 1024;

std::string Bounded(std::string text, std::size_t limit) {
  if (text.size() <= limit) return text;
  // Cut on a UTF-8 character boundary: never keep half of a multi-byte character.
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text + "…";
}

}  // namespace

HistoryEntry Entry(Context const& ctx, std::string const& out_trade_no,
                   std::string const& out_refund_no, std::string from_state, std::string to_state,
                   std::string detail) {
  HistoryEntry entry;
  entry.out_trade_no = out_trade_no;
  entry.out_refund_no = out_refund_no;
  entry.at = ctx.now;
  entry.source = ctx.source;
  entry.from_state = std::move(from_state);
  entry.to_state = std::move(to_state);
  entry.notification_id = ctx.notification_id;
  entry.detail = Bounded(std::move(detail), kMaxReviewText);
  return entry;
}

std::string StateName(std::optional<OrderRecord> const& order) {
  return order ? std::string(LedgerOrderStateName(order->state)) : std::string();
}

void AddReview(std::string& review_reason, std::string const& reason) {
  if (review_reason.find(reason) != std::string::npos) return;
  review_reason =
      Bounded(review_reason.empty() ? reason : review_reason + "; " + reason, kMaxReviewText);
}

void Stamp(OrderRecord& order, std::vector<RefundRecord> const& refunds, Context const& ctx) {
  order.version += 1;
  order.updated_at = ctx.now;
  if (order.created_at == 0) order.created_at = ctx.now;
  // The Reconciler's work on the order ends with its change: its lease (LedgerStore::LeaseDue)
  // is released in the same transaction, and next_check_at below says when to look again.
  if (ctx.source == LedgerSource::kReconciler) {
    order.lease_owner.clear();
    order.lease_until = 0;
  }
  auto const recheck = ctx.now + static_cast<LedgerTime>(ctx.options->recheck_after.count());
  bool refund_in_flight = false;
  for (auto const& refund : refunds) {
    if (refund.outcome_unknown || refund.state == LedgerRefundState::kCreating ||
        refund.state == LedgerRefundState::kProcessing) {
      refund_in_flight = true;
    }
  }
  if (order.outcome_unknown || order.state == LedgerOrderState::kCreating || refund_in_flight) {
    order.next_check_at = recheck;
  } else if (order.state == LedgerOrderState::kNotPaid) {
    order.next_check_at = order.close_deadline;
  } else {
    order.next_check_at = 0;
  }
}

LedgerChange CheckedByReconciler(LedgerRows const& rows, LedgerChange change, Context const& ctx) {
  if (change.order || !rows.order || ctx.source != LedgerSource::kReconciler) return change;
  // WeChat repeated what the ledger holds. Written all the same: the check is history, the
  // lease ends and next_check_at moves on — else the order stays due and is worked on again at
  // every pass.
  OrderRecord order = *rows.order;
  auto const state = std::string(LedgerOrderStateName(order.state));
  Stamp(order, rows.refunds, ctx);
  change.history.push_back(
      Entry(ctx, order.out_trade_no, "", state, state, "checked by the Reconciler: unchanged"));
  change.order = std::move(order);
  return change;
}

std::string ErrorText(Status const& status) { return Bounded(status.ToString(), kMaxErrorText); }

std::optional<LedgerOrderState> OrderStateOf(std::string const& trade_state) {
  // REFUND is a paid order with a refund: paid as far as the payment goes (refunds have
  // their own records).
  if (trade_state == "SUCCESS" || trade_state == "REFUND") return LedgerOrderState::kPaid;
  if (trade_state == "NOTPAY" || trade_state == "USERPAYING") return LedgerOrderState::kNotPaid;
  if (trade_state == "CLOSED") return LedgerOrderState::kClosed;
  if (trade_state == "REVOKED") return LedgerOrderState::kRevoked;
  if (trade_state == "PAYERROR") return LedgerOrderState::kPayError;
  return std::nullopt;
}

std::optional<LedgerRefundState> RefundStateOf(std::string const& refund_status) {
  if (refund_status == "PROCESSING") return LedgerRefundState::kProcessing;
  if (refund_status == "SUCCESS") return LedgerRefundState::kSuccess;
  if (refund_status == "CLOSED") return LedgerRefundState::kClosed;
  if (refund_status == "ABNORMAL") return LedgerRefundState::kAbnormal;
  return std::nullopt;
}

bool CountsAgainstTotal(LedgerRefundState state) {
  return state != LedgerRefundState::kClosed && state != LedgerRefundState::kCreateFailed;
}

Status InvalidField(std::string field, std::string message) {
  ErrorInfo info;
  info.field = std::move(field);
  return Status(StatusCode::kInvalidArgument, std::move(message), std::move(info));
}

Status ExistsDifferently(std::string field, std::string message) {
  ErrorInfo info;
  info.field = std::move(field);
  return Status(StatusCode::kAlreadyExists, std::move(message), std::move(info));
}

RefundNotification AsNotification(Refund const& refund) {
  RefundNotification n;
  n.transaction_id = refund.transaction_id.value_or("");
  n.out_trade_no = refund.out_trade_no.value_or("");
  n.refund_id = refund.refund_id.value_or("");
  n.out_refund_no = refund.out_refund_no.value_or("");
  n.refund_status = refund.status;
  n.success_time = refund.success_time;
  n.amount.refund = -1;
  if (refund.amount) {
    n.amount.total = refund.amount->total.value_or(0);
    n.amount.refund = refund.amount->refund.value_or(-1);
  }
  return n;
}

}  // namespace wechatpay::ledger_internal
