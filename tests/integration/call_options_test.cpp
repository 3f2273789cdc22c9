// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// CallOptions against a real server that never answers in time: a per-call timeout ends the
// call (retries included) long before the client's own timeout would.

#include <chrono>

#include "catch.hpp"
#include "support/loopback_server.hpp"
#include "support/test_merchant.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay {
namespace {

using std::chrono::milliseconds;

TEST_CASE("A per-call timeout bounds one call below the client's timeout", "[call_options]") {
  testing::LoopbackServer server;
  server.http().Get(".*", [&server](httplib::Request const&, httplib::Response& res) {
    server.WaitForStop(milliseconds(10000));  // slower than any bound below
    res.status = 500;
  });
  server.Start();
  {
    auto config = testing::TestMerchant::Config(server.BaseUrl());
    config.timeouts.total = milliseconds(8000);
    ClientOptions options;
    options.retry.max_retries = 2;
    auto client = NativePayClient::Create(config, options);
    REQUIRE(client.ok());

    CallOptions call;
    call.timeout = milliseconds(300);
    auto const started = std::chrono::steady_clock::now();
    auto transaction = client->QueryOrderByOutTradeNo("ORDER20261126001", call);
    auto const took = std::chrono::steady_clock::now() - started;
    REQUIRE_FALSE(transaction.ok());
    CHECK(transaction.status().code() == StatusCode::kDeadlineExceeded);
    // The per-call bound, not the client's 8 s (nor three attempts of it); generous slack for
    // a loaded machine.
    CHECK(took < milliseconds(3000));
    CHECK(took >= milliseconds(250));

    // A deadline works the same way.
    call.timeout = milliseconds(0);
    call.deadline = std::chrono::steady_clock::now() + milliseconds(300);
    auto const again = std::chrono::steady_clock::now();
    auto refund = client->QueryRefund("REFUND001", call);
    REQUIRE_FALSE(refund.ok());
    CHECK(refund.status().code() == StatusCode::kDeadlineExceeded);
    CHECK(std::chrono::steady_clock::now() - again < milliseconds(3000));
  }
  server.Stop();
}

}  // namespace
}  // namespace wechatpay
