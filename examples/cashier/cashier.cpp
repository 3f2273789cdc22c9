// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "cashier.hpp"

#include <ctime>
#include <random>
#include <utility>

#include "notify_route.hpp"
#include "pages.hpp"
#include "wechatpay/qr.hpp"
#if defined(CASHIER_HAS_LEDGER)
#include "wechatpay/ledger/notification_applier.hpp"
#include "wechatpay/ledger/watch_bridge.hpp"
#endif

namespace cashier {
namespace {

using wechatpay::Status;
using wechatpay::StatusCode;

// An out_trade_no pattern for the routes: WeChat's 6-32 characters of [0-9A-Za-z_-|*].
constexpr char kOrderPattern[] = R"(/orders/([0-9A-Za-z_\-|*]{6,32}))";
// An event stream sends a comment this often while nothing changes, so that proxies keep the
// connection open and a browser that went away is noticed (the write fails).
constexpr auto kHeartbeat = std::chrono::seconds(15);
// A refused event stream is told when to try again; the page polls meanwhile.
constexpr char kStreamRetryAfterSeconds[] = "5";

char const* StateName(int state) {
  static char const* const kNames[] = {"WAITING", "PAID", "CLOSED", "FAILED"};
  return kNames[state];
}

std::string JsonString(std::string const& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (c < 0x20) {
          static char const kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

// `count` characters of [0-9A-Za-z]: std::random_device reads the system's CSPRNG (Linux:
// getrandom), so two cashiers started in the same second do not collide.
std::string RandomAlnum(std::size_t count) {
  static constexpr char kAlphabet[] =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  std::random_device device;
  std::uniform_int_distribution<std::size_t> pick(0, sizeof(kAlphabet) - 2);
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += kAlphabet[pick(device)];
  return out;
}

std::string NewOutTradeNo() {
  std::time_t const now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char stamp[16];
  std::strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &local);
  // Time for the humans reading the merchant platform, random letters for uniqueness.
  return std::string("CASH") + stamp + RandomAlnum(8);
}

std::int64_t MillisUntil(std::chrono::system_clock::time_point when) {
  auto const left =
      std::chrono::duration_cast<std::chrono::milliseconds>(when - std::chrono::system_clock::now())
          .count();
  return left > 0 ? left : 0;
}

void SendJson(httplib::Response& res, int status, std::string const& json) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(json, "application/json");
}

void SendHtml(httplib::Response& res, int status, std::string const& html) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(html, "text/html; charset=utf-8");
}

// `,"ledger_state":"PAID"`: the order as the ledger has it (what a restart or another instance
// would see); "" without a ledger, `"?"` when it cannot be read.
std::string LedgerStateJson([[maybe_unused]] CashierOptions const& options,
                            [[maybe_unused]] std::string const& out_trade_no) {
#if defined(CASHIER_HAS_LEDGER)
  if (options.ledger) {
    auto rows = options.ledger->store()->Get(out_trade_no);
    std::string state = "?";
    if (rows && rows->order)
      state = std::string(wechatpay::LedgerOrderStateName(rows->order->state));
    return ",\"ledger_state\":" + JsonString(state);
  }
#endif
  return "";
}

}  // namespace

bool ParseYuan(std::string const& text, std::int64_t& fen) {
  auto const dot = text.find('.');
  std::string const whole = text.substr(0, dot);
  std::string const cents = dot == std::string::npos ? "" : text.substr(dot + 1);
  auto digits = [](std::string const& s) {
    return s.find_first_not_of("0123456789") == std::string::npos;
  };
  if (whole.empty() || whole.size() > 8 || !digits(whole) || cents.size() > 2 || !digits(cents) ||
      (dot != std::string::npos && cents.empty())) {
    return false;
  }
  // Integer arithmetic on the digits: a binary double cannot hold 0.1 yuan exactly.
  fen = std::stoll(whole) * 100;
  if (!cents.empty()) fen += std::stoll(cents) * (cents.size() == 1 ? 10 : 1);
  return fen > 0;
}

std::string FormatYuan(std::int64_t fen) {
  std::string cents = std::to_string(fen % 100);
  if (cents.size() < 2) cents.insert(0, "0");
  return std::to_string(fen / 100) + "." + cents;
}

Cashier::Cashier(wechatpay::NativePayClient client, wechatpay::NotificationParser parser,
                 CashierOptions options)
    : client_(client),
      options_(std::move(options)),
#if defined(CASHIER_HAS_LEDGER)
      shop_(options_.ledger
                ? std::optional<wechatpay::LedgerClient>(std::in_place, client, options_.ledger)
                : std::nullopt),
#endif
      handler_(MakeHandler(std::move(parser))),
#if defined(CASHIER_HAS_LEDGER)
      // With the ledger, the watcher's queries and its close are recorded too.
      watcher_(std::make_unique<wechatpay::PaymentWatcher>(shop_ ? shop_->client()
                                                                 : std::move(client))) {
  if (!options_.ledger) return;
  // The callback of an order watched here may reach another instance (behind a load balancer):
  // its commit reaches this watcher through the ledger's events (LISTEN/NOTIFY on PostgreSQL,
  // in-process on SQLite) and ends the watch as PUSHED, which OnWatchEnd() shows on the page.
  auto events = wechatpay::ConnectLedgerToWatcher(*options_.ledger, *watcher_);
  if (events) {
    ledger_events_ = *std::move(events);
  } else {
    // Never quotes a password: the store's errors name the URL redacted.
    Log("ledger events unavailable, the watcher polls only: " + events.status().ToString());
  }
}
#else
      watcher_(std::make_unique<wechatpay::PaymentWatcher>(std::move(client))) {
}
#endif

wechatpay::NotificationHandler Cashier::MakeHandler(wechatpay::NotificationParser parser) {
  // The notify_url of the cashier's orders receives payments only: any other event type is
  // answered failure (and left for the route that handles it), never marked processed.
#if defined(CASHIER_HAS_LEDGER)
  if (options_.ledger) {
    // The ledger deduplicates, checks out_trade_no and amount against its record and sets the
    // order PAID in one transaction; the answer is success only after the commit.
    return wechatpay::MakeLedgerNotificationHandler(
        std::move(parser), {wechatpay::kEventTransactionSuccess}, options_.ledger,
        [this](wechatpay::Notification const& n, wechatpay::LedgerApplyResult const& applied) {
          OnLedgerApplied(n, applied);
        });
  }
#endif
  return wechatpay::NotificationHandler(
      std::move(parser), {wechatpay::kEventTransactionSuccess},
      [this](wechatpay::Notification const& n) { return OnNotification(n); });
}

wechatpay::StatusOr<wechatpay::NativePrepayResponse> Cashier::Prepay(
    wechatpay::NativePrepayRequest const& request) {
#if defined(CASHIER_HAS_LEDGER)
  if (shop_) return shop_->NativePrepay(request);  // recorded before the call and after
#endif
  return client_.NativePrepay(request);
}

Cashier::~Cashier() {
  Shutdown();
#if defined(CASHIER_HAS_LEDGER)
  ledger_events_.reset();  // no more pushes (it refers to the watcher)
#endif
  // Ends the remaining watches (kCancelled, ignored) while the orders still exist.
  watcher_.reset();
}

void Cashier::Shutdown() {
  std::lock_guard<std::mutex> lock(mu_);
  stopping_ = true;
  changed_.notify_all();
}

void Cashier::Log(std::string const& line) const {
  if (options_.log) options_.log(line);
}

void Cashier::Register(httplib::Server& server) {
  auto bind = [this](void (Cashier::*route)(httplib::Request const&, httplib::Response&)) {
    return [this, route](httplib::Request const& req, httplib::Response& res) {
      (this->*route)(req, res);
    };
  };
  std::string const order = kOrderPattern;
  server.Get("/", bind(&Cashier::OrderForm));
  server.Post("/orders", bind(&Cashier::CreateOrder));
  server.Get(order, bind(&Cashier::CheckoutPage));
  server.Get(order + "/events", bind(&Cashier::Events));
  server.Get(order + "/status", bind(&Cashier::StatusRoute));
  server.Get(order + "/qr\\.svg", bind(&Cashier::QrSvg));
  server.Post(order + "/refresh", bind(&Cashier::Refresh));
  server.Post(kNotifyPath,
              examples::NotifyRoute(handler_, [this](httplib::Request const&,
                                                     wechatpay::NotificationResult const& result) {
                LogCallback(result);
              }));
  if (options_.sandbox_pay) server.Post(order + "/sandbox-pay", bind(&Cashier::SandboxPay));
  server.Get("/favicon\\.(svg|ico)", [](httplib::Request const&, httplib::Response& res) {
    res.set_header("Cache-Control", "max-age=86400");
    res.set_content(FaviconSvg(), "image/svg+xml");
  });
  // An unknown page gets a readable page with a way back, not an empty 404.
  examples::LogUnknownRoutes(
      server, [this](std::string const& line) { Log(line); },
      [this](httplib::Request const& req, httplib::Response& res) {
        if (res.status != 404 || req.method != "GET") return;
        SendHtml(res, 404,
                 MessagePage(options_.page, "页面不存在 · Page not found",
                             "这里没有页面 · There is no page here."));
      });
}

// --- Orders ----------------------------------------------------------------------------------

wechatpay::StatusOr<std::string> Cashier::Place(std::string const& description,
                                                std::int64_t total_fen) {
  wechatpay::NativePrepayRequest request;
  request.out_trade_no = NewOutTradeNo();
  request.description = description;
  request.amount.total = total_fen;
  if (!options_.notify_url.empty()) request.notify_url = options_.notify_url;
  // Validated by the library before it is sent: a bad description is kInvalidArgument naming it.
  auto placed = Prepay(request);
  if (!placed) return placed.status();
  auto const now = Clock::now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    Order& order = orders_[request.out_trade_no];
    order.request = request;
    order.code_url = placed->code_url;
    order.code_url_created = now;
    order.placed = now;
  }
  Log("ordered " + request.out_trade_no + " (" + FormatYuan(total_fen) + " CNY)");
  Watch(request.out_trade_no, now);
  return request.out_trade_no;
}

void Cashier::Watch(std::string const& out_trade_no, Clock::time_point placed) {
  wechatpay::WatchOptions options;
  options.interval = options_.poll_interval;
  options.timeout = options_.close_after;
  options.close_on_timeout = true;
  // Counts the 10 minutes from the order. The watcher's own code_url expiry event assumes
  // WeChat's 2 hours; the page follows options_.code_url_validity instead (the sandbox's may be
  // scaled), so the event is not needed here.
  options.created_at = placed;
  watcher_->Watch(out_trade_no, options,
                  [this](wechatpay::WatchResult const& result) { OnWatchEnd(result); });
}

void Cashier::OnWatchEnd(wechatpay::WatchResult const& result) {
  if (result.end == wechatpay::WatchEnd::kCancelled) return;  // shutting down
  std::string line = "watch " + result.out_trade_no + ": " + wechatpay::WatchEndName(result.end);
  if (result.transaction) line += ", trade_state " + result.transaction->trade_state;
  if (!result.status.ok()) line += ": " + result.status.message();
  Log(line);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = orders_.find(result.out_trade_no);
  if (it == orders_.end() || it->second.state != PageState::kWaiting) return;
  Order& order = it->second;
  if (result.paid()) {
    // Seen by a query (the fallback at work: the callback may still come, or never), or pushed
    // by the ledger when another instance committed the callback (WatchEnd::kPushed).
    order.state = PageState::kPaid;
    order.trade_state = "SUCCESS";
    order.transaction_id = result.transaction->transaction_id.value_or("");
  } else if (result.transaction && result.status.ok()) {
    order.trade_state = result.transaction->trade_state;
    if (order.trade_state == "CLOSED") {
      order.state = PageState::kClosed;
      if (result.end == wechatpay::WatchEnd::kClosed) order.message = "closed unpaid";
    } else {
      order.state = PageState::kFailed;
      order.message = result.transaction->trade_state_desc.value_or(order.trade_state);
    }
  } else {
    // The watch could not finish (or close the order): the page must not wait forever. The
    // reason stays in the log; the page gets a fixed text.
    order.state = PageState::kFailed;
    order.message = "the payment status is unknown; please ask the cashier";
  }
  ChangedLocked(order);
}

wechatpay::Status Cashier::OnNotification(wechatpay::Notification const& notification) {
  // The handler accepts TRANSACTION.SUCCESS only, which always carries the transaction.
  auto const& transaction = *notification.transaction;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = orders_.find(transaction.out_trade_no.value_or(""));
    if (it == orders_.end()) {
      // Not ours (or lost with a restart: this example keeps orders in memory). An error makes
      // WeChat redeliver; a real shop finds the order in its database.
      return Status(StatusCode::kInvalidArgument,
                    "unknown order " + transaction.out_trade_no.value_or(""));
    }
    Order& order = it->second;
    wechatpay::OrderSnapshot snapshot{it->first, order.request.amount.total,
                                      order.state == PageState::kPaid, order.transaction_id};
    // The business checks before shipping: this order, SUCCESS, the amount it was created with.
    auto action = wechatpay::CheckPayment(transaction, snapshot);
    if (!action) return action.status();
    if (*action == wechatpay::PaymentAction::kApply) {
      order.state = PageState::kPaid;
      order.trade_state = "SUCCESS";
      order.transaction_id = transaction.transaction_id.value_or("");
      order.message.clear();
      ChangedLocked(order);  // the page's event stream sends it now
    }
  }
  // Recorded: end the watch at once (no more queries, no close).
  watcher_->Push(transaction);
  return Status();
}

#if defined(CASHIER_HAS_LEDGER)
void Cashier::OnLedgerApplied(wechatpay::Notification const& notification,
                              wechatpay::LedgerApplyResult const& applied) {
  if (!notification.transaction) return;
  auto const& transaction = *notification.transaction;
  std::string const no = transaction.out_trade_no.value_or("");
  if (applied.flagged) {
    // Recorded for a person to review (amount or order mismatch): the page is not told "paid".
    Log("callback for " + no + " flagged for review in the ledger: " + applied.review_reason);
    return;
  }
  if (!applied.order || applied.order->state != wechatpay::LedgerOrderState::kPaid) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = orders_.find(no);
    if (it != orders_.end() && it->second.state != PageState::kPaid) {
      Order& order = it->second;
      order.state = PageState::kPaid;
      order.trade_state = "SUCCESS";
      order.transaction_id = applied.order->transaction_id;
      order.message.clear();
      ChangedLocked(order);  // the page's event stream sends it now
    }
  }
  // Committed: end the watch at once (no more queries, no close).
  watcher_->Push(transaction);
}
#endif

void Cashier::ChangedLocked(Order& order) {
  ++order.version;
  changed_.notify_all();
}

std::string Cashier::StatusJsonLocked(std::string const& out_trade_no, Order const& order) const {
  auto const qr_expiry = order.code_url_created + options_.code_url_validity;
  auto const close_at = order.placed + options_.close_after;
  bool const expired = Clock::now() >= qr_expiry;
  return "{\"out_trade_no\":" + JsonString(out_trade_no) + ",\"state\":\"" +
         StateName(static_cast<int>(order.state)) +
         "\",\"trade_state\":" + JsonString(order.trade_state) +
         ",\"message\":" + JsonString(order.message) +
         ",\"transaction_id\":" + JsonString(order.transaction_id) + ",\"amount\":\"" +
         FormatYuan(order.request.amount.total) +
         "\",\"qr_version\":" + std::to_string(order.qr_version) +
         ",\"qr_expired\":" + (expired ? "true" : "false") +
         ",\"qr_expires_in_ms\":" + std::to_string(MillisUntil(qr_expiry)) +
         ",\"close_in_ms\":" + std::to_string(MillisUntil(close_at)) +
         ",\"version\":" + std::to_string(order.version) + LedgerStateJson(options_, out_trade_no) +
         "}";
}

// --- Routes ----------------------------------------------------------------------------------

void Cashier::OrderForm(httplib::Request const&, httplib::Response& res) {
  SendHtml(res, 200, FormPage(options_.page, "", "可乐 Cola", "0.01"));
}

void Cashier::CreateOrder(httplib::Request const& req, httplib::Response& res) {
  std::string const description = req.get_param_value("description");
  std::string const amount = req.get_param_value("amount");
  std::int64_t fen = 0;
  if (!ParseYuan(amount, fen)) {
    SendHtml(res, 400,
             FormPage(options_.page,
                      "金额须为正数（元），最多两位小数 · The amount must be a positive number of "
                      "yuan with at most two decimals.",
                      description, amount));
    return;
  }
  auto placed = Place(description, fen);
  if (!placed) {
    Log("order failed: " + placed.status().ToString());
    bool const input = placed.status().code() == StatusCode::kInvalidArgument;
    SendHtml(res, input ? 400 : 502,
             FormPage(options_.page,
                      input ? "订单信息有误 · " + placed.status().message()
                            : "微信支付未受理该订单，请重试 · WeChat Pay did not accept the "
                              "order; please try again.",
                      description, amount));
    return;
  }
  // Post/Redirect/Get: reloading the checkout page never places a second order.
  res.status = 303;
  res.set_header("Location", "/orders/" + *placed);
}

void Cashier::CheckoutPage(httplib::Request const& req, httplib::Response& res) {
  std::string const no = req.matches[1];
  CheckoutView view;
  std::string code_url;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = orders_.find(no);
    if (it == orders_.end()) {
      SendHtml(res, 404,
               MessagePage(options_.page, "未知订单 · Unknown order",
                           "没有订单 " + no + "（或已随重启丢失）· There is no order " + no +
                               " (or it was lost with a restart)."));
      return;
    }
    view.out_trade_no = no;
    view.description = it->second.request.description;
    view.amount_yuan = FormatYuan(it->second.request.amount.total);
    view.status_json = StatusJsonLocked(no, it->second);
    code_url = it->second.code_url;
  }
  wechatpay::QrOptions qr;
  qr.module_size = 6;
  auto svg = wechatpay::RenderQrSvg(code_url, qr);
  if (svg) view.svg = svg->substr(svg->find("<svg"));
  view.sandbox = static_cast<bool>(options_.sandbox_pay);
  SendHtml(res, 200, cashier::CheckoutPage(options_.page, view));
}

void Cashier::Events(httplib::Request const& req, httplib::Response& res) {
  std::string const no = req.matches[1];
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = orders_.find(no);
    if (it == orders_.end()) {
      SendJson(res, 404, R"({"error":"unknown order"})");
      return;
    }
    if (event_streams_ >= options_.max_event_streams ||
        it->second.event_streams >= options_.max_event_streams_per_order) {
      // EventSource does not retry after a 503: the page falls back to polling at once.
      res.set_header("Retry-After", kStreamRetryAfterSeconds);
      SendJson(res, 503, R"({"error":"too many event streams; poll the status route"})");
      return;
    }
    ++event_streams_;
    ++it->second.event_streams;
  }
  auto slot = std::make_shared<StreamSlot>(*this, no);
  res.set_header("Cache-Control", "no-store");
  // Proxies (nginx) must pass each event on at once rather than buffer the stream.
  res.set_header("X-Accel-Buffering", "no");
  auto sent = std::make_shared<std::uint64_t>(0);  // the version this stream sent last
  res.set_chunked_content_provider("text/event-stream", [this, no, sent, slot](
                                                            std::size_t, httplib::DataSink& sink) {
    std::string chunk;
    bool final = false;
    {
      std::unique_lock<std::mutex> lock(mu_);
      auto it = orders_.find(no);
      changed_.wait_for(lock, kHeartbeat, [&] { return stopping_ || it->second.version != *sent; });
      if (stopping_) {
        sink.done();
        return true;
      }
      if (it->second.version != *sent) {
        // The first event also tells the browser to reconnect quickly if the stream drops.
        if (*sent == 0) chunk = "retry: 2000\n";
        *sent = it->second.version;
        chunk += "event: status\ndata: " + StatusJsonLocked(no, it->second) + "\n\n";
        final = it->second.state != PageState::kWaiting;
      } else {
        chunk = ": heartbeat\n\n";
      }
    }
    // A failed write means the browser went away: returning false ends the response.
    if (!sink.write(chunk.data(), chunk.size())) return false;
    if (final) sink.done();
    return true;
  });
}

void Cashier::StatusRoute(httplib::Request const& req, httplib::Response& res) {
  std::string const no = req.matches[1];
  std::lock_guard<std::mutex> lock(mu_);
  auto it = orders_.find(no);
  if (it == orders_.end()) {
    SendJson(res, 404, R"({"error":"unknown order"})");
    return;
  }
  SendJson(res, 200, StatusJsonLocked(no, it->second));
}

void Cashier::QrSvg(httplib::Request const& req, httplib::Response& res) {
  std::string code_url;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = orders_.find(req.matches[1]);
    if (it == orders_.end()) {
      res.status = 404;
      return;
    }
    code_url = it->second.code_url;
  }
  wechatpay::QrOptions qr;
  qr.module_size = 6;
  auto svg = wechatpay::RenderQrSvg(code_url, qr);
  if (!svg) {
    res.status = 500;
    return;
  }
  res.set_header("Cache-Control", "no-store");
  res.set_content(*svg, "image/svg+xml");
}

void Cashier::Refresh(httplib::Request const& req, httplib::Response& res) {
  std::string const no = req.matches[1];
  wechatpay::NativePrepayRequest request;
  PageState state = PageState::kWaiting;
  bool expired = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = orders_.find(no);
    if (it == orders_.end()) {
      SendJson(res, 404, R"({"error":"unknown order"})");
      return;
    }
    request = it->second.request;
    state = it->second.state;
    expired = Clock::now() >= it->second.code_url_created + options_.code_url_validity;
  }
  if (state == PageState::kClosed || state == PageState::kFailed) {
    // A closed order cannot be paid or ordered again: a new order for the same goods.
    auto placed = Place(request.description, request.amount.total);
    if (!placed) {
      Log("re-order failed: " + placed.status().ToString());
      SendJson(res, 502, R"({"error":"WeChat Pay did not accept the order"})");
      return;
    }
    SendJson(res, 200, "{\"redirect\":" + JsonString("/orders/" + *placed) + "}");
    return;
  }
  if (state == PageState::kWaiting && expired) {
    // The order lives on; ordering again with identical parameters returns a current code_url
    // (docs/protocol.md, "code_url").
    auto placed = Prepay(request);
    if (!placed) {
      Log("refreshing the code_url of " + no + " failed: " + placed.status().ToString());
      SendJson(res, 502, R"({"error":"WeChat Pay did not renew the QR code"})");
      return;
    }
    std::lock_guard<std::mutex> lock(mu_);
    Order& order = orders_[no];
    if (order.state == PageState::kWaiting && order.code_url != placed->code_url) {
      order.code_url = placed->code_url;
      order.code_url_created = Clock::now();
      ++order.qr_version;
      ChangedLocked(order);
      Log("new code_url for " + no);
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  SendJson(res, 200, StatusJsonLocked(no, orders_[no]));
}

void Cashier::ReleaseStream(std::string const& out_trade_no) {
  std::lock_guard<std::mutex> lock(mu_);
  --event_streams_;
  auto it = orders_.find(out_trade_no);  // orders are never erased; checked all the same
  if (it != orders_.end()) --it->second.event_streams;
}

void Cashier::LogCallback(wechatpay::NotificationResult const& result) const {
  std::string line = "callback " + std::string(wechatpay::NotificationOutcomeName(result.outcome));
  if (result.notification) line += " " + result.notification->event_type;
  if (result.notification && result.notification->transaction) {
    line += " " + result.notification->transaction->out_trade_no.value_or("");
  }
  line += " -> " + std::to_string(result.answer.status_code);
  if (!result.status.ok()) line += ": " + result.status.message();
  Log(line);
}

void Cashier::SandboxPay(httplib::Request const& req, httplib::Response& res) {
  auto status = options_.sandbox_pay(req.matches[1]);
  if (!status.ok()) {
    SendJson(res, 409, "{\"error\":" + JsonString(status.message()) + "}");
    return;
  }
  res.status = 204;
}

}  // namespace cashier
