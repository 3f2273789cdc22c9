// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Injected faults: the next N requests matching a method and a path regex get one of the
// failures a payment client must survive (docs/sandbox.md, "Faults").

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
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
  /// The bill file an application or a download produces has one byte changed after its
  /// digest was computed.
  kCorruptBill,
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
/// `huge-header`, `corrupt-bill`.
/// Errors: kInvalidArgument naming the action.
StatusOr<FaultAction> ParseFaultAction(std::string_view text);

/// The pending faults, matched first-added first.
///
/// Every request of the faultable paths is matched against the pending faults' path patterns,
/// so a pattern must not be able to stall them: patterns run outside the registry's lock (one
/// slow match never holds up the other requests), with libstdc++'s polynomial-time matcher
/// (back-references refused) so that no pattern backtracks exponentially, and both the pattern
/// and the path matched are bounded in length.
///
/// @par Thread Safety
/// Every member function is safe from many threads.
class FaultRegistry {
 public:
  /// The longest path pattern, in bytes.
  static constexpr std::size_t kMaxPatternBytes = 256;
  /// Longer request paths are matched by the faults without a path pattern only. (WeChat's v3
  /// paths are at most about 130 bytes.)
  static constexpr std::size_t kMaxMatchedPathBytes = 256;
  /// The most faults pending at once.
  static constexpr std::size_t kMaxPending = 100;

  /// Adds a fault; returns its id. Errors: kInvalidArgument (action, regex, count, pattern
  /// length, too many pending).
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
    std::regex regex;  // immutable once added: matched without the lock
    FaultAction action;
    int remaining = 0;  // guarded by mu_; 0 once used up or cleared
  };
  mutable std::mutex mu_;
  std::list<std::shared_ptr<Entry>> entries_;
  std::int64_t next_id_ = 1;
};

}  // namespace wechatpay::sandbox::internal
