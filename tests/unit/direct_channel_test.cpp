// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// NativePayClient with the direct backend over a scripted transport: the exact request of each
// operation, and the mapping of every answer and error shape.

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include "catch.hpp"
#include "support/test_data.hpp"
#include "support/test_merchant.hpp"
#include "wechatpay/testing/client_recorder.hpp"
#include "wechatpay/testing/recording_transport.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay {
namespace {

using testing::FixedTime;
using testing::RecordingTransport;
using testing::TestMerchant;
using testing::WeChatPaySigner;

constexpr std::int64_t kNow = 1700000000;
constexpr char kBase[] = "https://api.mch.weixin.qq.com";

struct Fixture : testing::ClientRecorder {
  std::shared_ptr<RecordingTransport> transport = std::make_shared<RecordingTransport>();
  WeChatPaySigner wechat = testing::TestWeChat();
  NativePayClient client = Make(TestMerchant::Config());

  NativePayClient Make(MerchantConfig const& config, int max_retries = 2) {
    ClientOptions options;
    options.transport = transport;
    options.clock = [] { return FixedTime(kNow); };
    Attach(options);
    options.retry.max_retries = max_retries;
    return NativePayClient::Create(config, options).value();
  }

  // Queues a signed answer computed when the request arrives.
  void Answer(int status, std::string body, std::int64_t timestamp = kNow) {
    transport->Push([this, status, body, timestamp](HttpRequest const&) {
      return StatusOr<HttpResponse>(wechat.Signed(status, body, timestamp));
    });
  }

  HttpRequest Last() const { return transport->requests().back(); }
};

NativePrepayRequest MinimalOrder() {
  NativePrepayRequest request;
  request.description = "Image形象店-深圳腾大-QQ公仔";
  request.out_trade_no = "1217752501201407033233368018";
  request.amount.total = 100;
  request.amount.currency = "CNY";
  return request;
}

void CheckCommonHeaders(HttpRequest const& request, std::string const& target) {
  CHECK(testing::CheckTestAuthorization(request, target).empty());
  CHECK(request.headers.Get("Accept") == "application/json");
  CHECK(request.headers.Get("Content-Type") == "application/json");
  CHECK(request.headers.Get("User-Agent").substr(0, 14) == "wechatpay-cpp/");
  CHECK(request.headers.Get("Wechatpay-Serial") == TestMerchant::kPublicKeyId);
}

constexpr char kTransaction[] =
    R"({"appid":"wxd678efh567hg6787","mchid":"1900007291","out_trade_no":"1217752501201407033233368018",)"
    R"("transaction_id":"1217752501201407033233368018","trade_type":"NATIVE","trade_state":"SUCCESS",)"
    R"("trade_state_desc":"支付成功","bank_type":"CMC","attach":"a","success_time":"2018-06-08T10:34:56+08:00",)"
    R"("payer":{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},"amount":{"total":100,"payer_total":100,)"
    R"("currency":"CNY","payer_currency":"CNY"},"future_field":{"x":1}})";

constexpr char kRefund[] =
    R"({"refund_id":"50000000382019052709732678859","out_refund_no":"R1217752501","transaction_id":)"
    R"("1217752501201407033233368018","out_trade_no":"1217752501201407033233368018","channel":"ORIGINAL",)"
    R"("user_received_account":"招商银行信用卡0403","create_time":"2020-12-01T16:18:12+08:00",)"
    R"("status":"PROCESSING","amount":{"total":100,"refund":40,"payer_total":100,"payer_refund":40,)"
    R"("settlement_refund":40,"settlement_total":100,"discount_refund":0,"currency":"CNY"}})";

TEST_CASE("NativePrepay sends the documented request and returns code_url") {
  Fixture f;
  f.Answer(200, R"({"code_url":"weixin://wxpay/bizpayurl?pr=p4lpSuKzz"})");
  auto response = f.client.NativePrepay(MinimalOrder());
  REQUIRE(response.ok());
  CHECK(response->code_url == "weixin://wxpay/bizpayurl?pr=p4lpSuKzz");
  CHECK(response->meta.http_status == 200);
  CHECK(response->meta.request_id == "08DEADBEEF-200");
  auto request = f.Last();
  CHECK(request.method == "POST");
  CHECK(request.url == std::string(kBase) + "/v3/pay/transactions/native");
  CHECK(
      request.body ==
      R"({"appid":"wxd678efh567hg6787","mchid":"1900007291","description":"Image形象店-深圳腾大-QQ公仔",)"
      R"("out_trade_no":"1217752501201407033233368018","notify_url":"https://merchant.example.com/wechatpay/notify",)"
      R"("amount":{"total":100,"currency":"CNY"}})");
  CheckCommonHeaders(request, "/v3/pay/transactions/native");
}

TEST_CASE("NativePrepay lets a request override appid and notify_url") {
  Fixture f;
  f.Answer(200, R"({"code_url":"weixin://x"})");
  auto order = MinimalOrder();
  order.appid = "wx0000000000000002";
  order.notify_url = "https://other.example.com/cb";
  REQUIRE(f.client.NativePrepay(order).ok());
  auto body = f.Last().body;
  CHECK(body.find(R"("appid":"wx0000000000000002")") != std::string::npos);
  CHECK(body.find(R"("notify_url":"https://other.example.com/cb")") != std::string::npos);
  CHECK(body.find(TestMerchant::kAppId) == std::string::npos);
}

TEST_CASE("NativePrepay needs a notify URL from the config or the request") {
  Fixture f;
  auto config = TestMerchant::Config();
  config.notify_url.clear();
  auto client = f.Make(config);
  auto response = client.NativePrepay(MinimalOrder());
  REQUIRE_FALSE(response.ok());
  CHECK(response.status().code() == StatusCode::kInvalidArgument);
  CHECK(response.status().info().field == "notify_url");
  CHECK(f.transport->count() == 0);
}

TEST_CASE("Queries send GETs with mchid and map the transaction") {
  Fixture f;
  SECTION("by out_trade_no") {
    f.Answer(200, kTransaction);
    auto tx = f.client.QueryOrderByOutTradeNo("1217752501201407033233368018");
    REQUIRE(tx.ok());
    auto request = f.Last();
    CHECK(request.method == "GET");
    std::string const target =
        "/v3/pay/transactions/out-trade-no/1217752501201407033233368018?mchid=1900007291";
    CHECK(request.url == kBase + target);
    CHECK(request.body.empty());
    CheckCommonHeaders(request, target);
    CHECK(tx->trade_state == "SUCCESS");
    CHECK(tx->transaction_id == "1217752501201407033233368018");
    CHECK(tx->payer->openid == "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
    CHECK(tx->amount->payer_total == 100);
    CHECK(tx->raw_json.find("future_field") != std::string::npos);
    CHECK(tx->meta.request_id == "08DEADBEEF-200");
  }
  SECTION("by transaction_id") {
    f.Answer(200, kTransaction);
    REQUIRE(f.client.QueryOrderById("4200000001201407033233368018").ok());
    std::string const target =
        "/v3/pay/transactions/id/4200000001201407033233368018?mchid=1900007291";
    CHECK(f.Last().url == kBase + target);
    CheckCommonHeaders(f.Last(), target);
  }
  SECTION("path characters outside [A-Za-z0-9] are percent-encoded and signed as sent") {
    f.Answer(200, kTransaction);
    REQUIRE(f.client.QueryOrderByOutTradeNo("order|1*2-3_4").ok());
    std::string const target =
        "/v3/pay/transactions/out-trade-no/order%7C1%2A2-3_4?mchid=1900007291";
    CHECK(f.Last().url == kBase + target);
    CheckCommonHeaders(f.Last(), target);
  }
}

TEST_CASE("CloseOrder posts mchid and accepts a signed 204") {
  Fixture f;
  f.Answer(204, "");
  auto closed = f.client.CloseOrder("1217752501201407033233368018");
  REQUIRE(closed.ok());
  CHECK(closed->meta.http_status == 204);
  auto request = f.Last();
  std::string const target = "/v3/pay/transactions/out-trade-no/1217752501201407033233368018/close";
  CHECK(request.method == "POST");
  CHECK(request.url == kBase + target);
  CHECK(request.body == R"({"mchid":"1900007291"})");
  CheckCommonHeaders(request, target);
}

TEST_CASE("A 204 without signature headers is rejected") {
  Fixture f;
  f.transport->PushResult(WeChatPaySigner::Unsigned(204, ""));
  auto closed = f.client.CloseOrder("1217752501201407033233368018");
  REQUIRE_FALSE(closed.ok());
  CHECK(closed.status().code() == StatusCode::kVerificationFailed);
  CHECK(closed.status().info().verification_failure == VerificationFailure::kMissingHeaders);
  CHECK(closed.status().info().outcome_unknown);
  CHECK(f.transport->count() == 1);
}

TEST_CASE("CreateRefund and QueryRefund send the documented requests") {
  Fixture f;
  CreateRefundRequest refund;
  refund.out_trade_no = "1217752501201407033233368018";
  refund.out_refund_no = "R1217752501";
  refund.reason = "商品已售完";
  refund.amount.refund = 40;
  refund.amount.total = 100;
  f.Answer(200, kRefund);
  auto created = f.client.CreateRefund(refund);
  REQUIRE(created.ok());
  CHECK(created->status == "PROCESSING");
  CHECK(created->amount->refund == 40);
  auto request = f.Last();
  CHECK(request.method == "POST");
  CHECK(request.url == std::string(kBase) + "/v3/refund/domestic/refunds");
  CHECK(
      request.body ==
      R"({"out_trade_no":"1217752501201407033233368018","out_refund_no":"R1217752501","reason":"商品已售完",)"
      R"("amount":{"refund":40,"total":100,"currency":"CNY"}})");
  CheckCommonHeaders(request, "/v3/refund/domestic/refunds");

  f.Answer(200, kRefund);
  auto queried = f.client.QueryRefund("R1217752501");
  REQUIRE(queried.ok());
  CHECK(queried->out_refund_no == "R1217752501");
  CHECK(f.Last().method == "GET");
  CHECK(f.Last().url == std::string(kBase) + "/v3/refund/domestic/refunds/R1217752501");
  CheckCommonHeaders(f.Last(), "/v3/refund/domestic/refunds/R1217752501");
}

TEST_CASE("WeChat error bodies become service errors with every fact") {
  Fixture f;
  f.Answer(404, R"({"code":"ORDER_NOT_EXIST","message":"订单不存在"})");
  auto tx = f.client.QueryOrderByOutTradeNo("1217752501201407033233368018");
  REQUIRE_FALSE(tx.ok());
  auto const& s = tx.status();
  CHECK(s.code() == StatusCode::kServiceError);
  CHECK(s.info().http_status == 404);
  CHECK(s.info().service_code == "ORDER_NOT_EXIST");
  CHECK(s.info().service_message == "订单不存在");
  CHECK(s.info().request_id == "08DEADBEEF-404");
  CHECK(s.message().find("ORDER_NOT_EXIST") != std::string::npos);
  CHECK(f.transport->count() == 1);  // 4xx is not retried

  f.Answer(
      400,
      R"({"code":"PARAM_ERROR","message":"参数错误","detail":{"field":"/amount/currency","value":"XYZ",)"
      R"("issue":"Currency code is invalid","location":"body"}})");
  auto order = f.client.NativePrepay(MinimalOrder());
  REQUIRE_FALSE(order.ok());
  CHECK(order.status().info().service_code == "PARAM_ERROR");
  CHECK(order.status().info().detail.find("/amount/currency") != std::string::npos);
  CHECK_FALSE(order.status().info().outcome_unknown);

  f.transport->PushResult(WeChatPaySigner::Unsigned(502, "<html>bad gateway</html>"));
  auto client = f.Make(TestMerchant::Config(), 0);
  auto refund = client.QueryRefund("R1");
  REQUIRE_FALSE(refund.ok());
  CHECK(refund.status().code() == StatusCode::kServiceError);
  CHECK(refund.status().info().http_status == 502);
  CHECK(refund.status().info().service_code.empty());
}

// Issue 14, finding 6: an error body and a Request-ID are unsigned network text. They must not
// forge log lines (CR/LF), drive a terminal (ESC) or flood a log (100 KB).
TEST_CASE("Unsigned text from an error answer is printable and bounded everywhere") {
  Fixture f;
  auto client = f.Make(TestMerchant::Config(), 0);
  std::string const flood(100 * 1024, 'A');
  // JSON escapes: the parsed code holds CR LF, the message LF and ESC.
  auto answer = WeChatPaySigner::Unsigned(
      400, R"({"code":"PARAM\r\nERROR","message":"bad\n2026-12-06 INFO forged\u001b[2J)" + flood +
               R"(","detail":{"value":")" + flood + R"("}})");
  answer.headers.Set("Request-ID", "08AB\r\nSet-Cookie: x\x1b[31m");
  f.transport->PushResult(answer);
  auto tx = client.QueryOrderByOutTradeNo("1217752501201407033233368018");
  REQUIRE_FALSE(tx.ok());
  auto const& info = tx.status().info();
  std::vector<std::string> texts = {tx.status().ToString(), info.service_code, info.service_message,
                                    info.detail, info.request_id};
  auto const log = f.log();
  texts.insert(texts.end(), log.begin(), log.end());
  for (auto const& text : texts) {
    INFO(text.substr(0, 200));
    CHECK(text.find_first_of("\r\n\x1b") == std::string::npos);
    CHECK(text.size() < 4096);
  }
  CHECK(info.service_code == "PARAM\\x0D\\x0AERROR");
  CHECK(info.request_id == "08AB\\x0D\\x0ASet-Cookie: x\\x1B[31m");
  CHECK_THAT(info.service_message, Catch::Matchers::Contains("(102"));  // "...(N bytes)"
}

TEST_CASE("5xx and 429 are retried with backoff, then reported") {
  Fixture f;
  SECTION("success after two 500s") {
    f.Answer(500, R"({"code":"SYSTEM_ERROR","message":"系统异常"})");
    f.Answer(503, R"({"code":"SERVICE_UNAVAILABLE","message":"x"})");
    f.Answer(200, R"({"code_url":"weixin://ok"})");
    auto response = f.client.NativePrepay(MinimalOrder());
    REQUIRE(response.ok());
    CHECK(f.transport->count() == 3);
    REQUIRE(f.sleeps().size() == 2);
    CHECK(f.sleeps()[0].count() >= 150);
    CHECK(f.sleeps()[0].count() <= 250);
    CHECK(f.sleeps()[1].count() >= 300);
    CHECK(f.sleeps()[1].count() <= 500);
    // Each attempt is signed afresh: the nonces differ, the bodies are identical.
    auto requests = f.transport->requests();
    CHECK(requests[0].body == requests[2].body);
    CHECK(requests[0].headers.Get("Authorization") != requests[2].headers.Get("Authorization"));
  }
  SECTION("a POST that keeps failing reports an unknown outcome") {
    for (int i = 0; i < 3; ++i) f.Answer(500, R"({"code":"SYSTEM_ERROR","message":"系统异常"})");
    auto response = f.client.NativePrepay(MinimalOrder());
    REQUIRE_FALSE(response.ok());
    CHECK(f.transport->count() == 3);
    CHECK(response.status().code() == StatusCode::kServiceError);
    CHECK(response.status().info().service_code == "SYSTEM_ERROR");
    CHECK(response.status().info().outcome_unknown);
    CHECK(response.status().message().find("query the order by out_trade_no") != std::string::npos);
  }
  SECTION("429 honours Retry-After up to the maximum backoff") {
    f.transport->Push([&](HttpRequest const&) {
      auto r = f.wechat.Signed(429, R"({"code":"FREQUENCY_LIMITED","message":"频率超限"})", kNow);
      r.headers.Add("Retry-After", "3");
      return StatusOr<HttpResponse>(r);
    });
    f.Answer(200, kTransaction);
    REQUIRE(f.client.QueryOrderByOutTradeNo("1217752501201407033233368018").ok());
    REQUIRE(f.sleeps().size() == 1);
    CHECK(f.sleeps()[0] == std::chrono::milliseconds(3000));
  }
  SECTION("retries can be turned off") {
    auto client = f.Make(TestMerchant::Config(), 0);
    f.Answer(500, R"({"code":"SYSTEM_ERROR","message":"x"})");
    CHECK_FALSE(client.QueryOrderByOutTradeNo("1217752501201407033233368018").ok());
    CHECK(f.transport->count() == 1);
    CHECK(f.sleeps().empty());
  }
}

Status TransportError(StatusCode code, bool outcome_unknown) {
  ErrorInfo info;
  info.outcome_unknown = outcome_unknown;
  info.transport_code = 7;
  return Status(code, "cannot reach api.mch.weixin.qq.com", info);
}

TEST_CASE("Transport failures: retried when safe, unknown outcome reported otherwise") {
  Fixture f;
  SECTION("a connect failure is retried, even for a POST") {
    f.transport->PushResult(TransportError(StatusCode::kTransport, false));
    f.Answer(200, R"({"code_url":"weixin://ok"})");
    REQUIRE(f.client.NativePrepay(MinimalOrder()).ok());
    CHECK(f.transport->count() == 2);
  }
  SECTION("a POST that timed out after sending is not retried") {
    f.transport->PushResult(TransportError(StatusCode::kDeadlineExceeded, true));
    auto response = f.client.NativePrepay(MinimalOrder());
    REQUIRE_FALSE(response.ok());
    CHECK(f.transport->count() == 1);
    CHECK(response.status().code() == StatusCode::kDeadlineExceeded);
    CHECK(response.status().info().outcome_unknown);
    CHECK(response.status().message().find("outcome is unknown") != std::string::npos);
  }
  SECTION("a refund whose connection dropped after sending is not retried") {
    f.transport->PushResult(TransportError(StatusCode::kTransport, true));
    CreateRefundRequest refund;
    refund.transaction_id = "4200000001201407033233368018";
    refund.out_refund_no = "R1";
    refund.amount.refund = 1;
    refund.amount.total = 1;
    auto response = f.client.CreateRefund(refund);
    REQUIRE_FALSE(response.ok());
    CHECK(f.transport->count() == 1);
    CHECK(response.status().info().outcome_unknown);
    CHECK(response.status().message().find("out_refund_no") != std::string::npos);
  }
  SECTION("a GET that timed out is retried") {
    f.transport->PushResult(TransportError(StatusCode::kDeadlineExceeded, true));
    f.transport->PushResult(TransportError(StatusCode::kDeadlineExceeded, true));
    f.Answer(200, kTransaction);
    REQUIRE(f.client.QueryOrderByOutTradeNo("1217752501201407033233368018").ok());
    CHECK(f.transport->count() == 3);
  }
  SECTION("a GET failure is never reported as an unknown outcome") {
    for (int i = 0; i < 3; ++i)
      f.transport->PushResult(TransportError(StatusCode::kDeadlineExceeded, true));
    auto tx = f.client.QueryOrderByOutTradeNo("1217752501201407033233368018");
    REQUIRE_FALSE(tx.ok());
    CHECK(tx.status().code() == StatusCode::kDeadlineExceeded);
    CHECK_FALSE(tx.status().info().outcome_unknown);
  }
}

TEST_CASE("Every 2xx is verified before it is trusted") {
  Fixture f;
  auto check = [&](VerificationFailure expected) {
    auto response = f.client.NativePrepay(MinimalOrder());
    REQUIRE_FALSE(response.ok());
    CHECK(response.status().code() == StatusCode::kVerificationFailed);
    CHECK(response.status().info().verification_failure == expected);
    CHECK(response.status().info().outcome_unknown);
    CHECK(response.status().info().request_id.size() > 0);
    CHECK(f.transport->count() == 1);  // never retried: the answer may be an attack
  };
  SECTION("unsigned") {
    f.transport->PushResult(WeChatPaySigner::Unsigned(200, R"({"code_url":"weixin://forged"})"));
    check(VerificationFailure::kMissingHeaders);
  }
  SECTION("tampered body") {
    f.transport->Push([&](HttpRequest const&) {
      auto r = f.wechat.Signed(200, R"({"code_url":"weixin://real"})", kNow);
      r.body = R"({"code_url":"weixin://forged"})";
      return StatusOr<HttpResponse>(r);
    });
    check(VerificationFailure::kSignatureMismatch);
  }
  SECTION("stale by exactly 300 s") {
    f.Answer(200, R"({"code_url":"weixin://x"})", kNow - 300);
    check(VerificationFailure::kTimestampSkew);
  }
  SECTION("from the future by 300 s") {
    f.Answer(200, R"({"code_url":"weixin://x"})", kNow + 300);
    check(VerificationFailure::kTimestampSkew);
  }
  SECTION("unknown serial") {
    f.transport->Push([&](HttpRequest const&) {
      return StatusOr<HttpResponse>(
          f.wechat.Signed(200, R"({"code_url":"weixin://x"})", kNow, "PUB_KEY_ID_OTHER"));
    });
    check(VerificationFailure::kUnknownSerial);
  }
  SECTION("SIGNTEST probe") {
    f.transport->Push([&](HttpRequest const&) {
      auto r = f.wechat.Signed(200, R"({"code_url":"weixin://x"})", kNow);
      r.headers.Set("Wechatpay-Signature", "WECHATPAY/SIGNTEST/ZmFrZQ==");
      return StatusOr<HttpResponse>(r);
    });
    check(VerificationFailure::kSignTestProbe);
  }
  SECTION("299 s of skew is accepted") {
    f.Answer(200, R"({"code_url":"weixin://x"})", kNow - 299);
    CHECK(f.client.NativePrepay(MinimalOrder()).ok());
  }
}

TEST_CASE("A verified answer of the wrong shape is a malformed response") {
  Fixture f;
  f.Answer(200, R"({"prepay_id":"wx1"})");
  auto response = f.client.NativePrepay(MinimalOrder());
  REQUIRE_FALSE(response.ok());
  CHECK(response.status().code() == StatusCode::kMalformedResponse);
  CHECK(response.status().info().request_id == "08DEADBEEF-200");
}

// Issue 14, finding 2: WeChat applied a write whose verified answer cannot be read; a caller
// that took the error for "nothing happened" would order or refund twice.
TEST_CASE("A verified 2xx that cannot be mapped leaves a write's outcome unknown") {
  struct Case {
    char const* name;
    int status;
    char const* body;
  };
  for (auto const& c :
       {Case{"trailing bytes", 200, R"({"code_url":"weixin://x"} x)"},
        Case{"missing code_url", 200, R"({"prepay_id":"wx1"})"}, Case{"empty 200", 200, ""},
        Case{"204", 204, ""}, Case{"wrong type", 200, R"({"code_url":7})"},
        Case{"duplicated member", 200, R"({"code_url":"weixin://a","code_url":"weixin://b"})"}}) {
    INFO(c.name);
    Fixture f;
    f.Answer(c.status, c.body);
    auto order = f.client.NativePrepay(MinimalOrder());
    REQUIRE_FALSE(order.ok());
    CHECK(order.status().code() == StatusCode::kMalformedResponse);
    CHECK(order.status().info().outcome_unknown);
    CHECK(order.status().info().http_status == c.status);
    CHECK_THAT(
        order.status().message(),
        Catch::Matchers::Contains("the outcome is unknown: query the order by out_trade_no"));
    CHECK(f.transport->count() == 1);  // never resent

    f.Answer(c.status, c.body);
    CreateRefundRequest refund;
    refund.out_trade_no = "1217752501201407033233368018";
    refund.out_refund_no = "R1217752501";
    refund.amount.refund = 40;
    refund.amount.total = 100;
    auto refunded = f.client.CreateRefund(refund);
    REQUIRE_FALSE(refunded.ok());
    CHECK(refunded.status().info().outcome_unknown);
    CHECK_THAT(refunded.status().message(),
               Catch::Matchers::Contains("query the refund by out_refund_no"));

    // A read changed nothing: its outcome is known.
    f.Answer(c.status, c.body);
    auto queried = f.client.QueryOrderByOutTradeNo("1217752501201407033233368018");
    REQUIRE_FALSE(queried.ok());
    CHECK_FALSE(queried.status().info().outcome_unknown);
  }
}

TEST_CASE("Invalid input is refused before anything is sent") {
  Fixture f;
  auto order = MinimalOrder();
  order.out_trade_no = "12345";
  auto response = f.client.NativePrepay(order);
  REQUIRE_FALSE(response.ok());
  CHECK(response.status().code() == StatusCode::kInvalidArgument);
  CHECK(response.status().info().field == "out_trade_no");
  CHECK_FALSE(f.client.QueryOrderByOutTradeNo("").ok());
  CHECK_FALSE(f.client.QueryOrderById("").ok());
  CHECK_FALSE(f.client.CloseOrder("bad no!").ok());
  CHECK_FALSE(f.client.QueryRefund("").ok());
  CreateRefundRequest refund;
  refund.out_trade_no = "1217752501201407033233368018";
  refund.out_refund_no = "R1";
  refund.amount.refund = 101;
  refund.amount.total = 100;
  auto refunded = f.client.CreateRefund(refund);
  REQUIRE_FALSE(refunded.ok());
  CHECK(refunded.status().info().field == "amount.refund");
  CHECK(f.transport->count() == 0);
}

TEST_CASE("Configuration problems are reported by name when the client is created") {
  auto expect = [](MerchantConfig const& config, std::string const& field) {
    ClientOptions options;
    options.transport = std::make_shared<RecordingTransport>();
    auto client = NativePayClient::Create(config, options);
    REQUIRE_FALSE(client.ok());
    CHECK(client.status().code() == StatusCode::kConfiguration);
    CHECK(client.status().info().field == field);
    CHECK(client.status().message().find(field) != std::string::npos);
  };
  auto config = TestMerchant::Config();
  SECTION("missing") {
    for (auto [member, field] :
         {std::pair<std::string MerchantConfig::*, char const*>{&MerchantConfig::app_id, "appId"},
          {&MerchantConfig::merchant_id, "merchantId"},
          {&MerchantConfig::merchant_serial_number, "merchantSerialNumber"},
          {&MerchantConfig::private_key, "privateKey"},
          {&MerchantConfig::wx_pay_public_key, "wxPayPublicKey"},
          {&MerchantConfig::wx_pay_public_key_id, "wxPayPublicKeyId"}}) {
      auto broken = config;
      broken.*member = "";
      expect(broken, field);
    }
  }
  SECTION("private key that does not parse") {
    config.private_key = "-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n";
    expect(config, "privateKey");
  }
  SECTION("private key file that does not exist") {
    config.private_key = "/nonexistent/apiclient_key.pem";
    expect(config, "privateKey");
  }
  SECTION("public key that does not parse") {
    config.wx_pay_public_key = testing::DataPath("official.json");
    expect(config, "wxPayPublicKey");
  }
  SECTION("APIv3 key not 32 bytes") {
    config.api_v3_key = "testMchAPIv3Key0";
    expect(config, "apiV3Key");
  }
  SECTION("serial not hex") {
    config.merchant_serial_number = "408B07E79B8269FEC3D5D3E6AB8ED163A6A380DZ";
    expect(config, "merchantSerialNumber");
  }
  SECTION("merchant id not digits") {
    config.merchant_id = "19000072a1";
    expect(config, "merchantId");
  }
  SECTION("plain http to a non-loopback host") {
    config.base_url = "http://api.mch.weixin.qq.com";
    expect(config, "baseUrl");
  }
  SECTION("notify URL with a query string") {
    config.notify_url = "https://merchant.example.com/notify?x=1";
    expect(config, "notifyUrl");
  }
  SECTION("PEM text works as well as a path, and loopback http is allowed") {
    config.private_key = testing::ReadData("keys/official_doc_test_key.pem");
    config.base_url = "http://127.0.0.1:9";
    ClientOptions options;
    options.transport = std::make_shared<RecordingTransport>();
    CHECK(NativePayClient::Create(config, options).ok());
  }
}

TEST_CASE("Errors and logs never contain a secret") {
  Fixture f;
  auto const private_pem = testing::ReadData("keys/official_doc_test_key.pem");
  auto const key_body = private_pem.substr(40, 60);
  std::vector<std::string> texts;
  f.Answer(500, R"({"code":"SYSTEM_ERROR","message":"x"})");
  f.transport->PushResult(TransportError(StatusCode::kDeadlineExceeded, true));
  texts.push_back(f.client.NativePrepay(MinimalOrder()).status().ToString());
  f.transport->PushResult(WeChatPaySigner::Unsigned(200, "{}"));
  texts.push_back(f.client.CloseOrder("1217752501201407033233368018").status().ToString());
  auto config = TestMerchant::Config();
  config.api_v3_key = "0123456789abcdef0123456789abcde";  // 31 bytes
  texts.push_back(NativePayClient::Create(config).status().ToString());
  auto requests = f.transport->requests();
  for (auto const& line : f.log()) texts.push_back(line);
  REQUIRE(texts.size() > 4);
  for (auto const& text : texts) {
    INFO(text);
    CHECK(text.find(key_body) == std::string::npos);
    CHECK(text.find("0123456789abcdef0123456789abcde") == std::string::npos);
    CHECK(text.find(TestMerchant::kApiV3Key) == std::string::npos);
    for (auto const& r : requests) {
      auto auth = std::string(r.headers.Get("Authorization"));
      CHECK(text.find(auth.substr(auth.find("signature="))) == std::string::npos);
    }
  }
}

TEST_CASE("One client is safe to share between threads") {
  Fixture f;
  constexpr int kThreads = 4;
  constexpr int kCalls = 25;
  for (int i = 0; i < kThreads * kCalls; ++i) f.Answer(200, kTransaction);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kCalls; ++i) {
        if (f.client.QueryOrderByOutTradeNo("1217752501201407033233368018").ok()) ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(ok == kThreads * kCalls);
}

}  // namespace
}  // namespace wechatpay
