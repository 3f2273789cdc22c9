// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The Reconciler's work on one leased order (reconciler_work.hpp): each step runs on the pass's
// thread and either sends the next call — whose answer comes back to the following step — or
// goes straight on. What WeChat answers is recorded through the Ledger (its rules decide and
// flag); a failure puts the order off and never loses it.

#include <utility>
#include <vector>

#include "reconciler_marks.hpp"
#include "reconciler_work.hpp"
#include "wechatpay/channel/retry_advice.hpp"
#include "wechatpay/protocol/error_codes.hpp"

namespace wechatpay {
namespace {

bool IsOrderNotFound(Status const& status) {
  return IsServiceError(status, error_codes::kOrderNotExist) ||
         IsServiceError(status, error_codes::kOrderNotExistLegacy);
}

// A close that WeChat refused because the order is already paid or closed: not a failure, the
// query that follows records what happened.
bool IsSettledRefusal(Status const& status) {
  return IsServiceError(status, error_codes::kOrderPaid) ||
         IsServiceError(status, error_codes::kOrderPaidLegacy) ||
         IsServiceError(status, error_codes::kOrderClosed) ||
         IsServiceError(status, error_codes::kOrderClosedLegacy);
}

bool RateLimited(Status const& status) { return AdviseRetry(status).rate_limited; }

bool RefundInFlight(RefundRecord const& refund) {
  return refund.outcome_unknown || refund.state == LedgerRefundState::kCreating ||
         refund.state == LedgerRefundState::kProcessing;
}

// What an order looks like for "did the pass settle something": its state, whether its outcome
// is unknown, and its refunds' states.
struct Snapshot {
  LedgerOrderState state = LedgerOrderState::kCreating;
  bool outcome_unknown = false;
  std::vector<std::pair<std::string, LedgerRefundState>> refunds;

  bool operator==(Snapshot const& other) const {
    return state == other.state && outcome_unknown == other.outcome_unknown &&
           refunds == other.refunds;
  }
};

Snapshot Snap(LedgerRows const& rows) {
  Snapshot snap;
  if (rows.order) {
    snap.state = rows.order->state;
    snap.outcome_unknown = rows.order->outcome_unknown;
  }
  for (auto const& refund : rows.refunds)
    snap.refunds.emplace_back(refund.out_refund_no, refund.state);
  return snap;
}

}  // namespace

void Reconciler::OrderWork::Begin() {
  auto before = r_.ledger_->store()->Get(no());
  if (!before || !before->order) {
    // The database failed (the lease runs out and the order is due again), or the row is gone.
    if (!before) {
      ++work_.summary.errors;
      r_.Log(LogLevel::kWarning, no() + ": " + before.status().ToString());
    }
    --work_.under_way;
    return;
  }
  before_ = *std::move(before);
  now_ = r_.ledger_->Now();
  OrderRecord const& order = *before_.order;
  bool const pending = order.state == LedgerOrderState::kCreating ||
                       order.state == LedgerOrderState::kNotPaid || order.outcome_unknown;
  bool const close_due = order.state == LedgerOrderState::kNotPaid && !order.outcome_unknown &&
                         order.close_deadline > 0 && now_ >= order.close_deadline;
  if (close_due) {
    if (!MayCall()) return End();
    r_.client_.CloseOrderAsync(no(), r_.options_.call, Back(&OrderWork::OnClosed));
  } else if (pending) {
    Query();
  } else {
    NextRefund();
  }
}

void Reconciler::OrderWork::OnClosed(StatusOr<CloseOrderResponse> closed) {
  auto recorded = r_.ledger_->RecordClose(no(), closed.status(), LedgerSource::kReconciler);
  if (closed.ok()) ++work_.summary.closed;
  if (!recorded) {
    Fail(recorded.status());
  } else if (!closed.ok() && !IsSettledRefusal(closed.status())) {
    Fail(closed.status());
  }
  // Always once more: a payment can race the close (ORDER_PAID, or a close whose answer was
  // lost), and the query is what tells the ledger. Not when WeChat limited the close.
  if (RateLimited(closed.status())) return End();
  Query();
}

void Reconciler::OrderWork::Query() {
  if (!MayCall()) return End();
  ++work_.summary.queried;
  r_.client_.QueryOrderByOutTradeNoAsync(no(), r_.options_.call, Back(&OrderWork::OnQueried));
}

void Reconciler::OrderWork::OnQueried(StatusOr<Transaction> answer) {
  if (!answer) {
    OrderRecord const& order = *before_.order;
    if (IsOrderNotFound(answer.status()) && order.close_deadline > 0 &&
        now_ >= order.close_deadline) {
      // Not at WeChat after the close deadline: it will not come, flag it. (Before the
      // deadline it may still come: a failure, so it is asked again later.)
      auto flagged =
          reconciler_internal::FlagUnknownAtWeChat(*r_.ledger_, no(), now_, answer.status());
      if (flagged.ok()) {
        flagged_ = true;
      } else {
        Fail(flagged);
      }
    } else {
      Fail(answer.status());
    }
    return NextRefund();
  }
  Applied(r_.ledger_->ApplyQuery(*answer, LedgerSource::kReconciler));
  NextRefund();
}

void Reconciler::OrderWork::NextRefund() {
  // Refunds in flight, unless WeChat has just limited this order's calls.
  if (RateLimited(failure_)) return End();
  auto const& refunds = before_.refunds;
  while (next_refund_ < refunds.size() && !RefundInFlight(refunds[next_refund_])) ++next_refund_;
  if (next_refund_ == refunds.size()) return End();
  if (!MayCall()) return End();
  ++work_.summary.queried;
  r_.client_.QueryRefundAsync(refunds[next_refund_++].out_refund_no, r_.options_.call,
                              Back(&OrderWork::OnRefund));
}

void Reconciler::OrderWork::OnRefund(StatusOr<Refund> answer) {
  if (!answer) {
    Fail(answer.status());
    return NextRefund();
  }
  Applied(r_.ledger_->ApplyRefundQuery(*answer, LedgerSource::kReconciler));
  NextRefund();
}

void Reconciler::OrderWork::Applied(StatusOr<LedgerApplyResult> const& applied) {
  if (!applied) {
    Fail(applied.status());
  } else if (applied->flagged) {
    flagged_ = true;
  }
}

void Reconciler::OrderWork::Fail(Status const& status) {
  if (failure_.ok()) failure_ = status;
  if (!RateLimited(status)) return;
  limited_ = true;
  if (work_.paused_until) return;
  // The pass's first rate limit: it starts no order and makes no further call, and the
  // Reconciler pauses.
  work_.stop = true;
  work_.summary.rate_limited = true;
  work_.rate_limit = status;
  work_.paused_until = r_.Pause(now_);
}

bool Reconciler::OrderWork::MayCall() {
  if (!work_.stop) return true;
  cut_short_ = true;
  return false;
}

void Reconciler::OrderWork::End() {
  auto& summary = work_.summary;
  --work_.under_way;
  if (flagged_) ++summary.flagged;
  auto after = r_.ledger_->store()->Get(no());
  if (after && !(Snap(*after) == Snap(before_))) ++summary.resolved;
  // Limited, or left unfinished because WeChat limited the pass: looked at again when the
  // pause is over (not by the retry backoff, whatever failed before).
  bool const until_pause = limited_ || cut_short_;
  if (!failure_.ok()) {
    ++summary.errors;
    if (until_pause) {
      r_.Defer(no(), failure_, now_, *work_.paused_until);
    } else {
      r_.Backoff(no(), failure_, now_);
    }
    return;
  }
  if (until_pause) {
    r_.Defer(no(), work_.rate_limit, now_, *work_.paused_until);
    return;
  }
  r_.Succeeded(no());
}

}  // namespace wechatpay
