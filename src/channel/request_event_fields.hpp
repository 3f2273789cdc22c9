// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// What the call pipeline gathers for ClientOptions::on_request (wechatpay/channel/
// request_event.hpp): the facts of one attempt's exchange, recorded by CallPipeline::Send(),
// and the event built from them. Only with a hook: without one nothing here runs.

#include <cstddef>
#include <string>
#include <string_view>

#include "channel/call_outcome.hpp"
#include "wechatpay/channel/request_event.hpp"
#include "wechatpay/status.hpp"

namespace wechatpay::internal {

/// The exchange of one attempt as CallPipeline::Send() saw it (the last one when an attempt
/// sends twice, bytes summed).
struct AttemptRecord {
  std::string method;
  /// PathForEvent() of the URL sent.
  std::string path;
  /// The host of the URL sent (never user info: service URLs refuse it).
  std::string host;
  /// True when the attempt went to the backup domain.
  bool backup_host = false;
  int http_status = 0;
  /// The answer's id header (Request-ID, or the gateway's X-Request-Id), printable, bounded.
  std::string request_id;
  std::size_t request_bytes = 0;
  std::size_t response_bytes = 0;
};

/// The stable lower-case name of an operation ("native_prepay", ...).
std::string_view OperationName(Operation operation);

/// The path of `url` (an absolute URL or a request target) with every query value replaced by
/// `*` and any fragment dropped: query values may carry identifiers and, for endpoints the
/// client does not wrap, anything else, so none reaches an event.
std::string PathForEvent(std::string_view url);

/// The event of one attempt: `record`'s exchange, `status`'s outcome (already through
/// ApplyOutcome()). For a failure, ErrorInfo's HTTP status and Request-ID are used when the
/// record has none (through the gateway, WeChat's passed-through Request-ID wins).
RequestEvent MakeRequestEvent(Operation operation, AttemptRecord const& record, int attempt,
                              Status const& status);

}  // namespace wechatpay::internal
