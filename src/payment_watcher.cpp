// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/payment_watcher.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "channel/retry_table.hpp"
#include "common/config_error.hpp"
#include "wechatpay/protocol/error_codes.hpp"

namespace wechatpay {
namespace {

using Clock = std::chrono::steady_clock;

// Errors that a later attempt can fix: the channels' retry table decides (a read's column),
// so the watcher retries exactly what a query would have retried within its call. Everything
// else (bad input, configuration, a forged or stale response, 4xx business errors) would fail
// the same way again. A close is retried on the same column: the watcher queries after every
// close, so it learns a write's outcome before it closes again.
bool IsRetryable(Status const& status) { return internal::IsTransient(status); }

bool IsOrderNotFound(Status const& status) {
  return IsServiceError(status, error_codes::kOrderNotExist) ||
         IsServiceError(status, error_codes::kOrderNotExistLegacy) ||
         (status.code() == StatusCode::kServiceError && status.info().service_code.empty() &&
          status.info().http_status == 404);
}

// A close refused because the order is paid (the payer won the race): asking again is right,
// since the query that follows it says SUCCESS once WeChat has settled the payment.
bool IsPaidRefusal(Status const& status) {
  return IsServiceError(status, error_codes::kOrderPaid) ||
         IsServiceError(status, error_codes::kOrderPaidLegacy);
}

// Closing an order that is already closed is reentrant per the docs; WeChat may still answer
// ORDER_CLOSED. That answer is unsigned, so the watch confirms it with a verified query.
bool IsAlreadyClosed(Status const& status) {
  return IsServiceError(status, error_codes::kOrderClosed) ||
         IsServiceError(status, error_codes::kOrderClosedLegacy);
}

// A query is bounded by what is left of the watch's timeout, so a slow query cannot hold the
// close (or the kTimedOut end) past it. At least 1 ms: zero would mean "no bound".
CallOptions QueryBound(Clock::time_point now, Clock::time_point deadline) {
  CallOptions options;
  options.timeout = std::max(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now),
                             std::chrono::milliseconds(1));
  return options;
}

Status CheckOptions(WatchOptions const& options) {
  if (options.interval.count() <= 0) {
    return internal::InvalidArgument("interval", "WatchOptions::interval must be positive");
  }
  if (options.timeout.count() < 0) {
    return internal::InvalidArgument("timeout", "WatchOptions::timeout must not be negative");
  }
  if (options.not_found_grace.count() < 0) {
    return internal::InvalidArgument("not_found_grace",
                                     "WatchOptions::not_found_grace must not be negative");
  }
  if (options.max_close_attempts < 1) {
    return internal::InvalidArgument("max_close_attempts",
                                     "WatchOptions::max_close_attempts must be at least 1");
  }
  return Status();
}

// A steady-clock instant for a wall-clock one, measured from now on `clock`.
Clock::time_point ToSteady(WatcherClock const& clock, std::chrono::system_clock::time_point when) {
  auto const delta = std::chrono::duration_cast<Clock::duration>(when - clock.WallNow());
  return clock.Now() + delta;
}

// The real clocks; waiting is the condition variable's own timed wait.
class SystemClock final : public WatcherClock {
 public:
  Clock::time_point Now() const override { return Clock::now(); }
  std::chrono::system_clock::time_point WallNow() const override {
    return std::chrono::system_clock::now();
  }
  void WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                 Clock::time_point deadline) override {
    if (deadline == Clock::time_point::max()) {
      cv.wait(lock);
    } else {
      cv.wait_until(lock, deadline);
    }
  }
};

Status WithContext(std::string const& prefix, Status const& status) {
  return Status(status.code(), prefix + status.message(), status.info());
}

}  // namespace

std::shared_ptr<WatcherClock> SystemWatcherClock() {
  static auto const clock = std::make_shared<SystemClock>();
  return clock;
}

char const* WatchEndName(WatchEnd end) {
  switch (end) {
    case WatchEnd::kPushed:
      return "PUSHED";
    case WatchEnd::kPolled:
      return "POLLED";
    case WatchEnd::kClosed:
      return "CLOSED";
    case WatchEnd::kPaidAtClose:
      return "PAID_AT_CLOSE";
    case WatchEnd::kTimedOut:
      return "TIMED_OUT";
    case WatchEnd::kCancelled:
      return "CANCELLED";
    case WatchEnd::kFailed:
      return "FAILED";
  }
  return "UNKNOWN";
}

struct PaymentWatcher::Impl {
  // One watched order. Guarded by mu_, except that the worker reads the immutable parts
  // (out_trade_no, options) without it.
  struct Entry {
    std::string out_trade_no;
    WatchOptions options;
    std::promise<WatchResult> promise;
    std::shared_future<WatchResult> future;
    std::vector<Callback> callbacks;
    Clock::time_point started;
    Clock::time_point deadline;
    // Pending kCodeUrlExpired event; reset once raised.
    std::optional<Clock::time_point> code_url_expiry;
    Clock::time_point next_action;
    bool closing = false;
    int close_attempts = 0;
    int queries = 0;
    std::optional<Transaction> last;
    bool done = false;
    // A query (or a close and its query) is under way on the client's I/O thread: the entry is
    // not scheduled again until its answer has been handled here.
    bool in_flight = false;
    // The answers of the step under way, handed over by the completions.
    std::optional<StatusOr<CloseOrderResponse>> close_answer;
    std::optional<StatusOr<Transaction>> query_answer;
    // Cancels the entry's queued requests when its watch ends another way (Push, Cancel).
    std::shared_ptr<CallCancellation> cancellation = std::make_shared<CallCancellation>();

    Clock::time_point NextWake() const {
      return code_url_expiry ? std::min(*code_url_expiry, next_action) : next_action;
    }
  };
  using EntryPtr = std::shared_ptr<Entry>;

  Impl(NativePayClient c, std::shared_ptr<WatcherClock> time)
      : client(std::move(c)), clock(time ? std::move(time) : SystemWatcherClock()) {
    thread = std::thread([this] { Run(); });
  }

  // --- Finishing -------------------------------------------------------------------------------

  // Ends `entry` with `result`: under the lock it is marked done and forgotten; the future and
  // callbacks are fulfilled with the lock released, so they may call back into the watcher.
  // Returns false when the entry had already ended (a race between two enders).
  bool Finish(std::unique_lock<std::mutex>& lock, EntryPtr const& entry, WatchResult result) {
    if (entry->done) return false;
    entry->done = true;
    auto it = entries.find(entry->out_trade_no);
    if (it != entries.end() && it->second == entry) entries.erase(it);
    auto callbacks = std::move(entry->callbacks);
    result.out_trade_no = entry->out_trade_no;
    result.queries = entry->queries;
    bool const in_flight = entry->in_flight;
    lock.unlock();
    // A request of this entry still queued is not sent any more (one on the wire ends as it
    // would have; its answer is then dropped).
    if (in_flight) entry->cancellation->Cancel();
    entry->promise.set_value(result);
    for (auto const& callback : callbacks) {
      try {
        if (callback) callback(result);
      } catch (...) {
        // A callback's failure is its own; the watcher must go on serving the other orders.
      }
    }
    lock.lock();
    return true;
  }

  static WatchResult Result(WatchEnd end, Status status, std::optional<Transaction> transaction) {
    WatchResult result;
    result.end = end;
    result.status = std::move(status);
    result.transaction = std::move(transaction);
    return result;
  }

  void Emit(std::unique_lock<std::mutex>& lock, EntryPtr const& entry,
            std::vector<WatchEvent>& events) {
    if (events.empty() || !entry->options.on_event) {
      events.clear();
      return;
    }
    lock.unlock();
    for (auto const& event : events) {
      try {
        entry->options.on_event(event);
      } catch (...) {
        // As for completion callbacks: a progress display must not stop the watcher.
      }
    }
    events.clear();
    lock.lock();
  }

  WatchEvent Event(EntryPtr const& entry, WatchEventKind kind) const {
    WatchEvent event;
    event.out_trade_no = entry->out_trade_no;
    event.kind = kind;
    return event;
  }

  // --- The background thread -------------------------------------------------------------------

  void Run() {
    std::unique_lock<std::mutex> lock(mu);
    while (!stopping) {
      // Answers first: their entries wait for nothing else.
      if (!answered.empty()) {
        auto entry = std::move(answered.front());
        answered.pop_front();
        HandleAnswer(lock, entry);
        continue;
      }
      auto const now = clock->Now();
      EntryPtr due;
      std::optional<Clock::time_point> wake;
      for (auto const& [key, entry] : entries) {
        if (entry->in_flight) continue;
        auto const at = entry->NextWake();
        if (at <= now) {
          // The most overdue first, so that every order gets its turn.
          if (!due || at < due->NextWake()) due = entry;
        } else if (!wake || at < *wake) {
          wake = at;
        }
      }
      if (due) {
        Step(lock, due);
      } else {
        clock->WaitUntil(lock, cv, wake.value_or(Clock::time_point::max()));
      }
    }
  }

  // One turn of `entry`: raise a due code_url event, then query or close if due. Called and
  // returns with the lock held; releases it around requests and callbacks.
  void Step(std::unique_lock<std::mutex>& lock, EntryPtr const& entry) {
    std::vector<WatchEvent> events;
    auto now = clock->Now();
    if (entry->code_url_expiry && now >= *entry->code_url_expiry) {
      entry->code_url_expiry.reset();
      events.push_back(Event(entry, WatchEventKind::kCodeUrlExpired));
    }
    if (now < entry->next_action) return Emit(lock, entry, events);
    if (!entry->closing && now >= entry->deadline) {
      if (!entry->options.close_on_timeout) {
        Emit(lock, entry, events);
        Finish(lock, entry,
               Result(WatchEnd::kTimedOut,
                      Status(StatusCode::kDeadlineExceeded,
                             "order " + entry->out_trade_no +
                                 " is still unpaid after the watch timeout; it was not closed "
                                 "(close_on_timeout is off) and can still be paid"),
                      entry->last));
        return;
      }
      entry->closing = true;
      events.push_back(Event(entry, WatchEventKind::kClosing));
    }
    Emit(lock, entry, events);
    if (entry->done) return;
    if (entry->closing) {
      CloseStep(lock, entry);
    } else {
      QueryStep(lock, entry);
    }
  }

  // --- Requests, on the client's I/O thread --------------------------------------------------
  //
  // A step sends its request asynchronously and returns: the watcher thread goes on with the
  // other orders. The completion hands the answer back (Answered) and the watcher thread
  // handles it (HandleAnswer), so every decision, event and callback stays on that thread.

  CallOptions Bounded(EntryPtr const& entry) const {
    auto options = QueryBound(Clock::now(), entry->deadline);
    options.cancellation = entry->cancellation;
    return options;
  }

  // Called with the lock held; releases it while the request is handed to the client.
  void Send(std::unique_lock<std::mutex>& lock, EntryPtr const& entry,
            std::function<void()> const& send) {
    entry->in_flight = true;
    ++requests_in_flight;
    lock.unlock();
    send();
    lock.lock();
  }

  // From a completion (the I/O thread, or the watcher thread for a client without an
  // asynchronous side): queues the entry for HandleAnswer().
  void Answered(EntryPtr const& entry, std::function<void(Entry&)> const& store) {
    // Notified under the lock: once requests_in_flight reaches 0 the destructor may destroy
    // `cv`, which must not happen while this thread still notifies it.
    std::lock_guard<std::mutex> lock(mu);
    store(*entry);
    answered.push_back(entry);
    --requests_in_flight;
    cv.notify_all();
  }

  void QueryStep(std::unique_lock<std::mutex>& lock, EntryPtr const& entry) {
    ++entry->queries;
    auto const options = Bounded(entry);
    Send(lock, entry, [&] {
      client.QueryOrderByOutTradeNoAsync(
          entry->out_trade_no, options, [this, entry](StatusOr<Transaction> transaction) {
            Answered(entry, [&](Entry& e) { e.query_answer = std::move(transaction); });
          });
    });
  }

  void HandleAnswer(std::unique_lock<std::mutex>& lock, EntryPtr const& entry) {
    entry->in_flight = false;
    auto transaction = std::move(entry->query_answer);
    auto closed = std::move(entry->close_answer);
    entry->query_answer.reset();
    entry->close_answer.reset();
    if (entry->done || !transaction) return;  // pushed, cancelled or destroyed meanwhile
    if (closed) return HandleClose(lock, entry, std::move(*closed), std::move(*transaction));
    HandleQuery(lock, entry, std::move(*transaction));
  }

  void HandleQuery(std::unique_lock<std::mutex>& lock, EntryPtr const& entry,
                   StatusOr<Transaction> transaction) {
    auto const now = clock->Now();
    std::vector<WatchEvent> events;
    if (transaction) {
      if (IsTerminalTradeState(transaction->trade_state)) {
        Finish(lock, entry, Result(WatchEnd::kPolled, Status(), *std::move(transaction)));
        return;
      }
      auto event = Event(entry, WatchEventKind::kQueried);
      event.transaction = *transaction;
      events.push_back(std::move(event));
      entry->last = *std::move(transaction);
    } else {
      auto const& status = transaction.status();
      bool const young = now - entry->started < entry->options.not_found_grace;
      if (!IsRetryable(status) && !(IsOrderNotFound(status) && young)) {
        Finish(lock, entry,
               Result(WatchEnd::kFailed, WithContext("querying the order failed: ", status),
                      entry->last));
        return;
      }
      auto event = Event(entry, WatchEventKind::kQueryFailed);
      event.status = status;
      events.push_back(std::move(event));
    }
    // Never sleep past the deadline: the close is due then.
    entry->next_action = std::min(now + entry->options.interval, entry->deadline);
    Emit(lock, entry, events);
  }

  void CloseStep(std::unique_lock<std::mutex>& lock, EntryPtr const& entry) {
    ++entry->close_attempts;
    ++entry->queries;
    CallOptions options;
    options.cancellation = entry->cancellation;
    Send(lock, entry, [&] {
      client.CloseOrderAsync(
          entry->out_trade_no, options,
          [this, entry, options](StatusOr<CloseOrderResponse> closed) {
            // Whatever the close said, ask: a close that failed may have lost a race with the
            // payer (ORDER_PAID, FREQUENCY_LIMITED), and a close that succeeded deserves the
            // transaction as WeChat now reports it.
            auto shared = std::make_shared<StatusOr<CloseOrderResponse>>(std::move(closed));
            client.QueryOrderByOutTradeNoAsync(
                entry->out_trade_no, options,
                [this, entry, shared](StatusOr<Transaction> transaction) {
                  Answered(entry, [&](Entry& e) {
                    e.close_answer = std::move(*shared);
                    e.query_answer = std::move(transaction);
                  });
                });
          });
    });
  }

  void HandleClose(std::unique_lock<std::mutex>& lock, EntryPtr const& entry,
                   StatusOr<CloseOrderResponse> closed, StatusOr<Transaction> transaction) {
    if (transaction && IsTerminalTradeState(transaction->trade_state)) {
      auto const end =
          transaction->trade_state == "CLOSED" ? WatchEnd::kClosed : WatchEnd::kPaidAtClose;
      Finish(lock, entry, Result(end, Status(), *std::move(transaction)));
      return;
    }
    if (transaction) entry->last = *transaction;
    if (closed) {
      // The verified 204 proves the order is closed; the query lags or failed.
      Transaction synthesized = entry->last.value_or(Transaction{});
      synthesized.out_trade_no = entry->out_trade_no;
      synthesized.trade_state = "CLOSED";
      synthesized.trade_state_desc.reset();
      synthesized.raw_json.clear();
      synthesized.meta = ResponseMetadata{};
      Finish(lock, entry, Result(WatchEnd::kClosed, Status(), std::move(synthesized)));
      return;
    }
    auto const& status = closed.status();
    // ORDER_CLOSED is an error answer, and WeChat does not sign those: on its own it proves
    // nothing, and here the verified query did not say CLOSED. Ask again; only a verified 204
    // or a verified CLOSED ends the watch as closed.
    if ((IsRetryable(status) || IsPaidRefusal(status) || IsAlreadyClosed(status)) &&
        entry->close_attempts < entry->options.max_close_attempts) {
      std::vector<WatchEvent> events;
      auto event = Event(entry, WatchEventKind::kCloseFailed);
      event.status = status;
      events.push_back(std::move(event));
      entry->next_action = clock->Now() + entry->options.interval;
      Emit(lock, entry, events);
      return;
    }
    Finish(lock, entry,
           Result(WatchEnd::kTimedOut,
                  WithContext("the watch timed out and closing order " + entry->out_trade_no +
                                  " failed, so it may still be paid: ",
                              status),
                  entry->last));
  }

  // --- Members ---------------------------------------------------------------------------------

  NativePayClient client;
  std::shared_ptr<WatcherClock> clock;
  mutable std::mutex mu;
  std::condition_variable cv;
  std::map<std::string, EntryPtr> entries;
  // Entries whose request was answered, in the order the answers came.
  std::deque<EntryPtr> answered;
  // Requests sent and not yet answered: the destructor waits for them (their completions use
  // this object).
  int requests_in_flight = 0;
  bool stopping = false;
  std::thread thread;  // last: started once everything else exists
};

PaymentWatcher::PaymentWatcher(NativePayClient client)
    : PaymentWatcher(std::move(client), PaymentWatcherOptions{}) {}

PaymentWatcher::PaymentWatcher(NativePayClient client, PaymentWatcherOptions options)
    : impl_(std::make_unique<Impl>(std::move(client), std::move(options.clock))) {}

PaymentWatcher::~PaymentWatcher() {
  std::unique_lock<std::mutex> lock(impl_->mu);
  impl_->stopping = true;
  while (!impl_->entries.empty()) {
    auto entry = impl_->entries.begin()->second;
    impl_->Finish(lock, entry,
                  Impl::Result(WatchEnd::kCancelled,
                               Status(StatusCode::kCancelled,
                                      "the payment watcher was destroyed during the watch"),
                               entry->last));
  }
  // Answers still on their way (a request on the wire ends within its bound; a queued one was
  // cancelled by Finish) use the watcher: wait for them.
  impl_->cv.wait(lock, [&] { return impl_->requests_in_flight == 0; });
  lock.unlock();
  impl_->cv.notify_all();
  impl_->thread.join();
}

std::shared_future<WatchResult> PaymentWatcher::Watch(std::string const& out_trade_no,
                                                      WatchOptions options, Callback on_done) {
  auto entry = std::make_shared<Impl::Entry>();
  entry->out_trade_no = out_trade_no;
  entry->future = entry->promise.get_future().share();
  std::unique_lock<std::mutex> lock(impl_->mu);
  if (auto it = impl_->entries.find(out_trade_no); it != impl_->entries.end()) {
    if (on_done) it->second->callbacks.push_back(std::move(on_done));
    return it->second->future;
  }
  auto future = entry->future;
  if (on_done) entry->callbacks.push_back(std::move(on_done));
  impl_->entries.emplace(out_trade_no, entry);
  if (auto status = CheckOptions(options); !status.ok()) {
    impl_->Finish(lock, entry, Impl::Result(WatchEnd::kFailed, status, std::nullopt));
    return future;
  }
  if (impl_->stopping) {
    impl_->Finish(lock, entry,
                  Impl::Result(WatchEnd::kCancelled,
                               Status(StatusCode::kCancelled, "the payment watcher is stopping"),
                               std::nullopt));
    return future;
  }
  auto const now = impl_->clock->Now();
  entry->started = now;
  entry->next_action = now;  // the first query at once
  auto const base = options.created_at ? ToSteady(*impl_->clock, *options.created_at) : now;
  entry->deadline = base + options.timeout;
  if (options.created_at)
    entry->code_url_expiry = ToSteady(*impl_->clock, CodeUrlExpiresAt(*options.created_at));
  entry->options = std::move(options);
  lock.unlock();
  impl_->cv.notify_all();
  return future;
}

bool PaymentWatcher::Push(Transaction const& transaction) {
  if (!transaction.out_trade_no || !IsTerminalTradeState(transaction.trade_state)) return false;
  std::unique_lock<std::mutex> lock(impl_->mu);
  auto it = impl_->entries.find(*transaction.out_trade_no);
  if (it == impl_->entries.end()) return false;
  auto entry = it->second;
  return impl_->Finish(lock, entry, Impl::Result(WatchEnd::kPushed, Status(), transaction));
}

bool PaymentWatcher::Cancel(std::string const& out_trade_no) {
  std::unique_lock<std::mutex> lock(impl_->mu);
  auto it = impl_->entries.find(out_trade_no);
  if (it == impl_->entries.end()) return false;
  auto entry = it->second;
  return impl_->Finish(lock, entry,
                       Impl::Result(WatchEnd::kCancelled,
                                    Status(StatusCode::kCancelled,
                                           "watching order " + out_trade_no + " was cancelled"),
                                    entry->last));
}

bool PaymentWatcher::IsWatching(std::string const& out_trade_no) const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->entries.count(out_trade_no) != 0;
}

std::size_t PaymentWatcher::active_watches() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->entries.size();
}

}  // namespace wechatpay
