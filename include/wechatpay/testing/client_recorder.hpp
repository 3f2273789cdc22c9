// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file testing/client_recorder.hpp
/// ClientRecorder: records what a client under test would sleep between retries, and what it
/// logs, instead of sleeping and writing.

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "wechatpay/config.hpp"
#include "wechatpay/testing/export.hpp"

namespace wechatpay::testing {

/// Collects the retry sleeps and the log lines of the clients it is attached to, so a test of
/// retries takes no time and can assert the backoff and the log.
///
/// @par Thread Safety
/// All member functions are safe to call from any thread (a client shared by several threads
/// sleeps and logs from all of them).
class WECHATPAY_TESTING_EXPORT ClientRecorder {
 public:
  ClientRecorder() = default;
  ClientRecorder(ClientRecorder const&) = delete;
  ClientRecorder& operator=(ClientRecorder const&) = delete;

  /// Points `options.sleep` and `options.logger` at this recorder, which must outlive every
  /// client built with these options.
  void Attach(ClientOptions& options);

  /// The sleeps requested so far, oldest first.
  std::vector<std::chrono::milliseconds> sleeps() const;
  /// The log lines written so far, oldest first.
  std::vector<std::string> log() const;
  /// Forgets the sleeps and log lines recorded so far.
  void Clear();

 private:
  mutable std::mutex mu_;  // guards everything below
  std::vector<std::chrono::milliseconds> sleeps_;
  std::vector<std::string> log_;
};

}  // namespace wechatpay::testing
