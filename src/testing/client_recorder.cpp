// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/testing/client_recorder.hpp"

#include <string_view>

namespace wechatpay::testing {

void ClientRecorder::Attach(ClientOptions& options) {
  options.sleep = [this](std::chrono::milliseconds duration) {
    std::lock_guard<std::mutex> lock(mu_);
    sleeps_.push_back(duration);
  };
  options.logger = [this](LogLevel, std::string_view line) {
    std::lock_guard<std::mutex> lock(mu_);
    log_.emplace_back(line);
  };
}

std::vector<std::chrono::milliseconds> ClientRecorder::sleeps() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sleeps_;
}

std::vector<std::string> ClientRecorder::log() const {
  std::lock_guard<std::mutex> lock(mu_);
  return log_;
}

void ClientRecorder::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  sleeps_.clear();
  log_.clear();
}

}  // namespace wechatpay::testing
