// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// CallPipeline::RunAsync(): one call driven by the transport's I/O thread. The decisions are
// CallPipeline::Call's, exactly as in the blocking Run(); what differs is who waits. An attempt
// is prepared (signed) on the thread that starts it — the caller's for the first attempt, the
// I/O thread for a retry —, sent with SendAsync(), and finished (verified, mapped) in the
// transport's completion; a retry waits on a transport timer. No thread waits anywhere.
//
// Steps of one call never overlap: each one is started by the end of the previous one (the
// transport's queue orders them), so Call needs no lock. The lock here guards only what a
// cancellation, arriving on any thread, looks at: the queued request's ticket, the retry
// timer, and whether the call has ended.

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "channel/call_pipeline.hpp"

namespace wechatpay::internal {

template <typename T, typename PrepareFn, typename FinishFn>
class AsyncRun : public std::enable_shared_from_this<AsyncRun<T, PrepareFn, FinishFn>> {
 public:
  AsyncRun(CallPipeline const& pipeline, Operation operation, CallOptions const& options,
           std::string label, std::string_view id_header, PrepareFn prepare, FinishFn finish,
           std::function<void(StatusOr<T>)> done, std::shared_ptr<void const> keep_alive)
      : pipeline_(pipeline),
        io_(*pipeline.async_transport()),
        operation_(operation),
        state_(pipeline, operation, options, label),
        label_(std::move(label)),
        id_header_(id_header),
        prepare_(std::move(prepare)),
        finish_(std::move(finish)),
        done_(std::move(done)),
        keep_alive_(std::move(keep_alive)) {}

  // Runs on the caller's thread: the call's bounds, the cancellation, the first attempt.
  void Start() {
    if (auto started = state_.Start(); !started.ok()) return End(std::move(started), false);
    if (auto const& cancellation = state_.options().cancellation) {
      std::weak_ptr<AsyncRun> weak = this->shared_from_this();
      auto const id = cancellation->OnCancel([weak] {
        if (auto self = weak.lock()) self->OnCancel();
      });
      std::lock_guard<std::mutex> lock(mutex_);
      cancel_id_ = id;
    }
    Guarded(false, [&] { Attempt(false); });
  }

 private:
  // One attempt; `on_io`: running on the I/O thread (a retry) rather than the caller's.
  void Attempt(bool on_io) {
    if (state_.cancelled()) return End(state_.Cancelled(), on_io);
    auto const budget = state_.NextAttempt();
    StatusOr<HttpRequest> request = prepare_(budget);
    if (!request) {
      return AfterAttempt({request.status(), FailureClass::kLocal, std::chrono::milliseconds(0)},
                          on_io);
    }
    int const attempt = ++attempts_;
    auto self = this->shared_from_this();
    AsyncTicket const ticket = pipeline_.SendAsync(
        *std::move(request), budget, {label_, label_, id_header_},
        [self, attempt](StatusOr<HttpResponse> sent) {
          {
            std::lock_guard<std::mutex> lock(self->mutex_);
            if (self->queued_attempt_ == attempt) self->queued_ = 0;
            self->answered_attempt_ = attempt;
          }
          self->Guarded(true, [&] { self->AfterAttempt(self->finish_(std::move(sent)), true); });
        });
    // The completion may have run already (on the I/O thread): then the ticket is stale and
    // must not be kept for a cancellation.
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (answered_attempt_ >= attempt) return;
      queued_ = ticket;
      queued_attempt_ = attempt;
    }
    // A cancellation between the check above and the ticket's store found nothing to take
    // back: it is honoured here.
    if (state_.cancelled()) (void)io_.Cancel(ticket);
  }

  void AfterAttempt(internal::Attempt<T> outcome, bool on_io) {
    if (outcome.result.ok()) {
      state_.Succeeded();
      return End(std::move(outcome.result), on_io);
    }
    // Taken back from the transport's queue by a cancellation: nothing of it was sent.
    if (outcome.result.status().code() == StatusCode::kCancelled && state_.cancelled() &&
        !outcome.result.status().info().outcome_unknown) {
      return End(state_.Cancelled(), on_io);
    }
    auto next = state_.Failed(outcome.result.status(), outcome.failure, outcome.retry_after);
    if (!next.retry) return End(std::move(next.status), on_io);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      // A cancellation that came before the lock sees no timer: it is honoured here.
      if (!state_.cancelled()) {
        auto self = this->shared_from_this();
        auto const delay = next.delay;
        timer_ = io_.RunAfter(delay, [self, delay] {
          {
            std::lock_guard<std::mutex> timer_lock(self->mutex_);
            self->timer_ = 0;
          }
          self->state_.Waited(delay);
          self->Guarded(true, [&] { self->Attempt(true); });
        });
        return;
      }
    }
    End(state_.Cancelled(), on_io);
  }

  // From CallCancellation::Cancel(), on any thread: takes back a retry timer (the call then ends
  // here) or a queued request (its completion ends the call). A request on the wire is left to
  // finish; AfterAttempt() then makes no retry.
  void OnCancel() {
    AsyncTicket timer = 0;
    AsyncTicket queued = 0;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      timer = timer_;
      queued = queued_;
    }
    if (timer != 0 && io_.Cancel(timer)) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        timer_ = 0;
      }
      // The timer will never run: no other step of the call is under way.
      return End(state_.Cancelled(), false);
    }
    if (queued != 0) (void)io_.Cancel(queued);
  }

  // Runs one step. What the application's code inside a step throws (a logger, the clock)
  // would unwind into the I/O thread, which drops it, and the call would never end: it ends
  // here instead, with kInternal (a write's outcome unknown: the step may have come after
  // its request was sent).
  template <typename Step>
  void Guarded(bool on_io, Step&& step) {
    try {
      step();
    } catch (...) {
      ErrorInfo info;
      info.outcome_unknown = IsWrite(operation_);
      End(Status(StatusCode::kInternal,
                 std::string("the call ended: a function of the application (the logger or the "
                             "clock) threw during one of its steps") +
                     (info.outcome_unknown ? "; the outcome is unknown" : ""),
                 std::move(info)),
          on_io);
    }
  }

  // Ends the call once. `on_io`: on the I/O thread already, where `done` may run at once;
  // otherwise it is handed to the I/O thread, so `done` never runs inside RunAsync() or
  // Cancel().
  void End(StatusOr<T> result, bool on_io) {
    std::uint64_t cancel_id = 0;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (ended_) return;
      ended_ = true;
      cancel_id = cancel_id_;
    }
    // Not under mutex_: Forget() waits for a running OnCancel(), which takes mutex_.
    if (cancel_id != 0) state_.options().cancellation->Forget(cancel_id);
    if (on_io) return Deliver(std::move(result));
    auto self = this->shared_from_this();
    auto shared = std::make_shared<StatusOr<T>>(std::move(result));
    (void)io_.RunAfter(std::chrono::milliseconds(0),
                       [self, shared] { self->Deliver(std::move(*shared)); });
  }

  void Deliver(StatusOr<T> result) {
    auto done = std::move(done_);
    auto keep_alive = std::move(keep_alive_);
    // What the application's completion throws has nowhere to go (the I/O thread catches and
    // drops it too); catching here keeps the rest of this function's promises.
    try {
      done(std::move(result));
    } catch (...) {  // NOLINT(bugprone-empty-catch): documented
    }
  }

  CallPipeline const& pipeline_;
  AsyncHttpTransport& io_;
  Operation const operation_;
  CallPipeline::Call state_;
  std::string const label_;
  std::string_view const id_header_;
  PrepareFn prepare_;
  FinishFn finish_;
  std::function<void(StatusOr<T>)> done_;
  std::shared_ptr<void const> keep_alive_;

  std::mutex mutex_;
  int attempts_ = 0;  // attempts sent; read and written by the call's steps only
  AsyncTicket queued_ = 0;
  int queued_attempt_ = 0;
  int answered_attempt_ = 0;
  AsyncTicket timer_ = 0;
  bool ended_ = false;
  std::uint64_t cancel_id_ = 0;
};

template <typename T, typename PrepareFn, typename FinishFn>
void CallPipeline::RunAsync(Operation operation, CallOptions const& call, std::string label,
                            std::string_view id_header, PrepareFn prepare, FinishFn finish,
                            std::function<void(StatusOr<T>)> done,
                            std::shared_ptr<void const> keep_alive) const {
  if (async_ == nullptr) {
    // An application's own transport has no I/O thread: the blocking run, on this thread.
    done(RunSteps<T>(operation, call, label, id_header, prepare, finish));
    return;
  }
  auto run = std::make_shared<AsyncRun<T, PrepareFn, FinishFn>>(
      *this, operation, call, std::move(label), id_header, std::move(prepare), std::move(finish),
      std::move(done), std::move(keep_alive));
  run->Start();
}

}  // namespace wechatpay::internal
