// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Failover to the backup domain with the real curl transport: the primary base URL is a closed
// loopback port (the connection is refused, so nothing can have arrived), the backup is the
// sandbox; the order is placed there and can be queried, and the events say which host each
// attempt went to. Without the option the same order fails cleanly.

#include <string>
#include <vector>

#include "catch.hpp"
#include "support/raw_socket_peers.hpp"
#include "support/sandbox_fixture.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay {
namespace {

using testing::SandboxFixture;

NativePrepayRequest Order(std::string out_trade_no) {
  NativePrepayRequest request;
  request.out_trade_no = std::move(out_trade_no);
  request.description = "failover";
  request.amount.total = 3;
  return request;
}

TEST_CASE("An order whose primary host refuses the connection is placed on the backup domain",
          "[failover]") {
  SandboxFixture f;
  std::string const closed = "https://127.0.0.1:" + std::to_string(testing::ClosedLoopbackPort());
  MerchantConfig config = f.Config();
  config.base_url = closed;
  config.backup_base_url = f.BaseUrl();

  std::vector<RequestEvent> events;
  ClientOptions options;
  options.sleep = [](std::chrono::milliseconds) {};
  options.on_request = [&events](RequestEvent const& event) { events.push_back(event); };
  auto client = NativePayClient::Create(config, options);
  REQUIRE(client.ok());

  auto placed = client->NativePrepay(Order("FAILOVER0001"));
  INFO(placed.status().ToString());
  REQUIRE(placed.ok());
  CHECK(placed->code_url.rfind("weixin://wxpay/bizpayurl?pr=", 0) == 0);
  REQUIRE(events.size() == 2);
  CHECK(events[0].code == StatusCode::kTransport);
  CHECK_FALSE(events[0].outcome_unknown);
  CHECK_FALSE(events[0].backup_host);
  CHECK(events[0].retry == RetryDecision::kRetrying);
  CHECK(events[1].backup_host);
  CHECK(events[1].http_status == 200);
  CHECK(events[1].path == "/v3/pay/transactions/native");

  // WeChat (the sandbox) has exactly this order, and a query fails over the same way.
  auto order = client->QueryOrderByOutTradeNo("FAILOVER0001");
  INFO(order.status().ToString());
  REQUIRE(order.ok());
  CHECK(order->trade_state == "NOTPAY");
  REQUIRE(order->amount.has_value());
  CHECK(order->amount->total == 3);
}

TEST_CASE("Without a backup domain the refused order fails, its outcome known", "[failover]") {
  SandboxFixture f;
  MerchantConfig config = f.Config();
  config.base_url = "https://127.0.0.1:" + std::to_string(testing::ClosedLoopbackPort());
  ClientOptions options;
  options.sleep = [](std::chrono::milliseconds) {};
  auto client = NativePayClient::Create(config, options);
  REQUIRE(client.ok());
  auto placed = client->NativePrepay(Order("FAILOVER0002"));
  REQUIRE_FALSE(placed.ok());
  CHECK(placed.status().code() == StatusCode::kTransport);
  CHECK_FALSE(placed.status().info().outcome_unknown);
  // Nothing reached the sandbox.
  auto direct = f.Client().QueryOrderByOutTradeNo("FAILOVER0002");
  REQUIRE_FALSE(direct.ok());
  CHECK(direct.status().info().service_code == "ORDER_NOT_EXIST");
}

}  // namespace
}  // namespace wechatpay
