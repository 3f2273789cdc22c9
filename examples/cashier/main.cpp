// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// cashier: the PC checkout page of a shop taking WeChat Pay Native payments. The customer
// enters (or the shop fills in) what is bought, the page shows the order's QR code, and the
// result appears on the page as soon as WeChat's callback arrives (Server-Sent Events), with
// polling as the fallback. Unpaid orders close after 10 minutes; an expired QR code can be
// refreshed.
//
//   cashier --config FILE --notify-url https://shop.example.com/wechatpay/order
//           [--listen HOST:PORT] [--close-after SECONDS] [--poll-interval SECONDS]
//   cashier --sandbox [--time-scale X] [--listen HOST:PORT] [--close-after SECONDS]
//           [--poll-interval SECONDS]
//   (both: [--shop-name NAME] [--return-after SECONDS] for a kiosk that returns to a new order)
//
// --config is the CLI's configuration file (docs/cli.md; WECHATPAY_* variables override it), and
// --notify-url the public HTTPS address that reaches POST /wechatpay/order on this server
// (through a TLS-terminating proxy that passes the body through unchanged; default: the
// configuration's notifyUrl). --sandbox embeds the WeChat Pay sandbox instead, for offline use:
// callbacks then come straight to this server, and the page has a button to "scan and pay".
// --listen defaults to 127.0.0.1:8080 (port 0 picks a free one). The first stdout line is
// `listening on URL`; in sandbox mode, `sandbox URL` and `sandbox CA FILE` follow; then, when
// built with the ledger, `ledger WHERE` (a PostgreSQL password redacted). POSIX only.
//
// The ledger (wechatpay::ledger) records every order, query, close and callback: --ledger URL
// (a SQLite file, or postgresql://...), else the configuration's `ledger`, else
// ./cashier-ledger.db; in sandbox mode (a throwaway merchant) a SQLite file in a temporary
// folder, removed at exit. The ledger's committed changes end the watches (so a callback that
// reached another instance on the same PostgreSQL ledger reaches this one's pages); the
// watcher's query every --poll-interval seconds (default 2) is the fallback.

#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "cashier.hpp"
#include "listen_error.hpp"
#include "server_limits.hpp"
#include "wechatpay/wechatpay.hpp"
#if defined(CASHIER_HAS_LEDGER)
#include <filesystem>

#include "wechatpay/ledger/open.hpp"
#include "wechatpay/ledger/postgres_store.hpp"
#endif
#if defined(CASHIER_HAS_SANDBOX)
#include "wechatpay/sandbox/sandbox.hpp"
#endif

namespace {

constexpr char kUsage[] =
    "usage: cashier --config FILE [--notify-url URL] [--listen HOST:PORT] [--close-after SECONDS]\n"
    "               [--poll-interval SECONDS] [--ledger URL]\n"
    "       cashier --sandbox [--time-scale X] [--listen HOST:PORT] [--close-after SECONDS]\n"
    "               [--poll-interval SECONDS] [--ledger URL]\n"
    "       (both also take [--shop-name NAME] [--return-after SECONDS])\n";
constexpr char kHelp[] =
    "The PC checkout page of a shop taking WeChat Pay Native payments.\n"
    "  --config FILE          the wechatpay CLI's JSON configuration (WECHATPAY_* override it)\n"
    "  --notify-url URL       the public https URL that reaches this server's callback route\n"
    "                         (default: the configuration's notifyUrl)\n"
    "  --sandbox              embed the WeChat Pay sandbox instead, for offline use\n"
    "  --time-scale X         the sandbox's time scale (e.g. 0.1: ten times faster)\n"
    "  --listen HOST:PORT     default 127.0.0.1:8080; port 0 picks a free one\n"
    "  --close-after SECONDS  close an unpaid order after this long (default 600)\n"
    "  --poll-interval SECONDS  query WeChat this often while an order is open, the fallback\n"
    "                         when no callback or ledger event comes (default 2)\n"
    "  --ledger URL           the payment ledger: sqlite:PATH, PATH.db or postgresql://...\n"
    "                         (default: the configuration's ledger, else ./cashier-ledger.db;\n"
    "                         with --sandbox a temporary file removed at exit)\n"
    "  --shop-name NAME       the heading of every page (default \"收银台 · Checkout\")\n"
    "  --return-after SECONDS a kiosk: back to a new order this long after a checkout ends\n"
    "                         (default 0: only the \"new order\" button)\n";

struct Arguments {
  std::optional<std::string> config_path;
  std::string notify_url;
  std::string host = "127.0.0.1";
  int port = 8080;
  double close_after_seconds = 600;
  double poll_interval_seconds = 2;
  bool sandbox = false;
  double time_scale = 1.0;
  std::optional<std::string> ledger;
  std::optional<std::string> shop_name;
  int return_after_seconds = 0;
};

bool ParseNumber(std::string const& text, double& out) {
  char* end = nullptr;
  errno = 0;
  out = std::strtod(text.c_str(), &end);
  return !text.empty() && end == text.c_str() + text.size() && errno == 0 && std::isfinite(out) &&
         out > 0;
}

std::optional<Arguments> Parse(int argc, char** argv) {
  Arguments args;
  for (int i = 1; i < argc; ++i) {
    std::string const arg = argv[i];
    bool const has_value = i + 1 < argc;
    if (arg == "--sandbox") {
      args.sandbox = true;
    } else if (arg == "--config" && has_value) {
      args.config_path = argv[++i];
    } else if (arg == "--notify-url" && has_value) {
      args.notify_url = argv[++i];
    } else if (arg == "--listen" && has_value) {
      std::string const listen = argv[++i];
      auto const colon = listen.rfind(':');
      if (colon == std::string::npos || colon == 0) return std::nullopt;
      args.host = listen.substr(0, colon);
      std::string const port = listen.substr(colon + 1);
      if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != port.npos) {
        return std::nullopt;
      }
      args.port = std::atoi(port.c_str());
    } else if (arg == "--ledger" && has_value) {
      args.ledger = argv[++i];
    } else if (arg == "--close-after" && has_value) {
      if (!ParseNumber(argv[++i], args.close_after_seconds)) return std::nullopt;
    } else if (arg == "--poll-interval" && has_value) {
      if (!ParseNumber(argv[++i], args.poll_interval_seconds)) return std::nullopt;
    } else if (arg == "--time-scale" && has_value) {
      if (!ParseNumber(argv[++i], args.time_scale)) return std::nullopt;
    } else if (arg == "--shop-name" && has_value) {
      args.shop_name = argv[++i];
      if (args.shop_name->empty() || args.shop_name->size() > 64) return std::nullopt;
    } else if (arg == "--return-after" && has_value) {
      std::string const seconds = argv[++i];
      if (seconds.empty() || seconds.size() > 4 ||
          seconds.find_first_not_of("0123456789") != seconds.npos) {
        return std::nullopt;
      }
      args.return_after_seconds = std::atoi(seconds.c_str());
    } else {
      return std::nullopt;
    }
  }
  if (args.sandbox == args.config_path.has_value()) return std::nullopt;  // exactly one mode
  return args;
}

#if defined(CASHIER_HAS_LEDGER)
// The sandbox mode's ledger folder: removed, with the database, when the cashier exits.
class TempFolder {
 public:
  TempFolder() {
    std::string pattern = (std::filesystem::temp_directory_path() / "cashier-ledger-XXXXXX");
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
#endif

std::mutex print_mu;

void Print(std::string const& line) {
  std::lock_guard<std::mutex> lock(print_mu);
  std::cout << line << std::endl;
}

int Error(std::string const& message, int code) {
  std::cerr << "error: " << message << std::endl;
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--help" || std::string(argv[i]) == "-h") {
      std::cout << kUsage << kHelp;  // asked for: stdout, success
      return 0;
    }
  }
  auto args = Parse(argc, argv);
  if (!args) {
    std::cerr << kUsage;
    return 2;
  }

  // SIGINT/SIGTERM are taken by a thread that stops the server (stopping is not
  // async-signal-safe); SIGPIPE must not kill the server when a browser goes away mid-write.
  // Blocked before any thread starts, so that every thread inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigset_t blocked = stop_signals;
  sigaddset(&blocked, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &blocked, nullptr);

  httplib::Server server;
  int const port = args->port == 0
                       ? server.bind_to_any_port(args->host)
                       : (server.bind_to_port(args->host, args->port) ? args->port : -1);
  if (port <= 0) {
    std::string const reason = examples::ListenFailure(args->host, args->port);
    return Error("cannot listen on " + args->host + ":" + std::to_string(args->port) +
                     (reason.empty() ? "" : ": " + reason),
                 1);
  }
  std::string const base_url = "http://" + args->host + ":" + std::to_string(port);

#if defined(CASHIER_HAS_LEDGER)
  // Declared before the options and the cashier that hold the ledger, so that the ledger is
  // closed before its folder goes.
  std::optional<TempFolder> ledger_folder;
#endif
  cashier::CashierOptions options;
  options.close_after = std::chrono::milliseconds(
      static_cast<std::int64_t>(std::llround(args->close_after_seconds * 1000.0)));
  options.poll_interval = std::chrono::milliseconds(
      std::max<std::int64_t>(1, std::llround(args->poll_interval_seconds * 1000.0)));
  options.log = [](std::string const& line) { Print(line); };
  if (args->shop_name) options.page.shop_name = *args->shop_name;
  options.page.return_after_seconds = args->return_after_seconds;
  wechatpay::MerchantConfig config;
#if defined(CASHIER_HAS_SANDBOX)
  std::unique_ptr<wechatpay::sandbox::Sandbox> sandbox;
#endif
  if (args->sandbox) {
#if defined(CASHIER_HAS_SANDBOX)
    wechatpay::sandbox::Sandbox::Options sandbox_options;
    sandbox_options.time_scale = args->time_scale;
    sandbox_options.keep_alive_timeout = std::chrono::seconds(1);
    sandbox = std::make_unique<wechatpay::sandbox::Sandbox>(sandbox_options);
    if (auto status = sandbox->Start(); !status.ok()) {
      return Error("cannot start the sandbox: " + status.ToString(), 1);
    }
    config = sandbox->ClientConfig();
    // The sandbox posts callbacks over loopback, where plain http is allowed.
    std::string const notify_host =
        args->host == "0.0.0.0" || args->host == "localhost" ? "127.0.0.1" : args->host;
    options.notify_url =
        "http://" + notify_host + ":" + std::to_string(port) + cashier::kNotifyPath;
    // The sandbox scales WeChat's 2-hour code_url validity; the page must expect the same.
    options.code_url_validity = std::chrono::milliseconds(static_cast<std::int64_t>(
        std::chrono::duration<double, std::milli>(wechatpay::kCodeUrlValidity).count() *
        args->time_scale));
    auto* emulator = sandbox.get();
    options.sandbox_pay = [emulator](std::string const& out_trade_no) -> wechatpay::Status {
      auto paid = emulator->Pay(out_trade_no);
      return paid ? wechatpay::Status() : paid.status();
    };
#else
    return Error("this cashier was built without the sandbox (WECHATPAY_BUILD_SANDBOX)", 2);
#endif
  } else {
    auto loaded = wechatpay::LoadMerchantConfig(args->config_path);
    if (!loaded) return Error(loaded.status().message(), 2);
    config = *loaded;
    options.notify_url = args->notify_url.empty() ? config.notify_url : args->notify_url;
    if (options.notify_url.empty()) {
      return Error("--notify-url (or notifyUrl in the configuration) is required", 2);
    }
  }

#if defined(CASHIER_HAS_LEDGER)
  std::string ledger_url;
  std::string ledger_note;
  if (args->ledger) {
    ledger_url = *args->ledger;
  } else if (args->sandbox) {
    ledger_folder.emplace();
    if (ledger_folder->path().empty()) return Error("cannot make a folder for the ledger", 1);
    ledger_url = "sqlite:" + ledger_folder->path() + "/ledger.db";
    ledger_note = " (temporary, removed at exit)";
  } else {
    ledger_url = config.ledger.empty() ? "cashier-ledger.db" : config.ledger;
  }
  auto store = wechatpay::OpenLedgerStore(ledger_url);
  if (!store) return Error(store.status().message(), 2);  // never quotes the URL
  options.ledger = std::make_shared<wechatpay::Ledger>(
      std::shared_ptr<wechatpay::LedgerStore>(*std::move(store)));
#else
  if (args->ledger)
    return Error("this cashier was built without the ledger (wechatpay::ledger)", 2);
#endif

  auto client = wechatpay::NativePayClient::Create(config);
  if (!client) return Error(client.status().message(), 2);
  // The parser needs wxPayPublicKey(Id) and apiV3Key: every callback is verified over its raw
  // body and decrypted before the cashier believes it.
  auto parser = wechatpay::MakeNotificationParser(config);
  if (!parser) return Error(parser.status().message(), 2);

  cashier::Cashier app(*client, *parser, options);
  // Each open event stream holds a worker thread for as long as its page is open: twice the
  // streams the cashier admits (CashierOptions::max_event_streams), so that as many threads
  // stay for the pages, the polls and the callback route. No body longer than a notification
  // is kept (forms are far smaller).
  examples::ServerLimits limits;
  limits.worker_threads = 2 * options.max_event_streams;
  limits.payload_max_length = parser->max_body_bytes();
  examples::ApplyServerLimits(server, limits);
  app.Register(server);

  std::atomic<bool> signalled{false};
  std::atomic<bool> listen_returned{false};
  std::thread stopper([&] {
    int received = 0;
    sigwait(&stop_signals, &received);
    signalled = true;
    app.Shutdown();  // ends the event streams, which would keep the server's workers busy
#if defined(CASHIER_HAS_SANDBOX)
    // The sandbox's callback connections to this server are idle keep-alive connections, which
    // the server's workers would wait on: stopping the sandbox first closes them.
    if (sandbox) sandbox->Stop();
#endif
    // stop() does nothing until the accept loop runs: a signal right at start must wait for it.
    while (!server.is_running() && !listen_returned) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    server.stop();
  });
  Print("listening on " + base_url);
#if defined(CASHIER_HAS_SANDBOX)
  if (sandbox) {
    Print("sandbox " + sandbox->BaseUrl());
    Print("sandbox CA " + sandbox->identity().ca_file);
  }
#endif
#if defined(CASHIER_HAS_LEDGER)
  Print("ledger " + wechatpay::RedactPostgresUrl(ledger_url) + ledger_note);  // no password
#endif
  bool const listened = server.listen_after_bind();
  listen_returned = true;
  // The server ended without a signal (an error): wake the stopper so it can be joined.
  if (!signalled) pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  return listened || signalled ? 0 : 1;
}
