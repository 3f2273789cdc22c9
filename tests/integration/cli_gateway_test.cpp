// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The `wechatpay` API commands with a `gateway` configuration, against a scripted CloudBase
// gateway on loopback: the request each command sends to pay-common, the same output and exit
// codes as in direct mode, the code:0 + data.status 4xx trap (exit 1 naming WeChat's code) and
// exit 5 for authorization failures. The sandbox's gateway emulation is tested elsewhere.

#include <mutex>
#include <string>
#include <vector>

#include "catch.hpp"
#include "http/httplib_headers.hpp"
#include "support/loopback_server.hpp"
#include "support/run_process.hpp"
#include "support/test_data.hpp"
#include "wechatpay/http/types.hpp"

namespace wechatpay {
namespace {

using testing::RunCli;
using testing::TempDir;

constexpr char kToken[] = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjbGkifQ.CLI-SECRET-SIGNATURE";
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

std::string Wrapped(int status, std::string const& data) {
  std::string middle = R"({"status":)" + std::to_string(status);
  if (!data.empty()) middle += R"(,"data":)" + data;
  return R"({"code":0,"msg":"success","data":)" + middle + "}}";
}

// A CloudBase gateway stand-in: records every request and answers with the scripted reply and
// an X-Request-Id.
class FakeGateway {
 public:
  struct Reply {
    int status = 200;
    std::string body;
  };

  FakeGateway() {
    server_.http().Post(".*", [this](httplib::Request const& request, httplib::Response& response) {
      HttpRequest recorded;
      recorded.method = request.method;
      recorded.url = request.target;
      recorded.headers = internal::FromHttplibHeaders(request.headers);
      recorded.body = request.body;
      Reply reply;
      {
        std::lock_guard<std::mutex> lock(mu_);
        requests_.push_back(std::move(recorded));
        reply = reply_;
      }
      response.status = reply.status;
      response.set_header("X-Request-Id", "gw-cli-" + std::to_string(reply.status));
      if (!reply.body.empty()) response.set_content(reply.body, "application/json");
    });
    server_.Start();
  }

  void SetReply(Reply reply) {
    std::lock_guard<std::mutex> lock(mu_);
    reply_ = std::move(reply);
  }

  std::vector<HttpRequest> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

  std::string BaseUrl() const { return server_.BaseUrl(); }

 private:
  mutable std::mutex mu_;
  Reply reply_;
  std::vector<HttpRequest> requests_;
  testing::LoopbackServer server_;
};

struct Fixture {
  FakeGateway gateway;
  TempDir dir;
  std::string config = WriteConfig(kToken);

  // A gateway-only configuration: pay-common holds the merchant credentials.
  std::string WriteConfig(std::string const& token) {
    std::string const path = dir.File("gateway.json");
    std::string json = R"({"gateway":{"envId":"test-env-1a2b","functionName":"pay-common",)";
    if (!token.empty()) json += R"("accessToken":")" + token + R"(",)";
    json += R"("url":")" + gateway.BaseUrl() + R"("}})";
    testing::WriteFile(path, json);
    return path;
  }

  testing::ProcessResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--config", config});
    return RunCli(args);
  }

  HttpRequest Only() {
    auto requests = gateway.requests();
    REQUIRE(requests.size() == 1);
    return requests[0];
  }
};

void CheckGatewayRequest(HttpRequest const& request, std::string const& body) {
  CHECK(request.method == "POST");
  CHECK(request.url == "/v1/functions/pay-common?webfn=true");
  CHECK(request.headers.Get("Authorization") == std::string("Bearer ") + kToken);
  CHECK(request.headers.Get("Content-Type") == "application/json");
  CHECK(request.headers.Get("Accept") == "application/json");
  CHECK(request.headers.Get("User-Agent").rfind("wechatpay-cpp/", 0) == 0);
  CHECK(request.body == body);
}

TEST_CASE("wechatpay order through the gateway prints code_url") {
  Fixture f;
  f.gateway.SetReply({200, Wrapped(200, R"({"code_url":"weixin://wxpay/bizpayurl?pr=gw123"})")});
  SECTION("plain order: no appid, mchid or notify_url in the body") {
    auto r = f.Run({"order", "--out-trade-no", "ORDER20261126001", "--description", "门店扫码-可乐",
                    "--total", "1", "--attach", "shop=7"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "{\"code_url\":\"weixin://wxpay/bizpayurl?pr=gw123\"}\n");
    CheckGatewayRequest(
        f.Only(), R"({"_action":"wxpay_order_native","description":"门店扫码-可乐",)"
                  R"("out_trade_no":"ORDER20261126001","attach":"shop=7","amount":{"total":1}})");
  }
  SECTION("--use-service-account and --notify-url") {
    auto r =
        f.Run({"order", "--out-trade-no", "ORDER20261126001", "--description", "x", "--total", "1",
               "--use-service-account", "--notify-url", "https://merchant.example.com/notify"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CheckGatewayRequest(
        f.Only(), R"({"_action":"wxpay_order_native","useServiceAccount":true,)"
                  R"("description":"x","out_trade_no":"ORDER20261126001",)"
                  R"("notify_url":"https://merchant.example.com/notify","amount":{"total":1}})");
  }
}

TEST_CASE("wechatpay query, close, refund and refund-query through the gateway") {
  Fixture f;
  SECTION("query by out_trade_no prints the transaction") {
    f.gateway.SetReply({200, Wrapped(200, kTransaction)});
    auto r = f.Run({"query", "--out-trade-no", "ORDER20261126001"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == std::string(kTransaction) + "\n");
    CheckGatewayRequest(
        f.Only(),
        R"({"_action":"wxpay_query_order_by_out_trade_no","out_trade_no":"ORDER20261126001"})");
  }
  SECTION("query by transaction_id") {
    f.gateway.SetReply({200, Wrapped(200, kTransaction)});
    CHECK(f.Run({"query", "--transaction-id", "4200000001202611260000000001"}).exit_code == 0);
    CheckGatewayRequest(
        f.Only(),
        R"({"_action":"wxpay_query_order_by_transaction_id","transaction_id":"4200000001202611260000000001"})");
  }
  SECTION("close prints {} for status 204") {
    f.gateway.SetReply({200, Wrapped(204, "")});
    auto r = f.Run({"close", "--out-trade-no", "ORDER20261126001"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == "{}\n");
    CheckGatewayRequest(f.Only(),
                        R"({"_action":"wxpay_close_order","out_trade_no":"ORDER20261126001"})");
  }
  SECTION("refund prints the refund") {
    f.gateway.SetReply({200, Wrapped(200, kRefund)});
    auto r = f.Run({"refund", "--out-trade-no", "ORDER20261126001", "--out-refund-no", "REFUND001",
                    "--refund", "1", "--total", "1", "--reason", "顾客退货"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == std::string(kRefund) + "\n");
    CheckGatewayRequest(f.Only(), R"({"_action":"wxpay_refund","out_trade_no":"ORDER20261126001",)"
                                  R"("out_refund_no":"REFUND001","reason":"顾客退货",)"
                                  R"("amount":{"refund":1,"total":1,"currency":"CNY"}})");
  }
  SECTION("refund-query") {
    f.gateway.SetReply({200, Wrapped(200, kRefund)});
    CHECK(f.Run({"refund-query", "--out-refund-no", "REFUND001"}).exit_code == 0);
    CheckGatewayRequest(f.Only(),
                        R"({"_action":"wxpay_refund_query","out_refund_no":"REFUND001"})");
  }
}

TEST_CASE("wechatpay exits 1 naming WeChat's code when it hides inside a code 0 answer") {
  Fixture f;
  f.gateway.SetReply(
      {200,
       R"({"code":0,"msg":"success","data":{"status":404,"error":"{\"code\":\"ORDER_NOT_EXIST\",\"message\":\"订单不存在\"}"}})"});
  auto r = f.Run({"query", "--out-trade-no", "ORDER20261126001"});
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("error: ", 0) == 0);
  CHECK(r.err.find("ORDER_NOT_EXIST") != std::string::npos);
  CHECK(r.err.find("HTTP 404") != std::string::npos);
  CHECK(r.err.find("Request-ID gw-cli-200") != std::string::npos);
}

TEST_CASE("wechatpay exits 1 naming pay-common's code -1 and its msg") {
  Fixture f;
  f.gateway.SetReply({400, R"({"code":-1,"msg":"退款失败","data":null})"});
  auto r = f.Run({"refund", "--out-trade-no", "ORDER20261126001", "--out-refund-no", "REFUND001",
                  "--refund", "1", "--total", "1"});
  CHECK(r.exit_code == 6);  // pay-common's -1 does not say whether the refund was made
  CHECK(r.err.find("code -1: 退款失败") != std::string::npos);
  CHECK(r.err.find("outcome is unknown") != std::string::npos);
}

TEST_CASE("wechatpay exits 5 when the gateway does not authorize the caller") {
  Fixture f;
  SECTION("401 ACCESS_TOKEN_EXPIRED") {
    f.gateway.SetReply(
        {401, R"({"code":"ACCESS_TOKEN_EXPIRED","message":"token expired","requestId":"r1"})"});
    auto r = f.Run({"query", "--out-trade-no", "ORDER20261126001"});
    CHECK(r.exit_code == 5);
    CHECK(r.err.find("authenticated (non-anonymous)") != std::string::npos);
    CHECK(r.err.find("HTTP 401") != std::string::npos);
    // The configuration read again holds the same token: nothing is resent.
    CHECK(f.gateway.requests().size() == 1);
  }
  SECTION("403 EXCEED_AUTHORITY (an anonymous login)") {
    f.gateway.SetReply({403, R"({"code":"EXCEED_AUTHORITY","message":"x","requestId":"r1"})"});
    auto r = f.Run({"close", "--out-trade-no", "ORDER20261126001"});
    CHECK(r.exit_code == 5);
    CHECK(r.err.find("EXCEED_AUTHORITY") != std::string::npos);
  }
  SECTION("no token configured: nothing is sent") {
    f.config = f.WriteConfig("");
    auto r = f.Run({"query", "--out-trade-no", "ORDER20261126001"});
    CHECK(r.exit_code == 5);
    CHECK(r.err.find("gateway.accessToken") != std::string::npos);
    CHECK(f.gateway.requests().empty());
  }
}

TEST_CASE("wechatpay takes the gateway settings from the environment") {
  Fixture f;
  f.gateway.SetReply({200, Wrapped(200, kTransaction)});
  testing::WriteFile(f.dir.File("empty.json"), "{}");
  auto r =
      RunCli({"--config", f.dir.File("empty.json"), "query", "--out-trade-no", "ORDER20261126001"},
             {{"WECHATPAY_GATEWAY_ENV_ID", "test-env-1a2b"},
              {"WECHATPAY_GATEWAY_FUNCTION", "pay-common"},
              {"WECHATPAY_ACCESS_TOKEN", kToken},
              {"WECHATPAY_GATEWAY_URL", f.gateway.BaseUrl()}});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CheckGatewayRequest(
      f.Only(),
      R"({"_action":"wxpay_query_order_by_out_trade_no","out_trade_no":"ORDER20261126001"})");
}

TEST_CASE("wechatpay exits 2 for pay-common's stricter out_trade_no and sends nothing") {
  Fixture f;
  f.gateway.SetReply({200, Wrapped(200, R"({"code_url":"weixin://never"})")});
  auto r = f.Run({"order", "--out-trade-no", "ORDER|2026", "--description", "x", "--total", "1"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("out_trade_no") != std::string::npos);
  CHECK(f.gateway.requests().empty());
}

TEST_CASE("wechatpay --verbose through the gateway never prints the token") {
  Fixture f;
  f.gateway.SetReply({200, Wrapped(200, kTransaction)});
  auto r = f.Run({"--verbose", "query", "--out-trade-no", "ORDER20261126001"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("_action=wxpay_query_order_by_out_trade_no") != std::string::npos);
  CHECK(r.err.find("X-Request-Id gw-cli-200") != std::string::npos);
  CHECK(r.err.find("CLI-SECRET-SIGNATURE") == std::string::npos);
  CHECK(r.err.find("Bearer") == std::string::npos);
}

}  // namespace
}  // namespace wechatpay
