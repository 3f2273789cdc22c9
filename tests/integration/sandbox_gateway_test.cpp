// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The CloudBase gateway + pay-common emulation over raw HTTPS: the gateway's 401 kinds, the
// three-layer answer, pay-common's own validation errors, and a WeChat error passed through as
// code:0 with data.status >= 400 (the trap a client must not fall into).

#include <rapidjson/document.h>

#include <algorithm>
#include <string>
#include <vector>

#include "catch.hpp"
#include "support/sandbox_fixture.hpp"

namespace wechatpay {
namespace {

using testing::RawRequest;
using testing::RawResponse;
using testing::SandboxFixture;

struct Gateway {
  SandboxFixture& f;
  std::string token;

  std::string Url(std::string const& function = "pay-common",
                  std::string const& query = "?webfn=true") const {
    return f.BaseUrl() + "/v1/functions/" + function + query;
  }
  RawResponse Call(std::string const& body, std::string const& bearer) const {
    std::vector<std::string> headers = {"Content-Type: application/json"};
    if (!bearer.empty()) headers.push_back("Authorization: Bearer " + bearer);
    return RawRequest("POST", Url(), headers, body, f.identity().ca_file);
  }
  RawResponse Call(std::string const& body) const { return Call(body, token); }
};

rapidjson::Document Json(RawResponse const& response) {
  rapidjson::Document doc;
  doc.Parse(response.body.c_str());
  INFO(response.body << response.error);
  REQUIRE(doc.IsObject());
  return doc;
}

void CheckGatewayError(RawResponse const& response, int status, std::string const& code) {
  INFO(response.body);
  CHECK(response.status == status);
  auto doc = Json(response);
  CHECK(std::string(doc["code"].GetString()) == code);
  CHECK(doc["message"].IsString());
  REQUIRE(doc["requestId"].IsString());
  CHECK(response.headers.Get("X-Request-Id") == doc["requestId"].GetString());
}

void CheckPayCommonFailure(RawResponse const& response, int status) {
  INFO(response.body);
  CHECK(response.status == status);
  auto doc = Json(response);
  CHECK(doc["code"].GetInt() == -1);
  CHECK(doc["msg"].IsString());
  CHECK(response.headers.Has("X-Request-Id"));
}

TEST_CASE("sandbox gateway: 401 for missing, unknown, expired and anonymous tokens") {
  SandboxFixture f;
  Gateway gateway{f, f.sandbox().CreateToken().value()};
  std::string const body = R"({"_action":"wxpay_query_order_by_out_trade_no","out_trade_no":"X"})";
  CheckGatewayError(gateway.Call(body, ""), 401, "MISSING_CREDENTIALS");
  CheckGatewayError(gateway.Call(body, "not-a-token"), 401, "INVALID_CREDENTIALS");
  sandbox::TokenOptions expired;
  expired.ttl = std::chrono::seconds(0);
  CheckGatewayError(gateway.Call(body, f.sandbox().CreateToken(expired).value()), 401,
                    "ACCESS_TOKEN_EXPIRED");
  sandbox::TokenOptions anonymous;
  anonymous.anonymous = true;
  auto refused = gateway.Call(body, f.sandbox().CreateToken(anonymous).value());
  CheckGatewayError(refused, 401, "AUTHENTICATION_FAILED");
  CHECK(refused.body.find("non-anonymous") != std::string::npos);

  // Tokens from the control API over HTTP work the same way.
  auto issued = RawRequest("POST", f.BaseUrl() + "/sandbox/v1/tokens", {},
                           R"({"anonymous":false,"ttl_seconds":7200})", f.identity().ca_file);
  REQUIRE(issued.status == 200);
  auto token = Json(issued);
  CHECK(token["expires_in"].GetInt() == 7200);
  auto answered = gateway.Call(body, token["access_token"].GetString());
  CHECK(answered.status == 200);

  CheckGatewayError(
      RawRequest("POST", gateway.Url("no-such-function"),
                 {"Authorization: Bearer " + gateway.token}, body, f.identity().ca_file),
      404, "FUNCTION_NOT_FOUND");
  CheckGatewayError(
      RawRequest("POST", gateway.Url("pay-common", ""), {"Authorization: Bearer " + gateway.token},
                 body, f.identity().ca_file),
      400, "FUNCTION_PARAM_INVALID");
}

TEST_CASE("sandbox gateway: the three-layer answers of pay-common") {
  SandboxFixture f;
  Gateway gateway{f, f.sandbox().CreateToken().value()};

  auto ordered = gateway.Call(
      R"({"_action":"wxpay_order_native","description":"网关下单","out_trade_no":"SBXGATEWAY001","amount":{"total":2}})");
  REQUIRE(ordered.status == 200);
  auto doc = Json(ordered);
  CHECK(doc["code"].GetInt() == 0);
  CHECK(std::string(doc["msg"].GetString()) == "success");
  CHECK(doc["data"]["status"].GetInt() == 200);
  CHECK(std::string(doc["data"]["data"]["code_url"].GetString()).rfind("weixin://", 0) == 0);

  // pay-common injected appid, mchid and its notify_url.
  auto view = f.sandbox().OrderView("SBXGATEWAY001").value();
  CHECK(view.find(R"("appid":")" + f.identity().app_id) != std::string::npos);
  CHECK(view.find(R"("mchid":")" + f.identity().merchant_id) != std::string::npos);
  CHECK(view.find(f.sandbox().NotifyUrl()) != std::string::npos);

  auto queried = Json(gateway.Call(
      R"({"_action":"/wx-pay/wxpay_query_order_by_out_trade_no","out_trade_no":"SBXGATEWAY001"})"));
  CHECK(queried["code"].GetInt() == 0);
  CHECK(queried["data"]["status"].GetInt() == 200);
  CHECK(std::string(queried["data"]["data"]["trade_state"].GetString()) == "NOTPAY");

  SECTION("close: data.status 204 and no data.data") {
    auto closed = gateway.Call(R"({"_action":"wxpay_close_order","out_trade_no":"SBXGATEWAY001"})");
    CHECK(closed.status == 200);
    CHECK(closed.body == R"({"code":0,"msg":"success","data":{"status":204}})");
  }
  SECTION("pay, query by transaction_id, refund and refund query") {
    REQUIRE(f.sandbox().Pay("SBXGATEWAY001").ok());
    auto paid = Json(gateway.Call(
        R"({"_action":"wxpay_query_order_by_out_trade_no","out_trade_no":"SBXGATEWAY001"})"));
    std::string const transaction_id = paid["data"]["data"]["transaction_id"].GetString();
    auto by_id = Json(gateway.Call(R"({"_action":"wxpay_query_order_by_transaction_id",)"
                                   R"("transaction_id":")" +
                                   transaction_id + R"("})"));
    CHECK(std::string(by_id["data"]["data"]["out_trade_no"].GetString()) == "SBXGATEWAY001");
    // pay-common adds no currency: WeChat requires it and refuses the refund, inside code:0.
    auto no_currency = Json(gateway.Call(
        R"({"_action":"wxpay_refund","out_trade_no":"SBXGATEWAY001","out_refund_no":"SBXGWREFUND1","amount":{"refund":1,"total":2}})"));
    CHECK(no_currency["code"].GetInt() == 0);
    CHECK(no_currency["data"]["status"].GetInt() == 400);
    CHECK(std::string(no_currency["data"]["error"].GetString())
              .find("输入源“/body/amount/currency”映射到字段") != std::string::npos);
    auto refunded = Json(gateway.Call(
        R"({"_action":"wxpay_refund","out_trade_no":"SBXGATEWAY001","out_refund_no":"SBXGWREFUND1","amount":{"refund":1,"total":2,"currency":"CNY"}})"));
    CHECK(refunded["data"]["status"].GetInt() == 200);
    CHECK(std::string(refunded["data"]["data"]["status"].GetString()) == "PROCESSING");
    auto refund_query =
        Json(gateway.Call(R"({"_action":"wxpay_refund_query","out_refund_no":"SBXGWREFUND1"})"));
    CHECK(refund_query["data"]["data"]["out_refund_no"] == "SBXGWREFUND1");
    // pay-common injected its refund notify URL: the result goes there, not to the order's.
    REQUIRE(testing::Eventually([&] {
      return f.sandbox().OrderView("SBXGATEWAY001")->find("REFUND.SUCCESS") != std::string::npos;
    }));
    rapidjson::Document order_view;
    order_view.Parse(f.sandbox().OrderView("SBXGATEWAY001")->c_str());
    std::vector<std::string> urls;
    for (auto const& callback : order_view["callbacks"].GetArray()) {
      urls.push_back(std::string(callback["event_type"].GetString()) + " " +
                     callback["url"].GetString());
    }
    std::sort(urls.begin(), urls.end());
    CHECK(urls == std::vector<std::string>{"REFUND.SUCCESS " + f.sandbox().RefundNotifyUrl(),
                                           "TRANSACTION.SUCCESS " + f.sandbox().NotifyUrl()});
  }
  SECTION("no out_trade_no: pay-common makes none up and WeChat requires it") {
    auto missing = Json(gateway.Call(
        R"({"_action":"wxpay_order_native","description":"无单号","amount":{"total":2}})"));
    CHECK(missing["code"].GetInt() == 0);
    CHECK(missing["data"]["status"].GetInt() == 400);
    CHECK(
        std::string(missing["data"]["error"].GetString()) ==
        R"({"code":"PARAM_ERROR","detail":{"location":"body","value":""},"message":)"
        R"("输入源“/body/out_trade_no”映射到字段“商户订单号”必填性规则校验失败，此字段为必填项"})");
    auto listed =
        RawRequest("GET", f.BaseUrl() + "/sandbox/v1/orders", {}, "", f.identity().ca_file);
    CHECK(Json(listed)["orders"].Size() == 1);
  }
  SECTION("a WeChat error is passed through as code:0 with data.status >= 400") {
    auto missing = gateway.Call(
        R"({"_action":"wxpay_query_order_by_out_trade_no","out_trade_no":"SBXNOSUCHONE"})");
    CHECK(missing.status == 200);
    auto error = Json(missing);
    CHECK(error["code"].GetInt() == 0);
    CHECK(std::string(error["msg"].GetString()) == "success");
    CHECK(error["data"]["status"].GetInt() == 404);
    CHECK(error["data"]["errRaw"].IsObject());
    std::string const raw = error["data"]["error"].GetString();
    CHECK(raw.find(R"("code":"ORDER_NOT_EXIST")") != std::string::npos);
    CHECK_FALSE(error["data"].HasMember("data"));

    auto mismatch = Json(gateway.Call(
        R"({"_action":"wxpay_order_native","description":"改了金额","out_trade_no":"SBXGATEWAY001","amount":{"total":3}})"));
    CHECK(mismatch["code"].GetInt() == 0);
    CHECK(mismatch["data"]["status"].GetInt() == 400);
    CHECK(std::string(mismatch["data"]["error"].GetString()).find("INVALID_REQUEST") !=
          std::string::npos);
  }
}

TEST_CASE("sandbox gateway: pay-common's own refusals are code:-1") {
  SandboxFixture f;
  Gateway gateway{f, f.sandbox().CreateToken().value()};
  // Its validator's own words, every failed check at once.
  auto both = gateway.Call(R"({"_action":"wxpay_order_native","amount":{"total":0}})");
  CheckPayCommonFailure(both, 400);
  CHECK(
      both.body ==
      R"({"code":-1,"msg":"description（商品描述）必填; amount.total（订单金额）必填","data":null})");
  auto refund = gateway.Call(R"({"_action":"wxpay_refund","amount":{"refund":2,"total":1}})");
  CHECK(std::string(Json(refund)["msg"].GetString()) ==
        "out_trade_no 或 transaction_id 至少填一个; out_refund_no（商户退款单号）必填; "
        "amount.refund（退款金额）不能大于 amount.total（订单金额）");
  auto query = gateway.Call(R"({"_action":"wxpay_query_order_by_out_trade_no"})");
  CheckPayCommonFailure(query, 400);
  CHECK(std::string(Json(query)["msg"].GetString()) == "out_trade_no 必填");
  CheckPayCommonFailure(gateway.Call(R"({"_action":"wxpay_order_native","amount":{"total":1}})"),
                        400);
  CheckPayCommonFailure(gateway.Call(R"({"_action":"wxpay_order_native","description":")" +
                                     std::string(128, 'x') + R"(","amount":{"total":1}})"),
                        400);
  CheckPayCommonFailure(
      gateway.Call(R"({"_action":"wxpay_order_native","description":"d","amount":{"total":0}})"),
      400);
  CheckPayCommonFailure(gateway.Call(R"({"_action":"wxpay_order_native","description":"d",)"
                                     R"("out_trade_no":"has*star","amount":{"total":1}})"),
                        400);
  CheckPayCommonFailure(gateway.Call(R"({"_action":"wxpay_refund","out_trade_no":"SBXGW0000001",)"
                                     R"("out_refund_no":"R1","amount":{"refund":3,"total":2}})"),
                        400);
  auto unknown = gateway.Call(R"({"_action":"wxpay_bogus"})");
  CheckPayCommonFailure(unknown, 400);
  CHECK(unknown.body.find("不支持的操作: wxpay_bogus") != std::string::npos);
  auto no_route = gateway.Call(R"({"out_trade_no":"SBXGW0000001"})");
  CheckPayCommonFailure(no_route, 404);
}

TEST_CASE("sandbox gateway: useServiceAccount orders with the service account's AppID") {
  SandboxFixture f;
  Gateway gateway{f, f.sandbox().CreateToken().value()};
  auto ordered = Json(gateway.Call(
      R"({"_action":"wxpay_order_native","description":"服务号","out_trade_no":"SBXGWSERVICE1",)"
      R"("amount":{"total":1},"useServiceAccount":true})"));
  CHECK(ordered["code"].GetInt() == 0);
  CHECK(ordered["data"]["status"].GetInt() == 200);
  auto queried = Json(gateway.Call(
      R"({"_action":"wxpay_query_order_by_out_trade_no","out_trade_no":"SBXGWSERVICE1"})"));
  CHECK(std::string(queried["data"]["data"]["appid"].GetString()) == f.identity().service_app_id);
  // useServiceAccount is pay-common's: it never reaches WeChat.
  CHECK(f.sandbox().OrderView("SBXGWSERVICE1")->find("useServiceAccount") == std::string::npos);
}

TEST_CASE("sandbox gateway: NativePayClient's CloudBase backend against the emulation") {
  SandboxFixture f;
  auto client = NativePayClient::Create(f.sandbox().GatewayClientConfig().value());
  // A build without the CloudBase backend refuses a gateway configuration by name.
  if (!client.ok() && client.status().info().field == "gateway") return;
  INFO(client.status().ToString());
  REQUIRE(client.ok());

  NativePrepayRequest order;
  order.out_trade_no = "SBXGWCLIENT01";
  order.description = "网关客户端";
  order.amount.total = 2;
  auto placed = client->NativePrepay(order);
  INFO(placed.status().ToString());
  REQUIRE(placed.ok());
  CHECK(placed->code_url.rfind("weixin://wxpay/bizpayurl?pr=", 0) == 0);
  REQUIRE(f.sandbox().Pay("SBXGWCLIENT01").ok());
  auto paid = client->QueryOrderByOutTradeNo("SBXGWCLIENT01");
  REQUIRE(paid.ok());
  CHECK(paid->trade_state == "SUCCESS");

  // WeChat's error inside code:0 must not pass as success.
  auto missing = client->QueryOrderByOutTradeNo("SBXGWMISSING1");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == StatusCode::kServiceError);
  CHECK(missing.status().info().service_code == "ORDER_NOT_EXIST");
  auto closed = client->CloseOrder("SBXGWCLIENT01");
  REQUIRE_FALSE(closed.ok());
  CHECK(closed.status().info().service_code == "ORDER_PAID");

  sandbox::TokenOptions anonymous;
  anonymous.anonymous = true;
  auto refused_client =
      NativePayClient::Create(f.sandbox().GatewayClientConfig(anonymous).value()).value();
  auto refused = refused_client.QueryOrderByOutTradeNo("SBXGWCLIENT01");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace wechatpay
