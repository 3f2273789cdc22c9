// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// A WeChat Pay callback receiver with cpp-httplib: POST /wechatpay/order for payment results
// (TRANSACTION.SUCCESS) and POST /wechatpay/refund for refund results (REFUND.*). Each delivery
// is verified over its raw body, decrypted, checked to be of a type its route handles,
// deduplicated and handed to the application, and the answer WeChat gets depends on what the
// application returned. Connection limits (server_limits.hpp) keep slow or idle clients from
// holding every worker while a callback waits.
//
//   callback_server [--config FILE] [--listen HOST:PORT]
//
// The configuration is the CLI's (docs/cli.md): apiV3Key, wxPayPublicKey and wxPayPublicKeyId are
// needed, WECHATPAY_* environment variables override the file. --listen defaults to
// 127.0.0.1:8080 (port 0 picks a free one). The first stdout line is `listening on URL`; then
// one line per event (and one per POST to any other route: a notify_url with a wrong path). Point
// notify_url at https://<your host>/wechatpay/order (WeChat requires HTTPS on public hosts: put a
// TLS-terminating proxy in front, and pass the body through unchanged — the signature covers its
// exact bytes). POSIX only (signal handling).

#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "listen_error.hpp"
#include "notify_route.hpp"
#include "server_limits.hpp"
#include "wechatpay/wechatpay.hpp"

namespace {

// Stands in for the application's database. The one rule that matters: the callback returns OK
// only after the event is durably recorded — here, after the map is updated; in a real service,
// after the database transaction committed.
class OrderBook {
 public:
  wechatpay::Status ApplyPayment(wechatpay::Transaction const& t) {
    std::lock_guard<std::mutex> lock(mu_);
    auto const& out_trade_no = *t.out_trade_no;
    auto it = orders_.find(out_trade_no);
    if (it == orders_.end()) {
      // This example does not create orders, so it learns them from the first payment. A real
      // service looks the order up, and an unknown order is an error to investigate.
      it = orders_
               .emplace(out_trade_no,
                        wechatpay::OrderSnapshot{out_trade_no, *t.amount->total, false, ""})
               .first;
    }
    // The business checks: same order, paid, the expected amount; an early return when this
    // payment was already recorded (for instance, after a restart lost the deduplicator).
    auto action = wechatpay::CheckPayment(t, it->second);
    if (!action) return action.status();
    if (*action == wechatpay::PaymentAction::kApply) {
      it->second.paid = true;
      it->second.transaction_id = *t.transaction_id;
    }
    return {};
  }

 private:
  std::mutex mu_;
  std::map<std::string, wechatpay::OrderSnapshot> orders_;
};

std::mutex print_mu;

void Print(std::string const& line) {
  std::lock_guard<std::mutex> lock(print_mu);
  std::cout << line << std::endl;
}

// The route for a NotificationHandler, logging each outcome.
httplib::Server::HandlerWithContentReader Route(wechatpay::NotificationHandler const& handler) {
  return examples::NotifyRoute(
      handler, [](httplib::Request const& req, wechatpay::NotificationResult const& result) {
        std::string line = std::string(wechatpay::NotificationOutcomeName(result.outcome)) + " " +
                           req.path + " -> " + std::to_string(result.answer.status_code);
        if (!result.status.ok()) line += ": " + result.status.ToString();
        Print(line);
      });
}

// Both routes accept only event types whose resource the parser types: a transaction or a
// refund notification.
wechatpay::Status PrintEvent(wechatpay::Notification const& n) {
  std::string line = n.event_type + " id=" + n.id;
  if (n.transaction) {
    auto const& t = *n.transaction;
    line += " out_trade_no=" + *t.out_trade_no + " transaction_id=" + *t.transaction_id +
            " total=" + std::to_string(*t.amount->total);
  } else if (n.refund) {
    auto const& r = *n.refund;
    line += " out_refund_no=" + r.out_refund_no + " refund_status=" + r.refund_status +
            " refund=" + std::to_string(r.amount.refund) + " of " + std::to_string(r.amount.total);
  }
  Print(line);
  return {};
}

constexpr char kUsage[] =
    "usage: callback_server [--config FILE] [--listen HOST:PORT]\n"
    "Receives WeChat Pay callbacks: POST /wechatpay/order (payments), POST /wechatpay/refund\n"
    "(refunds). --config is the wechatpay CLI's JSON configuration (apiV3Key, wxPayPublicKey,\n"
    "wxPayPublicKeyId; WECHATPAY_* variables override it); --listen defaults to 127.0.0.1:8080\n"
    "(port 0 picks a free one).\n";

int Usage() {
  std::cerr << kUsage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::optional<std::string> config_path;
  std::string host = "127.0.0.1";
  int port = 8080;
  for (int i = 1; i < argc; ++i) {
    std::string const arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;  // asked for: stdout, success
      return 0;
    }
    if (arg == "--config" && i + 1 < argc) {
      config_path = argv[++i];
    } else if (arg == "--listen" && i + 1 < argc) {
      std::string const listen = argv[++i];
      auto const colon = listen.rfind(':');
      if (colon == std::string::npos) return Usage();
      host = listen.substr(0, colon);
      port = std::atoi(listen.c_str() + colon + 1);
    } else {
      return Usage();
    }
  }

  auto config = wechatpay::LoadMerchantConfig(config_path);
  if (!config) {
    std::cerr << "error: " << config.status().message() << "\n";
    return 2;
  }
  // Verifier (wxPayPublicKey under wxPayPublicKeyId) and AES-256-GCM cipher (apiV3Key), parsed
  // once; the parser is immutable and shared by the server's threads.
  auto parser = wechatpay::MakeNotificationParser(*config);
  if (!parser) {
    std::cerr << "error: " << parser.status().message() << "\n";
    return 2;
  }

  OrderBook orders;
  // One deduplicator for both routes: redeliveries are answered success without calling the
  // application again. (In-memory: use a database-backed one to survive restarts.) Each route
  // accepts only its own event types: a payment that arrives at the refund route (a wrong
  // notify_url) is answered failure and not marked processed, so its delivery to the order
  // route still records it instead of being taken for a duplicate.
  auto deduplicator = std::make_shared<wechatpay::InMemoryNotificationDeduplicator>();
  wechatpay::NotificationHandler order_handler(
      *parser, {wechatpay::kEventTransactionSuccess},
      [&orders](wechatpay::Notification const& n) -> wechatpay::Status {
        PrintEvent(n);
        return orders.ApplyPayment(*n.transaction);  // always set for TRANSACTION.SUCCESS
      },
      deduplicator);
  wechatpay::NotificationHandler refund_handler(
      *parser,
      {wechatpay::kEventRefundSuccess, wechatpay::kEventRefundAbnormal,
       wechatpay::kEventRefundClosed},
      PrintEvent, deduplicator);

  // SIGINT/SIGTERM are taken by a thread that stops the server, rather than by a signal handler
  // (stopping a server is not async-signal-safe). Block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  httplib::Server server;
  examples::ServerLimits limits;
  // No body longer than a notification may be is kept (the route answers it 413, FAIL body).
  limits.payload_max_length = parser->max_body_bytes();
  examples::ApplyServerLimits(server, limits);
  server.Post("/wechatpay/order", Route(order_handler));
  server.Post("/wechatpay/refund", Route(refund_handler));
  examples::LogUnknownRoutes(server, Print);

  int bound = port;
  if (port == 0) {
    bound = server.bind_to_any_port(host);
  } else if (!server.bind_to_port(host, port)) {
    bound = -1;
  }
  if (bound <= 0) {
    std::string const reason = examples::ListenFailure(host, port);
    std::cerr << "error: cannot listen on " << host << ":" << port
              << (reason.empty() ? "" : ": " + reason) << "\n";
    return 1;
  }
  std::atomic<bool> signalled{false};
  std::thread stopper([&server, &signalled, signals] {
    int received = 0;
    sigwait(&signals, &received);
    signalled = true;
    server.stop();
  });
  Print("listening on http://" + host + ":" + std::to_string(bound));
  bool const listened = server.listen_after_bind();
  // The server ended without a signal (an error): wake the stopper so it can be joined.
  if (!signalled) pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  return listened || signalled ? 0 : 1;
  return 0;
}
