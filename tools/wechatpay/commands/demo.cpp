// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `wechatpay demo`: the whole Native flow offline, in one process — an embedded sandbox in place
// of WeChat Pay, a callback receiver, an order, its QR code, a simulated scan-and-pay, the
// callback verified and handled, and the PaymentWatcher's result. Each step is printed as it
// happens, so the output reads as the story of one payment.
//
// The pieces are the ones a merchant's service uses: NativePayClient (signed requests, verified
// answers, over HTTPS to the sandbox), NotificationHandler (signature over the raw body,
// AES-256-GCM, deduplication, the answer) in a cpp-httplib route, and PaymentWatcher (push from
// the callback, polling as the fallback, close after 10 minutes unpaid). In builds with the
// ledger (wechatpay::ledger), the order goes through a LedgerClient and the callback through
// MakeLedgerNotificationHandler, and the demo ends by printing the ledger's record: a SQLite file
// in a temporary folder removed at the end (the SQLite store has no in-memory mode), or the
// store --ledger names (a SQLite file that is kept, or postgresql://...).

#include <httplib.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "cli.hpp"
#include "common/json_text.hpp"
#include "http/httplib_headers.hpp"
#include "wechatpay/sandbox/sandbox.hpp"

#if defined(WECHATPAY_HAS_LEDGER)
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>

#include "wechatpay/ledger/ledger.hpp"
#include "wechatpay/ledger/ledger_client.hpp"
#include "wechatpay/ledger/notification_applier.hpp"
#include "wechatpay/ledger/open.hpp"
#include "wechatpay/ledger/postgres_store.hpp"
#endif

namespace wechatpay::cli {
namespace {

constexpr char kUsage[] = "demo [--auto-pay-after SECONDS] [--ledger URL]";

// WeChat's durations in the demo: ten times shorter, so a failed callback is retried after
// 1.5 s instead of 15 s, while a code_url (2 h, here 12 minutes) outlives the 10-minute watch.
constexpr double kTimeScale = 0.1;
// Without --auto-pay-after and without a terminal to press Enter on (a script, CI).
constexpr std::chrono::seconds kDefaultPayDelay{2};
// How long the demo waits for the callback once the watcher saw the payment by polling (the
// sandbox retries a failed delivery after 1.5 s, 1.5 s, 3 s, ... at this time scale).
constexpr std::chrono::seconds kCallbackWait{30};
constexpr char kNotifyPath[] = "/wechatpay/order";
// WeChat suggests querying every 2-3 s. 3 s here, so that the usual payer delays (1 s in the
// README's command, 2 s without a terminal) do not coincide with a query: the story then shows
// the push path, which is the one a merchant's server normally takes.
constexpr std::chrono::seconds kPollInterval{3};

// Prints the story: one line per step with the time since the start, from any thread.
class Story {
 public:
  void Step(std::string const& what, std::string const& text) {
    std::lock_guard<std::mutex> lock(mu_);
    auto const elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
    std::cout << "[" << std::fixed << std::setprecision(2) << std::setw(6) << elapsed << "s] "
              << std::left << std::setw(9) << what << std::right << text << std::endl;
  }
  void Raw(std::string const& text) {
    std::lock_guard<std::mutex> lock(mu_);
    std::cout << text << std::flush;
  }

 private:
  using Clock = std::chrono::steady_clock;
  std::mutex mu_;
  Clock::time_point const start_ = Clock::now();
};

std::string Yuan(std::int64_t fen) {
  std::ostringstream out;
  out << fen / 100 << "." << std::setw(2) << std::setfill('0') << fen % 100 << " CNY";
  return out.str();
}

// What the callback receiver saw, for the main thread.
struct CallbackLog {
  std::mutex mu;
  std::condition_variable cv;
  bool handled = false;      // our order's TRANSACTION.SUCCESS verified, applied and answered 2xx
  bool interrupted = false;  // SIGINT or SIGTERM
};

// The payer: waits as the options say, unless the watch ends first. Returns false when the watch
// ended before the payer paid.
bool WaitForPayer(Story& story, std::optional<std::chrono::milliseconds> auto_pay_after,
                  std::shared_future<WatchResult> const& watch) {
  auto ended = [&watch](std::chrono::milliseconds wait) {
    return watch.wait_for(wait) == std::future_status::ready;
  };
  if (auto_pay_after) {
    std::ostringstream delay;
    delay << std::chrono::duration<double>(*auto_pay_after).count();
    story.Step("payer", "scans and pays in " + delay.str() + " s (--auto-pay-after)");
    return !ended(*auto_pay_after);
  }
  if (!isatty(STDIN_FILENO)) {
    story.Step("payer",
               "scans and pays in 2 s (stdin is not a terminal; --auto-pay-after sets "
               "the delay)");
    return !ended(kDefaultPayDelay);
  }
  story.Step("payer", "press Enter to scan and pay");
  // poll() rather than a blocking read, so that a watch that ends meanwhile (10 minutes unpaid)
  // ends the wait too.
  while (true) {
    pollfd input{STDIN_FILENO, POLLIN, 0};
    int const ready = poll(&input, 1, 200);
    if (ready > 0) {
      char buffer[256];
      auto const n = read(STDIN_FILENO, buffer, sizeof buffer);
      if (n <= 0) return !ended(std::chrono::milliseconds(0));  // EOF: pay at once
      for (ssize_t i = 0; i < n; ++i) {
        if (buffer[i] == '\n') return !ended(std::chrono::milliseconds(0));
      }
    }
    if (ended(std::chrono::milliseconds(0))) return false;
  }
}

#if defined(WECHATPAY_HAS_LEDGER)
// The default ledger's folder: made by mkdtemp, removed (with the database and its WAL files)
// when the demo ends, however it ends.
class TempFolder {
 public:
  TempFolder() {
    std::string pattern = (std::filesystem::temp_directory_path() / "wechatpay-demo-XXXXXX");
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempFolder() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }
  TempFolder(TempFolder const&) = delete;
  TempFolder& operator=(TempFolder const&) = delete;
  std::string const& path() const { return path_; }

 private:
  std::string path_;
};

// The ledger's record of the order, as `wechatpay ledger show` prints it in short: the state,
// the transaction id and one line per transition.
void PrintLedger(Story& story, Ledger& ledger, std::string const& out_trade_no) {
  auto rows = ledger.store()->Get(out_trade_no);
  if (!rows || !rows->order) {
    story.Step("ledger", "cannot read the order back: " +
                             (rows ? std::string("not found") : rows.status().message()));
    return;
  }
  auto const& o = *rows->order;
  story.Step("ledger",
             o.out_trade_no + " " + std::string(LedgerOrderStateName(o.state)) +
                 (o.transaction_id.empty() ? "" : ", transaction_id " + o.transaction_id) +
                 ", version " + std::to_string(o.version) + "; history:");
  auto history = ledger.History(out_trade_no);
  if (!history) {
    story.Step("ledger", "cannot read the history: " + history.status().message());
    return;
  }
  for (auto const& h : *history) {
    story.Raw("           " + std::to_string(h.seq) + "  " +
              std::string(LedgerSourceName(h.source)) + "  " +
              (h.from_state.empty() ? "-" : h.from_state) + " -> " + h.to_state +
              (h.detail.empty() ? "" : "  " + h.detail) + "\n");
  }
}
#endif

}  // namespace

int RunDemo(std::vector<std::string> const& argv, GlobalOptions& globals) {
  CommandSpec const spec{"demo", kUsage, {"auto-pay-after", "ledger"}, {}};
  if (int help = MaybeHelp(spec, argv); help >= 0) return help;
  int exit_code = 0;
  auto args = ParseArgs(spec, argv, globals);
  if (!Check(args, exit_code)) return exit_code;
  std::optional<std::chrono::milliseconds> auto_pay_after;
  if (auto text = args->Get("auto-pay-after")) {
    auto parsed = ParseSecondsOption("auto-pay-after", *text, true, 600);
    if (!Check(parsed, exit_code)) return exit_code;
    auto_pay_after = *parsed;
  }
#if !defined(WECHATPAY_HAS_LEDGER)
  if (args->Has("ledger")) {
    return UsageError("--ledger needs a wechatpay built with the ledger (wechatpay::ledger)");
  }
#endif

  // Ctrl-C (or SIGTERM) ends the demo cleanly, so the sandbox removes its temporary folder with
  // the generated keys; taken by a thread below, so blocked before any thread starts.
  BlockStopSignals();

  Story story;
  std::cout << "wechatpay demo: one WeChat Pay Native checkout, offline, in one process"
            << std::endl;

  // 1. WeChat Pay: the sandbox, with a fresh identity in a temporary folder.
  sandbox::Sandbox::Options sandbox_options;
  sandbox_options.time_scale = kTimeScale;
  // Stopping waits for idle keep-alive connections (the client's pool keeps one open): keep
  // them short so the demo ends promptly.
  sandbox_options.keep_alive_timeout = std::chrono::seconds(1);
  sandbox::Sandbox wechat(sandbox_options);
  if (auto status = wechat.Start(); !status.ok()) {
    return Fail(Status(status.code(), "cannot start the sandbox: " + status.message()));
  }
  story.Step("sandbox", "WeChat Pay API v3 emulator on " + wechat.BaseUrl() + " (merchant " +
                            wechat.identity().merchant_id +
                            ", generated keys and CA, WeChat's durations x0.1)");

  // 2. The merchant's callback receiver. Bound first: notify_url must name its port.
  httplib::Server receiver;
  receiver.set_keep_alive_timeout(1);  // as for the sandbox: stopping waits for idle connections
  int const receiver_port = receiver.bind_to_any_port("127.0.0.1");
  if (receiver_port <= 0) {
    return Fail(Status(StatusCode::kTransport, "cannot listen on 127.0.0.1 for callbacks"));
  }
  MerchantConfig config = wechat.ClientConfig();
  config.notify_url = "http://127.0.0.1:" + std::to_string(receiver_port) + kNotifyPath;

  auto client = NativePayClient::Create(config, MakeClientOptions(globals));
  if (!Check(client, exit_code)) return exit_code;
  auto parser = MakeNotificationParser(config);
  if (!Check(parser, exit_code)) return exit_code;

#if defined(WECHATPAY_HAS_LEDGER)
  // The ledger: declared before everything that uses it, so that it is closed before its
  // temporary folder goes.
  std::optional<TempFolder> temp_folder;
  std::string ledger_url;
  std::string ledger_name;
  if (auto url = args->Get("ledger")) {
    ledger_url = *url;
    ledger_name = RedactPostgresUrl(*url);  // a password is never printed
  } else {
    temp_folder.emplace();
    if (temp_folder->path().empty()) {
      return Fail(Status(StatusCode::kInternal, "cannot make a temporary folder for the ledger"));
    }
    ledger_url = "sqlite:" + temp_folder->path() + "/ledger.db";
    ledger_name = ledger_url + " (temporary, removed at the end)";
  }
  auto store = OpenLedgerStore(ledger_url);
  if (!Check(store, exit_code)) return exit_code;
  auto ledger = std::make_shared<Ledger>(std::shared_ptr<LedgerStore>(*std::move(store)));
  story.Step("ledger", "orders and callbacks recorded in " + ledger_name);
  // Every call of the shop, the watcher's queries and close included, is recorded.
  LedgerClient shop(*client, ledger);
  NativePayClient const& api = shop.client();
#else
  NativePayClient const& api = *client;
#endif

  NativePrepayRequest order;
  order.out_trade_no = NewOutTradeNo("DEMO");
  order.description = "wechatpay-cpp demo - 可乐";
  order.amount.total = 1;

  PaymentWatcher watcher(api);
  CallbackLog callbacks;
  // Held while the payer pays and the step is printed, and by the callback before it prints:
  // the sandbox sends the callback on its own thread, possibly before Pay() has returned, and
  // the story must still tell "paid" before "callback".
  std::mutex payment_mu;

#if defined(WECHATPAY_HAS_LEDGER)
  // The callback through the ledger: the notification id deduplicated, out_trade_no and amount
  // checked against the record and the order set PAID in one transaction; answered 2xx only
  // after the commit. Then the verified transaction goes to the watcher, ending the watch.
  NotificationHandler handler = MakeLedgerNotificationHandler(
      *parser, {kEventTransactionSuccess}, ledger,
      [&](Notification const& n, LedgerApplyResult const& applied) {
        std::lock_guard<std::mutex> lock(payment_mu);
        if (!n.transaction) return;
        std::string const what =
            applied.flagged ? "flagged for review, not applied: " + applied.review_reason
            : applied.applied && applied.order
                ? "applied in the ledger: " + *n.transaction->out_trade_no + " " +
                      std::string(LedgerOrderStateName(applied.order->state)) + ", " +
                      Yuan(applied.order->total_fen)
                : "already PAID in the ledger (a query saw the payment first)";
        story.Step("callback", "received " + n.event_type + " (id " + n.id +
                                   "): signature verified over the raw body, resource decrypted "
                                   "(AES-256-GCM), order and amount checked by the ledger, " +
                                   what);
        if (!applied.flagged) watcher.Push(*n.transaction);
      });
#else
  // The application's part of the callback: the business checks, then "record" the payment —
  // here, hand the verified transaction to the watcher, which ends the watch at once.
  // The payment route accepts TRANSACTION.SUCCESS only (which always carries the transaction):
  // another event type is answered failure and left for the route that handles it.
  NotificationHandler handler(
      *parser, {kEventTransactionSuccess}, [&](Notification const& n) -> Status {
        std::lock_guard<std::mutex> lock(payment_mu);
        OrderSnapshot snapshot{order.out_trade_no, order.amount.total, false, ""};
        auto action = CheckPayment(*n.transaction, snapshot);
        if (!action) return action.status();
        story.Step("callback", "received " + n.event_type + " (id " + n.id +
                                   "): signature verified over the raw body, resource decrypted "
                                   "(AES-256-GCM), order and amount checked: " +
                                   *n.transaction->out_trade_no + ", " +
                                   Yuan(*n.transaction->amount->total));
        watcher.Push(*n.transaction);
        return Status();
      });
#endif
  receiver.Post(kNotifyPath, [&](httplib::Request const& request, httplib::Response& response) {
    auto result = handler.Handle(internal::FromHttplibHeaders(request.headers),
                                 request.body);  // the raw body, as received
    response.status = result.answer.status_code;
    if (!result.answer.body.empty()) {
      response.set_content(result.answer.body, result.answer.content_type.c_str());
    }
    bool const ours = result.notification && result.notification->transaction &&
                      result.notification->transaction->out_trade_no == order.out_trade_no;
    if (result.answer.success() && ours) {
      story.Step("callback", "answered " + std::to_string(result.answer.status_code) + " (" +
                                 std::string(NotificationOutcomeName(result.outcome)) +
                                 "): recorded, WeChat stops redelivering");
      std::lock_guard<std::mutex> lock(callbacks.mu);
      callbacks.handled = true;
      callbacks.cv.notify_all();
    } else if (!result.answer.success()) {
      story.Step("callback", "refused with " + std::to_string(result.answer.status_code) + " (" +
                                 std::string(NotificationOutcomeName(result.outcome)) +
                                 "): " + result.status.message() + "; WeChat will redeliver");
    }
  });
  std::atomic<bool> receiver_ended{false};
  std::thread receiver_thread([&receiver, &receiver_ended] {
    receiver.listen_after_bind();
    receiver_ended = true;
  });
  struct StopReceiver {
    httplib::Server& server;
    std::thread& thread;
    ~StopReceiver() {
      server.stop();
      thread.join();
    }
  } stop_receiver{receiver, receiver_thread};
  // The socket already accepts connections (bind listens); but stop() is a no-op until the
  // accept loop runs, so wait for it before anything can return early and stop the receiver.
  while (!receiver.is_running() && !receiver_ended) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (receiver_ended) {
    return Fail(Status(StatusCode::kTransport, "the callback receiver stopped at start"));
  }
  story.Step("receiver", "callback receiver on " + config.notify_url);

  // 3. The order, and its QR code.
#if defined(WECHATPAY_HAS_LEDGER)
  auto placed = shop.NativePrepay(order);  // recorded before the call and after
#else
  auto placed = client->NativePrepay(order);
#endif
  if (!placed) return Fail(placed.status());
  story.Step("ordered", order.out_trade_no + ", " + Yuan(order.amount.total) + ", code_url " +
                            placed->code_url);
  story.Step("QR code", "the code_url, byte for byte; a payer scans this with WeChat:");
  story.Raw(TerminalQr(placed->code_url));

  // 4. Watch it: the callback pushes the result, polling is the fallback.
  WatchOptions watch_options;
  watch_options.interval = kPollInterval;
  watch_options.created_at = std::chrono::system_clock::now();
  auto watch = watcher.Watch(order.out_trade_no, watch_options);
  StopSignalThread stop([&] {
    std::lock_guard<std::mutex> lock(callbacks.mu);
    callbacks.interrupted = true;
    callbacks.cv.notify_all();
    watcher.Cancel(order.out_trade_no);
  });
  story.Step("waiting",
             "for the payment: the callback pushes it, a query every 3 s is the "
             "fallback; unpaid, the order closes after 10 minutes");

  // 5. The payer scans and pays.
  if (WaitForPayer(story, auto_pay_after, watch)) {
    std::lock_guard<std::mutex> lock(payment_mu);
    auto paid = wechat.Pay(order.out_trade_no);
    if (!paid) {
      return Fail(
          Status(paid.status().code(), "the payer could not pay: " + paid.status().message()));
    }
    story.Step("paid", "the payer scanned and paid (sandbox): transaction_id " +
                           internal::JsonStringMember(*paid, "transaction_id").value_or("?") +
                           ", trade_state " +
                           internal::JsonStringMember(*paid, "trade_state").value_or("?") +
                           "; WeChat sends the callback");
  }

  // 6. The outcome: the watcher's result and the callback handled.
  WatchResult const result = watch.get();
  if (!result.paid()) {
    story.Step("result",
               std::string(WatchEndName(result.end)) +
                   (result.transaction ? ", trade_state " + result.transaction->trade_state
                                       : std::string()));
    if (stop.received()) {
      std::cerr << "error: interrupted" << std::endl;
      return kExitServiceError;
    }
    if (!result.status.ok()) return Fail(result.status);
    std::cerr << "error: the order ended unpaid, in trade_state " << result.transaction->trade_state
              << std::endl;
    return kExitServiceError;
  }
  {
    std::unique_lock<std::mutex> lock(callbacks.mu);
    callbacks.cv.wait_for(lock, kCallbackWait,
                          [&] { return callbacks.handled || callbacks.interrupted; });
    if (!callbacks.handled) {
      std::cerr << "error: the order is paid but its callback was not verified and handled "
                   "within "
                << kCallbackWait.count() << " s" << std::endl;
      return kExitServiceError;
    }
  }
  std::string const via = result.end == WatchEnd::kPushed ? "via push (the verified callback)"
                                                          : "via polling (the query API)";
  story.Step("result", "SUCCESS " + via + ", " + WatchEndName(result.end) + " after " +
                           std::to_string(result.queries) + " quer" +
                           (result.queries == 1 ? "y" : "ies") + "; transaction_id " +
                           result.transaction->transaction_id.value_or("?"));
#if defined(WECHATPAY_HAS_LEDGER)
  PrintLedger(story, *ledger, order.out_trade_no);
  std::cout << "done: paid, the callback verified and applied in the ledger, the watcher "
               "reported SUCCESS"
            << std::endl;
#else
  std::cout << "done: paid, the callback verified and handled, the watcher reported SUCCESS"
            << std::endl;
#endif
  return kExitOk;
}

}  // namespace wechatpay::cli
