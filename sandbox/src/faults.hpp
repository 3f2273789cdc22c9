// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Injected faults: the next N requests matching a method and a path regex get one of the
// failures a payment client must survive (SANDBOX.md, control API).

#include <chrono>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <string_view>

#include "wechatpay/sandbox/sandbox.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay::sandbox::internal {

/// What a fault does.
enum class FaultKind {
  kStatus,
  kDelay,
  kDrop,
  kBadSignature,
  kSignTest,
  kNoSignature,
  kStaleTimestamp,
  kWrongSerial,
  kTruncate,
  kEndlessBody,
  kHugeHeader,
};

/// A parsed fault action.
struct FaultAction {
  FaultKind kind = FaultKind::kStatus;
  /// kStatus: the HTTP status to answer.
  int status = 0;
  /// kDelay: how long to wait (real time, not scaled: it stands for the network).
  std::chrono::milliseconds delay{0};
  /// The action as written, e.g. "status:500".
  std::string text;
};

/// Parses `status:CODE` (202 or 400–599), `delay:MS` (0–600000), `drop`, `bad-signature`,
/// `signtest`, `no-signature`, `stale-timestamp`, `wrong-serial`, `truncate`, `endless-body`,
/// `huge-header`.
/// Errors: kInvalidArgument naming the action.
StatusOr<FaultAction> ParseFaultAction(std::string_view text);

/// The pending faults, matched first-added first.
///
/// @par Thread Safety
/// Every member function is safe from many threads.
class FaultRegistry {
 public:
  /// Adds a fault; returns its id. Errors: kInvalidArgument (action, regex, count).
  StatusOr<std::int64_t> Add(Fault const& fault);
  /// Removes every fault.
  void Clear();
  /// Takes one use of the first fault matching `method` and `path`, if any.
  std::optional<FaultAction> Take(std::string_view method, std::string const& path);
  /// The pending faults as JSON: {"faults":[{id,method,path,action,remaining}]}.
  std::string ListJson() const;

 private:
  struct Entry {
    std::int64_t id = 0;
    std::string method;
    std::string path;
    std::regex regex;
    FaultAction action;
    int remaining = 0;
  };
  mutable std::mutex mu_;
  std::list<Entry> entries_;
  std::int64_t next_id_ = 1;
};

}  // namespace wechatpay::sandbox::internal
