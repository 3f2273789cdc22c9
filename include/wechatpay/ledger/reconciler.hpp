// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file ledger/reconciler.hpp
/// Reconciler: the ledger's background job (docs/ledger.md, "Reconciler"). It leases the orders
/// due for a look (LedgerStore::LeaseDue) and asks WeChat about them: it queries orders whose
/// outcome is unknown or that are still being created, closes unpaid orders past their close
/// deadline (and queries them once more, since a payment can race the close), re-queries
/// refunds in flight, and records every answer through the Ledger (source kReconciler), which
/// flags what contradicts its books. Safe to run on every instance at once: the leases give one
/// order to one instance at a time.
///
/// @code
///   wechatpay::Reconciler reconciler(ledger, client);    // the plain NativePayClient
///   reconciler.Start();                                  // a pass every 30 s until Stop()
///   auto summary = reconciler.RunOnce();                 // or one pass now
/// @endcode
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "wechatpay/channel/channel.hpp"
#include "wechatpay/config.hpp"
#include "wechatpay/ledger/ledger.hpp"
#include "wechatpay/ledger/records.hpp"
#include "wechatpay/ledger_export.hpp"
#include "wechatpay/native_pay_client.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay {

/// How a Reconciler works.
struct WECHATPAY_LEDGER_EXPORT ReconcilerOptions {
  /// Time between two passes of the background mode (Start()). Positive.
  std::chrono::milliseconds interval{std::chrono::seconds(30)};
  /// Orders leased per pass (1..10000). A pass leases once; what is left waits for the next.
  int batch = 100;
  /// Orders worked at once in a pass (1..1000): their calls are on the wire together, sent
  /// with the client's asynchronous calls (NativePayClient, "Asynchronous calls"), while the
  /// pass's thread records the answers. One order's own calls stay one after the other (the
  /// close, the query that follows it, its refunds). With the direct backend the client's
  /// CurlTransportOptions::max_concurrent_transfers bounds the transfers on the wire; a client
  /// without an asynchronous side (the CloudBase gateway) works the orders one by one.
  int max_in_flight = 16;
  /// How long a lease lasts. Longer than the slowest work on one order (a close and a query,
  /// retries included): an order whose lease ran out may be taken by another instance, so a
  /// pass stops when the lease of the next order has run out. Positive.
  std::chrono::milliseconds lease{std::chrono::minutes(2)};
  /// The wait before an order whose call failed (a timeout, a 5xx) is looked at again; it
  /// doubles with every further failure of that order, up to max_backoff. Positive.
  std::chrono::milliseconds retry_backoff{std::chrono::seconds(30)};
  /// The longest wait between two looks at a failing order, and the longest rate-limit pause.
  std::chrono::milliseconds max_backoff{std::chrono::minutes(30)};
  /// The pause after WeChat answers with a rate limit (HTTP 429, FREQUENCY_LIMITED): no call
  /// is made until it has passed (the pass begins no further order, and the orders under way
  /// make no further call: they are put off until the pause ends), and it doubles while WeChat
  /// keeps limiting, up to max_backoff. Positive.
  std::chrono::milliseconds rate_limit_backoff{std::chrono::minutes(1)};
  /// The lease owner's name; empty means the Ledger's LedgerOptions::instance_id.
  std::string owner;
  /// Bounds of each call to WeChat.
  CallOptions call;
  /// Receives a kWarning line per failed order and a kInfo line per pass that did something;
  /// null: no logging. Lines name orders and error codes, never a secret.
  LogSink logger;
};

/// What one pass did.
struct WECHATPAY_LEDGER_EXPORT ReconcileSummary {
  /// Orders leased.
  int leased = 0;
  /// Query calls made (orders and refunds).
  int queried = 0;
  /// Orders the pass closed at WeChat.
  int closed = 0;
  /// Orders whose ledger state, unknown outcome or a refund's state the pass settled.
  int resolved = 0;
  /// Orders (or refunds) the Ledger flagged for review on the pass's answers: WeChat's state
  /// contradicts the ledger's.
  int flagged = 0;
  /// Orders the pass could not finish (a call or the database failed): they stay due and are
  /// looked at again after a backoff.
  int errors = 0;
  /// WeChat limited the rate: the pass stopped early and the Reconciler pauses.
  bool rate_limited = false;
};

/// The Reconciler. One per process is enough; several processes (or threads) on one database
/// share the work through the store's leases.
///
/// @par Thread Safety
/// RunOnce() may be called from many threads at once (each pass leases its own orders);
/// Start() and Stop() belong to the owner.
class WECHATPAY_LEDGER_EXPORT Reconciler {
 public:
  /// A reconciler of `ledger` (must not be null) asking WeChat through `client` (the plain
  /// client: its answers are recorded by the Reconciler, not by a LedgerClient's channel).
  Reconciler(std::shared_ptr<Ledger> ledger, NativePayClient client,
             ReconcilerOptions options = {});
  /// Stops the background mode.
  ~Reconciler();
  Reconciler(Reconciler const&) = delete;
  Reconciler& operator=(Reconciler const&) = delete;

  /// One pass: leases the due orders and works each, up to max_in_flight at once; returns when
  /// all of them are done. Not from a completion of the client's asynchronous calls: the pass
  /// waits for answers that the client's I/O thread delivers. Errors: only when the leasing itself
  /// failed (the store's error: kUnavailable, ...); an order that fails is counted in
  /// ReconcileSummary::errors and stays due. During a rate-limit pause nothing is leased and
  /// the summary says rate_limited.
  StatusOr<ReconcileSummary> RunOnce();

  /// Starts the background mode: a pass now, then one every `interval` (on the Ledger's clock)
  /// until Stop(). `on_pass`, when given, receives every pass's result on the background thread.
  /// `on_pass` must not call Stop() (Stop() joins the thread that runs it). Errors:
  /// kInvalidArgument when already started.
  Status Start(std::function<void(StatusOr<ReconcileSummary> const&)> on_pass = {});

  /// Stops the background mode: wakes the waiting thread and joins it after the orders under
  /// way (a pass in progress begins no further order). Idempotent.
  void Stop();

  /// True between Start() and Stop().
  bool running() const;

  /// The options in effect (owner filled in).
  ReconcilerOptions const& options() const noexcept { return options_; }

 private:
  struct Work;      // one pass (ledger/src/reconciler_work.hpp)
  class OrderWork;  // one order's steps in a pass
  // Starts a rate-limit pause at `now` (doubling the next one); returns when it ends.
  LedgerTime Pause(LedgerTime now);
  // Puts off an order whose call failed by its doubling retry backoff.
  void Backoff(std::string const& out_trade_no, Status const& error, LedgerTime now);
  // Puts off an order until `at`, keeping `error` as its last error.
  void Defer(std::string const& out_trade_no, Status const& error, LedgerTime now, LedgerTime at);
  // Forgets an order's failures after a look that went through.
  void Succeeded(std::string const& out_trade_no);
  void Log(LogLevel level, std::string const& line) const;
  bool Stopping() const;

  std::shared_ptr<Ledger> ledger_;
  NativePayClient client_;
  ReconcilerOptions options_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool running_ = false;
  std::thread thread_;
  // Consecutive failures per order (this instance's view), for the doubling backoff.
  std::map<std::string, int> failures_;
  // No call before this time (the Ledger's clock), after a rate limit; and the next pause.
  LedgerTime paused_until_ = 0;
  std::chrono::milliseconds next_pause_{0};
};

}  // namespace wechatpay
