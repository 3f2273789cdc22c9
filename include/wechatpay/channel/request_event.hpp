// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file request_event.hpp
/// The per-request event a client reports to ClientOptions::on_request: one event per attempt
/// of an API call, the last one flagged `final`, so that an application counts calls, attempts,
/// retries and latencies (Prometheus, OpenTelemetry, ...) without double counting.
///
/// Counting rules:
/// - calls: the events with `final` set (exactly one per call that reaches the channel, also
///   for a call that fails before anything is sent, or is cancelled while it waits for a
///   retry: then `attempt` is 0; a request refused by the client's input validation reports
///   nothing);
/// - attempts: the events with `attempt` > 0;
/// - retries: the events whose `retry` is RetryDecision::kRetrying;
/// - call latency: `call_latency` of final events; attempt latency: `attempt_latency` of every
///   event with `attempt` > 0.
///
/// An event never holds a secret: no Authorization header, no token, no key, no request or
/// response body, and the path's query values are masked (`?mchid=*`).

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "wechatpay/export.hpp"
#include "wechatpay/status.hpp"

namespace wechatpay {

/// What the call did after an attempt.
enum class RetryDecision {
  /// The attempt succeeded: nothing to retry.
  kNone,
  /// The attempt failed in a way that is safe to repeat; the same request is sent again after
  /// RequestEvent::retry_delay.
  kRetrying,
  /// The failure is not retried for this operation (a business error, a write whose outcome
  /// is unknown, a failure before sending, ...).
  kNotRetryable,
  /// Retryable, but RetryOptions::max_retries retries were made already.
  kOutOfRetries,
  /// Retryable, but the call's time (Timeouts::total, CallOptions) leaves no room for a retry.
  kOutOfTime,
};

/// The stable, lower-case name of a decision: "none", "retrying", "not_retryable",
/// "out_of_retries", "out_of_time".
WECHATPAY_EXPORT std::string_view RetryDecisionName(RetryDecision decision);

/// One attempt of an API call, as reported to ClientOptions::on_request. Valid only during the
/// hook's call: copy what you keep.
struct WECHATPAY_EXPORT RequestEvent {
  /// The operation, a stable lower-case name: "native_prepay", "query_order_by_out_trade_no",
  /// "query_order_by_id", "close_order", "create_refund", "query_refund",
  /// "download_certificates", "trade_bill", "fund_flow_bill", "download_bill",
  /// "apply_abnormal_refund", "request_read" and "request_write" (NativePayClient::Request()
  /// with GET and with another method).
  std::string_view operation;
  /// The HTTP method sent ("GET", "POST"); empty when nothing was sent.
  std::string method;
  /// The path of the URL sent, with every query value replaced by `*`
  /// (`/v3/pay/transactions/out-trade-no/A1?mchid=*`); through the CloudBase gateway, the
  /// function's path. Empty when nothing was sent. It holds order numbers: do not use it as a
  /// metrics label (use `operation`).
  std::string path;
  /// The host the attempt was sent to (`api.mch.weixin.qq.com`; through the gateway, the
  /// gateway's); empty when nothing was sent.
  std::string host;
  /// True when the attempt went to the backup domain (MerchantConfig::backup_base_url) after
  /// an earlier attempt of the call failed on the primary.
  bool backup_host = false;
  /// 1 for the first attempt, 2 for the first retry, ...; 0 for an event that made no attempt:
  /// a call that failed before its first attempt (a negative timeout, a deadline already
  /// passed), or the final event of a call cancelled before its next attempt
  /// (CallOptions::cancellation).
  int attempt = 0;
  /// True on the call's last event, which carries the call's outcome and `call_latency`.
  bool final = false;
  /// The HTTP status of the attempt's answer; 0 when no answer arrived.
  int http_status = 0;
  /// WeChat's (or the gateway's, pay-common's) error code, e.g. "ORDER_NOT_EXIST"; empty on
  /// success and when the failure carried none.
  std::string service_code;
  /// The answer's Request-ID (through the gateway: WeChat's when passed through, else the
  /// gateway's); printable and at most 128 bytes. Empty when none.
  std::string request_id;
  /// Time the attempt took (signing, sending, receiving, verifying), without backoff waits.
  std::chrono::microseconds attempt_latency{0};
  /// Final event only: the call's time from its start to this event, attempts and backoff
  /// waits included; zero on the other events.
  std::chrono::microseconds call_latency{0};
  /// Bytes of the request body sent (summed when the gateway resent it with a fresh token).
  std::size_t request_bytes = 0;
  /// Bytes of the answer's body received (summed likewise).
  std::size_t response_bytes = 0;
  /// What the call did after this attempt; kNone on success.
  RetryDecision retry = RetryDecision::kNone;
  /// With RetryDecision::kRetrying: the backoff wait before the next attempt.
  std::chrono::milliseconds retry_delay{0};
  /// The attempt's result code (on the final event: the call's); StatusCode::kOk on success.
  StatusCode code = StatusCode::kOk;
  /// True when this failure is a write's unknown outcome (ErrorInfo::outcome_unknown).
  bool outcome_unknown = false;
  /// The outcome as one label: "OK", "OUTCOME_UNKNOWN" (when `outcome_unknown`), or else
  /// StatusCodeName(code) ("SERVICE_ERROR", "TRANSPORT", "DEADLINE_EXCEEDED", ...).
  std::string_view outcome = "OK";
};

/// Receives the events of a client's calls (ClientOptions::on_request). Called on the thread
/// making the call, synchronously, after each attempt: a client shared by several threads calls
/// it concurrently, so it must be thread-safe, and it should be quick (it delays the call). An
/// exception it throws is caught and ignored: the hook cannot break a call.
using RequestEventHook = std::function<void(RequestEvent const&)>;

}  // namespace wechatpay
