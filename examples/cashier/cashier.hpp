// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The PC checkout page's server side: orders, their QR codes, the callback route, the
// PaymentWatcher, and the status a page receives by Server-Sent Events or by polling.
//
// One Cashier serves every order. The page's state lives in memory; with a payment ledger
// (CashierOptions::ledger, built with wechatpay::ledger) every order, query and close is
// recorded through a LedgerClient and callbacks are applied by the ledger (answered success only
// after the commit), and the status a page receives carries the ledger's state. The ledger is
// then also the watcher's event source (ConnectLedgerToWatcher): a payment committed by any
// instance on the same PostgreSQL ledger — the one the callback reached — ends the watch here
// and the page's event stream sends it, polling WeChat being only the fallback.

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "pages.hpp"
#include "wechatpay/wechatpay.hpp"

#if defined(CASHIER_HAS_LEDGER)
#include "wechatpay/ledger/ledger.hpp"
#include "wechatpay/ledger/ledger_client.hpp"
#include "wechatpay/ledger/store.hpp"
#endif

namespace cashier {

/// The route WeChat Pay posts callbacks to; a public notify URL must lead here.
inline constexpr char kNotifyPath[] = "/wechatpay/order";

/// How the cashier behaves.
struct CashierOptions {
  /// Where WeChat sends the callbacks (notify_url of every order): public HTTPS in production,
  /// proxied to kNotifyPath on this server.
  std::string notify_url;
  /// Unpaid orders are closed this long after they were placed (WeChat recommends 10 minutes).
  std::chrono::milliseconds close_after{std::chrono::minutes(10)};
  /// The server-side query interval of the PaymentWatcher (the fallback when no callback comes).
  std::chrono::milliseconds poll_interval{std::chrono::seconds(2)};
  /// How long a code_url can be scanned: 2 hours at WeChat; the sandbox scales it.
  std::chrono::milliseconds code_url_validity{wechatpay::kCodeUrlValidity};
  /// Sandbox mode: pays an order as a payer would (the page then offers a button for it, since a
  /// sandbox QR code cannot be paid with a phone). Empty otherwise.
  std::function<wechatpay::Status(std::string const& out_trade_no)> sandbox_pay;
  /// One line per event (orders, callbacks, watch results); may be empty.
  std::function<void(std::string const&)> log;
  /// Event streams open at once, in all and per order. Each holds one of the server's worker
  /// threads while its page is open, so without a bound a few dozen idle streams would take
  /// every thread, the callback route's included. A stream beyond either bound is refused
  /// with 503 and Retry-After (the page then polls the status route): refused rather than
  /// closing an older one, so that nobody can end another customer's stream by opening more.
  std::size_t max_event_streams = 32;
  std::size_t max_event_streams_per_order = 4;
  /// The shop's name and the kiosk's way back to a new order (pages.hpp).
  PageOptions page;
#if defined(CASHIER_HAS_LEDGER)
  /// The payment ledger the cashier records in; null: the page's memory only.
  std::shared_ptr<wechatpay::Ledger> ledger;
#endif
};

/// The web application: register its routes on a server, then serve.
///
/// Routes: `GET /` (the order form), `POST /orders` (create, then 303 to the checkout page),
/// `GET /orders/NO` (the checkout page: QR code and status), `GET /orders/NO/events`
/// (Server-Sent Events: the status whenever it changes; bounded, see
/// CashierOptions::max_event_streams), `GET /orders/NO/status` (the same
/// status as JSON, for polling), `GET /orders/NO/qr.svg`, `POST /orders/NO/refresh` (a fresh
/// code_url, or a new order once this one is closed), `POST /wechatpay/order` (callbacks), and
/// in sandbox mode `POST /orders/NO/sandbox-pay`.
class Cashier {
 public:
  Cashier(wechatpay::NativePayClient client, wechatpay::NotificationParser parser,
          CashierOptions options);
  /// Calls Shutdown().
  ~Cashier();
  Cashier(Cashier const&) = delete;
  Cashier& operator=(Cashier const&) = delete;

  /// Registers every route on `server` (before it starts listening). The server's
  /// payload_max_length should be the parser's max_body_bytes() (see examples/notify_route.hpp).
  void Register(httplib::Server& server);

  /// Ends the event streams (so that the server can stop: each one holds a worker thread) and
  /// the watches. Call before stopping the server. Idempotent.
  void Shutdown();

 private:
  // What the page shows.
  enum class PageState { kWaiting, kPaid, kClosed, kFailed };

  struct Order {
    wechatpay::NativePrepayRequest request;
    std::string code_url;
    std::chrono::system_clock::time_point code_url_created;
    std::chrono::system_clock::time_point placed;
    int qr_version = 1;
    PageState state = PageState::kWaiting;
    std::string trade_state = "NOTPAY";
    std::string transaction_id;
    std::string message;
    // Bumped on every change: an event stream sends the status when it differs from the last
    // version it sent, so no change is lost between two waits.
    std::uint64_t version = 1;
    // Event streams open for this order.
    std::size_t event_streams = 0;
  };

  // Holds one event stream's place in the counts, for as long as cpp-httplib keeps the
  // stream's content provider: its destructor gives the place back however the stream ended.
  class StreamSlot {
   public:
    StreamSlot(Cashier& cashier, std::string out_trade_no)
        : cashier_(cashier), out_trade_no_(std::move(out_trade_no)) {}
    ~StreamSlot() { cashier_.ReleaseStream(out_trade_no_); }
    StreamSlot(StreamSlot const&) = delete;
    StreamSlot& operator=(StreamSlot const&) = delete;

   private:
    Cashier& cashier_;
    std::string out_trade_no_;
  };

  using Clock = std::chrono::system_clock;

  // Routes.
  void OrderForm(httplib::Request const& req, httplib::Response& res);
  void CreateOrder(httplib::Request const& req, httplib::Response& res);
  void CheckoutPage(httplib::Request const& req, httplib::Response& res);
  void Events(httplib::Request const& req, httplib::Response& res);
  void StatusRoute(httplib::Request const& req, httplib::Response& res);
  void QrSvg(httplib::Request const& req, httplib::Response& res);
  void Refresh(httplib::Request const& req, httplib::Response& res);
  void SandboxPay(httplib::Request const& req, httplib::Response& res);
  void LogCallback(wechatpay::NotificationResult const& result) const;
  void ReleaseStream(std::string const& out_trade_no);

  // Places an order and starts watching it; the new out_trade_no, or the error.
  wechatpay::StatusOr<std::string> Place(std::string const& description, std::int64_t total_fen);
  void Watch(std::string const& out_trade_no, Clock::time_point placed);
  // The watcher's verdict, and the callback's.
  void OnWatchEnd(wechatpay::WatchResult const& result);
  wechatpay::Status OnNotification(wechatpay::Notification const& notification);
  // The callback handler: through the ledger when there is one.
  wechatpay::NotificationHandler MakeHandler(wechatpay::NotificationParser parser);
  // NativePrepay, recorded in the ledger when there is one.
  wechatpay::StatusOr<wechatpay::NativePrepayResponse> Prepay(
      wechatpay::NativePrepayRequest const& request);
#if defined(CASHIER_HAS_LEDGER)
  // The ledger committed a callback: the page follows it.
  void OnLedgerApplied(wechatpay::Notification const& notification,
                       wechatpay::LedgerApplyResult const& applied);
#endif

  // With mu_ held.
  std::string StatusJsonLocked(std::string const& out_trade_no, Order const& order) const;
  void ChangedLocked(Order& order);

  void Log(std::string const& line) const;

  wechatpay::NativePayClient client_;
  CashierOptions options_;
#if defined(CASHIER_HAS_LEDGER)
  // Set when options_.ledger is: its client() is the one the watcher queries and closes with.
  std::optional<wechatpay::LedgerClient> shop_;
#endif
  wechatpay::NotificationHandler handler_;

  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::map<std::string, Order> orders_;
  std::size_t event_streams_ = 0;  // open event streams, all orders
  bool stopping_ = false;

  // Near the end: destroyed first, so no watch ends into a half-destroyed cashier.
  std::unique_ptr<wechatpay::PaymentWatcher> watcher_;
#if defined(CASHIER_HAS_LEDGER)
  // The ledger's committed changes pushed into watcher_ (null without a ledger, or when its
  // events cannot be subscribed to: then the watcher only polls). Refers to the watcher and the
  // ledger, so it goes before both.
  std::unique_ptr<wechatpay::LedgerSubscription> ledger_events_;
#endif
};

/// Parses a yuan amount as typed in a form ("12", "12.3", "12.34") into fen; false when it is not
/// a positive amount with at most two decimals.
bool ParseYuan(std::string const& text, std::int64_t& fen);

/// "12.34" for 1234 fen.
std::string FormatYuan(std::int64_t fen);

}  // namespace cashier
