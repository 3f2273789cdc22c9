// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The one place that turns a failed write into an "outcome unknown" error, for both backends.
// A write (order, close, refund) whose request may have been applied must never be reported
// without ErrorInfo::outcome_unknown: a caller that takes such an error for "nothing happened"
// and retries under a new out_trade_no or out_refund_no pays or refunds twice.

#include <string_view>

#include "wechatpay/models.hpp"
#include "wechatpay/status.hpp"

namespace wechatpay::internal {

/// `status` with ErrorInfo::outcome_unknown set and "; the outcome is unknown: <advice>"
/// appended to its message (`advice` says what to do, e.g. "query the order by out_trade_no
/// before ordering again with the same parameters").
Status WithUnknownOutcome(Status const& status, std::string_view advice);

/// `status` with ErrorInfo::outcome_unknown cleared (a failure that provably changed nothing).
Status WithKnownOutcome(Status const& status);

/// The error for an answer that the service sent with a 2xx status (and that was verified,
/// where the backend verifies) but that cannot be mapped: empty, trailing bytes, a missing or
/// mistyped member. `parse_error` is the mapping's error; the answer's metadata is added. The
/// service has applied the request, so for a write (`advice` non-empty) the outcome is unknown.
Status UnmappedAnswer(Status const& parse_error, ResponseMetadata const& meta,
                      std::string_view advice);

}  // namespace wechatpay::internal
