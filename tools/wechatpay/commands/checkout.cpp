// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `wechatpay checkout`: the cashier's loop from a shell — order, show the QR code, wait for the
// payment, close the order when the timeout passes, print the final transaction.
//
// A separate process cannot receive WeChat's callback for the merchant's notify_url, so the
// watch polls (PaymentWatcher). The QR code and progress go to stderr, so that stdout stays one
// JSON document (the final transaction) as for the other API commands and can be redirected
// while the code is still shown on the terminal.
//
// In builds with the ledger the order, every query and the close are recorded in the payment
// ledger (a LedgerClient): --ledger URL, else the configuration's `ledger`, else the SQLite file
// $XDG_DATA_HOME/wechatpay/ledger.db (~/.local/share/wechatpay/ledger.db), kept between runs so
// that `wechatpay ledger` and `wechatpay reconcile` find the order afterwards.

#include <pthread.h>
#include <signal.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <sstream>
#include <thread>

#include "cli.hpp"
#include "common/nonce.hpp"
#include "common/signals.hpp"
#include "watch_session.hpp"

#if defined(WECHATPAY_HAS_QR)
#include "wechatpay/qr.hpp"
#endif

#if defined(WECHATPAY_HAS_LEDGER)
#include <filesystem>
#include <memory>
#include <optional>

#include "wechatpay/ledger/ledger.hpp"
#include "wechatpay/ledger/ledger_client.hpp"
#include "wechatpay/ledger/open.hpp"
#include "wechatpay/ledger/postgres_store.hpp"
#endif

namespace wechatpay::cli {
namespace {

constexpr char kUsage[] =
    "checkout --description D --total FEN [--out-trade-no X] [--interval SECONDS] "
    "[--watch-timeout SECONDS] [--progress-interval SECONDS] [--quiet] [--attach TEXT] "
    "[--goods-tag TAG] [--notify-url URL] [--time-expire RFC3339] [--use-service-account] "
    "[--ledger URL]";

void Progress(std::string const& line) { std::cerr << "checkout: " << line << std::endl; }

std::string Yuan(std::int64_t fen) {
  std::string cents = std::to_string(std::llabs(fen) % 100);
  if (cents.size() < 2) cents.insert(0, "0");
  return (fen < 0 ? "-" : "") + std::to_string(std::llabs(fen) / 100) + "." + cents;
}

#if defined(WECHATPAY_HAS_LEDGER)
Status LedgerError(std::string message) {
  ErrorInfo info;
  info.field = "ledger";
  return Status(StatusCode::kInvalidArgument, std::move(message), std::move(info));
}

// checkout's ledger when neither --ledger nor the configuration names one: a SQLite file in the
// user's data folder (created), so that it outlives the command.
StatusOr<std::string> DefaultLedgerUrl() {
  std::filesystem::path folder;
  if (char const* data = std::getenv("XDG_DATA_HOME"); data != nullptr && *data == '/') {
    folder = data;
  } else if (char const* home = std::getenv("HOME"); home != nullptr && *home == '/') {
    folder = std::filesystem::path(home) / ".local" / "share";
  } else {
    return LedgerError(
        "no ledger: give --ledger URL or the configuration key ledger (neither "
        "XDG_DATA_HOME nor HOME names a folder for the default one)");
  }
  folder /= "wechatpay";
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) {
    return LedgerError("cannot create the default ledger's folder " + folder.string() + ": " +
                       error.message());
  }
  return "sqlite:" + (folder / "ledger.db").string();
}
#endif

}  // namespace

std::string NewOutTradeNo(std::string const& prefix) {
  std::time_t const now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char stamp[16];
  std::strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &local);
  // The random part keeps two checkouts started within the same second apart;
  // internal::GenerateNonce() draws from the CSPRNG and uses only [0-9A-Za-z].
  return prefix + stamp + internal::GenerateNonce().substr(0, 8);
}

std::string TerminalQr(std::string const& code_url) {
#if defined(WECHATPAY_HAS_QR)
  auto rendered = RenderQrTerminal(code_url);
  if (rendered) return *rendered;
  return "(cannot draw the QR code: " + rendered.status().message() + ")\n";
#else
  return "(this wechatpay was built without QR support: render code_url with any QR tool)\n";
#endif
}

void BlockStopSignals() { internal::BlockSignals({SIGINT, SIGTERM, SIGPIPE}); }

StopSignalThread::StopSignalThread(std::function<void()> on_signal) {
  thread_ = std::thread([this, on_signal = std::move(on_signal)] {
    sigset_t const signals = internal::SignalSet({SIGINT, SIGTERM});
    int received = 0;
    sigwait(&signals, &received);
    if (ending_) return;  // the destructor's wake-up, not the user's
    signal_number_ = received;
    received_ = true;
    if (on_signal) on_signal();
  });
}

StopSignalThread::~StopSignalThread() {
  ending_ = true;
  // Wakes sigwait() unless a real signal already did; a signal sent to a thread that has
  // returned stays pending (blocked) and is discarded at exit.
  if (!received_) pthread_kill(thread_.native_handle(), SIGTERM);
  thread_.join();
}

StatusOr<std::chrono::milliseconds> ParseSecondsOption(std::string const& name,
                                                       std::string const& text, bool allow_zero,
                                                       double max_seconds) {
  char* end = nullptr;
  errno = 0;
  double const seconds = std::strtod(text.c_str(), &end);
  bool const in_range = allow_zero ? seconds >= 0 : seconds > 0;
  if (text.empty() || end != text.c_str() + text.size() || errno != 0 || !std::isfinite(seconds) ||
      !in_range || seconds > max_seconds) {
    std::ostringstream range;
    range << (allow_zero ? "[0" : "(0") << ", " << max_seconds << "]";
    return Status(StatusCode::kInvalidArgument, "--" + name + " must be a number of seconds in " +
                                                    range.str() + " (got '" + text + "')");
  }
  auto ms = std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(seconds * 1000.0)));
  // A positive duration stays positive (0.0001 s is 1 ms, not "no wait").
  if (!allow_zero && ms.count() < 1) ms = std::chrono::milliseconds(1);
  return ms;
}

int RunCheckout(std::vector<std::string> const& argv, GlobalOptions& globals) {
  CommandSpec spec{"checkout",
                   kUsage,
                   {"description", "total", "out-trade-no", "attach", "goods-tag", "notify-url",
                    "time-expire", "ledger"},
                   {"use-service-account"}};
  spec.value_options.insert(spec.value_options.end(), std::begin(kWatchValueOptions),
                            std::end(kWatchValueOptions));
  spec.flag_options.insert(spec.flag_options.end(), std::begin(kWatchFlagOptions),
                           std::end(kWatchFlagOptions));
  if (int help = MaybeHelp(spec, argv); help >= 0) return help;
  int exit_code = 0;
  auto args = ParseArgs(spec, argv, globals);
  if (!Check(args, exit_code)) return exit_code;

  NativePrepayRequest request;
  auto description = Required(*args, "description");
  if (!Check(description, exit_code)) return exit_code;
  request.description = *description;
  auto total_text = Required(*args, "total");
  if (!Check(total_text, exit_code)) return exit_code;
  auto total = ParseIntegerOption("total", *total_text);
  if (!Check(total, exit_code)) return exit_code;
  request.amount.total = *total;
  request.out_trade_no = args->Get("out-trade-no").value_or(NewOutTradeNo("CO"));
  request.attach = args->Get("attach");
  request.goods_tag = args->Get("goods-tag");
  request.notify_url = args->Get("notify-url");
  request.time_expire = args->Get("time-expire");
  request.use_service_account = args->Has("use-service-account");

  WatchOptions options;  // 2 s, 10 minutes, close on timeout: WeChat's guidance for Native
  WatchSession session;
  session.label = "checkout";
  session.close_on_interrupt = true;  // the order is this command's: nobody else will close it
  if (!ReadWatchArgs(*args, globals, options, session, exit_code)) return exit_code;
#if !defined(WECHATPAY_HAS_LEDGER)
  if (args->Has("ledger")) {
    return UsageError("--ledger needs a wechatpay built with the ledger (wechatpay::ledger)");
  }
#endif

  // SIGINT and SIGTERM end the checkout by closing the order, so that a QR code left on the
  // screen cannot be paid once nobody watches it any more. Blocked before any thread starts
  // (the client's may), so that every thread inherits the mask.
  BlockStopSignals();
  auto config = LoadConfig(globals);
  if (!Check(config, exit_code)) return exit_code;
  auto client = MakeApiClient(*config, globals);
  if (!Check(client, exit_code)) return exit_code;

#if defined(WECHATPAY_HAS_LEDGER)
  std::string ledger_url;
  if (auto url = args->Get("ledger")) {
    ledger_url = *url;
  } else if (!config->ledger.empty()) {
    ledger_url = config->ledger;
  } else {
    auto fallback = DefaultLedgerUrl();
    if (!Check(fallback, exit_code)) return exit_code;
    ledger_url = *fallback;
  }
  auto store = OpenLedgerStore(ledger_url);
  if (!Check(store, exit_code)) return exit_code;
  auto ledger = std::make_shared<Ledger>(std::shared_ptr<LedgerStore>(*std::move(store)));
  // The order recorded before and after the call; the watch's queries and close through the
  // recording client, so the ledger follows the order to its end.
  LedgerClient shop(*client, ledger);
  NativePayClient const& api = shop.client();
  if (!session.quiet) Progress("ledger " + RedactPostgresUrl(ledger_url));  // no password
#else
  NativePayClient const& api = *client;
#endif

    // The library validates the request before sending it (exit 2 naming the field).
#if defined(WECHATPAY_HAS_LEDGER)
  auto placed = shop.NativePrepay(request);
#else
  auto placed = api.NativePrepay(request);
#endif
  if (!placed) return Fail(placed.status());
  options.created_at = std::chrono::system_clock::now();
  Progress("ordered " + request.out_trade_no + " (" + Yuan(request.amount.total) +
           " CNY): " + placed->code_url);
  std::cerr << TerminalQr(placed->code_url) << std::flush;
  if (!session.quiet) {
    Progress("scan the QR code with WeChat to pay; waiting for the payment (query every " +
             std::to_string(options.interval.count()) + " ms, close after " +
             std::to_string(options.timeout.count() / 1000) + " s)");
  }
  int const code = RunWatchSession(api, request.out_trade_no, std::move(options), session);
#if defined(WECHATPAY_HAS_LEDGER)
  if (!session.quiet) {
    auto rows = ledger->store()->Get(request.out_trade_no);
    if (rows && rows->order) {
      Progress("ledger: " + request.out_trade_no + " " +
               std::string(LedgerOrderStateName(rows->order->state)) +
               (rows->order->transaction_id.empty()
                    ? ""
                    : ", transaction_id " + rows->order->transaction_id) +
               " (wechatpay ledger show " + request.out_trade_no + ")");
    }
  }
#endif
  return code;
}

}  // namespace wechatpay::cli
