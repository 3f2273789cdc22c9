// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The switch for merchants on a dedicated line, who may use a plain-http notify URL: the
// MerchantConfig field, its JSON key and environment variable, and what the client does with
// it (configured notifyUrl, a request's own notify_url, a refund's notify_url).

#include <memory>
#include <string>

#include "catch.hpp"
#include "config_parse.hpp"
#include "support/scoped_environment.hpp"
#include "support/test_merchant.hpp"
#include "wechatpay/testing/recording_transport.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay {
namespace {

using testing::FixedTime;
using testing::RecordingTransport;
using testing::ScopedEnvironment;
using testing::TestMerchant;
using testing::WeChatPaySigner;

constexpr std::int64_t kNow = 1700000000;
constexpr char kLineNotifyUrl[] = "http://10.20.30.40:8080/wechatpay/notify";

bool Contains(std::string const& text, std::string const& part) {
  return text.find(part) != std::string::npos;
}

StatusOr<MerchantConfig> Parse(std::string const& json) {
  return internal::ParseMerchantConfig(json, "wechatpay.json");
}

TEST_CASE("allowHttpNotifyUrl in the configuration file: a boolean, false when absent") {
  auto absent = Parse(R"({"notifyUrl":"https://merchant.example.com/notify"})");
  REQUIRE(absent.ok());
  CHECK_FALSE(absent->allow_http_notify_url);
  auto on = Parse(R"({"notifyUrl":"http://10.20.30.40/notify","allowHttpNotifyUrl":true})");
  REQUIRE(on.ok());
  CHECK(on->allow_http_notify_url);
  CHECK(on->notify_url == "http://10.20.30.40/notify");
  auto off = Parse(R"({"allowHttpNotifyUrl":false})");
  REQUIRE(off.ok());
  CHECK_FALSE(off->allow_http_notify_url);
  for (auto bad : {R"({"allowHttpNotifyUrl":"true"})", R"({"allowHttpNotifyUrl":1})",
                   R"({"allowHttpNotifyUrl":null})"}) {
    INFO(bad);
    auto parsed = Parse(bad);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status().code() == StatusCode::kConfiguration);
    CHECK(parsed.status().info().field == "allowHttpNotifyUrl");
    CHECK(Contains(parsed.status().message(), "allowHttpNotifyUrl must be true or false"));
  }
}

TEST_CASE("WECHATPAY_ALLOW_HTTP_NOTIFY_URL: true/false/1/0, anything else is an error") {
  for (auto [text, expected] : {std::pair<char const*, bool>{"true", true},
                                {"1", true},
                                {"TRUE", true},
                                {" true ", true},
                                {"false", false},
                                {"0", false},
                                {"False", false}}) {
    INFO(text);
    ScopedEnvironment env("WECHATPAY_ALLOW_HTTP_NOTIFY_URL", text);
    MerchantConfig config;
    config.allow_http_notify_url = !expected;  // the environment wins over the file
    REQUIRE(ApplyEnvironment(config).ok());
    CHECK(config.allow_http_notify_url == expected);
  }
  {
    ScopedEnvironment env("WECHATPAY_ALLOW_HTTP_NOTIFY_URL", nullptr);
    MerchantConfig config;
    config.allow_http_notify_url = true;  // unset leaves the file's value
    REQUIRE(ApplyEnvironment(config).ok());
    CHECK(config.allow_http_notify_url);
  }
  for (auto bad : {"yes", "ture", "2", "on"}) {
    INFO(bad);
    ScopedEnvironment env("WECHATPAY_ALLOW_HTTP_NOTIFY_URL", bad);
    MerchantConfig config;
    auto status = ApplyEnvironment(config);
    REQUIRE_FALSE(status.ok());
    CHECK(status.code() == StatusCode::kConfiguration);
    CHECK(status.info().field == "WECHATPAY_ALLOW_HTTP_NOTIFY_URL");
    CHECK(Contains(status.message(), "must be true, false, 1 or 0"));
  }
}

struct Client {
  std::shared_ptr<RecordingTransport> transport = std::make_shared<RecordingTransport>();
  WeChatPaySigner wechat = testing::TestWeChat();

  StatusOr<NativePayClient> Make(MerchantConfig const& config) {
    ClientOptions options;
    options.transport = transport;
    options.clock = [] { return FixedTime(kNow); };
    options.retry.max_retries = 0;
    return NativePayClient::Create(config, options);
  }

  void Answer(std::string body) {
    transport->Push([this, body](HttpRequest const&) {
      return StatusOr<HttpResponse>(wechat.Signed(200, body, kNow));
    });
  }
};

NativePrepayRequest Order() {
  NativePrepayRequest request;
  request.description = "专线商户订单";
  request.out_trade_no = "LINE0000000001";
  request.amount.total = 100;
  return request;
}

CreateRefundRequest Refund() {
  CreateRefundRequest request;
  request.out_trade_no = "LINE0000000001";
  request.out_refund_no = "LINE-R1";
  request.amount.refund = 100;
  request.amount.total = 100;
  request.notify_url = "http://10.20.30.40:8080/wechatpay/refund";
  return request;
}

constexpr char kRefundAnswer[] =
    R"({"refund_id":"50000000382019052709732678859","out_refund_no":"LINE-R1",)"
    R"("status":"PROCESSING","amount":{"total":100,"refund":100}})";

TEST_CASE("Off (the default): an http notifyUrl is a configuration error naming the switch") {
  Client c;
  auto config = TestMerchant::Config();
  config.notify_url = kLineNotifyUrl;
  auto client = c.Make(config);
  REQUIRE_FALSE(client.ok());
  CHECK(client.status().code() == StatusCode::kConfiguration);
  CHECK(client.status().info().field == "notifyUrl");
  CHECK(Contains(client.status().message(), "allowHttpNotifyUrl"));
  CHECK(Contains(client.status().message(), "WECHATPAY_ALLOW_HTTP_NOTIFY_URL"));

  // With an https notifyUrl, a request's own http notify_url is refused before sending.
  auto https_client = c.Make(TestMerchant::Config());
  REQUIRE(https_client.ok());
  auto order = Order();
  order.notify_url = kLineNotifyUrl;
  auto placed = https_client->NativePrepay(order);
  REQUIRE_FALSE(placed.ok());
  CHECK(placed.status().code() == StatusCode::kInvalidArgument);
  CHECK(placed.status().info().field == "notify_url");
  CHECK(Contains(placed.status().message(), "allowHttpNotifyUrl"));
  auto refunded = https_client->CreateRefund(Refund());
  REQUIRE_FALSE(refunded.ok());
  CHECK(refunded.status().info().field == "notify_url");
  CHECK(c.transport->count() == 0);
}

TEST_CASE("On: http notify URLs are configured and sent as they are") {
  Client c;
  auto config = TestMerchant::Config();
  config.notify_url = kLineNotifyUrl;
  config.allow_http_notify_url = true;
  auto client = c.Make(config);
  REQUIRE(client.ok());
  CHECK(client->validation().allow_http_notify_url);

  c.Answer(R"({"code_url":"weixin://wxpay/bizpayurl?pr=line"})");
  REQUIRE(client->NativePrepay(Order()).ok());
  CHECK(Contains(c.transport->requests().back().body,
                 std::string(R"("notify_url":")") + kLineNotifyUrl + "\""));

  auto order = Order();
  order.notify_url = "http://callback.line.internal/notify";
  c.Answer(R"({"code_url":"weixin://wxpay/bizpayurl?pr=line2"})");
  REQUIRE(client->NativePrepay(order).ok());
  CHECK(Contains(c.transport->requests().back().body,
                 R"("notify_url":"http://callback.line.internal/notify")"));

  c.Answer(kRefundAnswer);
  auto refunded = client->CreateRefund(Refund());
  INFO(refunded.status().message());
  REQUIRE(refunded.ok());
  CHECK(Contains(c.transport->requests().back().body,
                 R"("notify_url":"http://10.20.30.40:8080/wechatpay/refund")"));

  // The other notify_url rules still hold.
  order.notify_url = "http://callback.line.internal/notify?order=1";
  auto with_query = client->NativePrepay(order);
  REQUIRE_FALSE(with_query.ok());
  CHECK(Contains(with_query.status().message(), "query string"));
  CHECK(c.transport->count() == 3);
}

}  // namespace
}  // namespace wechatpay
