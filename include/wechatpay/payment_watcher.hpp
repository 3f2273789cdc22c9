// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file payment_watcher.hpp
/// PaymentWatcher: learns how Native orders end. Native Pay has no client-side "paid" event:
/// the merchant hears from WeChat's callback, or asks. The watcher does both for many orders
/// at once — it finishes a watch as soon as a verified callback's transaction is pushed to it,
/// polls the query API as the fallback, closes an order that stays unpaid past the timeout, and
/// handles the payer who pays just as the order is being closed. Plus the code_url validity
/// helpers (a code_url works for 2 hours; re-ordering with identical parameters returns a
/// current one).

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "wechatpay/export.hpp"
#include "wechatpay/models.hpp"
#include "wechatpay/native_pay_client.hpp"
#include "wechatpay/status.hpp"

namespace wechatpay {

/// How long WeChat accepts scans of a code_url after the order that returned it: 2 hours
/// (docs/protocol.md, "code_url"). The order itself lives on; order again with identical parameters
/// (same out_trade_no) for a current code_url.
inline constexpr std::chrono::hours kCodeUrlValidity{2};

/// When a code_url obtained at `created_at` stops working.
inline std::chrono::system_clock::time_point CodeUrlExpiresAt(
    std::chrono::system_clock::time_point created_at) {
  return created_at + kCodeUrlValidity;
}

/// True when a code_url obtained at `created_at` no longer works at `now`, or will not any more
/// `margin` later (pass a margin to replace a QR code shortly before it dies rather than after
/// a payer has already failed to scan it).
inline bool IsCodeUrlExpired(
    std::chrono::system_clock::time_point created_at,
    std::chrono::system_clock::time_point now = std::chrono::system_clock::now(),
    std::chrono::system_clock::duration margin = std::chrono::system_clock::duration::zero()) {
  return now + margin >= CodeUrlExpiresAt(created_at);
}

/// Something that happened during a watch, before its end (for progress displays and logs).
enum class WatchEventKind {
  /// A query answered with a state that is not terminal yet (`transaction` holds it).
  kQueried,
  /// A query failed with an error the watcher retries at the next interval (`status`).
  kQueryFailed,
  /// The code_url of WatchOptions::created_at has just expired (once per watch): show a new
  /// one (order again with identical parameters) or give up.
  kCodeUrlExpired,
  /// The timeout passed: the watcher is closing the order.
  kClosing,
  /// Closing failed with an error the watcher retries at the next interval (`status`).
  kCloseFailed,
};

/// One progress event of a watch.
struct WECHATPAY_EXPORT WatchEvent {
  /// The order.
  std::string out_trade_no;
  /// What happened.
  WatchEventKind kind = WatchEventKind::kQueried;
  /// kQueried: the transaction as the query returned it.
  std::optional<Transaction> transaction;
  /// kQueryFailed, kCloseFailed: the error.
  Status status;
};

/// How one order is watched. The defaults are WeChat's guidance for Native: poll every 2 s,
/// close after 10 minutes unpaid.
struct WECHATPAY_EXPORT WatchOptions {
  /// Time between queries (and between close attempts); must be positive.
  std::chrono::milliseconds interval{std::chrono::seconds(2)};
  /// How long the order may stay unpaid, counted from `created_at` when given, else from
  /// Watch(); must not be negative.
  std::chrono::milliseconds timeout{std::chrono::minutes(10)};
  /// Close the order when the timeout passes (true), or just stop watching (false: the order
  /// stays payable and the watch ends with WatchEnd::kTimedOut).
  bool close_on_timeout = true;
  /// When the order was created (its code_url obtained). Counts the timeout from the order
  /// rather than from the watch, and raises WatchEventKind::kCodeUrlExpired when the code_url
  /// turns 2 hours old during the watch.
  std::optional<std::chrono::system_clock::time_point> created_at;
  /// For how long after Watch() an ORDER_NOT_EXIST answer (HTTP 404) counts as "not visible
  /// yet" and is retried rather than ending the watch. An order that WeChat acknowledged should
  /// be found at once, but a watch may start before or while the order is placed (another
  /// thread, another process, or a timed-out order request whose outcome is unknown). After the
  /// grace period 404 ends the watch with WatchEnd::kFailed.
  std::chrono::milliseconds not_found_grace{std::chrono::seconds(30)};
  /// How many times closing is attempted when it fails with a retryable error while the order
  /// is still unpaid; at least 1.
  int max_close_attempts = 3;
  /// Called on the watcher's thread for each progress event; must not block for long (every
  /// order of the watcher waits meanwhile). Optional.
  std::function<void(WatchEvent const&)> on_event;
};

/// How a watch ended.
enum class WatchEnd {
  /// A pushed (callback) transaction reported a terminal state.
  kPushed,
  /// A query reported a terminal state.
  kPolled,
  /// The timeout passed and the order was closed: `transaction` is CLOSED.
  kClosed,
  /// The timeout passed, and closing lost a race with the payer: the query after the close
  /// reports another terminal state — SUCCESS when the payer paid at the last moment.
  kPaidAtClose,
  /// The timeout passed and the order was not closed: close_on_timeout was false, or closing
  /// failed (`status` says why). The order may still be paid; `transaction` is the last state
  /// seen, if any.
  kTimedOut,
  /// Cancel() or the watcher's destruction ended the watch (`status` is kCancelled).
  kCancelled,
  /// An error that retrying cannot fix ended the watch (`status`): the order does not exist,
  /// the configuration or credentials are wrong, a response failed verification, ... Also
  /// invalid WatchOptions (kInvalidArgument).
  kFailed,
};

/// The stable, upper-case name of a WatchEnd, e.g. "PAID_AT_CLOSE".
WECHATPAY_EXPORT char const* WatchEndName(WatchEnd end);

/// The outcome of a watch.
struct WECHATPAY_EXPORT WatchResult {
  /// The order.
  std::string out_trade_no;
  /// How the watch ended.
  WatchEnd end = WatchEnd::kFailed;
  /// OK when `transaction` holds a terminal state (kPushed, kPolled, kClosed, kPaidAtClose);
  /// the reason otherwise.
  Status status;
  /// The final transaction: terminal when `status` is OK; otherwise the last one a query
  /// returned, if any. After kClosed it comes from a query made after the close; if that query
  /// failed it is the last one seen (or one with only out_trade_no) with trade_state set to
  /// CLOSED and an empty raw_json, since the verified close itself proves the state.
  std::optional<Transaction> transaction;
  /// Queries made for this watch.
  int queries = 0;

  /// True when the order was paid (the final trade_state is SUCCESS).
  bool paid() const { return transaction && transaction->trade_state == "SUCCESS"; }
};

/// The time of a PaymentWatcher: what time it is, and how its thread waits for the next thing
/// to do. The default is the real clocks with real waiting; tests replace it
/// (wechatpay::testing::FakeClock) so that intervals and timeouts pass without sleeping.
///
/// @par Thread Safety
/// Implementations must be safe to call from many threads at once; one clock may serve several
/// watchers.
class WECHATPAY_EXPORT WatcherClock {
 public:
  virtual ~WatcherClock() = default;
  /// The monotonic time that intervals, timeouts and grace periods are measured on.
  virtual std::chrono::steady_clock::time_point Now() const = 0;
  /// The wall-clock time, to place WatchOptions::created_at on the monotonic time line.
  virtual std::chrono::system_clock::time_point WallNow() const = 0;
  /// Blocks until Now() reaches `deadline` or `cv` is notified, whichever comes first; may also
  /// return early for no reason (the caller checks again). `lock` holds the mutex that guards
  /// what `cv` signals: it is held on entry and on return, and released while waiting, as by
  /// std::condition_variable::wait_until. `deadline` may be time_point::max() (no deadline).
  virtual void WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                         std::chrono::steady_clock::time_point deadline) = 0;
};

/// The real clocks (std::chrono::steady_clock and system_clock) with real waiting: what a
/// PaymentWatcher uses unless PaymentWatcherOptions::clock says otherwise.
WECHATPAY_EXPORT std::shared_ptr<WatcherClock> SystemWatcherClock();

/// How a PaymentWatcher runs (as opposed to WatchOptions, which are per order).
struct WECHATPAY_EXPORT PaymentWatcherOptions {
  /// The watcher's time; null means SystemWatcherClock().
  std::shared_ptr<WatcherClock> clock;
};

/// Watches Native orders until they reach a terminal trade state (SUCCESS, REFUND, CLOSED,
/// REVOKED, PAYERROR), with one background thread for all of them.
///
/// For each order: a first query at once (so a payment that happened before the watch, or a
/// callback that arrived before it, is seen), then one query per `interval`. A Push() of a
/// verified callback's transaction finishes the watch at once, without a query. When the
/// timeout passes the order is closed and queried again: CLOSED ends the watch as kClosed; a
/// close that fails because the payer just paid (ORDER_PAID, FREQUENCY_LIMITED or USER_PAYING
/// when the close races the payment) is followed by the query, which reports SUCCESS
/// (kPaidAtClose).
///
/// Errors that retrying can fix do not end a watch: they are retried at the next interval —
/// transport failures, timeouts, HTTP 5xx and 429 (SYSTEM_ERROR, FREQUENCY_LIMITED, ...), a
/// `WECHATPAY/SIGNTEST/` probe (WeChat deliberately mis-signs a few responses to check that
/// merchants verify), and ORDER_NOT_EXIST during WatchOptions::not_found_grace. Any other error
/// ends the watch with kFailed. (NativePayClient itself already retries 5xx and 429 a few times
/// within one query.)
///
/// The background thread never waits for a request: it sends each query (and close) with the
/// client's asynchronous calls and goes on with the other orders; the answer comes back to it
/// and is handled there. So each order is queried about every `interval` plus one query's
/// latency, however many are watched: thousands of orders share one watcher thread and the
/// client's one I/O thread (at most CurlTransportOptions::max_concurrent_transfers requests on
/// the wire, the rest queued). A watch that ends another way (Push(), Cancel()) cancels its
/// queued request. (With a client that has no asynchronous side — the CloudBase gateway, a
/// channel of your own — each request is made on the watcher thread, one at a time.)
///
/// @par Thread Safety
/// All member functions are safe to call from any thread, concurrently, and from the callbacks.
/// Completion callbacks and futures are fulfilled on the thread that ends the watch: the
/// watcher's thread (query, close, timeout), or the thread calling Push(), Cancel() or the
/// destructor. Progress events (WatchOptions::on_event) run on the watcher's thread. No lock is
/// held while a callback runs. Exceptions thrown by callbacks are caught and dropped. Do not
/// destroy the watcher from one of its callbacks, nor from a completion or hook of its client
/// (the destructor waits for answers that only the client's I/O thread can deliver).
class WECHATPAY_EXPORT PaymentWatcher {
 public:
  /// Called once with the outcome of a watch.
  using Callback = std::function<void(WatchResult const&)>;

  /// Starts the background thread; `client` is used for the queries and closes.
  explicit PaymentWatcher(NativePayClient client);
  /// As above, with the watcher's clock chosen by `options`.
  PaymentWatcher(NativePayClient client, PaymentWatcherOptions options);
  /// Ends every active watch with kCancelled (futures become ready, callbacks run on the
  /// calling thread), then waits for the answers of the requests on the wire (bounded by the
  /// client's timeout; queued ones are cancelled) and for the background thread.
  ~PaymentWatcher();
  PaymentWatcher(PaymentWatcher const&) = delete;
  PaymentWatcher& operator=(PaymentWatcher const&) = delete;

  /// Starts watching `out_trade_no`; the future becomes ready, and `on_done` (optional) is
  /// called, once with the outcome. Watching an order that is already watched joins that watch:
  /// the same future, `on_done` added, `options` ignored (the first watch's options apply).
  /// Invalid options end the watch at once with kFailed and kInvalidArgument naming the option.
  std::shared_future<WatchResult> Watch(std::string const& out_trade_no, WatchOptions options = {},
                                        Callback on_done = {});

  /// Hands over a transaction the caller trusts — the plaintext of a TRANSACTION.SUCCESS
  /// callback that NotificationParser verified and decrypted, or a query result. If its state
  /// is terminal and its out_trade_no is watched, that watch ends at once with kPushed. Returns
  /// true when it ended a watch; a non-terminal state or an unwatched order is ignored.
  bool Push(Transaction const& transaction);

  /// Stops watching `out_trade_no`: the watch ends with kCancelled (the order is not closed).
  /// Returns false when the order was not watched.
  bool Cancel(std::string const& out_trade_no);

  /// True while `out_trade_no` is watched. For an event source that must read something before
  /// it can Push() (the ledger's ConnectLedgerToWatcher() reads the order's record): it asks
  /// first, so that changes of orders nobody watches cost nothing. The answer may be stale as
  /// soon as it is returned (a watch may end meanwhile); Push() decides.
  bool IsWatching(std::string const& out_trade_no) const;

  /// The number of watches in progress.
  std::size_t active_watches() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wechatpay
