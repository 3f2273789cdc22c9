// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Refunds: recorded before the refund call, then moved by its answer, by REFUND.* callbacks and
// by queries, with the amount checked (CheckRefundAmount()) and the sum of an order's refunds
// kept within its total — what goes beyond is flagged.

#include <string>
#include <utility>
#include <vector>

#include "ledger_rules.hpp"
#include "wechatpay/ledger/ledger.hpp"
#include "wechatpay/notify/checks.hpp"

namespace wechatpay {
namespace ledger_internal {
namespace {

// Which moves WeChat's answers may make. SUCCESS and CLOSED are final; ABNORMAL ends in
// SUCCESS or CLOSED once the merchant has acted, and goes PROCESSING again while an
// abnormal-refund application (apply-abnormal-refund) is paid out; a refund not yet answered
// may go anywhere.
bool MayMove(LedgerRefundState from, LedgerRefundState to) {
  switch (from) {
    case LedgerRefundState::kCreating:
    case LedgerRefundState::kProcessing:
    case LedgerRefundState::kCreateFailed:
      return true;
    case LedgerRefundState::kAbnormal:
      return to != LedgerRefundState::kCreating;
    case LedgerRefundState::kSuccess:
    case LedgerRefundState::kClosed:
      return from == to;
  }
  return false;
}

std::int64_t CountedSum(std::vector<RefundRecord> const& refunds) {
  std::int64_t sum = 0;
  for (auto const& refund : refunds) {
    if (CountsAgainstTotal(refund.state)) sum += refund.refund_fen;
  }
  return sum;
}

// Replaces (or appends) `refund` in `refunds`.
void Put(std::vector<RefundRecord>& refunds, RefundRecord const& refund) {
  for (auto& existing : refunds) {
    if (existing.out_refund_no == refund.out_refund_no) {
      existing = refund;
      return;
    }
  }
  refunds.push_back(refund);
}

RefundRecord* Find(std::vector<RefundRecord>& refunds, std::string const& out_refund_no) {
  for (auto& refund : refunds) {
    if (refund.out_refund_no == out_refund_no) return &refund;
  }
  return nullptr;
}

// Writes `order` and `refund` with one history entry; flags both with `reason` when not empty.
LedgerChange Write(OrderRecord order, std::vector<RefundRecord> refunds, RefundRecord refund,
                   std::string const& from, std::string const& detail, Context const& ctx) {
  refund.updated_at = ctx.now;
  if (refund.created_at == 0) refund.created_at = ctx.now;
  Put(refunds, refund);
  Stamp(order, refunds, ctx);
  LedgerChange change;
  change.history.push_back(Entry(ctx, order.out_trade_no, refund.out_refund_no, from,
                                 std::string(LedgerRefundStateName(refund.state)), detail));
  change.order = std::move(order);
  change.refund = std::move(refund);
  return change;
}

}  // namespace

StatusOr<LedgerChange> DecideRefund(LedgerRows const& rows, RefundNotification const& facts,
                                    Context const& ctx, Decision& decision) {
  auto const target = RefundStateOf(facts.refund_status);
  if (!target) {
    return InvalidField("refund_status", "unknown refund status \"" + facts.refund_status + "\"");
  }
  OrderRecord order;
  std::string unknown_reason;
  if (rows.order) {
    order = *rows.order;
  } else {
    if (ctx.options->unknown_order == UnknownOrderPolicy::kRefuse) {
      return InvalidField("out_trade_no",
                          "the ledger has no order " + facts.out_trade_no +
                              "; its refund is refused (UnknownOrderPolicy::kRefuse) so that "
                              "WeChat delivers it again");
    }
    // A refund implies a payment: the order is recorded as paid, for a person to match.
    order.out_trade_no = facts.out_trade_no;
    order.total_fen = facts.amount.total;
    order.state = LedgerOrderState::kPaid;
    order.trade_state = "REFUND";
    order.transaction_id = facts.transaction_id;
    unknown_reason = "refund for an order the ledger did not create";
  }
  std::vector<RefundRecord> refunds = rows.refunds;
  RefundRecord* existing = Find(refunds, facts.out_refund_no);
  RefundRecord refund;
  std::string from;
  std::string detail;
  if (!existing) {
    if (unknown_reason.empty()) unknown_reason = "refund the ledger did not create";
    refund.out_refund_no = facts.out_refund_no;
    refund.out_trade_no = order.out_trade_no;
    refund.refund_fen = facts.amount.refund;
    refund.total_fen = facts.amount.total;
    if (facts.amount.currency) refund.currency = *facts.amount.currency;
    refund.refund_id = facts.refund_id;
    refund.state = *target;
    refund.refund_status = facts.refund_status;
    decision.applied = true;
    decision.Flag(unknown_reason);
    AddReview(refund.review_reason, unknown_reason);
    AddReview(order.review_reason, unknown_reason + " (" + refund.out_refund_no + ")");
    detail =
        unknown_reason + ": " + std::to_string(refund.refund_fen) + " fen, " + facts.refund_status;
  } else {
    refund = *existing;
    from = std::string(LedgerRefundStateName(refund.state));
    auto flag_only = [&](std::string const& reason) {
      decision.Flag(reason);
      AddReview(refund.review_reason, reason);
      AddReview(order.review_reason, reason + " (" + refund.out_refund_no + ")");
      return Write(std::move(order), std::move(refunds), std::move(refund), from, reason, ctx);
    };
    if (auto status = CheckRefundAmount(facts, refund.refund_fen); !status.ok()) {
      return flag_only("refund not applied (" + status.info().field + "): " + status.message());
    }
    if (!MayMove(refund.state, *target)) {
      return flag_only("WeChat says " + facts.refund_status + " for a refund the ledger has " +
                       from);
    }
    bool const same = refund.state == *target && refund.refund_status == facts.refund_status &&
                      !refund.outcome_unknown &&
                      (facts.refund_id.empty() || facts.refund_id == refund.refund_id);
    if (same) return CheckedByReconciler(rows, LedgerChange{}, ctx);  // nothing new
    detail = "refund " + facts.refund_status;
    if (refund.state == LedgerRefundState::kCreateFailed) {
      std::string const reason = "the refund exists at WeChat although its call was refused";
      decision.Flag(reason);
      AddReview(refund.review_reason, reason);
      AddReview(order.review_reason, reason + " (" + refund.out_refund_no + ")");
      detail += " (" + reason + ": flagged)";
    }
    refund.state = *target;
    refund.refund_status = facts.refund_status;
    if (!facts.refund_id.empty()) refund.refund_id = facts.refund_id;
    refund.outcome_unknown = false;
    decision.applied = true;
  }
  // What WeChat reports happened, so it is recorded; but refunds above the order's total are
  // money the merchant did not mean to pay back: flagged.
  Put(refunds, refund);
  auto const sum = CountedSum(refunds);
  if (sum > order.total_fen) {
    std::string const reason = "refunds total " + std::to_string(sum) +
                               " fen, above the order's total of " +
                               std::to_string(order.total_fen) + " fen";
    decision.Flag(reason);
    AddReview(refund.review_reason, reason);
    AddReview(order.review_reason, reason);
    detail += " (" + reason + ": flagged)";
  }
  if (!rows.order) {
    // The order's creation is its own history entry, before the refund's.
    LedgerChange change = Write(order, refunds, refund, from, detail, ctx);
    change.history.insert(change.history.begin(),
                          Entry(ctx, order.out_trade_no, "", "", "PAID", unknown_reason));
    return change;
  }
  return Write(std::move(order), std::move(refunds), std::move(refund), from, detail, ctx);
}

StatusOr<LedgerApplyResult> ApplyRefundFacts(LedgerStore& store, RefundNotification const& facts,
                                             Context const& ctx) {
  if (facts.out_refund_no.empty()) {
    return InvalidField("out_refund_no", "the refund has no out_refund_no");
  }
  auto known = store.GetRefund(facts.out_refund_no);
  if (!known) return known.status();
  RefundNotification refund = facts;
  if (refund.out_trade_no.empty() && *known) refund.out_trade_no = (*known)->out_trade_no;
  if (refund.out_trade_no.empty()) {
    return InvalidField("out_trade_no", "the refund " + facts.out_refund_no +
                                            " names no out_trade_no, and the ledger has no "
                                            "record of it");
  }
  Decision decision;
  StatusOr<LedgerMutationResult> mutated = Status(StatusCode::kInternal, "not run");
  if (*known && (*known)->out_trade_no != refund.out_trade_no) {
    // The ledger has this refund under another order: a contradiction for a person, recorded
    // on the order the ledger knows, and nothing applied.
    std::string const reason = "WeChat reports refund " + facts.out_refund_no + " for order " +
                               refund.out_trade_no + ", the ledger has it for order " +
                               (*known)->out_trade_no;
    mutated =
        store.Mutate((*known)->out_trade_no, ctx.notification_id,
                     [&](LedgerRows const& rows) -> StatusOr<LedgerChange> {
                       decision.Reset();
                       if (!rows.order) return LedgerChange{};
                       OrderRecord order = *rows.order;
                       decision.Flag(reason);
                       AddReview(order.review_reason, reason);
                       auto const state = std::string(LedgerOrderStateName(order.state));
                       Stamp(order, rows.refunds, ctx);
                       LedgerChange change;
                       change.history.push_back(Entry(ctx, order.out_trade_no, facts.out_refund_no,
                                                      state, state, reason));
                       change.order = std::move(order);
                       return change;
                     });
  } else {
    mutated = store.Mutate(refund.out_trade_no, ctx.notification_id,
                           [&](LedgerRows const& rows) -> StatusOr<LedgerChange> {
                             decision.Reset();
                             return DecideRefund(rows, refund, ctx, decision);
                           });
  }
  if (!mutated) return mutated.status();
  LedgerApplyResult result;
  result.duplicate = mutated->duplicate_notification;
  if (!result.duplicate) {
    result.applied = decision.applied;
    result.flagged = decision.flagged;
    result.review_reason = decision.review_reason;
  }
  result.order = std::move(mutated->rows.order);
  for (auto& row : mutated->rows.refunds) {
    if (row.out_refund_no == facts.out_refund_no) result.refund = std::move(row);
  }
  return result;
}

}  // namespace ledger_internal

namespace {

using ledger_internal::Context;
using ledger_internal::ErrorText;
using ledger_internal::ExistsDifferently;
using ledger_internal::InvalidField;

std::optional<RefundRecord> FindIn(LedgerRows const& rows, std::string const& out_refund_no) {
  for (auto const& refund : rows.refunds) {
    if (refund.out_refund_no == out_refund_no) return refund;
  }
  return std::nullopt;
}

}  // namespace

StatusOr<RefundRecord> Ledger::RecordRefundCreating(CreateRefundRequest const& request) {
  auto const out_trade_no = request.out_trade_no.value_or("");
  if (out_trade_no.empty()) {
    return InvalidField("out_trade_no",
                        "the ledger records a refund under its order: set out_trade_no");
  }
  if (request.out_refund_no.empty()) {
    return InvalidField("out_refund_no", "out_refund_no is required to record a refund");
  }
  if (request.amount.refund <= 0) {
    return InvalidField("amount.refund", "amount.refund must be a positive number of fen");
  }
  auto known = store_->GetRefund(request.out_refund_no);
  if (!known) return known.status();
  if (*known && (*known)->out_trade_no != out_trade_no) {
    return ExistsDifferently("out_trade_no", "refund " + request.out_refund_no +
                                                 " is already recorded for order " +
                                                 (*known)->out_trade_no);
  }
  Context ctx;
  ctx.now = Now();
  ctx.source = LedgerSource::kClient;
  ctx.options = &options_;
  auto mutated =
      store_->Mutate(out_trade_no, "", [&](LedgerRows const& rows) -> StatusOr<LedgerChange> {
        if (!rows.order) {
          return InvalidField("out_trade_no", "the ledger has no order " + out_trade_no);
        }
        LedgerChange change;
        OrderRecord order = *rows.order;
        std::vector<RefundRecord> refunds = rows.refunds;
        if (auto existing = FindIn(rows, request.out_refund_no)) {
          if (existing->refund_fen != request.amount.refund) {
            return ExistsDifferently(
                "amount.refund", "refund " + request.out_refund_no + " is already recorded for " +
                                     std::to_string(existing->refund_fen) + " fen, this request: " +
                                     std::to_string(request.amount.refund) + " fen");
          }
          if (existing->total_fen != request.amount.total) {
            return ExistsDifferently("amount.total", "refund " + request.out_refund_no +
                                                         " is already recorded with amount.total " +
                                                         std::to_string(existing->total_fen) +
                                                         " fen");
          }
          if (existing->state != LedgerRefundState::kCreateFailed) return change;  // as it is
          RefundRecord refund = *existing;
          refund.state = LedgerRefundState::kCreating;
          std::vector<RefundRecord> after = refunds;
          if (ledger_internal::CountedSum(after) + refund.refund_fen > order.total_fen) {
            return InvalidField("amount.refund", "refund " + request.out_refund_no +
                                                     " would take the refunds of "
                                                     "order " +
                                                     out_trade_no + " above its total");
          }
          return ledger_internal::Write(std::move(order), std::move(refunds), std::move(refund),
                                        "CREATE_FAILED", "refund attempted again", ctx);
        }
        if (order.state != LedgerOrderState::kPaid) {
          return InvalidField("out_trade_no", "order " + out_trade_no + " is " +
                                                  std::string(LedgerOrderStateName(order.state)) +
                                                  " in the ledger; only a paid order is refunded");
        }
        if (request.amount.total != order.total_fen) {
          return InvalidField("amount.total", "amount.total is " +
                                                  std::to_string(request.amount.total) +
                                                  " fen, the order's total is " +
                                                  std::to_string(order.total_fen) + " fen");
        }
        auto const sum = ledger_internal::CountedSum(refunds);
        if (sum + request.amount.refund > order.total_fen) {
          return InvalidField("amount.refund",
                              "a refund of " + std::to_string(request.amount.refund) +
                                  " fen would take the refunds of order " + out_trade_no + " to " +
                                  std::to_string(sum + request.amount.refund) +
                                  " fen, above its total of " + std::to_string(order.total_fen) +
                                  " fen");
        }
        RefundRecord refund;
        refund.out_refund_no = request.out_refund_no;
        refund.out_trade_no = out_trade_no;
        refund.refund_fen = request.amount.refund;
        refund.total_fen = request.amount.total;
        refund.currency = request.amount.currency;
        refund.state = LedgerRefundState::kCreating;
        return ledger_internal::Write(std::move(order), std::move(refunds), std::move(refund), "",
                                      "refund recorded before the refund call: " +
                                          std::to_string(request.amount.refund) + " fen",
                                      ctx);
      });
  if (!mutated) return mutated.status();
  auto refund = FindIn(mutated->rows, request.out_refund_no);
  if (!refund) return Status(StatusCode::kInternal, "the recorded refund was not found");
  return *std::move(refund);
}

StatusOr<RefundRecord> Ledger::RecordRefundResult(std::string const& out_refund_no,
                                                  StatusOr<Refund> const& result) {
  auto known = store_->GetRefund(out_refund_no);
  if (!known) return known.status();
  if (!*known) {
    return InvalidField("out_refund_no", "the ledger has no refund " + out_refund_no);
  }
  auto const out_trade_no = (*known)->out_trade_no;
  Context ctx;
  ctx.now = Now();
  ctx.source = LedgerSource::kClient;
  ctx.options = &options_;
  if (result.ok()) {
    auto facts = ledger_internal::AsNotification(*result);
    facts.out_refund_no = out_refund_no;
    if (facts.out_trade_no.empty()) facts.out_trade_no = out_trade_no;
    auto applied = ledger_internal::ApplyRefundFacts(*store_, facts, ctx);
    if (!applied) return applied.status();
    if (!applied->refund) return Status(StatusCode::kInternal, "the refund was not found");
    return *std::move(applied->refund);
  }
  auto const& status = result.status();
  auto mutated =
      store_->Mutate(out_trade_no, "", [&](LedgerRows const& rows) -> StatusOr<LedgerChange> {
        auto existing = FindIn(rows, out_refund_no);
        if (!rows.order || !existing) {
          return InvalidField("out_refund_no", "the ledger has no refund " + out_refund_no);
        }
        RefundRecord refund = *existing;
        auto const from = std::string(LedgerRefundStateName(refund.state));
        refund.last_error = ErrorText(status);
        std::string detail;
        if (status.info().outcome_unknown) {
          refund.outcome_unknown = true;
          detail = "refund outcome unknown: " + refund.last_error;
        } else {
          // A definite refusal (e.g. NOT_ENOUGH) created nothing — unless an earlier attempt's
          // outcome is still unknown.
          if (refund.state == LedgerRefundState::kCreating && !refund.outcome_unknown) {
            refund.state = LedgerRefundState::kCreateFailed;
          }
          detail = "refund refused: " + refund.last_error;
        }
        return ledger_internal::Write(*rows.order, rows.refunds, std::move(refund), from, detail,
                                      ctx);
      });
  if (!mutated) return mutated.status();
  auto refund = FindIn(mutated->rows, out_refund_no);
  if (!refund) return Status(StatusCode::kInternal, "the recorded refund was not found");
  return *std::move(refund);
}

StatusOr<LedgerApplyResult> Ledger::ApplyRefundQuery(Refund const& refund, LedgerSource source) {
  Context ctx;
  ctx.now = Now();
  ctx.source = source;
  ctx.options = &options_;
  return ledger_internal::ApplyRefundFacts(*store_, ledger_internal::AsNotification(refund), ctx);
}

}  // namespace wechatpay
