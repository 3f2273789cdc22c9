// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// NativePayClient::Request(), the generic signed request: it is sent and verified exactly like the
// typed calls (the same request byte for byte but for the nonce and its signature, compared on a
// recording transport), follows the same retry and outcome-unknown rules (GET a read, any other
// method a write), and refuses a bad method, path or body before anything is sent.

#include <memory>
#include <string>

#include "catch.hpp"
#include "support/recorded_client.hpp"
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
constexpr char kOrderNo[] = "1217752501201407033233368018";
constexpr char kTransaction[] =
    R"({"appid":"wxd678efh567hg6787","mchid":"1900007291","out_trade_no":"1217752501201407033233368018",)"
    R"("transaction_id":"4200000001201407033233368018","trade_type":"NATIVE","trade_state":"NOTPAY",)"
    R"("trade_state_desc":"未支付","amount":{"total":100,"currency":"CNY"}})";

// The client over a recording transport at kNow (tests/support/recorded_client.hpp).
struct Fixture : testing::RecordedClient {
  Fixture() : RecordedClient(kNow) {}
};

// The Authorization value without its nonce and signature, which differ on every request.
std::string WithoutNonceAndSignature(std::string authorization) {
  for (std::string const name : {"nonce_str=\"", "signature=\""}) {
    auto const start = authorization.find(name);
    REQUIRE(start != std::string::npos);
    auto const end = authorization.find('"', start + name.size());
    authorization.erase(start + name.size(), end - start - name.size());
  }
  return authorization;
}

// Two requests are the same but for the nonce and its signature; both signatures verify.
void CheckSameRequest(HttpRequest const& typed, HttpRequest const& generic,
                      std::string const& target) {
  CHECK(generic.method == typed.method);
  CHECK(generic.url == typed.url);
  CHECK(generic.body == typed.body);
  REQUIRE(generic.headers.size() == typed.headers.size());
  for (std::size_t i = 0; i < typed.headers.size(); ++i) {
    auto const& [name, value] = typed.headers.fields()[i];
    INFO(name);
    CHECK(generic.headers.fields()[i].first == name);
    if (name == "Authorization") {
      CHECK(WithoutNonceAndSignature(generic.headers.fields()[i].second) ==
            WithoutNonceAndSignature(value));
    } else {
      CHECK(generic.headers.fields()[i].second == value);
    }
  }
  CHECK(testing::CheckTestAuthorization(typed, target).empty());
  CHECK(testing::CheckTestAuthorization(generic, target).empty());
}

TEST_CASE("Request signs a GET exactly like the typed query and returns the verified answer",
          "[request]") {
  Fixture f;
  std::string const target =
      std::string("/v3/pay/transactions/out-trade-no/") + kOrderNo + "?mchid=1900007291";
  f.Answer(200, kTransaction);
  REQUIRE(f.client.QueryOrderByOutTradeNo(kOrderNo).ok());
  f.Answer(200, kTransaction);
  auto answer = f.client.Request({"GET", target, ""});
  REQUIRE(answer.ok());
  REQUIRE(f.transport->count() == 2);
  CheckSameRequest(f.transport->requests()[0], f.transport->requests()[1], target);
  CHECK(answer->meta.http_status == 200);
  CHECK(answer->body == kTransaction);  // as received, byte for byte
  CHECK(answer->headers.Has("Wechatpay-Signature"));
  CHECK_FALSE(answer->meta.request_id.empty());
}

TEST_CASE("Request signs a POST exactly like the typed close", "[request]") {
  Fixture f;
  std::string const target =
      std::string("/v3/pay/transactions/out-trade-no/") + kOrderNo + "/close";
  f.Answer(204, "");
  REQUIRE(f.client.CloseOrder(kOrderNo).ok());
  f.Answer(204, "");
  auto answer = f.client.Request({"POST", target, R"({"mchid":"1900007291"})"});
  REQUIRE(answer.ok());
  CHECK(answer->meta.http_status == 204);
  CHECK(answer->body.empty());
  CheckSameRequest(f.transport->requests()[0], f.transport->requests()[1], target);
}

TEST_CASE("Request's log lines mask its query values", "[request]") {
  Fixture f;
  f.Answer(200, kTransaction);
  REQUIRE(f.client.Request({"GET", "/v3/some/resource?token=SECRET-TOKEN-7&mchid=1900007291", ""})
              .ok());
  REQUIRE_FALSE(f.log().empty());
  for (auto const& line : f.log()) {
    INFO(line);
    CHECK(line.find("SECRET-TOKEN-7") == std::string::npos);
  }
}

TEST_CASE("Request verifies every answer: an unsigned or tampered 2xx is not returned",
          "[request]") {
  Fixture f;
  f.transport->PushResult(WeChatPaySigner::Unsigned(200, kTransaction));
  auto unsigned_answer = f.client.Request({"GET", "/v3/certificates", ""});
  REQUIRE_FALSE(unsigned_answer.ok());
  CHECK(unsigned_answer.status().code() == StatusCode::kVerificationFailed);

  auto tampered = f.wechat.Signed(200, kTransaction, kNow);
  tampered.body[10] ^= 1;
  f.transport->PushResult(tampered);
  auto tampered_answer = f.client.Request({"GET", "/v3/certificates", ""});
  REQUIRE_FALSE(tampered_answer.ok());
  CHECK(tampered_answer.status().code() == StatusCode::kVerificationFailed);
}

TEST_CASE("Request follows the retry table: GET a read, POST a write", "[request]") {
  Fixture f;
  SECTION("a GET answered 500 is repeated and succeeds") {
    f.Answer(500, R"({"code":"SYSTEM_ERROR","message":"busy"})");
    f.Answer(200, kTransaction);
    auto answer = f.client.Request({"GET", "/v3/refund/domestic/refunds/R1?sub_mchid=1", ""});
    REQUIRE(answer.ok());
    CHECK(f.transport->count() == 2);
  }
  SECTION("a POST whose answer never came is not repeated and its outcome is unknown") {
    ErrorInfo info;
    info.outcome_unknown = true;  // the transport sent the request, then the connection dropped
    f.transport->PushResult(Status(StatusCode::kTransport, "connection reset", info));
    auto answer = f.client.Request({"POST", "/v3/refund/domestic/refunds", R"({"a":1})"});
    REQUIRE_FALSE(answer.ok());
    CHECK(answer.status().info().outcome_unknown);
    CHECK(f.transport->count() == 1);
  }
  SECTION("an error answer is the usual service error") {
    f.Answer(400, R"({"code":"PARAM_ERROR","message":"out_refund_no missing"})");
    auto answer = f.client.Request({"POST", "/v3/refund/domestic/refunds", R"({"a":1})"});
    REQUIRE_FALSE(answer.ok());
    CHECK(answer.status().code() == StatusCode::kServiceError);
    CHECK(answer.status().info().service_code == "PARAM_ERROR");
    CHECK(answer.status().info().http_status == 400);
  }
}

TEST_CASE("Request refuses a bad method, path or body before sending, naming the field",
          "[request]") {
  Fixture f;
  struct Case {
    ApiRequest request;
    char const* field;
  };
  for (auto const& c : std::initializer_list<Case>{
           {{"get", "/v3/certificates", ""}, "method"},
           {{"HEAD", "/v3/certificates", ""}, "method"},
           {{"GET", "/v2/pay/orderquery", ""}, "path"},
           {{"GET", "v3/certificates", ""}, "path"},
           {{"GET", "/v3/certificates?x=a b", ""}, "path"},
           {{"GET", "/v3/certificates#frag", ""}, "path"},
           {{"GET", "/v3/../v2/secret", ""}, "path"},
           {{"GET", "/v3/./certificates", ""}, "path"},
           {{"GET", "/v3/\xe4\xb8\xad", ""}, "path"},
           {{"GET", "/v3/" + std::string(2100, 'a'), ""}, "path"},
           {{"GET", "/v3/certificates", "{}"}, "body"},
           {{"DELETE", "/v3/x", "{}"}, "body"},
           {{"POST", "/v3/x", "{\"a\":"}, "body"},
           {{"POST", "/v3/x", "42"}, "body"},
           {{"POST", "/v3/x", "{\"a\":1}trailing"}, "body"},
           {{"POST", "/v3/x", std::string(1100000, ' ')}, "body"},
       }) {
    INFO(c.request.method << " " << c.request.path_and_query.substr(0, 40));
    auto answer = f.client.Request(c.request);
    REQUIRE_FALSE(answer.ok());
    CHECK(answer.status().code() == StatusCode::kInvalidArgument);
    CHECK(answer.status().info().field == c.field);
  }
  CHECK(f.transport->count() == 0);
}

TEST_CASE("Request through the CloudBase gateway is unimplemented and sends nothing", "[request]") {
  auto transport = std::make_shared<RecordingTransport>();
  MerchantConfig config;
  config.gateway = GatewayConfig{"env-1", "pay-common", "token", ""};
  ClientOptions options;
  options.transport = transport;
  auto client = NativePayClient::Create(config, options);
  REQUIRE(client.ok());
  auto answer = client->Request({"GET", "/v3/certificates", ""});
  REQUIRE_FALSE(answer.ok());
  CHECK(answer.status().code() == StatusCode::kUnimplemented);
  CHECK(transport->count() == 0);
}

}  // namespace
}  // namespace wechatpay
