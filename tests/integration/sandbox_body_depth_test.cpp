// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Regression (fuzz/regressions/sandbox_api): a request body nested deeper than the stack allows
// crashed the sandbox in RapidJSON's recursive parser. It must be refused like any malformed
// body, and the sandbox must keep serving.

#include <string>

#include "catch.hpp"
#include "support/sandbox_fixture.hpp"

namespace wechatpay {
namespace {

using testing::SandboxFixture;
using testing::SignedRequest;

TEST_CASE("sandbox: a body nested a million levels deep is a PARAM_ERROR, not a crash") {
  SandboxFixture f;
  auto deep = SignedRequest(f, "POST", "/v3/pay/transactions/native", std::string(1000000, '['));
  INFO(deep.body << deep.error);
  CHECK(deep.status == 400);
  CHECK(deep.body.find(R"("code":"PARAM_ERROR")") != std::string::npos);

  auto after = SignedRequest(
      f, "GET", "/v3/pay/transactions/out-trade-no/SBXDEPTH0001?mchid=" + f.identity().merchant_id);
  INFO(after.body << after.error);
  CHECK(after.status == 404);
}

}  // namespace
}  // namespace wechatpay
