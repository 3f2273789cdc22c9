// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Regression (fuzz/regressions/config_load): a configuration file nested deeper than the stack
// allows crashed LoadMerchantConfigFile() in RapidJSON's recursive parser. It must be an
// ordinary configuration error, and deep nesting under a comment key must load.

#include <string>

#include "catch.hpp"
#include "support/test_data.hpp"
#include "wechatpay/config.hpp"

namespace wechatpay {
namespace {

TEST_CASE("LoadMerchantConfigFile: deep nesting is an error or ignored, never a crash") {
  testing::TempDir dir;
  auto const path = dir.File("wechatpay.json");

  testing::WriteFile(path, std::string(1000000, '['));
  auto unclosed = LoadMerchantConfigFile(path);
  REQUIRE_FALSE(unclosed.ok());
  CHECK(unclosed.status().code() == StatusCode::kConfiguration);
  CHECK(unclosed.status().message().find("not valid JSON") != std::string::npos);

  std::string const depth(200000, '[');
  testing::WriteFile(path, R"({"merchantId":"1900007291","_comment":)" + depth +
                               std::string(depth.size(), ']') + "}");
  auto commented = LoadMerchantConfigFile(path);
  REQUIRE(commented.ok());
  CHECK(commented->merchant_id == "1900007291");
}

}  // namespace
}  // namespace wechatpay
