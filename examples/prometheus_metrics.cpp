// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Per-request metrics in Prometheus text format: a ClientOptions::on_request hook counts the
// client's events, and GET /metrics serves them (text exposition format 0.0.4).
//
//   prometheus_metrics --config FILE [--listen HOST:PORT]
//   prometheus_metrics --sandbox [--listen HOST:PORT]
//
// With --config the client is built (calls made by your code through it would be counted);
// --sandbox embeds the WeChat Pay sandbox and makes a few calls (two orders, two queries, one
// query of an order that does not exist) so that the page has data. It prints
// `listening on URL`, then serves until SIGINT/SIGTERM.
//
// Metrics (label `operation` is the event's stable operation name; paths hold order numbers
// and make poor labels):
//   wechatpay_calls_total{operation,outcome}     one per call (final events)
//   wechatpay_attempts_total{operation}          one per attempt (retries included)
//   wechatpay_retries_total{operation}           attempts followed by a retry
//   wechatpay_call_duration_seconds{operation}   histogram of whole calls, backoff included

#include <httplib.h>
#include <signal.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>

#include "wechatpay/wechatpay.hpp"
#if defined(PROMETHEUS_METRICS_HAS_SANDBOX)
#include "wechatpay/sandbox/sandbox.hpp"
#endif

namespace {

// Upper bounds (seconds) of the latency histogram's buckets; +Inf is implied.
constexpr std::array<double, 10> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1,
                                             0.25,  0.5,  1.0,   2.5,  5.0};

// The counters, fed by the hook (from any thread making calls) and read by /metrics.
class Metrics {
 public:
  void Record(wechatpay::RequestEvent const& event) {
    std::string const operation(event.operation);
    std::lock_guard<std::mutex> lock(mu_);
    // One event per attempt: attempts are counted on every event that made one, calls on the
    // final event only, so nothing is counted twice.
    if (event.attempt > 0) ++attempts_[operation];
    if (event.retry == wechatpay::RetryDecision::kRetrying) ++retries_[operation];
    if (!event.final) return;
    ++calls_[{operation, std::string(event.outcome)}];
    auto& histogram = durations_[operation];
    double const seconds = std::chrono::duration<double>(event.call_latency).count();
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      if (seconds <= kBuckets[i]) ++histogram.buckets[i];
    }
    ++histogram.count;
    histogram.sum += seconds;
  }

  // The text exposition format: # HELP and # TYPE once per metric, then its samples.
  std::string Render() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::ostringstream out;
    out << "# HELP wechatpay_calls_total WeChat Pay API calls by operation and outcome.\n"
        << "# TYPE wechatpay_calls_total counter\n";
    for (auto const& [key, value] : calls_) {
      out << "wechatpay_calls_total{operation=\"" << key.first << "\",outcome=\"" << key.second
          << "\"} " << value << "\n";
    }
    out << "# HELP wechatpay_attempts_total HTTP attempts by operation (retries included).\n"
        << "# TYPE wechatpay_attempts_total counter\n";
    for (auto const& [operation, value] : attempts_) {
      out << "wechatpay_attempts_total{operation=\"" << operation << "\"} " << value << "\n";
    }
    out << "# HELP wechatpay_retries_total Attempts followed by a retry, by operation.\n"
        << "# TYPE wechatpay_retries_total counter\n";
    for (auto const& [operation, value] : retries_) {
      out << "wechatpay_retries_total{operation=\"" << operation << "\"} " << value << "\n";
    }
    out << "# HELP wechatpay_call_duration_seconds Duration of whole calls (retries and backoff "
           "included).\n"
        << "# TYPE wechatpay_call_duration_seconds histogram\n";
    for (auto const& [operation, histogram] : durations_) {
      std::string const labels = "operation=\"" + operation + "\"";
      for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        out << "wechatpay_call_duration_seconds_bucket{" << labels << ",le=\"" << kBuckets[i]
            << "\"} " << histogram.buckets[i] << "\n";
      }
      out << "wechatpay_call_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} "
          << histogram.count << "\n"
          << "wechatpay_call_duration_seconds_sum{" << labels << "} " << histogram.sum << "\n"
          << "wechatpay_call_duration_seconds_count{" << labels << "} " << histogram.count << "\n";
    }
    return out.str();
  }

 private:
  // Buckets are cumulative, as the format wants: an observation counts in every bucket whose
  // bound it does not exceed.
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;  // guards everything below
  std::map<std::pair<std::string, std::string>, std::uint64_t> calls_;
  std::map<std::string, std::uint64_t> attempts_;
  std::map<std::string, std::uint64_t> retries_;
  std::map<std::string, Histogram> durations_;
};

constexpr char kUsage[] =
    "usage: prometheus_metrics --config FILE [--listen HOST:PORT]\n"
    "       prometheus_metrics --sandbox [--listen HOST:PORT]\n"
    "Serves the client's per-request metrics as Prometheus text on GET /metrics.\n"
    "  --config FILE          the merchant configuration (docs/cli.md)\n"
    "  --sandbox              embed the WeChat Pay sandbox and make a few calls\n"
    "  --listen HOST:PORT     where to serve (default 127.0.0.1:9464; port 0: any free port)\n";

struct Args {
  std::optional<std::string> config_path;
  bool sandbox = false;
  std::string host = "127.0.0.1";
  int port = 9464;
};

std::optional<Args> ParseArgs(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    std::string const arg = argv[i];
    if (arg == "--sandbox") {
      args.sandbox = true;
    } else if (arg == "--config" && i + 1 < argc) {
      args.config_path = argv[++i];
    } else if (arg == "--listen" && i + 1 < argc) {
      std::string const listen = argv[++i];
      auto const colon = listen.rfind(':');
      if (colon == std::string::npos) return std::nullopt;
      args.host = listen.substr(0, colon);
      try {
        args.port = std::stoi(listen.substr(colon + 1));
      } catch (std::exception const&) {
        return std::nullopt;
      }
      if (args.port < 0 || args.port > 65535) return std::nullopt;
    } else {
      return std::nullopt;
    }
  }
  if (args.sandbox == args.config_path.has_value()) return std::nullopt;  // exactly one mode
  return args;
}

void Print(std::string const& line) {
  std::cout << line << std::endl;  // flushed: a supervisor or test reads it at once
}

int Error(std::string const& message, int code) {
  std::cerr << "prometheus_metrics: " << message << "\n";
  return code;
}

#if defined(PROMETHEUS_METRICS_HAS_SANDBOX)
// A few calls so that /metrics has something to show: two orders, each queried, and a query of
// an order that does not exist (WeChat's ORDER_NOT_EXIST, outcome SERVICE_ERROR).
void MakeSampleCalls(wechatpay::NativePayClient const& client) {
  for (char const* no : {"METRICS-DEMO-1", "METRICS-DEMO-2"}) {
    wechatpay::NativePrepayRequest order;
    order.out_trade_no = no;
    order.description = "metrics demo";
    order.amount.total = 1;
    auto placed = client.NativePrepay(order);
    if (!placed) std::cerr << "order " << no << ": " << placed.status().ToString() << "\n";
    (void)client.QueryOrderByOutTradeNo(no);
  }
  (void)client.QueryOrderByOutTradeNo("METRICS-DEMO-MISSING");
}
#endif

}  // namespace

int main(int argc, char** argv) {
  auto args = ParseArgs(argc, argv);
  if (!args) {
    std::cerr << kUsage;
    return 2;
  }
  // SIGINT/SIGTERM are taken by a thread that stops the server (stopping is not
  // async-signal-safe); blocked before any thread starts so that every thread inherits it.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto metrics = std::make_shared<Metrics>();
  wechatpay::ClientOptions options;
  // The whole integration: one line. The hook runs on the calling thread after each attempt;
  // it must be quick and thread-safe (Metrics locks), and whatever it throws is ignored.
  options.on_request = [metrics](wechatpay::RequestEvent const& event) { metrics->Record(event); };

  wechatpay::MerchantConfig config;
#if defined(PROMETHEUS_METRICS_HAS_SANDBOX)
  std::unique_ptr<wechatpay::sandbox::Sandbox> sandbox;
#endif
  if (args->sandbox) {
#if defined(PROMETHEUS_METRICS_HAS_SANDBOX)
    sandbox = std::make_unique<wechatpay::sandbox::Sandbox>(wechatpay::sandbox::Sandbox::Options{});
    if (auto status = sandbox->Start(); !status.ok()) {
      return Error("cannot start the sandbox: " + status.ToString(), 1);
    }
    config = sandbox->ClientConfig();
#else
    return Error("this example was built without the sandbox (WECHATPAY_BUILD_SANDBOX)", 2);
#endif
  } else {
    auto loaded = wechatpay::LoadMerchantConfig(args->config_path);
    if (!loaded) return Error(loaded.status().message(), 2);
    config = *std::move(loaded);
  }
  auto client = wechatpay::NativePayClient::Create(config, options);
  if (!client) return Error(client.status().message(), 2);
#if defined(PROMETHEUS_METRICS_HAS_SANDBOX)
  if (sandbox) MakeSampleCalls(*client);
#endif

  httplib::Server server;
  server.Get("/metrics", [metrics](httplib::Request const&, httplib::Response& res) {
    res.set_content(metrics->Render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  int port = args->port;
  if (port == 0) {
    port = server.bind_to_any_port(args->host);
    if (port < 0) return Error("cannot listen on " + args->host, 1);
  } else if (!server.bind_to_port(args->host, port)) {
    return Error("cannot listen on " + args->host + ":" + std::to_string(port), 1);
  }

  std::atomic<bool> signalled{false};
  std::atomic<bool> listen_returned{false};
  std::thread stopper([&] {
    int received = 0;
    sigwait(&stop_signals, &received);
    signalled = true;
    // stop() does nothing until the accept loop runs: a signal right at start must wait.
    while (!server.is_running() && !listen_returned) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    server.stop();
  });
  Print("listening on http://" + args->host + ":" + std::to_string(port));
  bool const listened = server.listen_after_bind();
  listen_returned = true;
  if (!signalled) pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  return listened || signalled ? 0 : 1;
}
