// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `wechatpay sandbox`: runs the WeChat Pay v3 + CloudBase gateway emulator (docs/sandbox.md) until
// SIGINT or SIGTERM. The first stdout line is `listening on URL`, flushed, so a script or a test
// can wait for it; everything else goes to stderr.

#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>

#include "cli.hpp"
#include "common/signals.hpp"
#include "wechatpay/sandbox/sandbox.hpp"

namespace wechatpay::cli {
namespace {

constexpr char kUsage[] =
    "sandbox [--listen 127.0.0.1:PORT] [--plain-http] [--state-dir DIR] [--write-config FILE] "
    "[--write-gateway-config FILE] [--gateway-token-ttl SECONDS] [--time-scale X] "
    "[--key-mode public-key|certificate|both] [--certificate-share X] [--bill-ready-hour H] "
    "[--bill-url-lifetime SECONDS] [--log-requests]";

std::string AbsolutePathOf(std::string const& path) {
  std::error_code error;
  auto absolute = std::filesystem::absolute(path, error);
  return error ? path : absolute.lexically_normal().string();
}

// "HOST:PORT", with HOST possibly "[::1]".
bool ParseListen(std::string const& text, std::string& host, int& port) {
  auto const colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return false;
  host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::string const digits = text.substr(colon + 1);
  if (digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  port = std::atoi(digits.c_str());
  return port <= 65535;
}

}  // namespace

int RunSandbox(std::vector<std::string> const& argv, GlobalOptions& globals) {
  CommandSpec const spec{
      "sandbox",
      kUsage,
      {"listen", "state-dir", "write-config", "write-gateway-config", "gateway-token-ttl",
       "time-scale", "key-mode", "certificate-share", "bill-ready-hour", "bill-url-lifetime"},
      {"plain-http", "log-requests"}};
  if (int help = MaybeHelp(spec, argv); help >= 0) return help;
  auto args = ParseArgs(spec, argv, globals);
  int exit_code = kExitOk;
  if (!Check(args, exit_code)) return exit_code;

  sandbox::Sandbox::Options options;
  options.plain_http = args->Has("plain-http");
  options.state_dir = args->Get("state-dir").value_or("");
  if (args->Has("log-requests")) {
    // One whole line per write: requests are served on many threads.
    options.request_log = [mu = std::make_shared<std::mutex>()](std::string const& line) {
      std::lock_guard<std::mutex> lock(*mu);
      std::cerr << "sandbox: " + line + "\n" << std::flush;
    };
  }
  if (auto listen = args->Get("listen")) {
    if (!ParseListen(*listen, options.host, options.port)) {
      return UsageError("--listen needs HOST:PORT, e.g. 127.0.0.1:0 (got '" + *listen + "')");
    }
  }
  if (auto scale = args->Get("time-scale")) {
    char* end = nullptr;
    errno = 0;
    double const value = std::strtod(scale->c_str(), &end);
    if (scale->empty() || end != scale->c_str() + scale->size() || errno != 0 || !(value > 0) ||
        !std::isfinite(value)) {
      return UsageError("--time-scale needs a positive number, e.g. 0.001 (got '" + *scale + "')");
    }
    options.time_scale = value;
  }
  if (auto mode = args->Get("key-mode")) {
    auto parsed = sandbox::ParseKeyMode(*mode);
    if (!parsed) {
      return UsageError("--key-mode needs public-key, certificate or both (got '" + *mode + "')");
    }
    options.key_mode = *parsed;
  }
  if (auto share = args->Get("certificate-share")) {
    char* end = nullptr;
    errno = 0;
    double const value = std::strtod(share->c_str(), &end);
    if (share->empty() || end != share->c_str() + share->size() || errno != 0 ||
        !(value >= 0 && value <= 1)) {
      return UsageError("--certificate-share needs a number from 0 to 1, e.g. 0.5 (got '" + *share +
                        "')");
    }
    options.certificate_share = value;
  }
  if (auto hour = args->Get("bill-ready-hour")) {
    auto parsed = ParseIntegerOption("bill-ready-hour", *hour);
    if (!parsed.ok() || *parsed < 0 || *parsed > 23) {
      return UsageError("--bill-ready-hour needs an hour from 0 to 23 (got '" + *hour + "')");
    }
    options.bill_ready_hour = static_cast<int>(*parsed);
  }
  if (auto lifetime = args->Get("bill-url-lifetime")) {
    auto parsed = ParseIntegerOption("bill-url-lifetime", *lifetime);
    if (!parsed.ok() || *parsed < 1 || *parsed > 86400) {
      return UsageError("--bill-url-lifetime needs whole seconds from 1 to 86400 (got '" +
                        *lifetime + "')");
    }
    options.bill_url_lifetime = std::chrono::seconds(*parsed);
  }

  sandbox::TokenOptions token;
  if (auto ttl = args->Get("gateway-token-ttl")) {
    auto parsed = ParseIntegerOption("gateway-token-ttl", *ttl);
    if (!parsed.ok() || *parsed < 2 || *parsed > 7 * 86400) {
      return UsageError("--gateway-token-ttl needs whole seconds from 2 to 604800 (got '" + *ttl +
                        "')");
    }
    token.ttl = std::chrono::seconds(*parsed);
  }

  // Block the stop signals (and SIGPIPE) before any thread starts: every sandbox thread
  // inherits the mask, so the signals wait for sigwait() below instead of killing the process
  // in the middle of a write.
  BlockStopSignals();
  sigset_t const stop_signals = internal::SignalSet({SIGINT, SIGTERM});

  sandbox::Sandbox emulator(options);
  if (auto status = emulator.Start(); !status.ok()) return Fail(status);
  // The state folder's port was taken: every configuration written for it (recorded in the
  // folder, from this start or an earlier one) is written again with the new URL.
  std::vector<std::string> rewritten;
  auto const previous_port = emulator.previous_port();
  bool const port_changed = previous_port && *previous_port != emulator.port();
  if (port_changed) {
    auto result = emulator.RewriteWrittenConfigs();
    rewritten = std::move(result.written);
    for (auto const& [path, status] : result.failed) {
      std::cerr << "error: could not rewrite " << path << " for the new port: " << status.message()
                << std::endl;
    }
  }
  auto const config_path = args->Get("write-config");
  if (config_path) {
    if (auto status = emulator.WriteClientConfig(*config_path); !status.ok()) return Fail(status);
  }
  auto const gateway_path = args->Get("write-gateway-config");
  if (gateway_path) {
    if (auto status = emulator.WriteGatewayClientConfig(*gateway_path, token); !status.ok()) {
      return Fail(status);
    }
  }
  std::cout << "listening on " << emulator.BaseUrl() << std::endl;
  if (port_changed) {
    for (auto const* path : {&config_path, &gateway_path}) {
      if (*path && std::find(rewritten.begin(), rewritten.end(), AbsolutePathOf(**path)) ==
                       rewritten.end()) {
        rewritten.push_back(AbsolutePathOf(**path));
      }
    }
    std::string files;
    for (auto const& path : rewritten) files += (files.empty() ? "" : ", ") + path;
    std::cerr << "port " << *previous_port << " (kept in the state folder) is not free: now "
              << emulator.port() << "; "
              << (files.empty() ? std::string("no configuration file to rewrite")
                                : "configuration files rewritten for the new port: " + files)
              << std::endl;
  }
  auto const& identity = emulator.identity();
  std::cerr << "state: " << identity.state_dir
            << (options.state_dir.empty() ? " (temporary, removed at exit)" : "") << "\n";
  if (!identity.ca_file.empty()) std::cerr << "CA: " << identity.ca_file << "\n";
  if (config_path) std::cerr << "client configuration: " << *config_path << "\n";
  if (gateway_path) {
    std::cerr << "gateway client configuration: " << *gateway_path << " (token renewed every "
              << token.ttl.count() / 2 << " s)\n";
  }
  std::cerr << "key mode: " << sandbox::KeyModeName(emulator.key_mode()) << "\n";
  std::cerr << "merchant " << identity.merchant_id << ", appid " << identity.app_id
            << "; control API: " << emulator.BaseUrl() << "/sandbox/v1/" << std::endl;

  // Wait for a stop signal. With a gateway configuration, wake up at half the token's lifetime
  // and write the file again with a new token: a CLI or a client reading it never meets an
  // expired token while the sandbox runs (older tokens stay valid until their own expiry).
  int signal_number = 0;
  auto const renew_every = std::chrono::seconds(std::max<std::int64_t>(1, token.ttl.count() / 2));
  while (true) {
    if (!gateway_path) {
      if (sigwait(&stop_signals, &signal_number) == 0) break;
      continue;
    }
    timespec const wait{static_cast<time_t>(renew_every.count()), 0};
    int const received = sigtimedwait(&stop_signals, nullptr, &wait);
    if (received > 0) {
      signal_number = received;
      break;
    }
    if (errno != EAGAIN) continue;  // EINTR: wait again
    if (auto status = emulator.WriteGatewayClientConfig(*gateway_path, token); !status.ok()) {
      std::cerr << "error: could not renew the gateway configuration's token: " << status.message()
                << std::endl;
    }
  }
  emulator.Stop();
  std::cerr << "stopped (signal " << signal_number << ")" << std::endl;
  return kExitOk;
}

}  // namespace wechatpay::cli
