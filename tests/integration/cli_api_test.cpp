// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The `wechatpay` API commands against a WeChat-compatible server on loopback: the exact request
// each command sends, its output, and the exit code of every failure kind.

#include "catch.hpp"
#include "support/fake_wechat_server.hpp"
#include "support/run_process.hpp"
#include "support/test_data.hpp"

namespace wechatpay {
namespace {

using testing::FakeWeChatServer;
using testing::RunCli;
using testing::TempDir;
using Signing = FakeWeChatServer::Signing;

constexpr char kTransaction[] =
    R"({"appid":"wxd678efh567hg6787","mchid":"1900007291","out_trade_no":"ORDER20261126001",)"
    R"("transaction_id":"4200000001202611260000000001","trade_type":"NATIVE","trade_state":"SUCCESS",)"
    R"("trade_state_desc":"支付成功","bank_type":"OTHERS","success_time":"2026-11-26T10:00:00+08:00",)"
    R"("payer":{"openid":"o-payer"},"amount":{"total":1,"payer_total":1,"currency":"CNY","payer_currency":"CNY"}})";
constexpr char kRefund[] =
    R"({"refund_id":"50300000012026112600000000001","out_refund_no":"REFUND001","transaction_id":)"
    R"("4200000001202611260000000001","out_trade_no":"ORDER20261126001","channel":"ORIGINAL",)"
    R"("user_received_account":"支付用户零钱","create_time":"2026-11-26T10:05:00+08:00","status":"PROCESSING",)"
    R"("amount":{"total":1,"refund":1,"payer_total":1,"payer_refund":1,"currency":"CNY"}})";

struct Fixture {
  FakeWeChatServer server;
  TempDir dir;
  std::string config = server.WriteConfig(dir.path());

  testing::ProcessResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--config", config});
    return RunCli(args);
  }
  HttpRequest Only() {
    auto requests = server.requests();
    REQUIRE(requests.size() == 1);
    return requests[0];
  }
};

void CheckSignedHeaders(HttpRequest const& request) {
  INFO(request.headers.Get("Authorization"));
  CHECK(testing::CheckTestAuthorization(request, request.url).empty());
  CHECK(request.headers.Get("Accept") == "application/json");
  CHECK(request.headers.Get("User-Agent").rfind("wechatpay-cpp/", 0) == 0);
  CHECK(request.headers.Get("Wechatpay-Serial") == testing::TestMerchant::kPublicKeyId);
}

TEST_CASE("wechatpay order sends the documented request and prints code_url") {
  Fixture f;
  f.server.SetReply({200, R"({"code_url":"weixin://wxpay/bizpayurl?pr=abc123"})"});
  auto r =
      f.Run({"order", "--out-trade-no", "ORDER20261126001", "--description", "门店扫码-可乐",
             "--total", "1", "--attach", "shop=7", "--time-expire", "2026-11-26T18:00:00+08:00"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "{\"code_url\":\"weixin://wxpay/bizpayurl?pr=abc123\"}\n");
  auto request = f.Only();
  CHECK(request.method == "POST");
  CHECK(request.url == "/v3/pay/transactions/native");
  CHECK(request.body ==
        R"({"appid":"wxd678efh567hg6787","mchid":"1900007291","description":"门店扫码-可乐",)"
        R"("out_trade_no":"ORDER20261126001","time_expire":"2026-11-26T18:00:00+08:00",)"
        R"("attach":"shop=7","notify_url":"https://merchant.example.com/wechatpay/notify",)"
        R"("amount":{"total":1}})");
  CHECK(request.headers.Get("Content-Type") == "application/json");
  CheckSignedHeaders(request);
}

TEST_CASE("wechatpay query, close, refund and refund-query") {
  Fixture f;
  SECTION("query by out_trade_no prints every field WeChat returned") {
    f.server.SetReply({200, kTransaction});
    auto r = f.Run({"query", "--out-trade-no", "ORDER20261126001"});
    CHECK(r.exit_code == 0);
    CHECK(r.out == std::string(kTransaction) + "\n");
    auto request = f.Only();
    CHECK(request.method == "GET");
    CHECK(request.url == "/v3/pay/transactions/out-trade-no/ORDER20261126001?mchid=1900007291");
    CHECK(request.body.empty());
    CheckSignedHeaders(request);
  }
  SECTION("query by transaction_id") {
    f.server.SetReply({200, kTransaction});
    CHECK(f.Run({"query", "--transaction-id", "4200000001202611260000000001"}).exit_code == 0);
    CHECK(f.Only().url == "/v3/pay/transactions/id/4200000001202611260000000001?mchid=1900007291");
  }
  SECTION("close") {
    f.server.SetReply({204, ""});
    auto r = f.Run({"close", "--out-trade-no", "ORDER20261126001"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "{}\n");
    auto request = f.Only();
    CHECK(request.method == "POST");
    CHECK(request.url == "/v3/pay/transactions/out-trade-no/ORDER20261126001/close");
    CHECK(request.body == R"({"mchid":"1900007291"})");
    CheckSignedHeaders(request);
  }
  SECTION("refund") {
    f.server.SetReply({200, kRefund});
    auto r = f.Run({"refund", "--out-trade-no", "ORDER20261126001", "--out-refund-no", "REFUND001",
                    "--refund", "1", "--total", "1", "--reason", "顾客退货"});
    CHECK(r.exit_code == 0);
    CHECK(r.out == std::string(kRefund) + "\n");
    auto request = f.Only();
    CHECK(request.method == "POST");
    CHECK(request.url == "/v3/refund/domestic/refunds");
    CHECK(request.body ==
          R"({"out_trade_no":"ORDER20261126001","out_refund_no":"REFUND001","reason":"顾客退货",)"
          R"("amount":{"refund":1,"total":1,"currency":"CNY"}})");
    CheckSignedHeaders(request);
  }
  SECTION("refund-query") {
    f.server.SetReply({200, kRefund});
    CHECK(f.Run({"refund-query", "--out-refund-no", "REFUND001"}).exit_code == 0);
    auto request = f.Only();
    CHECK(request.method == "GET");
    CHECK(request.url == "/v3/refund/domestic/refunds/REFUND001");
    CheckSignedHeaders(request);
  }
}

TEST_CASE("wechatpay exits 1 naming the WeChat error code") {
  Fixture f;
  f.server.SetReply({404, R"({"code":"ORDER_NOT_EXIST","message":"订单不存在"})"});
  auto r = f.Run({"query", "--out-trade-no", "ORDER20261126001"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.rfind("error: ", 0) == 0);
  CHECK(r.err.find("ORDER_NOT_EXIST") != std::string::npos);
  CHECK(r.err.find("HTTP 404") != std::string::npos);
  CHECK(r.err.find("Request-ID 08DEADBEEF-404") != std::string::npos);
  CHECK(r.out.empty());
}

TEST_CASE("wechatpay exits 3 for a forged, unsigned or stale 2xx") {
  Fixture f;
  for (auto signing : {Signing::kTamperedBody, Signing::kUnsigned, Signing::kStale}) {
    f.server.SetReply({200, kTransaction, signing});
    auto r = f.Run({"query", "--out-trade-no", "ORDER20261126001"});
    CHECK(r.exit_code == 3);
    CHECK(r.out.empty());
  }
  // A close whose answer cannot be trusted may have been applied: exit 6, outcome unknown.
  f.server.SetReply({204, "", Signing::kUnsigned});
  auto r = f.Run({"close", "--out-trade-no", "ORDER20261126001"});
  CHECK(r.exit_code == 6);
  CHECK(r.err.find("outcome is unknown") != std::string::npos);
}

TEST_CASE("wechatpay exits 4 when nothing listens, 6 when the outcome is unknown") {
  TempDir dir;
  std::string base;
  {
    FakeWeChatServer gone;
    base = gone.BaseUrl();
    testing::WriteFile(dir.File("config.json"), "{}");
  }
  auto config = testing::TestMerchant::Config(base);
  auto r = RunCli({"query", "--out-trade-no", "ORDER20261126001"},
                  {{"WECHATPAY_APP_ID", config.app_id},
                   {"WECHATPAY_MERCHANT_ID", config.merchant_id},
                   {"WECHATPAY_MERCHANT_SERIAL_NUMBER", config.merchant_serial_number},
                   {"WECHATPAY_PRIVATE_KEY", config.private_key},
                   {"WECHATPAY_PUBLIC_KEY", config.wx_pay_public_key},
                   {"WECHATPAY_PUBLIC_KEY_ID", config.wx_pay_public_key_id},
                   {"WECHATPAY_BASE_URL", base}});
  INFO(r.err);
  CHECK(r.exit_code == 4);

  Fixture f;
  f.server.SetReply(
      {200, R"({"code_url":"weixin://late"})", Signing::kSigned, std::chrono::milliseconds(3000)});
  auto slow = f.Run({"--timeout", "0.5", "order", "--out-trade-no", "ORDER20261126001",
                     "--description", "x", "--total", "1"});
  CHECK(slow.exit_code == 6);  // not 4: the order may exist, query before ordering again
  CHECK(slow.err.find("outcome is unknown") != std::string::npos);
  CHECK(f.server.requests().size() == 1);  // a POST that may have been applied is not resent
}

TEST_CASE("wechatpay exits 2 for invalid input and sends nothing") {
  Fixture f;
  f.server.SetReply({200, R"({"code_url":"weixin://never"})"});
  std::string const desc128(128, 'a');
  struct Case {
    std::vector<std::string> args;
    std::string names;
  };
  std::vector<Case> const cases = {
      {{"order", "--out-trade-no", "12345", "--description", "x", "--total", "1"}, "out_trade_no"},
      {{"order", "--out-trade-no", "123456789012345678901234567890123", "--description", "x",
        "--total", "1"},
       "out_trade_no"},
      {{"order", "--out-trade-no", "ORDER20261126001", "--description", desc128, "--total", "1"},
       "description"},
      {{"order", "--out-trade-no", "ORDER20261126001", "--description", "x", "--total", "0"},
       "amount.total"},
      {{"order", "--out-trade-no", "ORDER20261126001", "--description", "x", "--total", "1.5"},
       "--total"},
      {{"order", "--out-trade-no", "ORDER20261126001", "--description", "x", "--total", "1",
        "--time-expire", "2026-11-26 18:00:00"},
       "time_expire"},
      {{"order", "--out-trade-no", "ORDER20261126001", "--description", "x", "--total", "1",
        "--notify-url", "http://merchant.example.com/cb"},
       "notify_url"},
      {{"order", "--out-trade-no", "ORDER20261126001", "--description", "x", "--total", "1",
        "--attach", std::string(129, 'a')},
       "attach"},
      {{"order", "--description", "x", "--total", "1"}, "--out-trade-no"},
      {{"refund", "--out-trade-no", "ORDER20261126001", "--out-refund-no", "R1", "--refund", "2",
        "--total", "1"},
       "amount.refund"},
      {{"refund", "--out-refund-no", "R1", "--refund", "1", "--total", "1"}, "--out-trade-no"},
      {{"refund", "--out-trade-no", "ORDER20261126001", "--out-refund-no", std::string(65, 'R'),
        "--refund", "1", "--total", "1"},
       "out_refund_no"},
      {{"query", "--out-trade-no", "ORDER1", "--transaction-id", "4200"}, "--out-trade-no"},
      {{"close", "--out-trade-no", "bad order"}, "out_trade_no"},
      {{"refund-query"}, "--out-refund-no"},
  };
  for (auto const& c : cases) {
    auto r = f.Run(c.args);
    INFO(c.args[0] << " " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(c.names) != std::string::npos);
  }
  CHECK(f.server.requests().empty());
}

TEST_CASE("wechatpay --verbose logs request lines but never a secret") {
  Fixture f;
  f.server.SetReply({200, kTransaction});
  auto r = f.Run({"--verbose", "query", "--out-trade-no", "ORDER20261126001"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("GET /v3/pay/transactions/out-trade-no/ORDER20261126001?mchid=1900007291") !=
        std::string::npos);
  CHECK(r.err.find("Request-ID 08DEADBEEF-200") != std::string::npos);
  CHECK(r.err.find("WECHATPAY2-SHA256-RSA2048") == std::string::npos);
  CHECK(r.err.find("signature=") == std::string::npos);
}

}  // namespace
}  // namespace wechatpay
