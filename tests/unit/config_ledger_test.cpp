// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The `ledger` setting (issue 18): the configuration key and WECHATPAY_LEDGER are one setting
// of LoadMerchantConfig (the variable wins, as for every key); a relative SQLite path in a file
// is resolved against the file's folder, a URL is kept as written, and a wrong type is an error
// naming the key without quoting the value.

#include <string>

#include "catch.hpp"
#include "support/scoped_environment.hpp"
#include "support/test_data.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay {
namespace {

using testing::ScopedEnvironment;
using testing::TempDir;

StatusOr<MerchantConfig> Load(TempDir const& dir, std::string const& json) {
  testing::WriteFile(dir.File("config.json"), json);
  return LoadMerchantConfigFile(dir.File("config.json"));
}

TEST_CASE("the ledger key is read from the file, SQLite paths next to the file",
          "[config][ledger]") {
  TempDir dir;
  CHECK(Load(dir, "{}")->ledger.empty());
  CHECK(Load(dir, R"({"ledger":"orders.db"})")->ledger == dir.File("orders.db"));
  CHECK(Load(dir, R"({"ledger":"sqlite:data/orders"})")->ledger ==
        "sqlite:" + dir.File("data/orders"));
  CHECK(Load(dir, R"({"ledger":"/var/lib/shop/orders.db"})")->ledger == "/var/lib/shop/orders.db");
  CHECK(Load(dir, R"({"ledger":"postgresql://shop:pw@db.internal/shop"})")->ledger ==
        "postgresql://shop:pw@db.internal/shop");

  auto bad = Load(dir, R"({"ledger":42})");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == StatusCode::kConfiguration);
  CHECK(bad.status().info().field == "ledger");
}

TEST_CASE("WECHATPAY_LEDGER and the ledger key are one setting", "[config][ledger]") {
  TempDir dir;
  testing::WriteFile(dir.File("config.json"), R"({"ledger":"file.db"})");
  {
    ScopedEnvironment env("WECHATPAY_LEDGER", "postgresql://u:secret@127.0.0.1:5432/db");
    auto from_env = LoadMerchantConfig(std::nullopt);
    REQUIRE(from_env.ok());
    CHECK(from_env->ledger == "postgresql://u:secret@127.0.0.1:5432/db");
    // The variable overrides the file, as every WECHATPAY_* variable does.
    auto both = LoadMerchantConfig(dir.File("config.json"));
    REQUIRE(both.ok());
    CHECK(both->ledger == "postgresql://u:secret@127.0.0.1:5432/db");
  }
  ScopedEnvironment unset("WECHATPAY_LEDGER", nullptr);
  auto file_only = LoadMerchantConfig(dir.File("config.json"));
  REQUIRE(file_only.ok());
  CHECK(file_only->ledger == dir.File("file.db"));
}

}  // namespace
}  // namespace wechatpay
