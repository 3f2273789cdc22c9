// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// End to end for the CloudBase backend (issue 5): NativePayClient configured for the gateway,
// against the sandbox's pay-common emulation, must give the same typed results as the direct
// backend, never mistake a wrapped WeChat error for success, and handle tokens as documented.
// Request counts come from the sandbox's own stats, so "nothing sent" and "refreshed once" are
// observed at the server, not inferred from the client.

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "catch.hpp"
#include "support/sandbox_fixture.hpp"
#include "wechatpay/channel/gateway.hpp"

namespace wechatpay {
namespace {

using testing::SandboxFixture;

// Requests the sandbox saw since the last ResetStats(), minus whatever reading the stats itself
// costs, so the count is only the client's.
class RequestCounter {
 public:
  explicit RequestCounter(sandbox::Sandbox& sandbox) : sandbox_(sandbox) {
    sandbox_.ResetStats();
    overhead_ = sandbox_.GetStats().requests;
    sandbox_.ResetStats();
  }
  std::size_t Count() const { return sandbox_.GetStats().requests - overhead_; }

 private:
  sandbox::Sandbox& sandbox_;
  std::size_t overhead_ = 0;
};

std::string ExpiredToken(sandbox::Sandbox& sandbox) {
  sandbox::TokenOptions expired;
  expired.ttl = std::chrono::seconds(0);
  auto token = sandbox.CreateToken(expired);
  REQUIRE(token.ok());
  return *token;
}

NativePayClient GatewayClient(SandboxFixture const& f,
                              std::shared_ptr<AccessTokenProvider> tokens) {
  auto config = f.sandbox().GatewayClientConfig();
  REQUIRE(config.ok());
  auto channel = MakeGatewayChannel(*config, {}, std::move(tokens));
  INFO(channel.status().ToString());
  REQUIRE(channel.ok());
  return NativePayClient(*channel);
}

NativePrepayRequest Order(std::string const& out_trade_no, std::int64_t total) {
  NativePrepayRequest order;
  order.out_trade_no = out_trade_no;
  order.description = "网关端到端";
  order.amount.total = total;
  return order;
}

TEST_CASE("sandbox gateway e2e: every operation gives typed results through pay-common") {
  SandboxFixture f;
  auto created = NativePayClient::Create(f.sandbox().GatewayClientConfig().value());
  INFO(created.status().ToString());
  REQUIRE(created.ok());
  auto const& client = *created;

  auto placed = client.NativePrepay(Order("SBXGWE2E00001", 8));
  INFO(placed.status().ToString());
  REQUIRE(placed.ok());
  CHECK(placed->code_url.rfind("weixin://wxpay/bizpayurl?pr=", 0) == 0);
  CHECK(placed->meta.http_status == 200);

  auto unpaid = client.QueryOrderByOutTradeNo("SBXGWE2E00001");
  REQUIRE(unpaid.ok());
  CHECK(unpaid->trade_state == "NOTPAY");

  REQUIRE(f.sandbox().Pay("SBXGWE2E00001").ok());
  auto paid = client.QueryOrderByOutTradeNo("SBXGWE2E00001");
  INFO(paid.status().ToString());
  REQUIRE(paid.ok());
  CHECK(paid->trade_state == "SUCCESS");
  CHECK(paid->out_trade_no == "SBXGWE2E00001");
  CHECK(paid->mchid == f.identity().merchant_id);
  CHECK(paid->appid == f.identity().app_id);
  REQUIRE(paid->amount.has_value());
  CHECK(paid->amount->total == 8);
  REQUIRE(paid->transaction_id.has_value());

  auto by_id = client.QueryOrderById(*paid->transaction_id);
  INFO(by_id.status().ToString());
  REQUIRE(by_id.ok());
  CHECK(by_id->trade_state == "SUCCESS");
  CHECK(by_id->out_trade_no == "SBXGWE2E00001");
  CHECK(by_id->transaction_id == paid->transaction_id);

  // Close answers 204 with no body at WeChat; through pay-common that is data.status 204.
  REQUIRE(client.NativePrepay(Order("SBXGWE2E00002", 1)).ok());
  auto closed = client.CloseOrder("SBXGWE2E00002");
  INFO(closed.status().ToString());
  REQUIRE(closed.ok());
  CHECK(closed->meta.http_status == 204);
  CHECK(client.QueryOrderByOutTradeNo("SBXGWE2E00002")->trade_state == "CLOSED");

  CreateRefundRequest refund;
  refund.out_trade_no = "SBXGWE2E00001";
  refund.out_refund_no = "SBXGWE2ER0001";
  refund.amount.refund = 5;
  refund.amount.total = 8;
  auto refunded = client.CreateRefund(refund);
  INFO(refunded.status().ToString());
  REQUIRE(refunded.ok());
  CHECK(refunded->out_refund_no == "SBXGWE2ER0001");
  CHECK(refunded->transaction_id == paid->transaction_id);
  CHECK((refunded->status == "PROCESSING" || refunded->status == "SUCCESS"));
  REQUIRE(refunded->amount.has_value());
  CHECK(refunded->amount->refund == 5);
  CHECK(refunded->amount->total == 8);

  auto refund_query = client.QueryRefund("SBXGWE2ER0001");
  INFO(refund_query.status().ToString());
  REQUIRE(refund_query.ok());
  CHECK(refund_query->refund_id == refunded->refund_id);
  CHECK(refund_query->out_trade_no == "SBXGWE2E00001");
  REQUIRE(refund_query->amount.has_value());
  CHECK(refund_query->amount->refund == 5);

  // The trap: pay-common answers code:0 and wraps WeChat's 404 as data.status. It must come out
  // as WeChat's error with WeChat's status, never as a (default-constructed) success.
  auto missing = client.QueryOrderByOutTradeNo("SBXGWE2ENONE1");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == StatusCode::kServiceError);
  CHECK(missing.status().info().service_code == "ORDER_NOT_EXIST");
  CHECK(missing.status().info().http_status == 404);
}

TEST_CASE("sandbox gateway e2e: tokens") {
  SandboxFixture f;

  SECTION("an anonymous login's token is refused") {
    sandbox::TokenOptions anonymous;
    anonymous.anonymous = true;
    auto client = NativePayClient::Create(f.sandbox().GatewayClientConfig(anonymous).value());
    REQUIRE(client.ok());
    auto answer = client->NativePrepay(Order("SBXGWTOKEN001", 1));
    REQUIRE_FALSE(answer.ok());
    CHECK(answer.status().code() == StatusCode::kUnauthenticated);
  }

  SECTION("no token: kUnauthenticated and nothing is sent") {
    auto config = f.sandbox().GatewayClientConfig().value();
    config.gateway->access_token.clear();
    RequestCounter counter(f.sandbox());
    auto client = NativePayClient::Create(config);
    if (client.ok()) {
      auto answer = client->QueryOrderByOutTradeNo("SBXGWTOKEN001");
      REQUIRE_FALSE(answer.ok());
      CHECK(answer.status().code() == StatusCode::kUnauthenticated);
    } else {
      CHECK(client.status().code() == StatusCode::kUnauthenticated);
    }
    CHECK(counter.Count() == 0);
  }

  SECTION("a provider that has no token: kUnauthenticated and nothing is sent") {
    auto client = GatewayClient(
        f, MakeCallbackTokenProvider([] { return StatusOr<std::string>(std::string()); }));
    RequestCounter counter(f.sandbox());
    auto answer = client.QueryOrderByOutTradeNo("SBXGWTOKEN001");
    REQUIRE_FALSE(answer.ok());
    CHECK(answer.status().code() == StatusCode::kUnauthenticated);
    CHECK(counter.Count() == 0);
  }

  SECTION("an expired fixed token: kUnauthenticated after one request") {
    auto config = f.sandbox().GatewayClientConfig().value();
    config.gateway->access_token = ExpiredToken(f.sandbox());
    auto client = NativePayClient::Create(config);
    REQUIRE(client.ok());
    RequestCounter counter(f.sandbox());
    auto answer = client->NativePrepay(Order("SBXGWTOKEN002", 1));
    REQUIRE_FALSE(answer.ok());
    CHECK(answer.status().code() == StatusCode::kUnauthenticated);
    CHECK(counter.Count() == 1);
    CHECK(f.sandbox().OrderView("SBXGWTOKEN002").status().code() ==
          StatusCode::kInvalidArgument);  // never reached WeChat
  }

  // The fresh token is created before counting so that the count is only the gateway's.
  std::string const expired = ExpiredToken(f.sandbox());
  std::string const fresh = f.sandbox().CreateToken().value();

  SECTION("expired, then a fresh token from the provider: refreshed once, success") {
    std::atomic<int> fetches{0};
    auto client = GatewayClient(f, MakeCallbackTokenProvider([&] {
                                  return StatusOr<std::string>(++fetches == 1 ? expired : fresh);
                                }));
    RequestCounter counter(f.sandbox());
    auto placed = client.NativePrepay(Order("SBXGWTOKEN003", 2));
    INFO(placed.status().ToString());
    REQUIRE(placed.ok());
    CHECK(placed->code_url.rfind("weixin://", 0) == 0);
    CHECK(fetches == 2);
    auto stats = f.sandbox().GetStats();
    CHECK(counter.Count() == 2);
    CHECK(stats.responses[401] == 1);
    CHECK(f.sandbox().OrderView("SBXGWTOKEN003").ok());

    // The refreshed token is kept: the next call needs no further fetch.
    REQUIRE(client.QueryOrderByOutTradeNo("SBXGWTOKEN003").ok());
    CHECK(fetches == 2);
  }

  SECTION("expired, then another expired token: kUnauthenticated after exactly one refresh") {
    std::string const expired_too = ExpiredToken(f.sandbox());
    REQUIRE(expired_too != expired);
    std::atomic<int> fetches{0};
    auto client =
        GatewayClient(f, MakeCallbackTokenProvider([&] {
                        return StatusOr<std::string>(++fetches == 1 ? expired : expired_too);
                      }));
    RequestCounter counter(f.sandbox());
    auto placed = client.NativePrepay(Order("SBXGWTOKEN004", 2));
    REQUIRE_FALSE(placed.ok());
    CHECK(placed.status().code() == StatusCode::kUnauthenticated);
    CHECK(fetches == 2);
    CHECK(counter.Count() == 2);
    CHECK(f.sandbox().GetStats().responses[401] == 2);
    CHECK(f.sandbox().OrderView("SBXGWTOKEN004").status().code() == StatusCode::kInvalidArgument);
  }

  SECTION("a provider handing back the refused token: reported without resending") {
    std::atomic<int> fetches{0};
    auto client = GatewayClient(f, MakeCallbackTokenProvider([&] {
                                  ++fetches;
                                  return StatusOr<std::string>(expired);
                                }));
    RequestCounter counter(f.sandbox());
    auto placed = client.NativePrepay(Order("SBXGWTOKEN005", 2));
    REQUIRE_FALSE(placed.ok());
    CHECK(placed.status().code() == StatusCode::kUnauthenticated);
    CHECK(fetches == 2);
    CHECK(counter.Count() == 1);
  }
}

TEST_CASE("sandbox gateway e2e: use_service_account orders with the service AppID") {
  SandboxFixture f;
  auto client = NativePayClient::Create(f.sandbox().GatewayClientConfig().value());
  REQUIRE(client.ok());
  auto order = Order("SBXGWE2ESVC01", 3);
  order.use_service_account = true;
  auto placed = client->NativePrepay(order);
  INFO(placed.status().ToString());
  REQUIRE(placed.ok());
  auto queried = client->QueryOrderByOutTradeNo("SBXGWE2ESVC01");
  REQUIRE(queried.ok());
  CHECK(queried->appid == f.identity().service_app_id);
  CHECK(f.identity().service_app_id != f.identity().app_id);
  auto view = f.sandbox().OrderView("SBXGWE2ESVC01");
  REQUIRE(view.ok());
  CHECK(view->find(f.identity().service_app_id) != std::string::npos);

  // Without it, the merchant's own AppID, as in direct mode.
  REQUIRE(client->NativePrepay(Order("SBXGWE2ESVC02", 3)).ok());
  CHECK(client->QueryOrderByOutTradeNo("SBXGWE2ESVC02")->appid == f.identity().app_id);
}

}  // namespace
}  // namespace wechatpay
