// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Payments: what a verified TRANSACTION.SUCCESS or a query answer does to an order. The
// checks are the notify layer's (CheckPayment(), CheckAmount()); a mismatch is flagged for a
// person and never applied, and a verified payment is never lost: a payment of an order the
// ledger has closed is recorded as paid and flagged, since the money did move.

#include <string>
#include <utility>

#include "ledger_rules.hpp"
#include "wechatpay/ledger/ledger.hpp"
#include "wechatpay/notify/checks.hpp"

namespace wechatpay {
namespace ledger_internal {
namespace {

// Flags `order` with `reason` without applying anything: the state stays, the history says why.
LedgerChange FlagOnly(OrderRecord order, LedgerRows const& rows, std::string const& reason,
                      Context const& ctx, Decision& decision) {
  decision.Flag(reason);
  AddReview(order.review_reason, reason);
  auto const state = std::string(LedgerOrderStateName(order.state));
  Stamp(order, rows.refunds, ctx);
  LedgerChange change;
  change.history.push_back(Entry(ctx, order.out_trade_no, "", state, state, reason));
  change.order = std::move(order);
  return change;
}

// Copies WeChat's facts about a payment onto the order.
void TakePayment(OrderRecord& order, Transaction const& transaction) {
  order.state = LedgerOrderState::kPaid;
  order.trade_state = transaction.trade_state;
  order.transaction_id = transaction.transaction_id.value_or("");
  if (transaction.amount && transaction.amount->payer_total) {
    order.payer_total_fen = *transaction.amount->payer_total;
  }
  order.success_time = transaction.success_time.value_or("");
  order.outcome_unknown = false;
}

bool IsFinalUnpaid(LedgerOrderState state) {
  return state == LedgerOrderState::kClosed || state == LedgerOrderState::kRevoked ||
         state == LedgerOrderState::kPayError || state == LedgerOrderState::kCreateFailed;
}

StatusOr<LedgerChange> DecidePayment(LedgerRows const& rows, Transaction const& transaction,
                                     Context const& ctx, Decision& decision) {
  auto const& out_trade_no = transaction.out_trade_no.value_or("");
  std::string const amount = transaction.amount && transaction.amount->total
                                 ? std::to_string(*transaction.amount->total) + " fen"
                                 : std::string("no amount");
  LedgerChange change;
  if (!rows.order) {
    if (ctx.options->unknown_order == UnknownOrderPolicy::kRefuse) {
      return InvalidField("out_trade_no",
                          "the ledger has no order " + out_trade_no +
                              "; its payment is refused (UnknownOrderPolicy::kRefuse) so that "
                              "WeChat delivers it again");
    }
    // Nothing is lost: the order is recorded from WeChat's verified word, for a person to
    // match with whatever created it.
    OrderRecord order;
    order.out_trade_no = out_trade_no;
    order.appid = transaction.appid.value_or("");
    order.total_fen =
        transaction.amount && transaction.amount->total ? *transaction.amount->total : 0;
    if (transaction.amount && transaction.amount->currency) {
      order.currency = *transaction.amount->currency;
    }
    TakePayment(order, transaction);
    std::string const reason = "payment for an order the ledger did not create";
    decision.applied = true;
    decision.Flag(reason);
    AddReview(order.review_reason, reason);
    Stamp(order, rows.refunds, ctx);
    change.history.push_back(
        Entry(ctx, out_trade_no, "", "", "PAID",
              reason + ": transaction " + order.transaction_id + ", " + amount));
    change.order = std::move(order);
    return change;
  }
  OrderRecord order = *rows.order;
  auto const from = std::string(LedgerOrderStateName(order.state));
  OrderSnapshot snapshot;
  snapshot.out_trade_no = order.out_trade_no;
  snapshot.total_fen = order.total_fen;
  snapshot.paid = order.state == LedgerOrderState::kPaid;
  snapshot.transaction_id = order.transaction_id;
  // CheckPayment() wants trade_state SUCCESS; REFUND (a query of a paid order with a refund)
  // is a payment as well, with the same out_trade_no, amount and transaction checks.
  Transaction checked = transaction;
  checked.trade_state = "SUCCESS";
  auto action = CheckPayment(checked, snapshot);
  if (!action) {
    // The reason names the field that does not match (amount.total, transaction_id, ...).
    return FlagOnly(
        std::move(order), rows,
        "payment not applied (" + action.status().info().field + "): " + action.status().message(),
        ctx, decision);
  }
  if (*action == PaymentAction::kAlreadyApplied) {
    // Recorded before (a query after the callback, or a second notification): only a new
    // trade_state (SUCCESS → REFUND) is worth a row.
    if (order.trade_state == transaction.trade_state && !order.outcome_unknown) return change;
    order.trade_state = transaction.trade_state;
    order.outcome_unknown = false;
    Stamp(order, rows.refunds, ctx);
    change.history.push_back(
        Entry(ctx, out_trade_no, "", from, from, "trade_state " + transaction.trade_state));
    change.order = std::move(order);
    return change;
  }
  bool const after_final = IsFinalUnpaid(order.state);
  TakePayment(order, transaction);
  decision.applied = true;
  std::string detail = "paid by transaction " + order.transaction_id + ", " + amount;
  if (after_final) {
    // WeChat's verified word wins: the money moved, so the order is paid; but the merchant
    // believed it ended, so a person decides (ship, or refund).
    std::string const reason = "paid after the ledger recorded it " + from;
    decision.Flag(reason);
    AddReview(order.review_reason, reason);
    detail += " (" + reason + ": flagged)";
  }
  Stamp(order, rows.refunds, ctx);
  change.history.push_back(Entry(ctx, out_trade_no, "", from, "PAID", detail));
  change.order = std::move(order);
  return change;
}

StatusOr<LedgerChange> DecideUnpaid(LedgerRows const& rows, Transaction const& transaction,
                                    LedgerOrderState target, Context const& ctx,
                                    Decision& decision) {
  LedgerChange change;
  // Nothing to remember about an unpaid order the ledger never had: no money moved.
  if (!rows.order) return change;
  OrderRecord order = *rows.order;
  auto const from = std::string(LedgerOrderStateName(order.state));
  auto const to = std::string(LedgerOrderStateName(target));
  if (order.state == LedgerOrderState::kPaid) {
    return FlagOnly(
        std::move(order), rows,
        "WeChat says " + transaction.trade_state + " for an order the ledger has as paid", ctx,
        decision);
  }
  if (transaction.amount && transaction.amount->total) {
    if (auto status = CheckAmount(transaction, order.total_fen); !status.ok()) {
      return FlagOnly(std::move(order), rows,
                      "query not applied (" + status.info().field + "): " + status.message(), ctx,
                      decision);
    }
  }
  if (order.state == target) {
    if (order.trade_state == transaction.trade_state && !order.outcome_unknown) return change;
    order.trade_state = transaction.trade_state;
    order.outcome_unknown = false;
    Stamp(order, rows.refunds, ctx);
    change.history.push_back(
        Entry(ctx, order.out_trade_no, "", from, to, "trade_state " + transaction.trade_state));
    change.order = std::move(order);
    return change;
  }
  if (order.state == LedgerOrderState::kClosed || order.state == LedgerOrderState::kRevoked ||
      order.state == LedgerOrderState::kPayError) {
    // An ended order does not come back to life, nor end differently.
    return FlagOnly(
        std::move(order), rows,
        "WeChat says " + transaction.trade_state + " for an order the ledger has " + from, ctx,
        decision);
  }
  std::string detail = "trade_state " + transaction.trade_state;
  if (order.state == LedgerOrderState::kCreateFailed) {
    std::string const reason = "the order exists at WeChat although its prepay was refused";
    decision.Flag(reason);
    AddReview(order.review_reason, reason);
    detail += " (" + reason + ": flagged)";
  }
  order.state = target;
  order.trade_state = transaction.trade_state;
  order.outcome_unknown = false;
  decision.applied = true;
  Stamp(order, rows.refunds, ctx);
  change.history.push_back(Entry(ctx, order.out_trade_no, "", from, to, detail));
  change.order = std::move(order);
  return change;
}

}  // namespace

StatusOr<LedgerChange> DecideTransaction(LedgerRows const& rows, Transaction const& transaction,
                                         Context const& ctx, Decision& decision) {
  auto const target = OrderStateOf(transaction.trade_state);
  if (!target) {
    return InvalidField("trade_state", "unknown trade_state \"" + transaction.trade_state + "\"");
  }
  if (*target == LedgerOrderState::kPaid) return DecidePayment(rows, transaction, ctx, decision);
  return DecideUnpaid(rows, transaction, *target, ctx, decision);
}

}  // namespace ledger_internal

namespace {

using ledger_internal::Context;
using ledger_internal::Decision;
using ledger_internal::InvalidField;

StatusOr<LedgerApplyResult> ApplyTransaction(LedgerStore& store, Transaction const& transaction,
                                             Context const& ctx) {
  auto const& out_trade_no = transaction.out_trade_no.value_or("");
  if (out_trade_no.empty()) {
    return InvalidField("out_trade_no", "the transaction has no out_trade_no");
  }
  Decision decision;
  auto mutated = store.Mutate(
      out_trade_no, ctx.notification_id, [&](LedgerRows const& rows) -> StatusOr<LedgerChange> {
        decision.Reset();
        return ledger_internal::DecideTransaction(rows, transaction, ctx, decision);
      });
  if (!mutated) return mutated.status();
  LedgerApplyResult result;
  result.duplicate = mutated->duplicate_notification;
  if (!result.duplicate) {
    result.applied = decision.applied;
    result.flagged = decision.flagged;
    result.review_reason = decision.review_reason;
  }
  result.order = std::move(mutated->rows.order);
  return result;
}

}  // namespace

StatusOr<LedgerApplyResult> Ledger::ApplyNotification(Notification const& notification) {
  if (notification.id.empty()) {
    return InvalidField("id", "the notification has no id to deduplicate it by");
  }
  Context ctx;
  ctx.now = Now();
  ctx.source = LedgerSource::kCallback;
  ctx.notification_id = notification.id;
  ctx.options = &options_;
  if (notification.event_type == kEventTransactionSuccess) {
    if (!notification.transaction) {
      return InvalidField("resource", "the TRANSACTION.SUCCESS notification " + notification.id +
                                          " carries no transaction");
    }
    return ApplyTransaction(*store_, *notification.transaction, ctx);
  }
  if (notification.event_type == kEventRefundSuccess ||
      notification.event_type == kEventRefundAbnormal ||
      notification.event_type == kEventRefundClosed) {
    if (!notification.refund) {
      return InvalidField("resource", "the " + notification.event_type + " notification " +
                                          notification.id + " carries no refund");
    }
    return ledger_internal::ApplyRefundFacts(*store_, *notification.refund, ctx);
  }
  return InvalidField("event_type",
                      "the ledger applies TRANSACTION.SUCCESS and REFUND.* "
                      "notifications, not " +
                          notification.event_type);
}

StatusOr<LedgerApplyResult> Ledger::ApplyQuery(Transaction const& transaction,
                                               LedgerSource source) {
  Context ctx;
  ctx.now = Now();
  ctx.source = source;
  ctx.options = &options_;
  return ApplyTransaction(*store_, transaction, ctx);
}

}  // namespace wechatpay
