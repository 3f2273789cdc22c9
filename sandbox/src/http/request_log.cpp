// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "http/request_log.hpp"

#include <rapidjson/document.h>

#include "http/json_util.hpp"

namespace wechatpay::sandbox::internal {

std::string MaskQueryValues(std::string_view target) {
  auto const question = target.find('?');
  if (question == std::string_view::npos) return std::string(target);
  std::string out(target.substr(0, question + 1));
  std::string_view query = target.substr(question + 1);
  bool first = true;
  while (true) {
    auto const amp = query.find('&');
    std::string_view const pair = query.substr(0, amp);
    if (!first) out += '&';
    first = false;
    auto const eq = pair.find('=');
    // A parameter without '=' may itself be a value (`?TOKEN`): masked too.
    out += eq == std::string_view::npos ? std::string(pair.empty() ? "" : "***")
                                        : std::string(pair.substr(0, eq)) + "=***";
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

std::string RequestLogLine(Inbound const& request, Answer const& answer, bool faulted) {
  std::string line =
      request.method + " " + MaskQueryValues(request.target) + " " + std::to_string(answer.status);
  if (answer.status >= 400) {
    if (!answer.refusal.empty()) {
      line += " refused: " + answer.refusal;
    } else {
      // The error's code (ORDER_NOT_EXIST, ACCESS_TOKEN_EXPIRED, ...): every error body of the
      // sandbox has one, and it is never a secret.
      rapidjson::Document doc;
      if (ParseJson(answer.body, doc)) {
        if (auto code = GetString(doc, "code")) line += " " + *code;
      }
    }
  }
  if (faulted) line += " (injected fault)";
  return line;
}

}  // namespace wechatpay::sandbox::internal
