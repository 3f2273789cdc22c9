// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "channel/call_outcome.hpp"

#include <string>
#include <utility>

namespace wechatpay::internal {

Status WithUnknownOutcome(Status const& status, std::string_view advice) {
  ErrorInfo info = status.info();
  info.outcome_unknown = true;
  std::string message = status.message();
  message += "; the outcome is unknown: ";
  message += advice;
  return Status(status.code(), std::move(message), std::move(info));
}

Status WithKnownOutcome(Status const& status) {
  if (!status.info().outcome_unknown) return status;
  ErrorInfo info = status.info();
  info.outcome_unknown = false;
  return Status(status.code(), status.message(), std::move(info));
}

Status UnmappedAnswer(Status const& parse_error, ResponseMetadata const& meta,
                      std::string_view advice) {
  ErrorInfo info = parse_error.info();
  info.http_status = meta.http_status;
  info.request_id = meta.request_id;
  info.gateway_request_id = meta.gateway_request_id;
  Status status(parse_error.code(), parse_error.message(), std::move(info));
  return advice.empty() ? status : WithUnknownOutcome(status, advice);
}

}  // namespace wechatpay::internal
