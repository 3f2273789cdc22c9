// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Reconciler: a pass leases the due orders and works them one by one; the background mode runs
// a pass every interval. What WeChat answers is recorded through the Ledger (its rules decide
// and flag); a failure puts the order off (reconciler_marks.cpp) and never loses it, and a rate
// limit ends the pass and pauses every call, as the library's retry table classifies it.

#include "wechatpay/ledger/reconciler.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "reconciler_marks.hpp"
#include "wechatpay/channel/retry_advice.hpp"
#include "wechatpay/protocol/error_codes.hpp"

namespace wechatpay {
namespace {

constexpr int kMaxBatch = 10000;

template <typename Duration>
Duration PositiveOr(Duration value, Duration fallback) {
  return value.count() > 0 ? value : fallback;
}

bool IsOrderNotFound(Status const& status) {
  return IsServiceError(status, error_codes::kOrderNotExist) ||
         IsServiceError(status, error_codes::kOrderNotExistLegacy);
}

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

// One pass's running totals and its first failure's advice.
struct Reconciler::Work {
  ReconcileSummary summary;
  bool stop = false;  // a rate limit (or Stop()) ends the pass
};

Reconciler::Reconciler(std::shared_ptr<Ledger> ledger, NativePayClient client,
                       ReconcilerOptions options)
    : ledger_(std::move(ledger)), client_(std::move(client)), options_(std::move(options)) {
  ReconcilerOptions const defaults;
  options_.interval = PositiveOr(options_.interval, defaults.interval);
  options_.lease = PositiveOr(options_.lease, defaults.lease);
  options_.retry_backoff = PositiveOr(options_.retry_backoff, defaults.retry_backoff);
  options_.rate_limit_backoff =
      PositiveOr(options_.rate_limit_backoff, defaults.rate_limit_backoff);
  options_.max_backoff = std::max(PositiveOr(options_.max_backoff, defaults.max_backoff),
                                  std::max(options_.retry_backoff, options_.rate_limit_backoff));
  options_.batch = std::clamp(options_.batch, 1, kMaxBatch);
  if (options_.owner.empty()) options_.owner = ledger_->options().instance_id;
  next_pause_ = options_.rate_limit_backoff;
}

Reconciler::~Reconciler() { Stop(); }

void Reconciler::Log(LogLevel level, std::string const& line) const {
  if (options_.logger) options_.logger(level, "reconciler: " + line);
}

bool Reconciler::Stopping() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stop_;
}

StatusOr<ReconcileSummary> Reconciler::RunOnce() {
  Work work;
  LedgerTime const now = ledger_->Now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (now < paused_until_) {
      work.summary.rate_limited = true;  // still pausing: no lease, no call
      return work.summary;
    }
  }
  auto leased = ledger_->store()->LeaseDue(
      options_.owner, now, static_cast<LedgerTime>(options_.lease.count()), options_.batch);
  if (!leased) return leased.status();
  work.summary.leased = static_cast<int>(leased->size());
  for (auto const& order : *leased) {
    if (work.stop || Stopping()) break;
    // A lease that ran out may have gone to another instance: leave the rest to the next pass.
    if (ledger_->Now() >= order.lease_until) break;
    WorkOrder(order, work);
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    // A pass that WeChat did not limit ends the doubling of the pause.
    if (!work.summary.rate_limited) next_pause_ = options_.rate_limit_backoff;
  }
  auto const& s = work.summary;
  if (s.leased > 0) {
    Log(LogLevel::kInfo, "leased " + std::to_string(s.leased) + ", queried " +
                             std::to_string(s.queried) + ", closed " + std::to_string(s.closed) +
                             ", resolved " + std::to_string(s.resolved) + ", flagged " +
                             std::to_string(s.flagged) + ", errors " + std::to_string(s.errors) +
                             (s.rate_limited ? ", rate limited" : ""));
  }
  return work.summary;
}

void Reconciler::WorkOrder(OrderRecord const& leased, Work& work) {
  auto const& no = leased.out_trade_no;
  auto& summary = work.summary;
  auto before = ledger_->store()->Get(no);
  if (!before || !before->order) {
    // The database failed (the lease runs out and the order is due again), or the row is gone.
    if (!before) {
      ++summary.errors;
      Log(LogLevel::kWarning, no + ": " + before.status().ToString());
    }
    return;
  }
  OrderRecord const& order = *before->order;
  LedgerTime const now = ledger_->Now();
  Status failure;  // the first failure of this order's work
  bool flagged = false;

  // Records a call's failure; true when the work on this order goes on.
  auto fail = [&](Status const& status) {
    if (failure.ok()) failure = status;
    return false;
  };
  auto apply_query = [&]() {
    ++summary.queried;
    auto answer = client_.QueryOrderByOutTradeNo(no, options_.call);
    if (!answer) {
      if (IsOrderNotFound(answer.status())) {
        // Not (yet) at WeChat. After the deadline it will not come: flag; before, look again.
        if (order.close_deadline > 0 && now >= order.close_deadline) {
          auto flagged_status =
              reconciler_internal::FlagUnknownAtWeChat(*ledger_, no, now, answer.status());
          if (!flagged_status.ok()) return fail(flagged_status);
          flagged = true;
          return true;
        }
      }
      return fail(answer.status());
    }
    auto applied = ledger_->ApplyQuery(*answer, LedgerSource::kReconciler);
    if (!applied) return fail(applied.status());
    if (applied->flagged) flagged = true;
    return true;
  };

  bool const pending = order.state == LedgerOrderState::kCreating ||
                       order.state == LedgerOrderState::kNotPaid || order.outcome_unknown;
  bool const close_due = order.state == LedgerOrderState::kNotPaid && !order.outcome_unknown &&
                         order.close_deadline > 0 && now >= order.close_deadline;
  if (close_due) {
    auto closed = client_.CloseOrder(no, options_.call);
    auto recorded = ledger_->RecordClose(no, closed.status(), LedgerSource::kReconciler);
    if (closed.ok()) ++summary.closed;
    if (!recorded) {
      fail(recorded.status());
    } else if (!closed.ok() && !IsServiceError(closed.status(), error_codes::kOrderPaid) &&
               !IsServiceError(closed.status(), error_codes::kOrderPaidLegacy) &&
               !IsServiceError(closed.status(), error_codes::kOrderClosed) &&
               !IsServiceError(closed.status(), error_codes::kOrderClosedLegacy)) {
      fail(closed.status());
    }
    // Always once more: a payment can race the close (ORDER_PAID, or a close whose answer was
    // lost), and the query is what tells the ledger.
    if (!AdviseRetry(closed.status()).rate_limited) apply_query();
  } else if (pending) {
    apply_query();
  }
  // Refunds in flight, unless WeChat has just limited the rate.
  if (!AdviseRetry(failure).rate_limited) {
    for (auto const& refund : before->refunds) {
      if (!RefundInFlight(refund)) continue;
      ++summary.queried;
      auto answer = client_.QueryRefund(refund.out_refund_no, options_.call);
      if (!answer) {
        fail(answer.status());
        if (AdviseRetry(answer.status()).rate_limited) break;
        continue;
      }
      auto applied = ledger_->ApplyRefundQuery(*answer, LedgerSource::kReconciler);
      if (!applied) {
        fail(applied.status());
        continue;
      }
      if (applied->flagged) flagged = true;
    }
  }

  if (flagged) ++summary.flagged;
  auto after = ledger_->store()->Get(no);
  if (after && !(Snap(*after) == Snap(*before))) ++summary.resolved;
  if (failure.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    failures_.erase(no);
    return;
  }
  ++summary.errors;
  bool const rate_limited = AdviseRetry(failure).rate_limited;
  if (rate_limited) {
    summary.rate_limited = true;
    work.stop = true;
  }
  Backoff(no, failure, rate_limited, now);
}

void Reconciler::Backoff(std::string const& out_trade_no, Status const& error, bool rate_limited,
                         LedgerTime now) {
  std::chrono::milliseconds delay;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (rate_limited) {
      delay = next_pause_;
      paused_until_ = now + delay.count();
      next_pause_ = std::min(next_pause_ * 2, options_.max_backoff);
    } else {
      int const n = std::min(++failures_[out_trade_no], 20);
      delay = options_.retry_backoff;
      for (int i = 1; i < n && delay < options_.max_backoff; ++i) delay *= 2;
      delay = std::min(delay, options_.max_backoff);
    }
  }
  Log(LogLevel::kWarning, out_trade_no + ": " + error.ToString() + "; next look in " +
                              std::to_string(delay.count()) + " ms");
  auto status = reconciler_internal::PutOff(*ledger_, out_trade_no, now,
                                            now + static_cast<LedgerTime>(delay.count()), error);
  // Not put off: the order is still due (next_check_at unchanged) and its lease runs out, so it
  // is looked at again; nothing is lost.
  if (!status.ok()) Log(LogLevel::kWarning, out_trade_no + ": " + status.ToString());
}

Status Reconciler::Start(std::function<void(StatusOr<ReconcileSummary> const&)> on_pass) {
  std::lock_guard<std::mutex> lock(mu_);
  if (running_ || thread_.joinable()) {
    ErrorInfo info;
    info.field = "reconciler";
    return Status(StatusCode::kInvalidArgument, "the reconciler is already running",
                  std::move(info));
  }
  stop_ = false;
  running_ = true;
  thread_ = std::thread([this, on_pass = std::move(on_pass)] {
    auto const& clock = ledger_->options().clock;
    for (;;) {
      auto result = RunOnce();
      if (on_pass) on_pass(result);
      std::unique_lock<std::mutex> wait_lock(mu_);
      if (stop_) break;
      auto const deadline = clock->Now() + options_.interval;
      while (!stop_ && clock->Now() < deadline) clock->WaitUntil(wait_lock, cv_, deadline);
      if (stop_) break;
    }
  });
  return Status();
}

void Reconciler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard<std::mutex> lock(mu_);
  running_ = false;
  stop_ = false;  // RunOnce() called after Stop() works again
}

bool Reconciler::running() const {
  std::lock_guard<std::mutex> lock(mu_);
  return running_;
}

}  // namespace wechatpay
