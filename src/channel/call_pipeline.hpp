// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The call pipeline shared by the backends: one loop per call — attempt, classify the failure
// with the retry table, retry with jittered exponential backoff or return — bounded by the
// call's time (the client's Timeouts, shortened by the caller's CallOptions). A backend only
// supplies the attempt: it maps the operation onto a request, authenticates it (the direct
// backend signs and verifies; the gateway sends a bearer token and unwraps pay-common) and sends
// it with CallPipeline::Send(). Whether to retry and whether a write's outcome is unknown is
// decided here, from the table in retry_table.hpp, never by a backend.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "channel/call_outcome.hpp"
#include "channel/request_event_fields.hpp"
#include "channel/retry_table.hpp"
#include "http/async_transport.hpp"
#include "wechatpay/channel/channel.hpp"
#include "wechatpay/config.hpp"
#include "wechatpay/http/transport.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay::internal {

/// The result of one attempt.
template <typename T>
struct Attempt {
  // Implicit, so that an attempt returns `{value}`, `{status}` or `{status, failure, hint}`.
  Attempt(StatusOr<T> r) : result(std::move(r)) {}  // NOLINT(google-explicit-constructor)
  Attempt(StatusOr<T> r, std::optional<FailureClass> f, std::chrono::milliseconds hint)
      : result(std::move(r)), failure(f), retry_after(hint) {}

  StatusOr<T> result;
  /// The failure's row in the retry table; unset means ClassifyStatus(result.status()). A
  /// backend sets it only for what a Status cannot say (the gateway's own 429, pay-common's
  /// failure after its WeChat call).
  std::optional<FailureClass> failure;
  /// The server's Retry-After hint, zero when none.
  std::chrono::milliseconds retry_after{0};
};

/// Delay before retry number `retry` (0-based): initial·2^retry capped at max_backoff, times
/// `jitter` (expected in [0.75, 1.25]), and at least `retry_after` (still capped).
std::chrono::milliseconds BackoffDelay(RetryOptions const& options, int retry, double jitter,
                                       std::chrono::milliseconds retry_after);

/// The delay a Retry-After header value asks for: delta-seconds (RFC 9110 §10.2.3) clamped
/// to one day, so a huge value cannot overflow the milliseconds count (found by
/// fuzz/gateway_unwrap); zero when absent, not a number, or not positive. HTTP-dates are
/// ignored: WeChat and the gateway send seconds. BackoffDelay() caps the wait at max_backoff.
std::chrono::milliseconds RetryAfterHint(std::string_view header_value);

/// A uniformly distributed jitter factor in [0.75, 1.25] (thread-safe).
double RandomJitter();

/// The time one attempt may take: what is left of the call's bound, capped by the per-attempt
/// bound. Zero means "no bound" (the transport's default).
struct AttemptBudget {
  std::chrono::milliseconds timeout{0};
  std::chrono::milliseconds connect_timeout{0};
  /// Where Send() records the exchange for ClientOptions::on_request; null without a hook.
  AttemptRecord* record = nullptr;
  /// Send this attempt to the backup domain (MerchantConfig::backup_base_url) instead of the
  /// primary: set by Run() when the retry table's failover column allows it, applied by Send().
  bool backup_host = false;
};

/// The budget of the next attempt after `spent` of the call (attempts and backoff waits).
AttemptBudget NextAttemptBudget(Timeouts const& timeouts, std::chrono::milliseconds spent);

/// True when a retry after waiting `delay` still leaves the attempt a useful share of the call's
/// time: at least a quarter of Timeouts::total, at most one second of it. A retry squeezed into
/// a few milliseconds would only time out, and for a write turn a clean failure into an
/// unknown outcome.
bool RetryFitsBudget(Timeouts const& timeouts, std::chrono::milliseconds spent,
                     std::chrono::milliseconds delay);

/// The client's timeouts for one call: Timeouts::total shortened to CallOptions::timeout and to
/// what is left until CallOptions::deadline at `now`. Errors: kInvalidArgument (field
/// "timeout") for a negative timeout; kDeadlineExceeded when the deadline has passed (nothing
/// is sent).
StatusOr<Timeouts> CallTimeouts(Timeouts const& configured, CallOptions const& call,
                                std::chrono::steady_clock::time_point now);

/// Checks a service URL setting (`field` names it: baseUrl, gateway.url): an absolute http(s)
/// URL without user info, query or fragment; https unless the host is a loopback address.
/// Returns its path without trailing slashes. Errors: kConfiguration naming `field`; the URL is
/// quoted only when it cannot carry a credential.
StatusOr<std::string> CheckServiceUrl(std::string const& url, std::string_view field);

/// What every backend does per call, whatever it sends.
class CallPipeline {
 public:
  /// Fills in what `options` leaves out: the curl transport on the configuration's caFile and
  /// timeouts, a non-negative retry count. For the direct backend (no gateway), a non-empty
  /// backupBaseUrl turns failover on; it is checked like baseUrl (CheckServiceUrl) and must
  /// have the same path, so the signed canonical URL is the same on both hosts.
  /// Errors: kConfiguration naming caFile, baseUrl or backupBaseUrl.
  static StatusOr<CallPipeline> Create(MerchantConfig const& config, ClientOptions options);

  /// Runs `operation`: calls `attempt(AttemptBudget)` until it succeeds, fails in a way the
  /// table does not retry for this operation, the retries run out, or the next retry would
  /// not fit in the call's time; returns the last result, a write's outcome marked unknown
  /// when the table says so. `label` names the call in log lines (built only with a logger).
  /// The time spent is the attempts' measured time plus the backoff delays handed to `sleep`
  /// (so an injected sleep counts as if it had slept). With ClientOptions::on_request, reports
  /// one event per attempt, the last one final (and one final event with attempt 0 when the
  /// call ends before its first attempt).
  template <typename T, typename AttemptFn>
  StatusOr<T> Run(Operation operation, CallOptions const& call, std::string_view label,
                  AttemptFn&& attempt) const;

  /// One call's decisions, step by step: the state machine under Run() (which drives it in a
  /// loop on the caller's thread) and under an asynchronous run (which drives it from the
  /// transport's completions and timers). It holds what the call has spent, whether it moved
  /// to the backup domain and the current attempt's event record; it decides each retry with
  /// the retry table and reports each attempt to the on_request hook. Not thread-safe: one
  /// step at a time, in order — Start(), then per attempt NextAttempt() and Succeeded() or
  /// Failed(), then Waited() after each backoff.
  class Call {
   public:
    /// What comes after a failed attempt.
    struct Next {
      /// True: wait `delay`, call Waited(delay), then make the next attempt. False: the call
      /// ends with `status`.
      bool retry = false;
      std::chrono::milliseconds delay{0};
      Status status;
    };

    /// The call's bounds from the client's timeouts and `options`, taken now. The pipeline
    /// must outlive the Call.
    Call(CallPipeline const& pipeline, Operation operation, CallOptions const& options,
         std::string_view label);

    /// OK, or the status the call ends with before any attempt (a bad timeout, a deadline
    /// already passed), already reported.
    Status Start();
    /// The budget of the next attempt; its clock starts now.
    AttemptBudget NextAttempt();
    /// The attempt succeeded: reported as the call's final event.
    void Succeeded();
    /// The attempt failed with `failed` (`failure` and `retry_after` as in Attempt<T>).
    /// Decides, logs and reports. A cancelled call (cancelled()) is not retried: it ends with
    /// this failure, as it would have without a retry.
    Next Failed(Status const& failed, std::optional<FailureClass> failure,
                std::chrono::milliseconds retry_after);
    /// A backoff wait of `delay` passed (counted whether or not it was slept in full).
    void Waited(std::chrono::milliseconds delay) { spent_ += delay; }
    /// True when CallOptions::cancellation was cancelled: the call makes no further attempt.
    bool cancelled() const { return options_.cancellation && options_.cancellation->cancelled(); }
    /// The status a call cancelled before its next attempt ends with (kCancelled; for a write
    /// whose earlier attempt may have arrived, outcome_unknown kept), reported as its final
    /// event with attempt 0 (no attempt made).
    Status Cancelled();
    /// The call's options (the cancellation to register with).
    CallOptions const& options() const { return options_; }

   private:
    using Clock = std::chrono::steady_clock;

    CallPipeline const& pipeline_;
    Operation const operation_;
    CallOptions const options_;
    std::string const label_;  // owned: an asynchronous call outlives its caller's frame
    Clock::time_point const started_;
    std::optional<Timeouts> timeouts_;
    std::chrono::milliseconds spent_{0};
    int retry_ = 0;
    // Failover: once per call, the next attempt goes to the backup domain, and the rest of the
    // call stays there. A write switches only while no attempt of it can have reached WeChat.
    bool on_backup_ = false;
    bool nothing_arrived_ = true;
    AttemptRecord record_;
    Clock::time_point attempt_started_;
    Status last_failed_;  // as reported for the last failed attempt
  };

  /// How Send() logs one exchange (only with a logger): `> {request_line}`, then
  /// `< {status} {label}` and `{id_header} {id}` when the answer carries that id.
  struct LogLines {
    std::string request_line;
    std::string_view label;
    std::string_view id_header;
  };

  /// Sends `request` with the attempt's time budget, JSON Accept and Content-Type and the
  /// library's User-Agent, and logs it. `on_answer` (optional) sees the answer before anything
  /// else reads it, logging included (the gateway scrubs its token from it). With
  /// `budget.backup_host`, a URL on the primary base URL's origin is sent to the backup
  /// domain's origin instead (same path and query, same signature). A transport
  /// failure is returned as is (its ErrorInfo::outcome_unknown says whether the request may
  /// have arrived). Records the exchange in `budget.record` when set; `log.id_header` names
  /// the answer's id header there too.
  StatusOr<HttpResponse> Send(HttpRequest request, AttemptBudget const& budget, LogLines const& log,
                              std::function<void(HttpResponse&)> const& on_answer = {}) const;

  /// Send()'s asynchronous twin, used by RunAsync(): the same request preparation, log lines
  /// and record (budget.record must live until `done` runs); `done` receives what Send() would
  /// have returned, on the transport's I/O thread. Returns the ticket that cancels the request
  /// while it is queued. Only when async_transport() is set.
  AsyncTicket SendAsync(HttpRequest request, AttemptBudget const& budget, LogLines const& log,
                        HttpCompletion done) const;

  /// Run() with each attempt made of steps, the form RunAsync() takes too: `prepare(budget)`
  /// (the request, or a local failure that ends the attempt before sending:
  /// FailureClass::kLocal), Send(), `finish(StatusOr<HttpResponse>)` -> Attempt<T>.
  template <typename T, typename PrepareFn, typename FinishFn>
  StatusOr<T> RunSteps(Operation operation, CallOptions const& call, std::string_view label,
                       std::string_view id_header, PrepareFn&& prepare, FinishFn&& finish) const {
    return Run<T>(operation, call, label, [&](AttemptBudget const& budget) -> Attempt<T> {
      StatusOr<HttpRequest> request = prepare(budget);
      if (!request) return {request.status(), FailureClass::kLocal, std::chrono::milliseconds(0)};
      return finish(Send(*std::move(request), budget, {std::string(label), label, id_header}));
    });
  }

  /// Run()'s asynchronous twin (defined in channel/async_run.hpp): the same decisions
  /// (Call), with the waits between attempts on the transport's timers instead of a sleeping
  /// thread. An attempt is `prepare(budget)` — the request to send, or the local failure that
  /// ends the attempt before sending (FailureClass::kLocal) — then SendAsync(), then
  /// `finish(StatusOr<HttpResponse>)` -> Attempt<T>. `done` runs once with the call's result,
  /// on the I/O thread, never inside RunAsync(). `keep_alive` is held until then (the channel
  /// that owns this pipeline). CallOptions::cancellation cancels a queued request or a retry
  /// wait. Without an asynchronous transport (an application's own HttpTransport) the call
  /// runs through Run() on the calling thread and `done` runs there, before RunAsync returns.
  template <typename T, typename PrepareFn, typename FinishFn>
  void RunAsync(Operation operation, CallOptions const& call, std::string label,
                std::string_view id_header, PrepareFn prepare, FinishFn finish,
                std::function<void(StatusOr<T>)> done,
                std::shared_ptr<void const> keep_alive) const;

  /// The transport's asynchronous side; nullptr for an application's own HttpTransport.
  AsyncHttpTransport* async_transport() const noexcept { return async_; }

  /// The clock for request timestamps and the answer skew check.
  std::chrono::system_clock::time_point Now() const;
  /// The transport every attempt is sent through.
  std::shared_ptr<HttpTransport> const& transport() const noexcept { return options_.transport; }
  /// True when a logger is set (log lines are built only then).
  bool logging() const noexcept { return static_cast<bool>(options_.logger); }
  /// Writes one log line when a logger is set.
  void Log(LogLevel level, std::string const& line) const;

 private:
  CallPipeline(ClientOptions options, Timeouts timeouts)
      : options_(std::move(options)), timeouts_(timeouts) {}

  /// True when a backup domain is configured (direct backend only).
  bool failover() const noexcept { return !backup_origin_.empty(); }
  /// `url` moved onto the backup origin when it is on the primary's; else unchanged.
  std::string OnBackupHost(std::string const& url) const;

  /// Send()'s halves around the transport: the request's headers, host and time budget, the
  /// request log line and the record; then on_answer, the record and the answer log line.
  void BeforeSend(HttpRequest& request, AttemptBudget const& budget, LogLines const& log) const;
  void AfterSend(StatusOr<HttpResponse>& sent, AttemptRecord* record, std::string_view label,
                 std::string_view id_header,
                 std::function<void(HttpResponse&)> const& on_answer) const;

  void Sleep(std::chrono::milliseconds delay) const;
  /// Hands the event of one attempt (attempt 0: none was made) to the on_request hook, if any;
  /// `call_started` is set on the final event only. Whatever the hook throws is swallowed.
  void Report(Operation operation, AttemptRecord const& record, int attempt, Status const& status,
              RetryDecision decision, std::chrono::milliseconds delay,
              std::chrono::steady_clock::duration attempt_latency,
              std::optional<std::chrono::steady_clock::time_point> call_started) const;
  bool reporting() const noexcept { return static_cast<bool>(options_.on_request); }
  void LogRetry(std::string_view label, Status const& failed, int retry,
                std::chrono::milliseconds delay, bool to_backup) const;
  void LogNoTime(std::string_view label, Status const& failed, Timeouts const& timeouts) const;

  ClientOptions options_;
  Timeouts timeouts_;
  AsyncHttpTransport* async_ = nullptr;  // options_.transport's asynchronous side, if any
  // The failover targets, empty without a backup domain: the primary base URL's scheme, host
  // and port, and the backup's origin (`https://host[:port]`) that replaces them.
  std::string primary_scheme_;
  std::string primary_host_;
  int primary_port_ = 0;
  std::string backup_origin_;
  std::string backup_host_;
};

template <typename T, typename AttemptFn>
StatusOr<T> CallPipeline::Run(Operation operation, CallOptions const& call, std::string_view label,
                              AttemptFn&& attempt) const {
  Call state(*this, operation, call, label);
  if (auto started = state.Start(); !started.ok()) return started;
  for (;;) {
    if (state.cancelled()) return state.Cancelled();
    Attempt<T> outcome = attempt(state.NextAttempt());
    if (outcome.result.ok()) {
      state.Succeeded();
      return std::move(outcome.result);
    }
    auto next = state.Failed(outcome.result.status(), outcome.failure, outcome.retry_after);
    if (!next.retry) return next.status;
    Sleep(next.delay);
    state.Waited(next.delay);
  }
}

}  // namespace wechatpay::internal
