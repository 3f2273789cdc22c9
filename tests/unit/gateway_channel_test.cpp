// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// NativePayClient with the CloudBase pay-common backend over a scripted transport: the exact
// request of each operation, token refresh, retries, unknown outcomes, and the mapping of every
// answer shape onto the same results and Status categories as the direct backend.

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include "catch.hpp"
#include "support/test_merchant.hpp"
#include "wechatpay/testing/client_recorder.hpp"
#include "wechatpay/testing/recording_transport.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay {
namespace {

using testing::RecordingTransport;
using testing::TestMerchant;

constexpr char kToken[] = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.SECRET-SIGNATURE-111";
constexpr char kFreshToken[] = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.SECRET-SIGNATURE-222";
constexpr char kEndpoint[] =
    "https://test-env-1a2b.api.tcloudbasegateway.com/v1/functions/pay-common?webfn=true";
constexpr char kOutTradeNo[] = "ORDER20261126001";

constexpr char kTransaction[] =
    R"({"appid":"wxd678efh567hg6787","mchid":"1900007291","out_trade_no":"ORDER20261126001",)"
    R"("transaction_id":"4200000001202611260000000001","trade_type":"NATIVE","trade_state":"SUCCESS",)"
    R"("trade_state_desc":"支付成功","payer":{"openid":"o-payer"},"amount":{"total":100,)"
    R"("payer_total":100,"currency":"CNY","payer_currency":"CNY"}})";
constexpr char kRefund[] =
    R"({"refund_id":"50300000012026112600000000001","out_refund_no":"REFUND001","transaction_id":)"
    R"("4200000001202611260000000001","out_trade_no":"ORDER20261126001","channel":"ORIGINAL",)"
    R"("status":"PROCESSING","amount":{"total":100,"refund":40,"payer_total":100,)"
    R"("payer_refund":40,"currency":"CNY"}})";

MerchantConfig GatewayMerchant() {
  // A full direct configuration plus `gateway`: the merchant credentials must be ignored, and
  // in particular appid, mchid and notify_url must not be sent.
  auto config = TestMerchant::Config();
  GatewayConfig gateway;
  gateway.env_id = "test-env-1a2b";
  gateway.function_name = "pay-common";
  gateway.access_token = kToken;
  config.gateway = gateway;
  return config;
}

// pay-common's success: {code:0, msg, data:{status, data}}.
std::string Wrapped(int status, std::string const& data) {
  std::string middle = R"({"status":)" + std::to_string(status);
  if (!data.empty()) middle += R"(,"data":)" + data;
  return R"({"code":0,"msg":"success","data":)" + middle + "}}";
}

// The code:0 trap: WeChat's error passed through with its raw body as a string.
std::string WrappedWeChatError(int status, std::string const& code, std::string const& message) {
  return R"({"code":0,"msg":"success","data":{"status":)" + std::to_string(status) +
         R"(,"error":"{\"code\":\")" + code + R"(\",\"message\":\")" + message + R"(\"}"}})";
}

HttpResponse Response(int status, std::string body, std::string request_id = "gw-req-1") {
  HttpResponse response;
  response.status_code = status;
  response.body = std::move(body);
  response.headers.Add("Content-Type", "application/json");
  if (!request_id.empty()) response.headers.Add("X-Request-Id", std::move(request_id));
  return response;
}

Status TransportError(StatusCode code, bool outcome_unknown) {
  ErrorInfo info;
  info.outcome_unknown = outcome_unknown;
  info.transport_code = 7;
  return Status(code, "cannot reach test-env-1a2b.api.tcloudbasegateway.com", info);
}

struct Fixture : testing::ClientRecorder {
  std::shared_ptr<RecordingTransport> transport = std::make_shared<RecordingTransport>();
  NativePayClient client = Make(GatewayMerchant());

  ClientOptions Options(int max_retries = 2) {
    ClientOptions options;
    options.transport = transport;
    Attach(options);
    options.retry.max_retries = max_retries;
    return options;
  }

  NativePayClient Make(MerchantConfig const& config, int max_retries = 2) {
    return NativePayClient::Create(config, Options(max_retries)).value();
  }

  NativePayClient WithProvider(std::shared_ptr<AccessTokenProvider> tokens) {
    auto config = GatewayMerchant();
    config.gateway->access_token.clear();
    return NativePayClient(MakeGatewayChannel(config, Options(), std::move(tokens)).value());
  }

  void Answer(int status, std::string body, std::string request_id = "gw-req-1") {
    transport->PushResult(Response(status, std::move(body), std::move(request_id)));
  }

  HttpRequest Last() const { return transport->requests().back(); }
};

NativePrepayRequest MinimalOrder() {
  NativePrepayRequest request;
  request.description = "门店扫码-可乐";
  request.out_trade_no = kOutTradeNo;
  request.amount.total = 100;
  return request;
}

CreateRefundRequest MinimalRefund() {
  CreateRefundRequest refund;
  refund.out_trade_no = kOutTradeNo;
  refund.out_refund_no = "REFUND001";
  refund.reason = "顾客退货";
  refund.amount.refund = 40;
  refund.amount.total = 100;
  return refund;
}

void CheckRequest(HttpRequest const& request, std::string const& body,
                  std::string const& token = kToken) {
  CHECK(request.method == "POST");
  CHECK(request.url == kEndpoint);
  CHECK(request.body == body);
  CHECK(request.headers.Get("Authorization") == "Bearer " + token);
  CHECK(request.headers.Get("Content-Type") == "application/json");
  CHECK(request.headers.Get("Accept") == "application/json");
  CHECK(request.headers.Get("User-Agent").rfind("wechatpay-cpp/", 0) == 0);
  // Nothing of the direct protocol leaks into this mode.
  CHECK_FALSE(request.headers.Has("Wechatpay-Serial"));
}

bool Contains(std::string const& text, std::string const& part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("Gateway NativePrepay posts _action without appid, mchid or notify_url") {
  Fixture f;
  f.Answer(200, Wrapped(200, R"({"code_url":"weixin://wxpay/bizpayurl?pr=abc123"})"));
  auto response = f.client.NativePrepay(MinimalOrder());
  REQUIRE(response.ok());
  CHECK(response->code_url == "weixin://wxpay/bizpayurl?pr=abc123");
  CHECK(response->meta.http_status == 200);
  CHECK(response->meta.request_id == "gw-req-1");
  CHECK(response->meta.gateway_request_id == "gw-req-1");
  CheckRequest(f.Last(), R"({"_action":"wxpay_order_native","description":"门店扫码-可乐",)"
                         R"("out_trade_no":"ORDER20261126001","amount":{"total":100}})");
  CHECK(f.transport->count() == 1);
}

TEST_CASE("Gateway NativePrepay passes explicit overrides and useServiceAccount") {
  Fixture f;
  SECTION("appid and notify_url set on the request are sent (pay-common honours them)") {
    f.Answer(200, Wrapped(200, R"({"code_url":"weixin://x"})"));
    auto order = MinimalOrder();
    order.appid = "wx0000000000000002";
    order.notify_url = "https://merchant.example.com/pay/notify";
    order.attach = "shop=7";
    REQUIRE(f.client.NativePrepay(order).ok());
    CheckRequest(
        f.Last(),
        R"({"_action":"wxpay_order_native","appid":"wx0000000000000002",)"
        R"("description":"门店扫码-可乐","out_trade_no":"ORDER20261126001","attach":"shop=7",)"
        R"("notify_url":"https://merchant.example.com/pay/notify","amount":{"total":100}})");
  }
  SECTION("use_service_account writes useServiceAccount:true right after _action") {
    f.Answer(200, Wrapped(200, R"({"code_url":"weixin://x"})"));
    auto order = MinimalOrder();
    order.use_service_account = true;
    REQUIRE(f.client.NativePrepay(order).ok());
    CheckRequest(
        f.Last(),
        R"({"_action":"wxpay_order_native","useServiceAccount":true,)"
        R"("description":"门店扫码-可乐","out_trade_no":"ORDER20261126001","amount":{"total":100}})");
  }
  SECTION("appid together with use_service_account is refused before sending") {
    auto order = MinimalOrder();
    order.use_service_account = true;
    order.appid = "wx0000000000000002";
    auto response = f.client.NativePrepay(order);
    REQUIRE_FALSE(response.ok());
    CHECK(response.status().code() == StatusCode::kInvalidArgument);
    CHECK(response.status().info().field == "appid");
    CHECK(f.transport->count() == 0);
  }
}

TEST_CASE("Gateway validation: pay-common's stricter out_trade_no, before anything is sent") {
  Fixture f;
  for (std::string no : {"ORDER|2026", "ORDER*2026", "ORD1"}) {
    INFO(no);
    auto order = MinimalOrder();
    order.out_trade_no = no;
    auto response = f.client.NativePrepay(order);
    REQUIRE_FALSE(response.ok());
    CHECK(response.status().code() == StatusCode::kInvalidArgument);
    CHECK(response.status().info().field == "out_trade_no");
  }
  auto order = MinimalOrder();
  order.out_trade_no = "ORDER|2026";
  CHECK(Contains(f.client.NativePrepay(order).status().message(), "[A-Za-z0-9_-]"));
  // The common rules still apply first.
  order.description.clear();
  CHECK(f.client.NativePrepay(order).status().info().field == "description");
  auto refund = MinimalRefund();
  refund.amount.refund = 101;
  CHECK(f.client.CreateRefund(refund).status().info().field == "amount.refund");
  CHECK(f.transport->count() == 0);
}

TEST_CASE("Gateway queries, close, refund and refund query send their _action bodies") {
  Fixture f;
  SECTION("query by out_trade_no") {
    f.Answer(200, Wrapped(200, kTransaction));
    auto tx = f.client.QueryOrderByOutTradeNo(kOutTradeNo);
    REQUIRE(tx.ok());
    CheckRequest(
        f.Last(),
        R"({"_action":"wxpay_query_order_by_out_trade_no","out_trade_no":"ORDER20261126001"})");
    CHECK(tx->trade_state == "SUCCESS");
    CHECK(tx->payer->openid == "o-payer");
    CHECK(tx->amount->payer_total == 100);
    CHECK(tx->raw_json == kTransaction);
    CHECK(tx->meta.http_status == 200);
    CHECK(tx->meta.gateway_request_id == "gw-req-1");
  }
  SECTION("query by transaction_id") {
    f.Answer(200, Wrapped(200, kTransaction));
    REQUIRE(f.client.QueryOrderById("4200000001202611260000000001").ok());
    CheckRequest(
        f.Last(),
        R"({"_action":"wxpay_query_order_by_transaction_id","transaction_id":"4200000001202611260000000001"})");
  }
  SECTION("close accepts status 204 without data") {
    f.Answer(200, Wrapped(204, ""));
    auto closed = f.client.CloseOrder(kOutTradeNo);
    REQUIRE(closed.ok());
    CHECK(closed->meta.http_status == 204);
    CHECK(closed->meta.gateway_request_id == "gw-req-1");
    CheckRequest(f.Last(), R"({"_action":"wxpay_close_order","out_trade_no":"ORDER20261126001"})");
  }
  // Issue 15, item 8: every shape pay-common gives an empty 204 is a success, never
  // "malformed, outcome unknown".
  SECTION("close accepts data.data as \"\", {} or null") {
    for (auto const* data : {R"("")", "{}", "null"}) {
      INFO(data);
      f.Answer(200, Wrapped(204, data));
      auto closed = f.client.CloseOrder(kOutTradeNo);
      REQUIRE(closed.ok());
      CHECK(closed->meta.http_status == 204);
    }
    // Where WeChat's object is needed, "" is still no object.
    f.Answer(200, Wrapped(200, R"("")"));
    auto order = f.client.NativePrepay(MinimalOrder());
    REQUIRE_FALSE(order.ok());
    CHECK(order.status().code() == StatusCode::kMalformedResponse);
    CHECK(order.status().info().outcome_unknown);
    f.Answer(200, Wrapped(204, R"("x")"));
    CHECK(f.client.CloseOrder(kOutTradeNo).status().code() == StatusCode::kMalformedResponse);
  }
  SECTION("refund") {
    f.Answer(200, Wrapped(200, kRefund));
    auto refund = f.client.CreateRefund(MinimalRefund());
    REQUIRE(refund.ok());
    CHECK(refund->status == "PROCESSING");
    CHECK(refund->amount->refund == 40);
    CheckRequest(f.Last(), R"({"_action":"wxpay_refund","out_trade_no":"ORDER20261126001",)"
                           R"("out_refund_no":"REFUND001","reason":"顾客退货",)"
                           R"("amount":{"refund":40,"total":100,"currency":"CNY"}})");
  }
  SECTION("refund query") {
    f.Answer(200, Wrapped(200, kRefund));
    auto refund = f.client.QueryRefund("REFUND001");
    REQUIRE(refund.ok());
    CHECK(refund->out_refund_no == "REFUND001");
    CheckRequest(f.Last(), R"({"_action":"wxpay_refund_query","out_refund_no":"REFUND001"})");
  }
  SECTION("queries keep the direct rules: '|' and '*' pass (pay-common does not check them)") {
    f.Answer(200, Wrapped(200, kTransaction));
    REQUIRE(f.client.QueryOrderByOutTradeNo("order|1*2").ok());
    CHECK(Contains(f.Last().body, R"("out_trade_no":"order|1*2")"));
  }
}

TEST_CASE("Gateway: apply-abnormal-refund is refused without sending, pay-common has no action") {
  Fixture f;
  ApplyAbnormalRefundRequest request;
  request.refund_id = "50000000382019052709732678859";
  request.out_refund_no = "RF20261207001";
  request.type = std::string(kAbnormalRefundToMerchantBankCard);
  auto refund = f.client.ApplyAbnormalRefund(request);
  REQUIRE_FALSE(refund.ok());
  CHECK(refund.status().code() == StatusCode::kUnimplemented);
  CHECK(refund.status().message().find("pay-common") != std::string::npos);
  CHECK(refund.status().message().find("direct channel") != std::string::npos);
  CHECK(f.transport->count() == 0);
}

TEST_CASE("Gateway: WeChat's error inside a code 0 answer is a service error, never a success") {
  Fixture f;
  SECTION("query: 404 ORDER_NOT_EXIST") {
    f.Answer(200, WrappedWeChatError(404, "ORDER_NOT_EXIST", "订单不存在"));
    auto tx = f.client.QueryOrderByOutTradeNo(kOutTradeNo);
    REQUIRE_FALSE(tx.ok());
    auto const& s = tx.status();
    CHECK(s.code() == StatusCode::kServiceError);
    CHECK(s.info().http_status == 404);
    CHECK(s.info().service_code == "ORDER_NOT_EXIST");
    CHECK(s.info().service_message == "订单不存在");
    CHECK(s.info().request_id == "gw-req-1");
    CHECK(s.info().gateway_request_id == "gw-req-1");
    CHECK_FALSE(s.info().outcome_unknown);
    CHECK(Contains(s.message(), "ORDER_NOT_EXIST"));
    CHECK(f.transport->count() == 1);
  }
  SECTION("order: 400 PARAM_ERROR is final and not an unknown outcome") {
    f.Answer(200, WrappedWeChatError(400, "PARAM_ERROR", "参数错误"));
    auto order = f.client.NativePrepay(MinimalOrder());
    REQUIRE_FALSE(order.ok());
    CHECK(order.status().info().service_code == "PARAM_ERROR");
    CHECK_FALSE(order.status().info().outcome_unknown);
    CHECK(f.transport->count() == 1);
  }
  SECTION("close: 400 ORDER_CLOSED through errRaw with WeChat's Request-ID") {
    f.Answer(200,
             R"({"code":0,"msg":"success","data":{"status":400,"errRaw":{"status":400,"response":{)"
             R"("header":{"request-id":"08WECHAT-400"},"status":400,)"
             R"("text":"{\"code\":\"ORDER_CLOSED\",\"message\":\"订单已关闭\"}"}}}})");
    auto closed = f.client.CloseOrder(kOutTradeNo);
    REQUIRE_FALSE(closed.ok());
    CHECK(closed.status().info().service_code == "ORDER_CLOSED");
    CHECK(closed.status().info().request_id == "08WECHAT-400");
    CHECK(closed.status().info().gateway_request_id == "gw-req-1");
  }
  SECTION("refund: WeChat 500 is retried with the same body, then reported as unknown") {
    for (int i = 0; i < 3; ++i) f.Answer(200, WrappedWeChatError(500, "SYSTEM_ERROR", "系统异常"));
    auto refund = f.client.CreateRefund(MinimalRefund());
    REQUIRE_FALSE(refund.ok());
    CHECK(f.transport->count() == 3);
    auto requests = f.transport->requests();
    CHECK(requests[0].body == requests[2].body);
    CHECK(refund.status().info().service_code == "SYSTEM_ERROR");
    CHECK(refund.status().info().outcome_unknown);
    CHECK(Contains(refund.status().message(), "query the refund by out_refund_no"));
  }
}

TEST_CASE("Gateway: pay-common's code -1") {
  Fixture f;
  SECTION("refund: 400 leaves the outcome open (its hooks run after the WeChat call)") {
    f.Answer(400, R"({"code":-1,"msg":"退款失败","data":null})");
    auto refund = f.client.CreateRefund(MinimalRefund());
    REQUIRE_FALSE(refund.ok());
    auto const& s = refund.status();
    CHECK(s.code() == StatusCode::kServiceError);
    CHECK(s.info().http_status == 400);
    CHECK(s.info().service_code == "-1");
    CHECK(s.info().service_message == "退款失败");
    CHECK(s.info().outcome_unknown);
    CHECK(f.transport->count() == 1);
  }
  SECTION("query: 400 is a plain service error") {
    f.Answer(400, R"({"code":-1,"msg":"out_trade_no 必填","data":null})");
    auto tx = f.client.QueryOrderByOutTradeNo(kOutTradeNo);
    REQUIRE_FALSE(tx.ok());
    CHECK(tx.status().info().service_code == "-1");
    CHECK_FALSE(tx.status().info().outcome_unknown);
  }
  SECTION("order: an unknown action never reached a service") {
    f.Answer(400, R"({"code":-1,"msg":"不支持的操作: wxpay_order_native"})");
    auto order = f.client.NativePrepay(MinimalOrder());
    REQUIRE_FALSE(order.ok());
    CHECK_FALSE(order.status().info().outcome_unknown);
  }
  SECTION("401 未授权访问 is unauthenticated without a refresh") {
    f.Answer(401, R"({"code":-1,"msg":"未授权访问"})");
    auto tx = f.client.QueryOrderByOutTradeNo(kOutTradeNo);
    REQUIRE_FALSE(tx.ok());
    CHECK(tx.status().code() == StatusCode::kUnauthenticated);
    CHECK(Contains(tx.status().message(), "authenticated (non-anonymous)"));
    CHECK(f.transport->count() == 1);
  }
}

TEST_CASE("Gateway errors: 401, 403, 404, 429, 5xx") {
  Fixture f;
  SECTION("401 MISSING_CREDENTIALS with a fixed token: unauthenticated, no refresh") {
    f.Answer(401, R"({"code":"MISSING_CREDENTIALS","message":"缺少凭证","requestId":"gw-401"})",
             "");
    auto tx = f.client.QueryOrderByOutTradeNo(kOutTradeNo);
    REQUIRE_FALSE(tx.ok());
    auto const& s = tx.status();
    CHECK(s.code() == StatusCode::kUnauthenticated);
    CHECK(s.info().http_status == 401);
    CHECK(s.info().service_code == "MISSING_CREDENTIALS");
    CHECK(s.info().gateway_request_id == "gw-401");
    CHECK(Contains(s.message(), "an authenticated (non-anonymous) CloudBase login is required"));
    CHECK(f.transport->count() == 1);
    CHECK(f.sleeps().empty());
  }
  SECTION("401 ACCESS_TOKEN_EXPIRED with a fixed token: no refresh, says it expired") {
    f.Answer(401, R"({"code":"ACCESS_TOKEN_EXPIRED","message":"token expired","requestId":"x"})");
    auto order = f.client.NativePrepay(MinimalOrder());
    REQUIRE_FALSE(order.ok());
    CHECK(order.status().code() == StatusCode::kUnauthenticated);
    CHECK(Contains(order.status().message(), "expired"));
    CHECK_FALSE(order.status().info().outcome_unknown);  // refused before the function ran
    CHECK(f.transport->count() == 1);
  }
  SECTION("403 EXCEED_AUTHORITY (an anonymous login)") {
    f.Answer(403, R"({"code":"EXCEED_AUTHORITY","message":"权限不足","requestId":"x"})");
    auto closed = f.client.CloseOrder(kOutTradeNo);
    REQUIRE_FALSE(closed.ok());
    CHECK(closed.status().code() == StatusCode::kUnauthenticated);
    CHECK(closed.status().info().service_code == "EXCEED_AUTHORITY");
    CHECK(Contains(closed.status().message(), "non-anonymous"));
  }
  SECTION("404 FUNCTION_NOT_FOUND is final") {
    f.Answer(404, R"({"code":"FUNCTION_NOT_FOUND","message":"函数不存在","requestId":"x"})");
    auto refund = f.client.CreateRefund(MinimalRefund());
    REQUIRE_FALSE(refund.ok());
    CHECK(refund.status().code() == StatusCode::kServiceError);
    CHECK(refund.status().info().service_code == "FUNCTION_NOT_FOUND");
    CHECK_FALSE(refund.status().info().outcome_unknown);
    CHECK(f.transport->count() == 1);
  }
  SECTION("429 is retried after Retry-After, even for an order") {
    auto limited = Response(429, R"({"code":"RATE_LIMIT_EXCEEDED","message":"x"})");
    limited.headers.Add("Retry-After", "3");
    f.transport->PushResult(limited);
    f.Answer(200, Wrapped(200, R"({"code_url":"weixin://ok"})"));
    REQUIRE(f.client.NativePrepay(MinimalOrder()).ok());
    CHECK(f.transport->count() == 2);
    REQUIRE(f.sleeps().size() == 1);
    CHECK(f.sleeps()[0] == std::chrono::milliseconds(3000));
  }
  SECTION("502 is retried, then succeeds") {
    f.Answer(502, "<html>Bad Gateway</html>");
    f.Answer(200, Wrapped(200, kTransaction));
    REQUIRE(f.client.QueryOrderByOutTradeNo(kOutTradeNo).ok());
    CHECK(f.transport->count() == 2);
    CHECK(f.sleeps().size() == 1);
  }
  SECTION("a close that keeps failing with 5xx reports an unknown outcome") {
    for (int i = 0; i < 3; ++i) {
      f.Answer(500, R"({"code":"FUNCTION_INVOCATION_FAILED","message":"x","requestId":"x"})");
    }
    auto closed = f.client.CloseOrder(kOutTradeNo);
    REQUIRE_FALSE(closed.ok());
    CHECK(f.transport->count() == 3);
    CHECK(closed.status().info().service_code == "FUNCTION_INVOCATION_FAILED");
    CHECK(closed.status().info().outcome_unknown);
    CHECK(Contains(closed.status().message(), "query the order by out_trade_no"));
  }
}

TEST_CASE("Gateway: answers that are not pay-common's are malformed") {
  Fixture f;
  SECTION("non-JSON 200 on a query") {
    f.Answer(200, "<html>hello</html>");
    auto tx = f.client.QueryOrderByOutTradeNo(kOutTradeNo);
    REQUIRE_FALSE(tx.ok());
    CHECK(tx.status().code() == StatusCode::kMalformedResponse);
    CHECK(tx.status().info().gateway_request_id == "gw-req-1");
    CHECK_FALSE(tx.status().info().outcome_unknown);
    CHECK(f.transport->count() == 1);
  }
  SECTION("empty 200 on an order: the order may exist") {
    f.Answer(200, "");
    auto order = f.client.NativePrepay(MinimalOrder());
    REQUIRE_FALSE(order.ok());
    CHECK(order.status().code() == StatusCode::kMalformedResponse);
    CHECK(order.status().info().outcome_unknown);
  }
  SECTION("wrong nesting: WeChat's object without the middle layer") {
    f.Answer(200, R"({"code":0,"msg":"success","data":{"code_url":"weixin://x"}})");
    auto order = f.client.NativePrepay(MinimalOrder());
    REQUIRE_FALSE(order.ok());
    CHECK(order.status().code() == StatusCode::kMalformedResponse);
  }
  SECTION("status 200 without data on a query") {
    f.Answer(200, Wrapped(200, ""));
    auto tx = f.client.QueryOrderByOutTradeNo(kOutTradeNo);
    REQUIRE_FALSE(tx.ok());
    CHECK(tx.status().code() == StatusCode::kMalformedResponse);
    CHECK(Contains(tx.status().message(), "without /data/data"));
  }
  SECTION("WeChat's object with trailing garbage or a duplicated member after an order") {
    for (auto const& body : {std::string(R"({"code_url":"weixin://a","code_url":"weixin://b"})"),
                             std::string(R"({"code_url":7})")}) {
      f.Answer(200, Wrapped(200, body));
      auto order = f.client.NativePrepay(MinimalOrder());
      REQUIRE_FALSE(order.ok());
      CHECK(order.status().code() == StatusCode::kMalformedResponse);
      CHECK(order.status().info().outcome_unknown);
      CHECK(Contains(order.status().message(), "the outcome is unknown: query the order"));
    }
  }
  SECTION("a pay-common envelope with a duplicated code") {
    f.Answer(200, R"({"code":-1,"code":0,"msg":"x","data":{}})");
    auto order = f.client.NativePrepay(MinimalOrder());
    REQUIRE_FALSE(order.ok());
    CHECK(order.status().code() == StatusCode::kMalformedResponse);
    CHECK(Contains(order.status().message(), "/code occurs twice"));
    CHECK(order.status().info().outcome_unknown);
  }
  SECTION("a refund object of the wrong shape after a refund") {
    f.Answer(200, Wrapped(200, R"({"refund_id":"5030"})"));
    auto refund = f.client.CreateRefund(MinimalRefund());
    REQUIRE_FALSE(refund.ok());
    CHECK(refund.status().code() == StatusCode::kMalformedResponse);
    CHECK(refund.status().info().http_status == 200);
    CHECK(refund.status().info().gateway_request_id == "gw-req-1");
    CHECK(refund.status().info().outcome_unknown);
  }
}

TEST_CASE("Gateway transport failures follow the direct backend's rules") {
  Fixture f;
  SECTION("a connect failure is retried, even for an order") {
    f.transport->PushResult(TransportError(StatusCode::kTransport, false));
    f.Answer(200, Wrapped(200, R"({"code_url":"weixin://ok"})"));
    REQUIRE(f.client.NativePrepay(MinimalOrder()).ok());
    CHECK(f.transport->count() == 2);
  }
  SECTION("an order that timed out after sending is not resent") {
    f.transport->PushResult(TransportError(StatusCode::kDeadlineExceeded, true));
    auto order = f.client.NativePrepay(MinimalOrder());
    REQUIRE_FALSE(order.ok());
    CHECK(order.status().code() == StatusCode::kDeadlineExceeded);
    CHECK(order.status().info().outcome_unknown);
    CHECK(Contains(order.status().message(), "outcome is unknown"));
    CHECK(f.transport->count() == 1);
  }
  SECTION("a query that timed out is resent (it is a read, though an HTTP POST)") {
    f.transport->PushResult(TransportError(StatusCode::kDeadlineExceeded, true));
    f.Answer(200, Wrapped(200, kTransaction));
    REQUIRE(f.client.QueryOrderByOutTradeNo(kOutTradeNo).ok());
    CHECK(f.transport->count() == 2);
  }
  SECTION("a query failure is never an unknown outcome") {
    for (int i = 0; i < 3; ++i) {
      f.transport->PushResult(TransportError(StatusCode::kDeadlineExceeded, true));
    }
    auto refund = f.client.QueryRefund("REFUND001");
    REQUIRE_FALSE(refund.ok());
    CHECK_FALSE(refund.status().info().outcome_unknown);
  }
  SECTION("pay-common's own call to WeChat failed: a refund is not resent") {
    f.Answer(200, R"({"code":0,"msg":"success","data":{"errRaw":{"code":"ETIMEDOUT"}}})");
    auto refund = f.client.CreateRefund(MinimalRefund());
    REQUIRE_FALSE(refund.ok());
    CHECK(refund.status().code() == StatusCode::kServiceError);
    CHECK(refund.status().info().outcome_unknown);
    CHECK(f.transport->count() == 1);
  }
}

TEST_CASE("Gateway tokens: a callback provider refreshes once") {
  Fixture f;
  std::atomic<int> fetches{0};
  auto provider = MakeCallbackTokenProvider([&]() -> StatusOr<std::string> {
    return ++fetches == 1 ? std::string(kToken) : std::string(kFreshToken);
  });
  auto client = f.WithProvider(provider);
  SECTION("ACCESS_TOKEN_EXPIRED → fresh token → success, even for an order") {
    f.Answer(401, R"({"code":"ACCESS_TOKEN_EXPIRED","message":"expired","requestId":"a"})");
    f.Answer(200, Wrapped(200, R"({"code_url":"weixin://ok"})"));
    auto order = client.NativePrepay(MinimalOrder());
    REQUIRE(order.ok());
    CHECK(fetches == 2);
    auto requests = f.transport->requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].headers.Get("Authorization") == std::string("Bearer ") + kToken);
    CHECK(requests[1].headers.Get("Authorization") == std::string("Bearer ") + kFreshToken);
    CHECK(requests[0].body == requests[1].body);
    CHECK(f.sleeps().empty());  // a refresh is not a backoff retry
    // The fresh token is cached for the next call.
    f.Answer(200, Wrapped(200, kTransaction));
    REQUIRE(client.QueryOrderByOutTradeNo(kOutTradeNo).ok());
    CHECK(fetches == 2);
    CHECK(f.Last().headers.Get("Authorization") == std::string("Bearer ") + kFreshToken);
  }
  SECTION("any gateway 401 is refreshed when the provider can refresh") {
    f.Answer(401, R"({"code":"INVALID_CREDENTIALS","message":"bad","requestId":"a"})");
    f.Answer(200, Wrapped(200, kTransaction));
    REQUIRE(client.QueryOrderByOutTradeNo(kOutTradeNo).ok());
    CHECK(fetches == 2);
  }
  SECTION("refused again after the refresh → unauthenticated, two requests") {
    f.Answer(401, R"({"code":"ACCESS_TOKEN_EXPIRED","message":"expired","requestId":"a"})");
    f.Answer(401, R"({"code":"ACCESS_TOKEN_INVALID","message":"invalid","requestId":"b"})");
    auto tx = client.QueryOrderByOutTradeNo(kOutTradeNo);
    REQUIRE_FALSE(tx.ok());
    CHECK(tx.status().code() == StatusCode::kUnauthenticated);
    CHECK(tx.status().info().service_code == "ACCESS_TOKEN_INVALID");
    CHECK(Contains(tx.status().message(), "refused again after a token refresh"));
    CHECK(Contains(tx.status().message(), "authenticated (non-anonymous)"));
    CHECK(f.transport->count() == 2);
    CHECK(fetches == 2);
  }
  SECTION("one refresh per operation, even across 5xx retries") {
    f.Answer(401, R"({"code":"ACCESS_TOKEN_EXPIRED","message":"expired","requestId":"a"})");
    f.Answer(502, "");
    f.Answer(401, R"({"code":"ACCESS_TOKEN_EXPIRED","message":"expired","requestId":"c"})");
    auto tx = client.QueryOrderByOutTradeNo(kOutTradeNo);
    REQUIRE_FALSE(tx.ok());
    CHECK(tx.status().code() == StatusCode::kUnauthenticated);
    CHECK(f.transport->count() == 3);
    CHECK(fetches == 2);
  }
  SECTION("403 is not refreshed") {
    f.Answer(403, R"({"code":"ACCESS_DENIED","message":"anonymous","requestId":"a"})");
    auto tx = client.QueryOrderByOutTradeNo(kOutTradeNo);
    REQUIRE_FALSE(tx.ok());
    CHECK(tx.status().code() == StatusCode::kUnauthenticated);
    CHECK(fetches == 1);
    CHECK(f.transport->count() == 1);
  }
}

TEST_CASE("Gateway tokens: missing, failing or unusable tokens are never sent") {
  Fixture f;
  SECTION("a callback that fails: its status, nothing sent") {
    auto client = f.WithProvider(MakeCallbackTokenProvider([]() -> StatusOr<std::string> {
      return Status(StatusCode::kUnauthenticated, "the user is signed out");
    }));
    auto tx = client.QueryOrderByOutTradeNo(kOutTradeNo);
    REQUIRE_FALSE(tx.ok());
    CHECK(tx.status().code() == StatusCode::kUnauthenticated);
    CHECK(Contains(tx.status().message(), "the user is signed out"));
    CHECK(f.transport->count() == 0);
  }
  SECTION("a callback that returns no token") {
    auto client =
        f.WithProvider(MakeCallbackTokenProvider([]() -> StatusOr<std::string> { return {""}; }));
    auto tx = client.QueryOrderByOutTradeNo(kOutTradeNo);
    REQUIRE_FALSE(tx.ok());
    CHECK(tx.status().code() == StatusCode::kUnauthenticated);
    CHECK(Contains(tx.status().message(), "authenticated (non-anonymous)"));
    CHECK(f.transport->count() == 0);
  }
  SECTION("a token that would break the header") {
    auto client = f.WithProvider(MakeCallbackTokenProvider(
        []() -> StatusOr<std::string> { return std::string("Bearer abc\r\nX-Evil: 1"); }));
    auto tx = client.QueryOrderByOutTradeNo(kOutTradeNo);
    REQUIRE_FALSE(tx.ok());
    CHECK(tx.status().code() == StatusCode::kUnauthenticated);
    CHECK(f.transport->count() == 0);
  }
  SECTION("a refresh that fails is reported, the request is not resent") {
    int calls = 0;
    auto client = f.WithProvider(MakeCallbackTokenProvider([&]() -> StatusOr<std::string> {
      if (++calls == 1) return std::string(kToken);
      return Status(StatusCode::kTransport, "cannot reach the login service");
    }));
    f.Answer(401, R"({"code":"ACCESS_TOKEN_EXPIRED","message":"expired","requestId":"a"})");
    auto tx = client.QueryOrderByOutTradeNo(kOutTradeNo);
    REQUIRE_FALSE(tx.ok());
    CHECK(tx.status().code() == StatusCode::kTransport);
    CHECK(Contains(tx.status().message(), "access token provider failed"));
    CHECK(f.transport->count() == 1);
  }
  SECTION("the fixed provider never refreshes") {
    auto fixed = MakeFixedTokenProvider(kToken);
    CHECK_FALSE(fixed->CanRefresh());
    CHECK(fixed->Token(true).value() == kToken);
  }
}

TEST_CASE("Gateway configuration is checked when the client is created") {
  auto expect = [](MerchantConfig const& config, std::string const& field,
                   StatusCode code = StatusCode::kConfiguration) {
    ClientOptions options;
    options.transport = std::make_shared<RecordingTransport>();
    auto client = NativePayClient::Create(config, options);
    REQUIRE_FALSE(client.ok());
    INFO(client.status().message());
    CHECK(client.status().code() == code);
    CHECK(client.status().info().field == field);
    CHECK(Contains(client.status().message(), field));
  };
  auto config = GatewayMerchant();
  SECTION("function name") {
    for (std::string name : std::vector<std::string>{"", "p", "1pay", "pay-", "pay common",
                                                     "pay/common", "p" + std::string(60, 'a')}) {
      INFO(name);
      config.gateway->function_name = name;
      expect(config, "gateway.functionName");
    }
  }
  SECTION("env id, needed unless url is set") {
    config.gateway->env_id.clear();
    expect(config, "gateway.envId");
    config.gateway->env_id = "bad.env";
    expect(config, "gateway.envId");
    config.gateway->env_id = "-env";
    expect(config, "gateway.envId");
  }
  SECTION("url") {
    for (std::string url : {"http://gateway.example.com", "https://gw.example.com/?x=1",
                            "ftp://127.0.0.1", "https://user@gw.example.com", "not a url"}) {
      INFO(url);
      config.gateway->url = url;
      expect(config, "gateway.url");
    }
  }
  SECTION("a missing token is unauthenticated (CLI exit 5), a broken one a configuration error") {
    config.gateway->access_token.clear();
    expect(config, "gateway.accessToken", StatusCode::kUnauthenticated);
    config.gateway->access_token = std::string("Bearer ") + kToken;
    expect(config, "gateway.accessToken");
  }
  SECTION("a token provider makes the configured token optional") {
    config.gateway->access_token.clear();
    auto channel = MakeGatewayChannel(config, {}, MakeFixedTokenProvider(kToken));
    CHECK(channel.ok());
  }
  SECTION("the direct credentials are not needed in gateway mode") {
    MerchantConfig bare;
    bare.gateway = config.gateway;
    ClientOptions options;
    options.transport = std::make_shared<RecordingTransport>();
    CHECK(NativePayClient::Create(bare, options).ok());
  }
  SECTION("MakeGatewayChannel without gateway settings") {
    config.gateway.reset();
    auto channel = MakeGatewayChannel(config);
    REQUIRE_FALSE(channel.ok());
    CHECK(channel.status().info().field == "gateway");
  }
}

TEST_CASE("Gateway url overrides the default host; loopback http is allowed") {
  Fixture f;
  auto config = GatewayMerchant();
  config.gateway->env_id.clear();
  config.gateway->url = "http://127.0.0.1:8080/cloudbase/";
  auto client = f.Make(config);
  f.Answer(200, Wrapped(200, kTransaction));
  REQUIRE(client.QueryOrderByOutTradeNo(kOutTradeNo).ok());
  CHECK(f.Last().url == "http://127.0.0.1:8080/cloudbase/v1/functions/pay-common?webfn=true");
}

TEST_CASE("Gateway errors and logs never contain the token") {
  Fixture f;
  std::vector<std::string> texts;
  f.Answer(401, R"({"code":"ACCESS_TOKEN_INVALID","message":"bad token )" + std::string(kToken) +
                    R"(","requestId":"a"})");
  texts.push_back(f.client.QueryOrderByOutTradeNo(kOutTradeNo).status().ToString());
  auto echoed = f.client.QueryOrderByOutTradeNo(kOutTradeNo);  // no answer left: an error
  texts.push_back(echoed.status().ToString());
  f.Answer(400, R"({"code":-1,"msg":"token )" + std::string(kToken) + R"( rejected"})");
  auto refund = f.client.CreateRefund(MinimalRefund());
  texts.push_back(refund.status().ToString());
  texts.push_back(refund.status().info().service_message);
  f.Answer(502, "");
  f.Answer(502, "");
  f.Answer(502, "");
  texts.push_back(f.client.CloseOrder(kOutTradeNo).status().ToString());
  auto config = GatewayMerchant();
  config.gateway->access_token = std::string("Bearer ") + kToken;
  texts.push_back(NativePayClient::Create(config).status().ToString());
  for (auto const& line : f.log()) texts.push_back(line);
  REQUIRE(texts.size() > 6);
  bool logged_request_line = false;
  for (auto const& text : texts) {
    INFO(text);
    CHECK_FALSE(Contains(text, "SECRET-SIGNATURE"));
    CHECK_FALSE(Contains(text, "Bearer eyJ"));
    logged_request_line = logged_request_line || Contains(text, "_action=wxpay_close_order");
  }
  CHECK(logged_request_line);
  CHECK(Contains(refund.status().info().service_message, "[redacted]"));
}

TEST_CASE("Gateway log lines name the action and the gateway's request id") {
  Fixture f;
  f.Answer(200, Wrapped(200, kTransaction), "gw-log-42");
  REQUIRE(f.client.QueryOrderByOutTradeNo(kOutTradeNo).ok());
  REQUIRE(f.log().size() == 2);
  CHECK(f.log()[0] ==
        std::string("> POST ") + kEndpoint + " _action=wxpay_query_order_by_out_trade_no");
  CHECK(f.log()[1] ==
        "< 200 POST _action=wxpay_query_order_by_out_trade_no X-Request-Id gw-log-42");
}

// Issue 14, finding 6: a token the gateway echoes in a header (or its body) is redacted before
// anything reads the answer: request ids, messages and log lines never carry it, on success or
// failure; hostile ids are printable.
TEST_CASE("Gateway: a token echoed in a header never reaches ids, messages or logs") {
  Fixture f;
  f.Answer(200, Wrapped(200, kTransaction), std::string("id-") + kToken + "\r\nforged");
  auto tx = f.client.QueryOrderByOutTradeNo(kOutTradeNo);
  REQUIRE(tx.ok());
  CHECK(tx->meta.gateway_request_id == "id-[redacted]\\x0D\\x0Aforged");
  CHECK(tx->meta.request_id == tx->meta.gateway_request_id);
  f.Answer(500, std::string(R"({"code":"X","message":"echo )") + kToken + "\"}",
           std::string("id-") + kToken);
  auto client = f.Make(GatewayMerchant(), 0);
  auto failed = client.QueryOrderByOutTradeNo(kOutTradeNo);
  REQUIRE_FALSE(failed.ok());
  std::vector<std::string> texts = {failed.status().ToString(), failed.status().info().request_id,
                                    failed.status().info().gateway_request_id,
                                    failed.status().info().service_message};
  auto const log = f.log();
  texts.insert(texts.end(), log.begin(), log.end());
  for (auto const& text : texts) {
    INFO(text);
    CHECK_FALSE(Contains(text, kToken));
    CHECK(text.find_first_of("\r\n") == std::string::npos);
  }
}

TEST_CASE("One gateway client with a refreshing provider is safe to share between threads") {
  Fixture f;
  std::atomic<int> fetches{0};
  auto client = f.WithProvider(MakeCallbackTokenProvider([&]() -> StatusOr<std::string> {
    ++fetches;
    return std::string(kToken);
  }));
  constexpr int kThreads = 4;
  constexpr int kCalls = 25;
  for (int i = 0; i < kThreads * kCalls; ++i) f.Answer(200, Wrapped(200, kTransaction));
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kCalls; ++i) {
        if (client.QueryOrderByOutTradeNo(kOutTradeNo).ok()) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(ok == kThreads * kCalls);
  CHECK(fetches == 1);
}

}  // namespace
}  // namespace wechatpay
