// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Reconciler: a pass leases the due orders and works up to max_in_flight of them at once
// (reconciler_work.hpp, reconciler_order.cpp); the background mode runs a pass every interval.
// A failure puts the order off (reconciler_marks.cpp) and never loses it; a rate limit ends the
// pass and pauses every call, as the library's retry table classifies it.

#include "wechatpay/ledger/reconciler.hpp"

#include <algorithm>
#include <utility>

#include "reconciler_marks.hpp"
#include "reconciler_work.hpp"

namespace wechatpay {
namespace {

constexpr int kMaxBatch = 10000;
constexpr int kMaxInFlight = 1000;

template <typename Duration>
Duration PositiveOr(Duration value, Duration fallback) {
  return value.count() > 0 ? value : fallback;
}

}  // namespace

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
  options_.max_in_flight = std::clamp(options_.max_in_flight, 1, kMaxInFlight);
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
  // Begins orders while fewer than max_in_flight are under way, in the leased order.
  std::size_t next = 0;
  auto begin_more = [&] {
    while (work.under_way < options_.max_in_flight && next < leased->size()) {
      if (work.stop || Stopping()) return;
      auto& order = (*leased)[next++];
      // A lease that ran out may have gone to another instance: leave the rest to the next
      // pass.
      if (ledger_->Now() >= order.lease_until) {
        next = leased->size();
        return;
      }
      ++work.under_way;
      std::make_shared<OrderWork>(*this, work, std::move(order))->Begin();
    }
  };
  begin_more();
  // Every order under way has one call out, whose answer comes to the inbox.
  while (work.under_way > 0) {
    work.inbox->Take()();
    begin_more();
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

LedgerTime Reconciler::Pause(LedgerTime now) {
  std::lock_guard<std::mutex> lock(mu_);
  paused_until_ = now + next_pause_.count();
  next_pause_ = std::min(next_pause_ * 2, options_.max_backoff);
  return paused_until_;
}

void Reconciler::Backoff(std::string const& out_trade_no, Status const& error, LedgerTime now) {
  std::chrono::milliseconds delay;
  {
    std::lock_guard<std::mutex> lock(mu_);
    int const n = std::min(++failures_[out_trade_no], 20);
    delay = options_.retry_backoff;
    for (int i = 1; i < n && delay < options_.max_backoff; ++i) delay *= 2;
    delay = std::min(delay, options_.max_backoff);
  }
  Defer(out_trade_no, error, now, now + static_cast<LedgerTime>(delay.count()));
}

void Reconciler::Defer(std::string const& out_trade_no, Status const& error, LedgerTime now,
                       LedgerTime at) {
  Log(LogLevel::kWarning, out_trade_no + ": " + error.ToString() + "; next look in " +
                              std::to_string(at - now) + " ms");
  auto status = reconciler_internal::PutOff(*ledger_, out_trade_no, now, at, error);
  // Not put off: the order is still due (next_check_at unchanged) and its lease runs out, so it
  // is looked at again; nothing is lost.
  if (!status.ok()) Log(LogLevel::kWarning, out_trade_no + ": " + status.ToString());
}

void Reconciler::Succeeded(std::string const& out_trade_no) {
  std::lock_guard<std::mutex> lock(mu_);
  failures_.erase(out_trade_no);
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
