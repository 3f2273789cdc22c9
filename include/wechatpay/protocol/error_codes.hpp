// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file error_codes.hpp
/// WeChat Pay's error codes (ErrorInfo::service_code of a StatusCode::kServiceError) that the
/// library and most applications act on, as named constants, and IsServiceError() to test a
/// Status against one. Some codes exist in an older spelling without underscores that WeChat
/// still sends on a few routes (the `…Legacy` constants); test both.

#include <string_view>

#include "wechatpay/status.hpp"

namespace wechatpay::error_codes {

/// WeChat's internal error (HTTP 500): repeat the same request.
inline constexpr std::string_view kSystemError = "SYSTEM_ERROR";
/// kSystemError in its older spelling.
inline constexpr std::string_view kSystemErrorLegacy = "SYSTEMERROR";
/// The bank's system failed (HTTP 500): repeat the same request.
inline constexpr std::string_view kBankError = "BANK_ERROR";
/// The service is unavailable for a moment (HTTP 500/503): repeat later.
inline constexpr std::string_view kServiceUnavailable = "SERVICE_UNAVAILABLE";
/// Too many requests (HTTP 429): repeat later, more slowly.
inline constexpr std::string_view kFrequencyLimited = "FREQUENCY_LIMITED";
/// Rate limit exceeded (HTTP 429): repeat later, more slowly.
inline constexpr std::string_view kRateLimitExceeded = "RATELIMIT_EXCEEDED";
/// The payer is paying right now (HTTP 202, e.g. on a close): ask again shortly.
inline constexpr std::string_view kUserPaying = "USER_PAYING";
/// The order does not exist (HTTP 404).
inline constexpr std::string_view kOrderNotExist = "ORDER_NOT_EXIST";
/// kOrderNotExist in its older spelling.
inline constexpr std::string_view kOrderNotExistLegacy = "ORDERNOTEXIST";
/// The order is paid (HTTP 403): it cannot be closed.
inline constexpr std::string_view kOrderPaid = "ORDER_PAID";
/// kOrderPaid in its older spelling.
inline constexpr std::string_view kOrderPaidLegacy = "ORDERPAID";
/// The order is closed (HTTP 400).
inline constexpr std::string_view kOrderClosed = "ORDER_CLOSED";
/// kOrderClosed in its older spelling.
inline constexpr std::string_view kOrderClosedLegacy = "ORDERCLOSED";
/// The merchant's balance does not cover a refund (HTTP 403).
inline constexpr std::string_view kNotEnough = "NOT_ENOUGH";
/// The refund (or another resource) does not exist (HTTP 404).
inline constexpr std::string_view kResourceNotExists = "RESOURCE_NOT_EXISTS";
/// A parameter broke WeChat's rules (HTTP 400).
inline constexpr std::string_view kParamError = "PARAM_ERROR";
/// The request's signature was refused (HTTP 401).
inline constexpr std::string_view kSignError = "SIGN_ERROR";
/// The merchant lacks the permission (HTTP 403).
inline constexpr std::string_view kNoAuth = "NO_AUTH";
/// A request (or a bill download URL, expired or used) was refused as invalid (HTTP 400): for a
/// bill download, apply for the bill again to get a fresh URL.
inline constexpr std::string_view kInvalidRequest = "INVALID_REQUEST";
/// The bill of that day is still being generated (HTTP 400): not yet, ask again later (bills
/// exist from about 10:00 Beijing time the next day). The client reports it as kUnavailable
/// with this code kept.
inline constexpr std::string_view kStatementCreating = "STATEMENT_CREATING";
/// There is no bill for that day (HTTP 400), e.g. no transaction happened: asking again will
/// not change it.
inline constexpr std::string_view kNoStatementExist = "NO_STATEMENT_EXIST";
/// CloudBase gateway: the access token has expired (HTTP 401).
inline constexpr std::string_view kAccessTokenExpired = "ACCESS_TOKEN_EXPIRED";

}  // namespace wechatpay::error_codes

namespace wechatpay {

/// True when `status` carries WeChat's error `code`: a StatusCode::kServiceError, or the
/// kUnavailable of error_codes::kStatementCreating, whose ErrorInfo::service_code is exactly
/// `code` (e.g. error_codes::kOrderNotExist); false for any other status, OK included.
inline bool IsServiceError(Status const& status, std::string_view code) {
  return (status.code() == StatusCode::kServiceError ||
          status.code() == StatusCode::kUnavailable) &&
         !code.empty() && status.info().service_code == code;
}

}  // namespace wechatpay
