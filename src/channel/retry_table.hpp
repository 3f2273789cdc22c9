// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The one retry table: what kind of failure ended an attempt, whether the identical request may
// be sent again (for a read, for a write), and whether a write that failed this way leaves its
// outcome unknown. Both channels' call pipeline and the payment watcher decide with it, so the
// same failure gets the same decision everywhere.

#include "wechatpay/status.hpp"

namespace wechatpay::internal {

/// Where and how an attempt failed; one row of the table each.
enum class FailureClass {
  /// Before anything was sent: signing, the token provider, a bad argument or configuration,
  /// a deadline already passed.
  kLocal,
  /// The transport failed and the request provably never reached the server (DNS, connect,
  /// TLS handshake: the transport leaves ErrorInfo::outcome_unknown unset).
  kNotDelivered,
  /// The request may have reached the server but no answer came back: a timeout or dropped
  /// connection after sending, or (through the gateway) pay-common's call to WeChat failed
  /// without an HTTP answer.
  kNoAnswer,
  /// HTTP 202 or USER_PAYING: accepted but not processed; WeChat asks for the same request.
  kNotProcessed,
  /// WeChat's HTTP 429, FREQUENCY_LIMITED or RATELIMIT_EXCEEDED.
  kRateLimited,
  /// The CloudBase gateway's own 429: it refused before invoking the function.
  kGatewayRateLimited,
  /// HTTP 5xx, SYSTEM_ERROR, BANK_ERROR or SERVICE_UNAVAILABLE (WeChat or the gateway).
  kServerError,
  /// Any other error answer: a 4xx business error, a refused token (401/403).
  kRefused,
  /// pay-common's own failure (`code:-1`) after it may have called WeChat.
  kFailedAfterCall,
  /// A 2xx whose Wechatpay-Signature is a `WECHATPAY/SIGNTEST/` probe.
  kSignTestProbe,
  /// A 2xx that failed verification in any other way (unsigned, tampered, stale, unknown key).
  kUntrustedAnswer,
  /// A 2xx (verified where the backend verifies) that cannot be read or mapped, or an answer
  /// over the transport's size limits.
  kUnreadableAnswer,
  /// A streamed answer (a bill file) failed after some of its bytes had reached the caller's
  /// sink, whatever the failure: sending again would hand the caller those bytes twice.
  kDeliveredInPart,
};

/// One row: what to do after a failure of that class.
struct RetryRule {
  /// Repeat a read (a query) within the same call.
  bool retry_read = false;
  /// Repeat a write (order, close, refund) within the same call.
  bool retry_write = false;
  /// A write that ends with this failure may have been applied: report
  /// ErrorInfo::outcome_unknown.
  bool write_outcome_unknown = false;
  /// A later, separate call (the payment watcher's next query) may succeed. The same as
  /// retry_read except for a SIGNTEST probe, which is not re-requested at once but is
  /// expected to pass later.
  bool retry_later = false;
  /// With a backup domain configured (MerchantConfig::backup_base_url), a read that failed
  /// this way is repeated once on the backup host instead of the primary.
  bool failover_read = false;
  /// The same for a write: only where the request provably never reached WeChat, so nothing
  /// can have been applied whichever host answers next.
  bool failover_write = false;
};

/// The row of `failure`.
RetryRule RuleFor(FailureClass failure);

/// The class of a failure from its Status alone: its code, ErrorInfo::outcome_unknown (for
/// transport failures), HTTP status and WeChat code, verification failure. What the channels
/// use for every failure they can describe by a Status, and what the payment watcher uses.
/// (The gateway reader names two classes a Status cannot carry: kGatewayRateLimited and
/// kFailedAfterCall; for a read they decide as kRateLimited and kRefused do.)
FailureClass ClassifyStatus(Status const& status);

/// True when a later, separate read may succeed: RuleFor(ClassifyStatus(status)).retry_later.
/// An OK status is not transient.
bool IsTransient(Status const& status);

}  // namespace wechatpay::internal
