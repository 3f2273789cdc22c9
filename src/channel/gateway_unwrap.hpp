// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Reading one answer of the CloudBase gateway in front of pay-common (docs/protocol.md,
// "Answers" and "Gateway errors"): a pure function of the HTTP response, so that every shape is
// unit-tested and the function can be fuzzed. It knows nothing of tokens, retries or which
// operation was called; it says what the answer means (its class in the retry table) and leaves
// the decisions to the call pipeline.
//
// The shapes, outermost first:
//   gateway error        HTTP 4xx/5xx  {"code":"ACCESS_TOKEN_EXPIRED","message":…,"requestId":…}
//   pay-common failure   HTTP 400/401/404 {"code":-1,"msg":…,"data":null}
//   pay-common answer    HTTP 200 {"code":0,"msg":"success","data":{"status":S,"data":WECHAT}}
//     S 2xx (not 202)    success; WECHAT is the payload (absent for close's 204)
//     S 202 or ≥ 300     WeChat's error passed through, with `error` (WeChat's raw body as a
//                        string) and/or `errRaw` (the serialised superagent error) — a
//                        service error, never a success
//     S absent + errRaw  pay-common's call to WeChat failed without an HTTP answer

#include <chrono>
#include <string>

#include "channel/retry_table.hpp"
#include "wechatpay/http/types.hpp"
#include "wechatpay/models.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay::internal {

/// A successful answer.
struct GatewayPayload {
  /// WeChat's object (the inner `data`) as compact JSON; empty when pay-common sent none (close).
  std::string json;
  /// http_status = WeChat's status (200, 204); request_id = gateway_request_id = the gateway's
  /// request id (pay-common does not pass WeChat's Request-ID on success).
  ResponseMetadata meta;
};

/// What one answer means.
struct GatewayOutcome {
  /// The payload, or the error with every fact (codes, messages, HTTP status, request ids).
  StatusOr<GatewayPayload> result;
  /// For an error: its row in the retry table (retry_table.hpp). Mostly
  /// ClassifyStatus(result.status()); the shapes only this reader can tell apart name their
  /// own: the gateway's 429 (kGatewayRateLimited: the function was not invoked) and
  /// pay-common's failure after its WeChat call (kFailedAfterCall).
  FailureClass failure = FailureClass::kLocal;
  /// The gateway itself answered 401 (not pay-common): a fresh token may help.
  bool token_rejected = false;
  /// The server's Retry-After hint, zero when none.
  std::chrono::milliseconds retry_after{0};
};

/// Reads one gateway answer. Never fails in any other way than through `result`; bodies of any
/// size, nesting or encoding are handled (nesting deeper than 64 levels is malformed).
GatewayOutcome UnwrapGatewayResponse(HttpResponse const& response);

/// The phrase every authentication failure ends with, so users know what to fix.
inline constexpr char kAuthenticatedLoginRequired[] =
    "an authenticated (non-anonymous) CloudBase login is required: give the access token of a "
    "signed-in user (gateway.accessToken, WECHATPAY_ACCESS_TOKEN or a token provider)";

}  // namespace wechatpay::internal
