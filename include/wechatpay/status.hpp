// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file status.hpp
/// The error model: every fallible operation returns a Status or a StatusOr<T>; no exception
/// crosses the public API unless the caller asks for one with StatusOr<T>::value().

#include <stdexcept>
#include <string>
#include <string_view>
#include "wechatpay/export.hpp"

namespace wechatpay {

/// What went wrong, grouped by what the caller should do about it.
enum class StatusCode {
  /// Success.
  kOk = 0,
  /// The input broke a rule (ErrorInfo::field names it). Nothing was sent.
  kInvalidArgument,
  /// The configuration is unusable: a missing credential, a PEM that does not parse, an APIv3
  /// key that is not 32 bytes, ... (ErrorInfo::field names the setting). Nothing was sent.
  kConfiguration,
  /// Could not reach the service: DNS, connect, TLS, or the connection dropped. When
  /// ErrorInfo::outcome_unknown is set the request may have been applied: query before
  /// retrying with *the same* out_trade_no / out_refund_no.
  kTransport,
  /// The call timed out. For a POST the outcome is unknown (ErrorInfo::outcome_unknown): query
  /// by out_trade_no / out_refund_no before retrying with the same parameters.
  kDeadlineExceeded,
  /// The payment service answered with an error: ErrorInfo carries WeChat's code, message,
  /// detail, the HTTP status and the Request-ID.
  kServiceError,
  /// The CloudBase gateway refused the access token (401/403: missing, anonymous or expired).
  kUnauthenticated,
  /// A response or notification failed verification: missing signature headers, timestamp
  /// skew of 300 s or more, unknown serial, wrong signature or a `WECHATPAY/SIGNTEST/` probe
  /// (ErrorInfo::verification_failure tells which). Its body must not be trusted.
  kVerificationFailed,
  /// AES-256-GCM decryption failed: wrong key, nonce, associated data, or tampered data.
  kDecryptionFailed,
  /// A verified answer did not have the documented shape, or an answer broke a size limit
  /// (a response body or headers over the transport's limit, a notification body over
  /// `max_body_bytes`; ErrorInfo::field says which). Never retried: it would fail again.
  kMalformedResponse,
  /// The operation was cancelled by the caller.
  kCancelled,
  /// A bug or an unexpected library failure.
  kInternal,
  /// The operation is not implemented by this channel (the default body of every
  /// NativePayChannel operation, so a channel written before an operation was added still
  /// compiles and answers). Nothing was sent.
  kUnimplemented,
  /// A service the operation needs (the ledger's database) cannot be reached or cannot take the
  /// write now: locked beyond the busy timeout, disk full, read-only, connection lost; or what
  /// is asked for is not there yet (a bill still being generated, WeChat's STATEMENT_CREATING,
  /// kept in ErrorInfo::service_code). Nothing was applied; retrying later is safe.
  kUnavailable,
  /// The operation lost a conflict with a concurrent one (a serialization failure or deadlock
  /// that persisted through the bounded retries). Nothing was applied; retrying is safe.
  kAborted,
  /// The record exists with other terms (ErrorInfo::field names the first that differs): the
  /// ledger's same out_trade_no or out_refund_no with another amount or description, or an
  /// order that has already ended. Nothing was changed or sent.
  kAlreadyExists,
};

/// The stable, upper-case name of a code, e.g. "INVALID_ARGUMENT".
WECHATPAY_EXPORT std::string_view StatusCodeName(StatusCode code);

/// Which verification check failed (StatusCode::kVerificationFailed only).
enum class VerificationFailure {
  /// Not a verification failure.
  kNone = 0,
  /// One of Wechatpay-Timestamp, -Nonce, -Signature or -Serial is absent (a 2xx without them
  /// is forged).
  kMissingHeaders,
  /// Wechatpay-Timestamp is not a decimal number of seconds.
  kInvalidTimestamp,
  /// |now - Wechatpay-Timestamp| >= the tolerance (300 s by default).
  kTimestampSkew,
  /// Wechatpay-Serial names no configured public key or certificate.
  kUnknownSerial,
  /// The signature does not match the message.
  kSignatureMismatch,
  /// The signature is a `WECHATPAY/SIGNTEST/` probe that WeChat sends to check that merchants
  /// really verify; it is never valid.
  kSignTestProbe,
};

/// The stable name of a verification failure, e.g. "TIMESTAMP_SKEW".
WECHATPAY_EXPORT std::string_view VerificationFailureName(VerificationFailure failure);

/// Structured facts about an error. Never holds a secret.
struct WECHATPAY_EXPORT ErrorInfo {
  /// HTTP status of the answer, 0 when there was none.
  int http_status = 0;
  /// WeChat's error `code` (e.g. "ORDER_NOT_EXIST"), or the gateway/pay-common code.
  std::string service_code;
  /// WeChat's human-readable `message` (or pay-common's `msg`).
  std::string service_message;
  /// WeChat's `detail` object as raw JSON text, empty when absent.
  std::string detail;
  /// The `Request-ID` response header; WeChat support asks for it. Through the CloudBase
  /// gateway: WeChat's Request-ID when pay-common passed WeChat's error through with it, else
  /// the gateway's request id (so there is always an id to quote).
  std::string request_id;
  /// For invalid argument and configuration errors: the field or setting that broke a rule.
  std::string field;
  /// For verification failures: which check failed.
  VerificationFailure verification_failure = VerificationFailure::kNone;
  /// True when the request may have reached the service and been applied, so its outcome is
  /// unknown: query before retrying, and retry only with identical parameters.
  bool outcome_unknown = false;
  /// The transport's own error number (a CURLcode for the curl transport), 0 when none.
  int transport_code = 0;
  /// CloudBase gateway only: the gateway's request id (`X-Request-Id`, or `requestId` of its
  /// error body), which CloudBase support asks for; empty with the direct backend. Braced
  /// default so that positional initialisers written before it stay warning-free.
  std::string gateway_request_id{};
};

/// The result of an operation that returns no value: OK, or a code, a message and ErrorInfo.
///
/// @par Thread Safety
/// Immutable after construction; safe to share between threads.
class WECHATPAY_EXPORT Status {
 public:
  /// An OK status.
  Status() = default;
  /// An error status. `message` must not contain secrets.
  Status(StatusCode code, std::string message, ErrorInfo info = {});

  /// True for success.
  bool ok() const noexcept { return code_ == StatusCode::kOk; }
  /// The category.
  StatusCode code() const noexcept { return code_; }
  /// A one-line description naming the reason (field and rule, WeChat code, ...).
  std::string const& message() const noexcept { return message_; }
  /// Structured details.
  ErrorInfo const& info() const noexcept { return info_; }
  /// `CODE_NAME: message`, plus HTTP status and Request-ID when known.
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  ErrorInfo info_;
};

/// The exception thrown by StatusOr<T>::value() when it holds an error.
class WECHATPAY_EXPORT RuntimeStatusError : public std::runtime_error {
 public:
  /// Wraps `status`; what() returns status.ToString().
  explicit RuntimeStatusError(Status status);
  /// The error that was thrown.
  Status const& status() const noexcept { return status_; }

 private:
  Status status_;
};

}  // namespace wechatpay
