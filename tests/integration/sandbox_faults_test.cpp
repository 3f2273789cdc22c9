// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Every fault action of the control API, as the SDK reports it: a forged, unsigned, stale or
// probing 2xx never reaches the caller as success. And connection reuse, proven by the
// sandbox's own counters.

#include <chrono>
#include <string>

#include "catch.hpp"
#include "support/sandbox_fixture.hpp"
#include "support/test_data.hpp"

namespace wechatpay {
namespace {

using testing::RawRequest;
using testing::SandboxFixture;

constexpr char kQueryPath[] = "^/v3/pay/transactions/out-trade-no/";

sandbox::Fault MakeFault(std::string method, std::string path, std::string action, int count = 1) {
  sandbox::Fault fault;
  fault.method = std::move(method);
  fault.path = std::move(path);
  fault.action = std::move(action);
  fault.count = count;
  return fault;
}

ClientOptions NoRetries() {
  ClientOptions options;
  options.retry.max_retries = 0;
  return options;
}

NativePrepayRequest OrderRequest(std::string out_trade_no) {
  NativePrepayRequest request;
  request.out_trade_no = std::move(out_trade_no);
  request.description = "故障注入";
  request.amount.total = 2;
  return request;
}

TEST_CASE("sandbox faults: forged answers fail verification, never succeed") {
  SandboxFixture f;
  auto client = f.Client(NoRetries());
  f.Order(client, "SBXFAULT00001");

  struct Case {
    char const* action;
    VerificationFailure failure;
  };
  Case const cases[] = {{"bad-signature", VerificationFailure::kSignatureMismatch},
                        {"signtest", VerificationFailure::kSignTestProbe},
                        {"no-signature", VerificationFailure::kMissingHeaders},
                        {"stale-timestamp", VerificationFailure::kTimestampSkew},
                        {"wrong-serial", VerificationFailure::kUnknownSerial}};
  int n = 0;
  for (auto const& kase : cases) {
    INFO(kase.action);
    REQUIRE(f.sandbox().AddFault(MakeFault("GET", kQueryPath, kase.action)).ok());
    auto query = client.QueryOrderByOutTradeNo("SBXFAULT00001");
    REQUIRE_FALSE(query.ok());
    CHECK(query.status().code() == StatusCode::kVerificationFailed);
    CHECK(query.status().info().verification_failure == kase.failure);
    CHECK(query.status().info().http_status == 200);
    // One use only: the next answer is genuine.
    REQUIRE(client.QueryOrderByOutTradeNo("SBXFAULT00001").ok());

    // On a POST the answer is untrustworthy but the order exists: the outcome is unknown.
    std::string const out_trade_no = "SBXFAULT0010" + std::to_string(n++);
    REQUIRE(f.sandbox().AddFault(MakeFault("POST", "/native$", kase.action)).ok());
    auto order = client.NativePrepay(OrderRequest(out_trade_no));
    REQUIRE_FALSE(order.ok());
    CHECK(order.status().code() == StatusCode::kVerificationFailed);
    CHECK(order.status().info().outcome_unknown);
    CHECK(client.QueryOrderByOutTradeNo(out_trade_no).ok());

    // A 204 without a valid signature is forged as well.
    REQUIRE(f.sandbox().AddFault(MakeFault("POST", "/close$", kase.action)).ok());
    auto closed = client.CloseOrder(out_trade_no);
    REQUIRE_FALSE(closed.ok());
    CHECK(closed.status().code() == StatusCode::kVerificationFailed);
    CHECK(closed.status().info().http_status == 204);
  }
}

TEST_CASE("sandbox faults: status, delay, drop and truncate") {
  SandboxFixture f;

  SECTION("status:500 three times: the SDK retries twice, then reports the service error") {
    auto client = f.Client();  // default retries: 2
    REQUIRE(f.sandbox().AddFault(MakeFault("POST", "/native$", "status:500", 3)).ok());
    auto order = client.NativePrepay(OrderRequest("SBXFAULT00020"));
    REQUIRE_FALSE(order.ok());
    CHECK(order.status().code() == StatusCode::kServiceError);
    CHECK(order.status().info().http_status == 500);
    CHECK(order.status().info().service_code == "SYSTEM_ERROR");
    CHECK(order.status().info().outcome_unknown);
    auto stats = f.sandbox().GetStats();
    CHECK(stats.requests == 3);
    CHECK(stats.faults_applied == 3);
    CHECK(stats.responses[500] == 3);
  }
  SECTION("status:500 once: the retry succeeds") {
    auto client = f.Client();
    REQUIRE(f.sandbox().AddFault(MakeFault("POST", "/native$", "status:500")).ok());
    REQUIRE(client.NativePrepay(OrderRequest("SBXFAULT00021")).ok());
    CHECK(f.sandbox().GetStats().requests == 2);
  }
  SECTION("status:429 on a query: FREQUENCY_LIMITED") {
    auto client = f.Client(NoRetries());
    f.Order(client, "SBXFAULT00012");
    REQUIRE(f.sandbox().AddFault(MakeFault("GET", kQueryPath, "status:429")).ok());
    auto query = client.QueryOrderByOutTradeNo("SBXFAULT00012");
    REQUIRE_FALSE(query.ok());
    CHECK(query.status().info().service_code == "FREQUENCY_LIMITED");
  }
  SECTION("delay past the client's timeout: deadline exceeded, outcome unknown for a POST") {
    auto config = f.Config();
    config.timeouts.total = std::chrono::milliseconds(300);
    ClientOptions options = NoRetries();
    options.sleep = [](std::chrono::milliseconds) {};
    auto client = NativePayClient::Create(config, options).value();
    REQUIRE(f.sandbox().AddFault(MakeFault("POST", "/native$", "delay:5000")).ok());
    auto order = client.NativePrepay(OrderRequest("SBXFAULT00013"));
    REQUIRE_FALSE(order.ok());
    CHECK(order.status().code() == StatusCode::kDeadlineExceeded);
    CHECK(order.status().info().outcome_unknown);
  }
  SECTION("drop: a transport error; the order was applied, so its outcome is unknown") {
    auto client = f.Client(NoRetries());
    REQUIRE(f.sandbox().AddFault(MakeFault("POST", "/native$", "drop")).ok());
    auto order = client.NativePrepay(OrderRequest("SBXFAULT00014"));
    REQUIRE_FALSE(order.ok());
    INFO(order.status().ToString());
    CHECK(order.status().code() == StatusCode::kTransport);
    CHECK(order.status().info().outcome_unknown);
    CHECK(client.QueryOrderByOutTradeNo("SBXFAULT00014").ok());
  }
  SECTION("truncate: a transport error, never a half-read success") {
    auto client = f.Client(NoRetries());
    f.Order(client, "SBXFAULT00015");
    REQUIRE(f.sandbox().AddFault(MakeFault("GET", kQueryPath, "truncate")).ok());
    auto query = client.QueryOrderByOutTradeNo("SBXFAULT00015");
    REQUIRE_FALSE(query.ok());
    INFO(query.status().ToString());
    CHECK(query.status().code() == StatusCode::kTransport);
  }
  SECTION("drop and truncate over plain HTTP too") {
    SandboxFixture plain(0.001, true);
    auto client = plain.Client(NoRetries());
    plain.Order(client, "SBXFAULT00016");
    // libcurl silently resends a request once when a *reused* connection ends before any
    // answer byte ("Connection died, retrying a fresh connect"): the drop must hit both.
    REQUIRE(plain.sandbox().AddFault(MakeFault("GET", kQueryPath, "drop", 2)).ok());
    auto dropped = client.QueryOrderByOutTradeNo("SBXFAULT00016");
    REQUIRE_FALSE(dropped.ok());
    CHECK(dropped.status().code() == StatusCode::kTransport);
    plain.sandbox().ClearFaults();
    REQUIRE(plain.sandbox().AddFault(MakeFault("GET", kQueryPath, "truncate")).ok());
    auto truncated = client.QueryOrderByOutTradeNo("SBXFAULT00016");
    REQUIRE_FALSE(truncated.ok());
    CHECK(truncated.status().code() == StatusCode::kTransport);
    CHECK(client.QueryOrderByOutTradeNo("SBXFAULT00016").ok());
  }
}

TEST_CASE("sandbox faults: the control API adds, lists and clears faults, and refuses bad ones") {
  SandboxFixture f;
  std::string const ca = f.identity().ca_file;
  std::string const faults = f.BaseUrl() + "/sandbox/v1/faults";
  auto added = RawRequest("POST", faults, {"Content-Type: application/json"},
                          R"({"method":"GET","path":"^/v3/","action":"status:503","count":2})", ca);
  CHECK(added.status == 201);
  auto listed = RawRequest("GET", faults, {}, "", ca);
  CHECK(listed.body.find(R"("action":"status:503","remaining":2)") != std::string::npos);
  auto bad = RawRequest("POST", faults, {}, R"({"path":"(","action":"drop"})", ca);
  CHECK(bad.status == 400);
  CHECK(RawRequest("POST", faults, {}, R"({"action":"explode"})", ca).status == 400);
  CHECK(RawRequest("POST", faults, {}, R"({"action":"status:200"})", ca).status == 400);
  CHECK(RawRequest("DELETE", faults, {}, "", ca).status == 204);
  CHECK(RawRequest("GET", faults, {}, "", ca).body == R"({"faults":[]})");
  CHECK_FALSE(f.sandbox().AddFault(MakeFault("", "", "delay:x")).ok());
}

TEST_CASE("sandbox faults: a path pattern cannot stall the requests it is tried on") {
  SandboxFixture f;
  std::string const mchid = "?mchid=" + f.identity().merchant_id;
  // (.*)*x backtracks exponentially in a backtracking matcher on any path without an 'x': the
  // first v3 request used to spin for ever while holding the registry's lock, and every other
  // request waited behind it.
  REQUIRE(f.sandbox().AddFault(MakeFault("GET", "(.*)*x", "status:503")).ok());
  auto const start = std::chrono::steady_clock::now();
  auto const plain =
      testing::SignedRequest(f, "GET", "/v3/pay/transactions/out-trade-no/SBXREGEX0001" + mchid);
  INFO(plain.error);
  CHECK(plain.status == 404);  // not faulted: no 'x' in the path
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  auto const marked =
      testing::SignedRequest(f, "GET", "/v3/pay/transactions/out-trade-no/SBXREGEXx002" + mchid);
  CHECK(marked.status == 503);  // and the pattern still works

  // Bounds: the pattern's length, the path's length, the pending faults.
  CHECK(f.sandbox().AddFault(MakeFault("GET", std::string(256, 'a'), "drop")).ok());
  auto const long_pattern = f.sandbox().AddFault(MakeFault("GET", std::string(257, 'a'), "drop"));
  CHECK(long_pattern.code() == StatusCode::kInvalidArgument);
  CHECK(long_pattern.message().find("at most 256 bytes") != std::string::npos);
#if defined(__GLIBCXX__)
  CHECK_FALSE(f.sandbox().AddFault(MakeFault("GET", "(a)\\1", "drop")).ok());  // back-reference
#endif
  f.sandbox().ClearFaults();
  REQUIRE(f.sandbox().AddFault(MakeFault("GET", ".", "status:500")).ok());
  std::string const long_path = "/v3/pay/transactions/out-trade-no/" + std::string(300, 'L');
  CHECK(testing::SignedRequest(f, "GET", long_path + mchid).status != 500);  // not matched
  CHECK(testing::SignedRequest(f, "GET", "/v3/pay/transactions/id/4200" + mchid).status == 500);
  f.sandbox().ClearFaults();
  for (int i = 0; i < 100; ++i) {
    REQUIRE(f.sandbox().AddFault(MakeFault("DELETE", "^/v3/none$", "drop")).ok());
  }
  auto const too_many = f.sandbox().AddFault(MakeFault("DELETE", "^/v3/none$", "drop"));
  CHECK(too_many.code() == StatusCode::kInvalidArgument);
  CHECK(too_many.message().find("at most 100 faults") != std::string::npos);
  f.sandbox().ClearFaults();
}

TEST_CASE("sandbox: a hundred sequential calls on one client use one connection and handshake") {
  SandboxFixture f;
  {
    auto client = f.Client();
    f.Order(client, "SBXREUSE00001");
    for (int i = 0; i < 100; ++i) {
      auto query = client.QueryOrderByOutTradeNo("SBXREUSE00001");
      REQUIRE(query.ok());
    }
  }
  auto stats = f.sandbox().GetStats();
  CHECK(stats.requests == 101);
  CHECK(stats.tcp_connections == 1);
  CHECK(stats.tls_handshakes == 1);
  CHECK(stats.responses[200] == 101);
}

}  // namespace
}  // namespace wechatpay
