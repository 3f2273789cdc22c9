// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "channel/service_failure.hpp"

#include <string>
#include <utility>

#include "json/json_codec.hpp"

namespace wechatpay::internal {

Status ServiceFailureStatus(HttpResponse const& response, ResponseMetadata const& meta) {
  int const code = response.status_code;
  auto body = ParseServiceErrorBody(response.body);
  ErrorInfo info;
  info.http_status = code;
  info.request_id = meta.request_id;
  info.service_code = body.code;
  info.service_message = body.message;
  info.detail = body.detail;
  std::string message = "WeChat Pay answered HTTP " + std::to_string(code);
  if (!body.code.empty()) message += " " + body.code;
  if (!body.message.empty()) message += ": " + body.message;
  if (body.code.empty() && body.message.empty()) message += " without a WeChat error body";
  return Status(StatusCode::kServiceError, std::move(message), std::move(info));
}

}  // namespace wechatpay::internal
