// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// One retry table for everyone: the direct channel, the gateway channel and the payment watcher
// make the same decision for the same failure of a query. Also the public pieces around it:
// IsServiceError() and the error code constants, and NativePayChannel's default bodies.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "catch.hpp"
#include "support/test_merchant.hpp"
#include "wechatpay/protocol/error_codes.hpp"
#include "wechatpay/testing/recording_transport.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay {
namespace {

using std::chrono::milliseconds;
using testing::RecordingTransport;
using testing::TestMerchant;
using testing::WeChatPaySigner;

constexpr std::int64_t kNow = 1700000000;
constexpr char kOutTradeNo[] = "ORDER20261126001";

std::string WeChatError(std::string const& code) {
  return R"({"code":")" + code + R"(","message":"from the test"})";
}

// pay-common passing WeChat's error through as code 0.
std::string WrappedWeChatError(int status, std::string const& code) {
  return R"({"code":0,"msg":"success","data":{"status":)" + std::to_string(status) +
         R"(,"error":"{\"code\":\")" + code + R"(\",\"message\":\"from the test\"}"}})";
}

HttpResponse Plain(int status, std::string body) {
  HttpResponse response;
  response.status_code = status;
  response.body = std::move(body);
  response.headers.Add("Content-Type", "application/json");
  return response;
}

Status TransportError(StatusCode code, bool maybe_sent) {
  ErrorInfo info;
  info.outcome_unknown = maybe_sent;
  return Status(code, "cannot reach the server", info);
}

ClientOptions Options(std::shared_ptr<RecordingTransport> const& transport) {
  ClientOptions options;
  options.transport = transport;
  options.clock = [] { return testing::FixedTime(kNow); };
  options.sleep = [](milliseconds) {};
  options.retry.max_retries = 2;
  return options;
}

MerchantConfig GatewayConfig() {
  auto config = TestMerchant::Config();
  wechatpay::GatewayConfig gateway;
  gateway.env_id = "test-env-1a2b";
  gateway.function_name = "pay-common";
  gateway.access_token = "test-token-123";
  config.gateway = gateway;
  return config;
}

// What a query through a channel did with a failure answered three times in a row.
struct ChannelRun {
  bool retried = false;
  Status status;
};

ChannelRun Query(MerchantConfig const& config, RecordingTransport::Responder const& failure) {
  auto transport = std::make_shared<RecordingTransport>();
  for (int i = 0; i < 3; ++i) transport->Push(failure);
  auto client = NativePayClient::Create(config, Options(transport));
  REQUIRE(client.ok());
  auto transaction = client->QueryOrderByOutTradeNo(kOutTradeNo);
  REQUIRE_FALSE(transaction.ok());
  return {transport->count() > 1, transaction.status()};
}

// A channel whose first query fails with `failure` and whose next ones report the order paid.
class OneFailure : public NativePayChannel {
 public:
  explicit OneFailure(Status failure) : failure_(std::move(failure)) {}
  StatusOr<Transaction> QueryOrderByOutTradeNo(QueryOrderByOutTradeNoRequest const& request,
                                               CallOptions const&) override {
    if (!failed_.exchange(true)) return failure_;
    Transaction transaction;
    transaction.out_trade_no = request.out_trade_no;
    transaction.trade_state = "SUCCESS";
    return transaction;
  }

 private:
  Status failure_;
  std::atomic<bool> failed_{false};
};

// True when the watcher retried a query that failed with `failure` (and so saw it paid).
bool WatcherRetries(Status const& failure) {
  PaymentWatcher watcher(NativePayClient(std::make_shared<OneFailure>(failure)));
  WatchOptions options;
  options.interval = milliseconds(1);
  options.timeout = std::chrono::hours(1);
  options.not_found_grace = milliseconds(0);
  auto future = watcher.Watch(kOutTradeNo, options);
  REQUIRE(future.wait_for(std::chrono::seconds(20)) == std::future_status::ready);
  auto const& result = future.get();
  INFO(result.status.ToString());
  CHECK((result.end == WatchEnd::kPolled || result.end == WatchEnd::kFailed));
  return result.end == WatchEnd::kPolled;
}

TEST_CASE("The channels and the watcher make the same retry decision for the same failure",
          "[retry]") {
  WeChatPaySigner const wechat = testing::TestWeChat();
  auto const direct = TestMerchant::Config();
  auto const gateway = GatewayConfig();
  auto fixed = [](StatusOr<HttpResponse> result) -> RecordingTransport::Responder {
    return [result](HttpRequest const&) { return result; };
  };
  // `retried`: within the call (the channels) and at the next interval (the watcher) alike.
  // The one row where the two differ by design is the SIGNTEST probe (retry_table.cpp):
  // `later_only` marks it.
  struct Case {
    char const* name;
    bool retried;
    bool later_only;
    std::optional<RecordingTransport::Responder> direct;
    std::optional<RecordingTransport::Responder> gateway;
  };
  auto signtest = [&wechat](HttpRequest const&) {
    auto answer = wechat.Signed(200, R"({"trade_state":"SUCCESS"})", kNow);
    answer.headers.Set("Wechatpay-Signature", "WECHATPAY/SIGNTEST/ZmFrZQ==");
    return StatusOr<HttpResponse>(answer);
  };
  Case const cases[] = {
      {"connection refused", true, false, fixed(TransportError(StatusCode::kTransport, false)),
       fixed(TransportError(StatusCode::kTransport, false))},
      {"timed out after sending", true, false,
       fixed(TransportError(StatusCode::kDeadlineExceeded, true)),
       fixed(TransportError(StatusCode::kDeadlineExceeded, true))},
      {"500 SYSTEM_ERROR", true, false,
       fixed(WeChatPaySigner::Unsigned(500, WeChatError("SYSTEM_ERROR"))),
       fixed(Plain(200, WrappedWeChatError(500, "SYSTEM_ERROR")))},
      {"429 FREQUENCY_LIMITED", true, false,
       fixed(WeChatPaySigner::Unsigned(429, WeChatError("FREQUENCY_LIMITED"))),
       fixed(Plain(200, WrappedWeChatError(429, "FREQUENCY_LIMITED")))},
      {"400 PARAM_ERROR", false, false,
       fixed(WeChatPaySigner::Unsigned(400, WeChatError("PARAM_ERROR"))),
       fixed(Plain(200, WrappedWeChatError(400, "PARAM_ERROR")))},
      {"404 ORDER_NOT_EXIST", false, false,
       fixed(WeChatPaySigner::Unsigned(404, WeChatError("ORDER_NOT_EXIST"))),
       fixed(Plain(200, WrappedWeChatError(404, "ORDER_NOT_EXIST")))},
      {"gateway 503", true, false, std::nullopt,
       fixed(Plain(503, R"({"code":"SERVICE_UNAVAILABLE","message":"busy"})"))},
      {"pay-common's call to WeChat got no answer", true, false, std::nullopt,
       fixed(Plain(200, R"({"code":0,"msg":"success","data":{"errRaw":{"code":"ETIMEDOUT"}}})"))},
      {"a SIGNTEST probe", false, true, signtest, std::nullopt},
      {"an unsigned 200", false, false,
       fixed(WeChatPaySigner::Unsigned(200, R"({"trade_state":"SUCCESS"})")), std::nullopt},
  };
  for (auto const& c : cases) {
    INFO(c.name);
    if (c.direct) {
      auto const run = Query(direct, *c.direct);
      INFO(run.status.ToString());
      CHECK(run.retried == c.retried);
      CHECK(WatcherRetries(run.status) == (c.retried || c.later_only));
    }
    if (c.gateway) {
      auto const run = Query(gateway, *c.gateway);
      INFO(run.status.ToString());
      CHECK(run.retried == c.retried);
      CHECK(WatcherRetries(run.status) == (c.retried || c.later_only));
    }
  }
}

TEST_CASE("IsServiceError matches a service error by its exact code") {
  ErrorInfo info;
  info.http_status = 404;
  info.service_code = "ORDER_NOT_EXIST";
  Status const not_found(StatusCode::kServiceError, "not found", info);
  CHECK(IsServiceError(not_found, error_codes::kOrderNotExist));
  CHECK_FALSE(IsServiceError(not_found, error_codes::kOrderNotExistLegacy));
  CHECK_FALSE(IsServiceError(not_found, error_codes::kOrderPaid));
  CHECK_FALSE(IsServiceError(not_found, ""));
  // The same code on another category is not a service error.
  CHECK_FALSE(
      IsServiceError(Status(StatusCode::kInternal, "x", info), error_codes::kOrderNotExist));
  CHECK_FALSE(IsServiceError(Status(), error_codes::kOrderNotExist));
  ErrorInfo empty;
  CHECK_FALSE(IsServiceError(Status(StatusCode::kServiceError, "x", empty), ""));
  CHECK(error_codes::kSystemError == "SYSTEM_ERROR");
  CHECK(error_codes::kOrderPaidLegacy == "ORDERPAID");
}

TEST_CASE("A channel that overrides nothing answers kUnimplemented for every operation") {
  class Empty : public NativePayChannel {};
  NativePayClient const client(std::make_shared<Empty>());
  auto check = [](Status const& status) {
    INFO(status.ToString());
    CHECK(status.code() == StatusCode::kUnimplemented);
    CHECK(status.message().find("nothing was sent") != std::string::npos);
  };
  check(client.QueryOrderByOutTradeNo(kOutTradeNo).status());
  check(client.QueryOrderById("4200000001202611260000000001").status());
  check(client.CloseOrder(kOutTradeNo).status());
  check(client.QueryRefund("REFUND001").status());
  CreateRefundRequest refund;
  refund.out_trade_no = kOutTradeNo;
  refund.out_refund_no = "REFUND001";
  refund.amount.refund = 1;
  refund.amount.total = 1;
  check(client.CreateRefund(refund).status());
  NativePrepayRequest order;
  order.description = "test";
  order.out_trade_no = kOutTradeNo;
  order.amount.total = 1;
  order.notify_url = "https://merchant.example.com/notify";
  check(client.NativePrepay(order).status());
  CHECK(StatusCodeName(StatusCode::kUnimplemented) == "UNIMPLEMENTED");
}

TEST_CASE("The ledger's database codes have stable names") {
  CHECK(StatusCodeName(StatusCode::kUnavailable) == "UNAVAILABLE");
  CHECK(StatusCodeName(StatusCode::kAborted) == "ABORTED");
  CHECK(StatusCodeName(StatusCode::kAlreadyExists) == "ALREADY_EXISTS");
}

}  // namespace
}  // namespace wechatpay
