// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// One Reconciler pass as its thread runs it. Up to ReconcilerOptions::max_in_flight leased
// orders are under way at once; each is a small state machine (OrderWork) that has at most one
// call out at a time, sent with the client's asynchronous calls (on its I/O thread). A
// completion does nothing but hand its answer to the pass's Inbox; the pass's thread takes it
// from there and runs the order's next step. So every ledger write, decision and log line of a
// pass happens on that one thread, while many orders' calls are on the wire together — the
// payment watcher's design (src/payment_watcher.cpp).

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "wechatpay/ledger/reconciler.hpp"

namespace wechatpay {
namespace reconciler_internal {

// Tasks handed to the pass's thread. Post() from any thread; Take() on the pass's thread
// blocks until there is one.
class Inbox {
 public:
  void Post(std::function<void()> task) {
    std::lock_guard<std::mutex> lock(mu_);
    tasks_.push_back(std::move(task));
    // Notified under the lock: the pass may end (and the last owner destroy this) as soon as
    // it has taken the task.
    cv_.notify_one();
  }

  std::function<void()> Take() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !tasks_.empty(); });
    auto task = std::move(tasks_.front());
    tasks_.pop_front();
    return task;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
};

}  // namespace reconciler_internal

// One pass's running totals and state, owned by the pass's thread.
struct Reconciler::Work {
  ReconcileSummary summary;
  // Set by the pass's first rate limit: no order starts, and no order under way makes another
  // call (WeChat asked for fewer).
  bool stop = false;
  // When calls may resume after that rate limit (the Ledger's clock; set once per pass, so
  // that answers limited together double the pause once), and WeChat's answer.
  std::optional<LedgerTime> paused_until;
  Status rate_limit;
  // Orders begun and not yet ended: each has one call out (its answer will come to the inbox).
  int under_way = 0;
  std::shared_ptr<reconciler_internal::Inbox> inbox =
      std::make_shared<reconciler_internal::Inbox>();
  // The pass's thread (RunOnce()'s caller).
  std::thread::id const thread = std::this_thread::get_id();
};

// The work on one leased order: close it when due (then query it once more), or query it when
// its outcome is to learn; then query its refunds in flight, one after the other. Runs on the
// pass's thread only; Begin() returns once its first call is out (or it has ended).
class Reconciler::OrderWork : public std::enable_shared_from_this<Reconciler::OrderWork> {
 public:
  OrderWork(Reconciler& reconciler, Work& work, OrderRecord leased)
      : r_(reconciler), work_(work), leased_(std::move(leased)) {}

  void Begin();

 private:
  void OnClosed(StatusOr<CloseOrderResponse> closed);
  void Query();
  void OnQueried(StatusOr<Transaction> answer);
  void NextRefund();
  void OnRefund(StatusOr<Refund> answer);
  void End();

  // Keeps the first failure of this order's work; a rate limit also stops the pass.
  void Fail(Status const& status);
  // Notes what the Ledger made of an answer: its failure, or its flag.
  void Applied(StatusOr<LedgerApplyResult> const& applied);
  // False once the pass was rate limited: the order makes no further call.
  bool MayCall();
  // A completion that hands `answer` to `step` on the pass's thread.
  // A completion called on the pass's own thread — inside the call: a client without an
  // asynchronous side (the gateway), or a request refused before sending — runs the step at
  // once, so such a client works one order to its end before the next begins (a rate limit
  // then stops the pass as soon as it is answered). From the I/O thread the answer goes to
  // the inbox. The inbox is taken here, on the pass's thread: a completion never touches the
  // pass's Work, which is gone when the pass ended early (a logger, clock or store that
  // threw); the posted task is then never run, only destroyed with the inbox.
  template <typename T>
  Completion<T> Back(void (OrderWork::*step)(StatusOr<T>)) {
    return [self = shared_from_this(), step, inbox = work_.inbox,
            pass = work_.thread](StatusOr<T> answer) {
      if (std::this_thread::get_id() == pass) return ((*self).*step)(std::move(answer));
      auto held = std::make_shared<StatusOr<T>>(std::move(answer));
      inbox->Post([self, step, held] { ((*self).*step)(std::move(*held)); });
    };
  }

  std::string const& no() const { return leased_.out_trade_no; }

  Reconciler& r_;
  Work& work_;
  OrderRecord const leased_;
  LedgerRows before_;            // the rows when the work began
  LedgerTime now_ = 0;           // when the work began (the Ledger's clock)
  Status failure_;               // the first failure
  bool flagged_ = false;         // the Ledger flagged an answer of this order
  bool cut_short_ = false;       // the pass's rate limit stopped it before its last call
  bool limited_ = false;         // one of its answers was a rate limit
  std::size_t next_refund_ = 0;  // the next refund of before_ to look at
};

}  // namespace wechatpay
