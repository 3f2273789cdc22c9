// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// ClientOptions::on_request over a scripted transport: one event per attempt, the last one
// final with the call's outcome, the retry decision of each, query values masked, the gateway
// channel too, and a hook that throws cannot break a call.

#include <chrono>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "channel/request_event_fields.hpp"
#include "support/test_merchant.hpp"
#include "wechatpay/testing/client_recorder.hpp"
#include "wechatpay/testing/recording_transport.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay {
namespace {

using testing::FixedTime;
using testing::RecordingTransport;
using testing::TestMerchant;

constexpr std::int64_t kNow = 1700000000;
constexpr char kOutTradeNo[] = "1217752501201407033233368018";
constexpr char kTransaction[] =
    R"({"appid":"wxd678efh567hg6787","mchid":"1900007291","out_trade_no":"1217752501201407033233368018",)"
    R"("transaction_id":"1217752501201407033233368018","trade_type":"NATIVE","trade_state":"SUCCESS",)"
    R"("trade_state_desc":"ok","payer":{"openid":"o-payer"},"amount":{"total":100,"payer_total":100,)"
    R"("currency":"CNY","payer_currency":"CNY"}})";

// Copies of the events a client reported, in order.
struct Events {
  std::mutex mu;
  std::vector<RequestEvent> seen;
  std::vector<std::thread::id> threads;  // where the hook ran
  // Copies the string_view members' targets too: they are static names, so a copy is enough.
  void Attach(ClientOptions& options) {
    options.on_request = [this](RequestEvent const& event) {
      std::lock_guard<std::mutex> lock(mu);
      seen.push_back(event);
      threads.push_back(std::this_thread::get_id());
    };
  }
};

struct Fixture : testing::ClientRecorder {
  std::shared_ptr<RecordingTransport> transport = std::make_shared<RecordingTransport>();
  Events events;

  NativePayClient Make(MerchantConfig const& config, int max_retries = 2) {
    ClientOptions options;
    options.transport = transport;
    options.clock = [] { return FixedTime(kNow); };
    ClientRecorder::Attach(options);
    events.Attach(options);
    options.retry.max_retries = max_retries;
    return NativePayClient::Create(config, options).value();
  }
  void Answer(int status, std::string body) {
    transport->Push([status, body](HttpRequest const&) {
      return StatusOr<HttpResponse>(testing::TestWeChat().Signed(status, body, kNow));
    });
  }
};

NativePrepayRequest MinimalOrder() {
  NativePrepayRequest request;
  request.description = "event test";
  request.out_trade_no = kOutTradeNo;
  request.amount.total = 100;
  return request;
}

Status TransportError(StatusCode code, bool outcome_unknown) {
  ErrorInfo info;
  info.outcome_unknown = outcome_unknown;
  info.transport_code = 28;
  return Status(code, "timed out", info);
}

TEST_CASE("A query retried twice then answered reports three attempts, the last final",
          "[events]") {
  Fixture f;
  auto client = f.Make(TestMerchant::Config());
  f.Answer(500, R"({"code":"SYSTEM_ERROR","message":"x"})");
  f.Answer(503, R"({"code":"SERVICE_UNAVAILABLE","message":"x"})");
  f.Answer(200, kTransaction);
  REQUIRE(client.QueryOrderByOutTradeNo(kOutTradeNo).ok());

  auto const& events = f.events.seen;
  REQUIRE(events.size() == 3);
  REQUIRE(f.sleeps().size() == 2);
  std::string const path = std::string("/v3/pay/transactions/out-trade-no/") + kOutTradeNo;
  for (int i = 0; i < 3; ++i) {
    CAPTURE(i);
    auto const& event = events[static_cast<std::size_t>(i)];
    CHECK(event.attempt == i + 1);
    CHECK(event.operation == "query_order_by_out_trade_no");
    CHECK(event.method == "GET");
    // The merchant id sent as ?mchid= is masked.
    CHECK(event.path == path + "?mchid=*");
    CHECK(event.request_bytes == 0);
    CHECK(event.response_bytes > 0);
    CHECK(event.final == (i == 2));
  }
  CHECK(events[0].http_status == 500);
  CHECK(events[0].service_code == "SYSTEM_ERROR");
  CHECK(events[0].request_id == "08DEADBEEF-500");
  CHECK(events[0].retry == RetryDecision::kRetrying);
  CHECK(events[0].retry_delay == f.sleeps()[0]);
  CHECK(events[0].outcome == "SERVICE_ERROR");
  CHECK(events[0].call_latency.count() == 0);
  CHECK(events[1].http_status == 503);
  CHECK(events[1].service_code == "SERVICE_UNAVAILABLE");
  CHECK(events[1].retry == RetryDecision::kRetrying);
  CHECK(events[1].retry_delay == f.sleeps()[1]);
  CHECK(events[2].http_status == 200);
  CHECK(events[2].service_code.empty());
  CHECK(events[2].request_id == "08DEADBEEF-200");
  CHECK(events[2].retry == RetryDecision::kNone);
  CHECK(events[2].code == StatusCode::kOk);
  CHECK(events[2].outcome == "OK");
  CHECK_FALSE(events[2].outcome_unknown);
  // Synchronously, on the thread that made the call.
  for (auto const& id : f.events.threads) CHECK(id == std::this_thread::get_id());
  // The call's latency covers every attempt.
  CHECK(events[2].call_latency >=
        events[0].attempt_latency + events[1].attempt_latency + events[2].attempt_latency);
}

TEST_CASE("Events name the retry decision that ended the call", "[events]") {
  Fixture f;
  SECTION("out of retries") {
    auto client = f.Make(TestMerchant::Config());
    for (int i = 0; i < 3; ++i) f.Answer(500, R"({"code":"SYSTEM_ERROR","message":"x"})");
    REQUIRE_FALSE(client.QueryOrderByOutTradeNo(kOutTradeNo).ok());
    REQUIRE(f.events.seen.size() == 3);
    CHECK(f.events.seen[2].retry == RetryDecision::kOutOfRetries);
    CHECK(f.events.seen[2].final);
    CHECK(f.events.seen[2].outcome == "SERVICE_ERROR");
  }
  SECTION("not retryable") {
    auto client = f.Make(TestMerchant::Config());
    f.Answer(404, R"({"code":"ORDER_NOT_EXIST","message":"x"})");
    REQUIRE_FALSE(client.QueryOrderByOutTradeNo(kOutTradeNo).ok());
    REQUIRE(f.events.seen.size() == 1);
    CHECK(f.events.seen[0].retry == RetryDecision::kNotRetryable);
    CHECK(f.events.seen[0].service_code == "ORDER_NOT_EXIST");
    CHECK(f.events.seen[0].final);
  }
  SECTION("out of time") {
    auto client = f.Make(TestMerchant::Config());
    // A Retry-After of 3 s does not fit in a call of 1 s.
    f.transport->Push([](HttpRequest const&) {
      auto r =
          testing::TestWeChat().Signed(429, R"({"code":"FREQUENCY_LIMITED","message":"x"})", kNow);
      r.headers.Add("Retry-After", "3");
      return StatusOr<HttpResponse>(r);
    });
    CallOptions call;
    call.timeout = std::chrono::seconds(1);
    REQUIRE_FALSE(client.QueryOrderByOutTradeNo(kOutTradeNo, call).ok());
    REQUIRE(f.events.seen.size() == 1);
    CHECK(f.events.seen[0].retry == RetryDecision::kOutOfTime);
    CHECK(f.events.seen[0].http_status == 429);
    CHECK(f.events.seen[0].final);
  }
  SECTION("a call that ends before its first attempt still reports one final event") {
    auto client = f.Make(TestMerchant::Config());
    CallOptions call;
    call.deadline = std::chrono::steady_clock::now() - std::chrono::seconds(1);
    REQUIRE_FALSE(client.QueryOrderByOutTradeNo(kOutTradeNo, call).ok());
    CHECK(f.transport->count() == 0);
    REQUIRE(f.events.seen.size() == 1);
    CHECK(f.events.seen[0].attempt == 0);
    CHECK(f.events.seen[0].final);
    CHECK(f.events.seen[0].method.empty());
    CHECK(f.events.seen[0].outcome == "DEADLINE_EXCEEDED");
  }
}

TEST_CASE("A write whose outcome is unknown is reported as such", "[events]") {
  Fixture f;
  auto client = f.Make(TestMerchant::Config());
  f.transport->PushResult(TransportError(StatusCode::kDeadlineExceeded, true));
  auto response = client.NativePrepay(MinimalOrder());
  REQUIRE_FALSE(response.ok());
  REQUIRE(f.events.seen.size() == 1);
  auto const& event = f.events.seen[0];
  CHECK(event.operation == "native_prepay");
  CHECK(event.method == "POST");
  CHECK(event.path == "/v3/pay/transactions/native");
  CHECK(event.attempt == 1);
  CHECK(event.final);
  CHECK(event.http_status == 0);
  CHECK(event.response_bytes == 0);
  CHECK(event.request_bytes == f.transport->requests()[0].body.size());
  CHECK(event.code == StatusCode::kDeadlineExceeded);
  CHECK(event.outcome_unknown);
  CHECK(event.outcome == "OUTCOME_UNKNOWN");
  CHECK(event.retry == RetryDecision::kNotRetryable);
}

TEST_CASE("A hook that throws cannot break a call", "[events]") {
  Fixture f;
  ClientOptions options;
  options.transport = f.transport;
  options.clock = [] { return FixedTime(kNow); };
  f.Attach(options);
  int calls = 0;
  options.on_request = [&calls](RequestEvent const&) {
    ++calls;
    throw std::runtime_error("metrics backend down");
  };
  auto client = NativePayClient::Create(TestMerchant::Config(), options).value();
  f.Answer(500, R"({"code":"SYSTEM_ERROR","message":"x"})");
  f.Answer(200, kTransaction);
  auto tx = client.QueryOrderByOutTradeNo(kOutTradeNo);
  REQUIRE(tx.ok());
  CHECK(tx->out_trade_no == kOutTradeNo);
  // The retry still happened after the first event's exception, and the final event came.
  CHECK(f.transport->count() == 2);
  CHECK(calls == 2);
}

TEST_CASE("The gateway channel reports the same events", "[events]") {
  Fixture f;
  auto config = TestMerchant::Config();
  GatewayConfig gateway;
  gateway.env_id = "test-env-1a2b";
  gateway.function_name = "pay-common";
  gateway.access_token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.SECRET-SIGNATURE-111";
  config.gateway = gateway;
  auto client = f.Make(config);
  auto answer = [&f](int status, std::string body, std::string id) {
    HttpResponse response;
    response.status_code = status;
    response.body = std::move(body);
    response.headers.Add("X-Request-Id", std::move(id));
    f.transport->PushResult(response);
  };
  answer(502, R"({"code":"SERVICE_ERROR","message":"bad gateway"})", "gw-1");
  answer(200,
         std::string(R"({"code":0,"msg":"success","data":{"status":200,"data":)") + kTransaction +
             "}}",
         "gw-2");
  REQUIRE(client.QueryOrderByOutTradeNo(kOutTradeNo).ok());
  auto const& events = f.events.seen;
  REQUIRE(events.size() == 2);
  CHECK(events[0].attempt == 1);
  CHECK(events[0].http_status == 502);
  CHECK(events[0].retry == RetryDecision::kRetrying);
  CHECK_FALSE(events[0].final);
  CHECK(events[1].attempt == 2);
  CHECK(events[1].final);
  CHECK(events[1].outcome == "OK");
  CHECK(events[1].request_id == "gw-2");
  for (auto const& event : events) {
    CHECK(event.operation == "query_order_by_out_trade_no");
    CHECK(event.method == "POST");
    // The function's path, its query value masked.
    CHECK(event.path == "/v1/functions/pay-common?webfn=*");
    CHECK(event.request_bytes == f.transport->requests()[0].body.size());
    CHECK(event.path.find("SECRET") == std::string::npos);
  }
}

TEST_CASE("PathForEvent keeps the path and the query's names, never its values", "[events]") {
  using internal::PathForEvent;
  CHECK(PathForEvent("https://api.mch.weixin.qq.com/v3/refund/domestic/refunds/R1?sub_mchid=19&"
                     "token=abc&flag&empty=") ==
        "/v3/refund/domestic/refunds/R1?sub_mchid=*&token=*&flag&empty=*");
  CHECK(PathForEvent("https://h.example:8443") == "/");
  CHECK(PathForEvent("https://h.example/a#frag?x=1") == "/a");
  CHECK(PathForEvent("/v3/certificates") == "/v3/certificates");
  CHECK(PathForEvent("/p?") == "/p?");
}

}  // namespace
}  // namespace wechatpay
