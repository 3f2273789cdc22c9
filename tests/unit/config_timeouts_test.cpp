// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The timeout settings of a configuration file: timeoutMs bounds the whole call and
// attemptTimeoutMs, new with issue 14 (finding 9), one attempt.

#include <string>

#include "catch.hpp"
#include "support/test_data.hpp"
#include "wechatpay/config.hpp"

namespace wechatpay {
namespace {

TEST_CASE("LoadMerchantConfigFile reads the call and attempt timeouts") {
  testing::TempDir dir;
  auto const path = dir.File("wechatpay.json");
  testing::WriteFile(path, R"({"connectTimeoutMs":700,"timeoutMs":9000,"attemptTimeoutMs":3000})");
  auto config = LoadMerchantConfigFile(path);
  REQUIRE(config.ok());
  CHECK(config->timeouts.connect == std::chrono::milliseconds(700));
  CHECK(config->timeouts.total == std::chrono::milliseconds(9000));
  CHECK(config->timeouts.attempt == std::chrono::milliseconds(3000));

  testing::WriteFile(path, R"({"timeoutMs":9000})");
  config = LoadMerchantConfigFile(path);
  REQUIRE(config.ok());
  CHECK(config->timeouts.attempt == std::chrono::milliseconds(0));  // none by default

  testing::WriteFile(path, R"({"attemptTimeoutMs":0})");
  config = LoadMerchantConfigFile(path);
  REQUIRE_FALSE(config.ok());
  CHECK(config.status().info().field == "attemptTimeoutMs");
}

}  // namespace
}  // namespace wechatpay
