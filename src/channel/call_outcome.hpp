// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The one place that turns a failed write into an "outcome unknown" error, for both backends.
// A write (order, close, refund) whose request may have been applied must never be reported
// without ErrorInfo::outcome_unknown: a caller that takes such an error for "nothing happened"
// and retries under a new out_trade_no or out_refund_no pays or refunds twice.

#include <string_view>

#include "channel/retry_table.hpp"
#include "wechatpay/models.hpp"
#include "wechatpay/status.hpp"

namespace wechatpay::internal {

/// The operations of a channel.
enum class Operation {
  kNativePrepay,
  kQueryOrderByOutTradeNo,
  kQueryOrderById,
  kCloseOrder,
  kCreateRefund,
  kQueryRefund,
  /// POST …/refunds/{refund_id}/apply-abnormal-refund: a write (money leaves again).
  kApplyAbnormalRefund,
  /// GET /v3/certificates (PlatformKeys): a read.
  kDownloadCertificates,
  /// GET /v3/bill/tradebill: a read (applying for a bill changes nothing).
  kTradeBill,
  /// GET /v3/bill/fundflowbill: a read.
  kFundFlowBill,
  /// GET of a bill's download_url: a read, repeated only while none of the file has reached
  /// the caller (FailureClass::kDeliveredInPart).
  kDownloadBill,
  /// NativePayClient::Request() with GET: a read.
  kApiRead,
  /// NativePayClient::Request() with any other method: a write.
  kApiWrite,
};

/// True for the operations that change state (order, close, refund, abnormal refund); queries are
/// reads, even when a backend sends them as an HTTP POST.
bool IsWrite(Operation operation);

/// What a caller must do when a write's outcome is unknown, e.g. "query the order by
/// out_trade_no before ordering again with the same parameters"; empty for reads.
std::string_view UnknownOutcomeAdvice(Operation operation);

/// `status` with ErrorInfo::outcome_unknown set and "; the outcome is unknown: <advice>"
/// appended to its message.
Status WithUnknownOutcome(Status const& status, Operation operation);

/// `status` with ErrorInfo::outcome_unknown cleared (a failure that provably changed nothing,
/// or a read).
Status WithKnownOutcome(Status const& status);

/// `failed` as reported for `operation` after a failure whose row is `rule`: a write is
/// unknown when the row says so or the transport said the request may have arrived; anything
/// else is known.
Status ApplyOutcome(Status const& failed, Operation operation, RetryRule const& rule);

/// The error for an answer that the service sent with a 2xx status (and that was verified,
/// where the backend verifies) but that cannot be mapped: empty, trailing bytes, a missing or
/// mistyped member. `parse_error` is the mapping's error; the answer's metadata is added. The
/// service has applied the request, so for a write the outcome is unknown (table row
/// kUnreadableAnswer).
Status UnmappedAnswer(Status const& parse_error, ResponseMetadata const& meta, Operation operation);

}  // namespace wechatpay::internal
