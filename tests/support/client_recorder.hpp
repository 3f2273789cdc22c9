// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// What a client under test sleeps between retries and what it logs, recorded instead of done.

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "wechatpay/config.hpp"

namespace wechatpay::testing {

/// Collects the retry sleeps and log lines of the clients it is attached to. A client calls
/// both from every thread that uses it (the sharing tests run four), hence the mutex.
struct ClientRecorder {
  std::mutex mu;  // guards sleeps and log
  std::vector<std::chrono::milliseconds> sleeps;
  std::vector<std::string> log;

  /// Points options.sleep and options.logger here; the recorder must outlive the client.
  void Attach(ClientOptions& options) {
    options.sleep = [this](std::chrono::milliseconds d) {
      std::lock_guard<std::mutex> lock(mu);
      sleeps.push_back(d);
    };
    options.logger = [this](LogLevel, std::string_view line) {
      std::lock_guard<std::mutex> lock(mu);
      log.emplace_back(line);
    };
  }
};

}  // namespace wechatpay::testing
