// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The control API under /sandbox/v1/ (what a phone and a test need, docs/sandbox.md) and the same
// operations as C++ calls, so that Sandbox's programmatic API and the HTTP one cannot drift
// apart. Plus the notify sink: the sandbox's own callback receiver.

#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "control/faults.hpp"
#include "gateway/token_store.hpp"
#include "http/exchange.hpp"
#include "http/stats.hpp"
#include "state/clock.hpp"
#include "state/order_book.hpp"
#include "v3/callback_sender.hpp"
#include "v3/signing_keys.hpp"
#include "wechatpay/sandbox/sandbox.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay::sandbox::internal {

/// The control API's path prefix.
inline constexpr char kControlPrefix[] = "/sandbox/v1/";

/// Records what the notify sink receives.
///
/// @par Thread Safety
/// Safe from many threads.
class NotifySink {
 public:
  /// Keeps the delivery (the newest 1000).
  void Record(Inbound const& request);
  /// {"notifications":[{received_at, headers{...}, body}]}
  std::string ListJson() const;
  /// The bodies, oldest first.
  std::vector<std::string> Bodies() const;

 private:
  struct Entry {
    std::string received_at;
    std::string headers_json;
    std::string body;
  };
  mutable std::mutex mu_;
  std::deque<Entry> entries_;
};

/// The control API.
///
/// @par Thread Safety
/// Safe from many threads.
class ControlApi {
 public:
  ControlApi(OrderBook& orders, CallbackSender& callbacks, FaultRegistry& faults,
             TokenStore& tokens, StatsCounters& stats, NotifySink& sink, SigningKeys& keys,
             SandboxClock& clock, std::string identity_json)
      : orders_(orders),
        callbacks_(callbacks),
        faults_(faults),
        tokens_(tokens),
        stats_(stats),
        sink_(sink),
        keys_(keys),
        clock_(clock),
        identity_json_(std::move(identity_json)) {}

  /// Answers a request under /sandbox/v1/.
  Answer Handle(Inbound const& request);

  /// The operations, as Sandbox exposes them.
  std::string CreateToken(TokenOptions const& options);
  StatusOr<std::string> Pay(std::string const& out_trade_no, PayOptions const& options);
  StatusOr<std::string> Fail(std::string const& out_trade_no);
  StatusOr<std::string> View(std::string const& out_trade_no) const;
  StatusOr<std::string> Scan(std::string const& out_trade_no);
  /// PROCESSING → `status` (ABNORMAL or CLOSED), its REFUND.* callback sent.
  StatusOr<std::string> EndRefund(std::string const& out_refund_no, std::string const& status);
  /// The next `count` (≥ 1) new refunds answer 403 NOT_ENOUGH.
  Status RefuseNextRefunds(int count);
  /// Moves the sandbox clock forward by `by`. Errors: kInvalidArgument (`by` negative).
  Status AdvanceClock(std::chrono::seconds by);
  /// `{"now","offset_seconds"}`: the sandbox clock, RFC 3339 in China Standard Time.
  std::string ClockJson() const;

 private:
  Answer Route(Inbound const& request, std::string const& rest);
  Answer Tokens(Inbound const& request);
  Answer Faults(Inbound const& request);
  // refunds/not-enough and refunds/{out_refund_no}/abnormal|close.
  Answer Refunds(Inbound const& request, std::string const& rest);
  Answer Outcome(ControlOutcome const& outcome);
  // certificates, certificates/rotate, certificates/share.
  Answer Certificates(Inbound const& request, std::string const& rest);

  OrderBook& orders_;
  CallbackSender& callbacks_;
  FaultRegistry& faults_;
  TokenStore& tokens_;
  StatsCounters& stats_;
  NotifySink& sink_;
  SigningKeys& keys_;
  SandboxClock& clock_;
  std::string identity_json_;
};

}  // namespace wechatpay::sandbox::internal
