// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `wechatpay watch` against a WeChat-compatible server on loopback: the final transaction on
// stdout, exit 0 only when paid, and the usual exit codes for errors.

#include "catch.hpp"
#include "support/fake_wechat_server.hpp"
#include "support/run_process.hpp"
#include "support/test_data.hpp"

namespace wechatpay {
namespace {

using testing::FakeWeChatServer;
using testing::TempDir;

std::string TransactionJson(std::string const& state) {
  return R"({"appid":"wxd678efh567hg6787","mchid":"1900007291","out_trade_no":"ORDER20261126001",)"
         R"("trade_type":"NATIVE","trade_state":")" +
         state + R"(","trade_state_desc":"state )" + state +
         R"(","amount":{"total":1,"currency":"CNY"}})";
}

struct Fixture {
  FakeWeChatServer server;
  TempDir dir;
  std::string config = server.WriteConfig(dir.path());

  testing::ProcessResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--config", config, "watch", "--out-trade-no", "ORDER20261126001"});
    return testing::RunCli(args);
  }
  // Every request was a signed query of the order: watch never closes unless asked.
  void CheckOnlyQueries() {
    for (auto const& request : server.requests()) {
      CHECK(request.method == "GET");
      CHECK(request.url == "/v3/pay/transactions/out-trade-no/ORDER20261126001?mchid=1900007291");
    }
  }
};

TEST_CASE("wechatpay watch prints the paid transaction and exits 0") {
  Fixture f;
  f.server.SetReply({200, TransactionJson("SUCCESS")});
  auto r = f.Run({"--interval", "0.05"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == TransactionJson("SUCCESS") + "\n");
  CHECK(f.server.requests().size() == 1);
  f.CheckOnlyQueries();
}

TEST_CASE("wechatpay watch exits 1 for any other terminal state") {
  Fixture f;
  for (std::string const state : {"CLOSED", "PAYERROR", "REFUND"}) {
    f.server.SetReply({200, TransactionJson(state)});
    auto r = f.Run({});
    CAPTURE(state, r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.out == TransactionJson(state) + "\n");
    CHECK(r.err.find(state) != std::string::npos);
  }
  f.CheckOnlyQueries();
}

TEST_CASE("wechatpay watch keeps polling an unpaid order until its --timeout") {
  Fixture f;
  f.server.SetReply({200, TransactionJson("NOTPAY")});
  auto r = f.Run({"--interval", "0.02", "--timeout", "0.3", "--verbose"});
  CHECK(r.exit_code == 1);
  CHECK(r.out == TransactionJson("NOTPAY") + "\n");  // the last state seen
  CHECK(r.err.find("not closed") != std::string::npos);
  CHECK(r.err.find("queried: NOTPAY") != std::string::npos);  // --verbose shows progress
  CHECK(f.server.requests().size() >= 2);
  f.CheckOnlyQueries();
}

TEST_CASE("wechatpay watch: the usual exit codes for errors") {
  Fixture f;
  SECTION("a WeChat error that retrying cannot fix: 1") {
    f.server.SetReply({403, R"({"code":"NO_AUTH","message":"商户无权限"})"});
    auto r = f.Run({});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("NO_AUTH") != std::string::npos);
    CHECK(r.out.empty());
  }
  SECTION("a forged answer: 3") {
    f.server.SetReply({200, TransactionJson("SUCCESS"), FakeWeChatServer::Signing::kTamperedBody});
    auto r = f.Run({});
    CHECK(r.exit_code == 3);
    CHECK(r.out.empty());
  }
  SECTION("bad usage: 2, nothing sent") {
    for (auto const& args : std::vector<std::vector<std::string>>{
             {"--interval", "0"}, {"--interval", "soon"}, {"--timeout", "-1"}, {"--close"}}) {
      auto r = f.Run(args);
      CAPTURE(args[0], r.err);
      CHECK(r.exit_code == 2);
    }
    // "bad/no": an invalid character ("bad" alone is a valid number of an older order).
    auto r = testing::RunCli({"--config", f.config, "watch", "--out-trade-no", "bad/no"});
    CHECK(r.exit_code == 2);
    CHECK(f.server.requests().empty());
  }
}

}  // namespace
}  // namespace wechatpay
