// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// How `wechatpay` reports errors to a script (docs/cli.md, "Output and exit codes"): with
// --json-errors one JSON object per error on stderr, with the same facts the `error:` line
// gives; and exit 6 when the outcome is unknown, distinct from 4 (nothing reached the service)
// and 2 (nothing was sent).

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "catch.hpp"
#include "support/fake_wechat_server.hpp"
#include "support/run_process.hpp"
#include "support/test_data.hpp"
#include "support/test_merchant.hpp"

namespace wechatpay {
namespace {

using namespace std::chrono_literals;
using testing::FakeWeChatServer;
using testing::RunCli;
using testing::TempDir;

struct Fixture {
  FakeWeChatServer server;
  TempDir dir;
  std::string config = server.WriteConfig(dir.path());

  testing::ProcessResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--config", config});
    return RunCli(args);
  }
};

// stderr as one JSON object with exactly the documented members, one line.
rapidjson::Document ParseError(std::string const& err) {
  INFO(err);
  REQUIRE(!err.empty());
  CHECK(err.back() == '\n');
  CHECK(err.find('\n') == err.size() - 1);
  rapidjson::Document doc;
  doc.Parse(err.c_str());
  REQUIRE(doc.IsObject());
  std::vector<std::string> names;
  for (auto const& member : doc.GetObject()) names.emplace_back(member.name.GetString());
  CHECK(names == std::vector<std::string>{"category", "code", "message", "http_status",
                                          "request_id", "field", "outcome_unknown"});
  return doc;
}

TEST_CASE("wechatpay --json-errors: a WeChat error as one JSON object") {
  Fixture f;
  f.server.SetReply({404, R"({"code":"ORDER_NOT_EXIST","message":"订单不存在"})"});
  // Before the command and after it.
  for (auto const& args : std::vector<std::vector<std::string>>{
           {"--json-errors", "query", "--out-trade-no", "ORDER20261126001"},
           {"query", "--out-trade-no", "ORDER20261126001", "--json-errors"}}) {
    auto r = f.Run(args);
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    auto doc = ParseError(r.err);
    CHECK(std::string(doc["category"].GetString()) == "service");
    CHECK(std::string(doc["code"].GetString()) == "ORDER_NOT_EXIST");
    CHECK(std::string(doc["message"].GetString()).find("订单不存在") != std::string::npos);
    CHECK(doc["http_status"].GetInt() == 404);
    CHECK(std::string(doc["request_id"].GetString()) == "08DEADBEEF-404");
    CHECK(doc["field"].IsNull());
    CHECK(doc["outcome_unknown"].IsFalse());
  }
  // Without the flag: the line, as before.
  auto plain = f.Run({"query", "--out-trade-no", "ORDER20261126001"});
  CHECK(plain.err.rfind("error: ", 0) == 0);
}

TEST_CASE("wechatpay --json-errors: bad input names the field, exit 2, nothing sent") {
  Fixture f;
  struct Case {
    std::vector<std::string> args;
    char const* field;
  };
  for (auto const& c : std::vector<Case>{
           {{"order", "--out-trade-no", "ORDER20261126001", "--description", "x", "--total", "ten"},
            "--total"},
           {{"order", "--out-trade-no", "ORDER20261126001", "--description", "x"}, "--total"},
           {{"order", "--out-trade-no", "ORDER20261126001", "--description", "x", "--total", "1",
             "--bogus"},
            "--bogus"},
           // The library's validation: the request's own field name.
           {{"order", "--out-trade-no", "ORDER20261126001", "--description", "x", "--total", "0"},
            "amount.total"}}) {
    auto args = c.args;
    args.push_back("--json-errors");
    auto r = f.Run(args);
    CAPTURE(args);
    CHECK(r.exit_code == 2);
    auto doc = ParseError(r.err);
    CHECK(std::string(doc["category"].GetString()) == "usage");
    CHECK(std::string(doc["code"].GetString()) == "INVALID_ARGUMENT");
    REQUIRE(doc["field"].IsString());
    CHECK(std::string(doc["field"].GetString()) == c.field);
    CHECK(doc["http_status"].IsNull());
    CHECK(doc["outcome_unknown"].IsFalse());
  }
  // An unknown command is said in JSON too.
  auto r = f.Run({"--json-errors", "frobnicate"});
  CHECK(r.exit_code == 2);
  CHECK(std::string(ParseError(r.err)["category"].GetString()) == "usage");
  CHECK(f.server.requests().empty());
}

TEST_CASE("wechatpay: outcome unknown exits 6 and says so; nothing reached exits 4") {
  SECTION("a POST that timed out may have been applied") {
    Fixture f;
    f.server.SetReply(
        {200, R"({"code_url":"weixin://late"})", FakeWeChatServer::Signing::kSigned, 3000ms});
    auto r = f.Run({"--timeout", "0.5", "--json-errors", "order", "--out-trade-no",
                    "ORDER20261126001", "--description", "x", "--total", "1"});
    CHECK(r.exit_code == 6);
    auto doc = ParseError(r.err);
    CHECK(std::string(doc["category"].GetString()) == "transport");
    CHECK(std::string(doc["code"].GetString()) == "DEADLINE_EXCEEDED");
    CHECK(doc["outcome_unknown"].IsTrue());
    CHECK(std::string(doc["message"].GetString()).find("query the order by out_trade_no") !=
          std::string::npos);
  }
  SECTION("a GET that timed out changed nothing: 4") {
    Fixture f;
    f.server.SetReply({200, "{}", FakeWeChatServer::Signing::kSigned, 3000ms});
    auto r =
        f.Run({"--timeout", "0.5", "--json-errors", "query", "--out-trade-no", "ORDER20261126001"});
    CHECK(r.exit_code == 4);
    auto doc = ParseError(r.err);
    CHECK(std::string(doc["category"].GetString()) == "transport");
    CHECK(doc["outcome_unknown"].IsFalse());
  }
  SECTION("nothing listens: the order was never sent, 4") {
    std::string base;
    {
      FakeWeChatServer gone;
      base = gone.BaseUrl();
    }
    auto config = testing::TestMerchant::Config(base);
    auto r = RunCli({"--json-errors", "order", "--out-trade-no", "ORDER20261126001",
                     "--description", "x", "--total", "1"},
                    {{"WECHATPAY_APP_ID", config.app_id},
                     {"WECHATPAY_MERCHANT_ID", config.merchant_id},
                     {"WECHATPAY_MERCHANT_SERIAL_NUMBER", config.merchant_serial_number},
                     {"WECHATPAY_PRIVATE_KEY", config.private_key},
                     {"WECHATPAY_PUBLIC_KEY", config.wx_pay_public_key},
                     {"WECHATPAY_PUBLIC_KEY_ID", config.wx_pay_public_key_id},
                     {"WECHATPAY_BASE_URL", base},
                     {"WECHATPAY_NOTIFY_URL", "https://merchant.example/wechatpay/order"}});
    INFO(r.err);
    CHECK(r.exit_code == 4);
    auto doc = ParseError(r.err);
    CHECK(std::string(doc["category"].GetString()) == "transport");
    CHECK(doc["outcome_unknown"].IsFalse());
  }
}

}  // namespace
}  // namespace wechatpay
