// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: UnwrapGatewayResponse(), the reading of every CloudBase gateway / pay-common
// answer (gateway_unwrap.hpp), and the invariants the gateway channel relies on.
//
// Input: an HTTP message (fuzz_support.hpp) whose first line is "HTTP <status>" (200 when it
// does not parse).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "channel/gateway_unwrap.hpp"
#include "common/text.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  using namespace wechatpay;
  auto const message = fuzz::ParseHttpMessage(fuzz::AsText(data, size));
  HttpResponse response;
  response.status_code = 200;
  std::string_view line = message.start_line;
  if (line.substr(0, 5) == "HTTP ") {
    auto const status = internal::ParseInt64(internal::Trim(line.substr(5)));
    if (status && *status >= 0 && *status <= 999) response.status_code = static_cast<int>(*status);
  }
  response.headers = message.headers;
  response.body = message.body;

  auto const outcome = internal::UnwrapGatewayResponse(response);
  fuzz::Check(outcome.retry_after.count() >= 0, "Retry-After is never negative");
  if (outcome.result.ok()) {
    fuzz::Check(response.status_code >= 200 && response.status_code < 300,
                "only a 2xx answer succeeds");
    fuzz::Check(!outcome.token_rejected && outcome.retry_after.count() == 0, "a success is final");
    auto const wechat_status = outcome.result->meta.http_status;
    fuzz::Check(wechat_status >= 200 && wechat_status < 300 && wechat_status != 202,
                "a success carries WeChat's 2xx status");
  } else {
    fuzz::Check(outcome.result.status().code() != StatusCode::kOk, "a failure has an error code");
    if (outcome.token_rejected) {
      fuzz::Check(response.status_code == 401, "only the gateway's 401 rejects the token");
    }
  }
  return 0;
}
