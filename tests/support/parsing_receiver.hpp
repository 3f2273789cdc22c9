// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// A merchant's notify route for the sandbox tests: POST /notify on loopback verifies and
// decrypts each callback with the SDK's NotificationParser (once one is attached), keeps what
// parsed, and answers 204.

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "support/loopback_server.hpp"
#include "wechatpay/notify/parser.hpp"

namespace wechatpay::testing {

class ParsingReceiver {
 public:
  /// Starts listening; throws std::runtime_error when it cannot.
  ParsingReceiver();
  /// Verifies and decrypts with `parser` from now on (before: callbacks are answered, not kept).
  void Attach(NotificationParser parser);
  /// The notify URL: BaseUrl + "/notify".
  std::string Url() const { return server_.BaseUrl() + "/notify"; }
  /// The notifications parsed so far, oldest first.
  std::vector<Notification> Parsed() const;
  /// Their event types (TRANSACTION.SUCCESS, REFUND.SUCCESS, ...), oldest first.
  std::vector<std::string> Events() const;

 private:
  mutable std::mutex mu_;
  std::optional<NotificationParser> parser_;
  std::vector<Notification> parsed_;
  LoopbackServer server_;
};

}  // namespace wechatpay::testing
