// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The CloudBase HTTP API gateway in front of pay-common (docs/protocol.md, "CloudBase gateway"):
// `POST /v1/functions/{name}?webfn=true` with `Authorization: Bearer TOKEN`. Its own errors are
// `{code,message,requestId}` with the same id in the X-Request-Id header, which every answer
// carries.

#include "gateway/pay_common.hpp"
#include "gateway/token_store.hpp"
#include "http/exchange.hpp"

namespace wechatpay::sandbox::internal {

/// The path prefix of function calls.
inline constexpr char kFunctionsPrefix[] = "/v1/functions/";

/// The gateway.
///
/// @par Thread Safety
/// Safe from many threads.
class Gateway {
 public:
  Gateway(std::string function_name, TokenStore const& tokens, PayCommon const& pay_common)
      : function_name_(std::move(function_name)), tokens_(tokens), pay_common_(pay_common) {}

  /// Answers a request under /v1/functions/.
  Answer Handle(Inbound const& request) const;

 private:
  std::string function_name_;
  TokenStore const& tokens_;
  PayCommon const& pay_common_;
};

}  // namespace wechatpay::sandbox::internal
