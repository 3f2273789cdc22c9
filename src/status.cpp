// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/status.hpp"

#include <utility>

namespace wechatpay {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "OK";
    case StatusCode::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case StatusCode::kConfiguration:
      return "CONFIGURATION";
    case StatusCode::kTransport:
      return "TRANSPORT";
    case StatusCode::kDeadlineExceeded:
      return "DEADLINE_EXCEEDED";
    case StatusCode::kServiceError:
      return "SERVICE_ERROR";
    case StatusCode::kUnauthenticated:
      return "UNAUTHENTICATED";
    case StatusCode::kVerificationFailed:
      return "VERIFICATION_FAILED";
    case StatusCode::kDecryptionFailed:
      return "DECRYPTION_FAILED";
    case StatusCode::kMalformedResponse:
      return "MALFORMED_RESPONSE";
    case StatusCode::kCancelled:
      return "CANCELLED";
    case StatusCode::kInternal:
      return "INTERNAL";
    case StatusCode::kUnimplemented:
      return "UNIMPLEMENTED";
    case StatusCode::kUnavailable:
      return "UNAVAILABLE";
    case StatusCode::kAborted:
      return "ABORTED";
    case StatusCode::kAlreadyExists:
      return "ALREADY_EXISTS";
  }
  return "UNKNOWN";
}

std::string_view VerificationFailureName(VerificationFailure failure) {
  switch (failure) {
    case VerificationFailure::kNone:
      return "NONE";
    case VerificationFailure::kMissingHeaders:
      return "MISSING_HEADERS";
    case VerificationFailure::kInvalidTimestamp:
      return "INVALID_TIMESTAMP";
    case VerificationFailure::kTimestampSkew:
      return "TIMESTAMP_SKEW";
    case VerificationFailure::kUnknownSerial:
      return "UNKNOWN_SERIAL";
    case VerificationFailure::kSignatureMismatch:
      return "SIGNATURE_MISMATCH";
    case VerificationFailure::kSignTestProbe:
      return "SIGNTEST_PROBE";
  }
  return "UNKNOWN";
}

Status::Status(StatusCode code, std::string message, ErrorInfo info)
    : code_(code), message_(std::move(message)), info_(std::move(info)) {}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out(StatusCodeName(code_));
  out += ": ";
  out += message_;
  if (info_.http_status != 0) out += " (HTTP " + std::to_string(info_.http_status) + ")";
  if (!info_.request_id.empty()) out += " [Request-ID " + info_.request_id + "]";
  return out;
}

RuntimeStatusError::RuntimeStatusError(Status status)
    : std::runtime_error(status.ToString()), status_(std::move(status)) {}

}  // namespace wechatpay
