// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `wechatpay watch` against a WeChat-compatible server on loopback: the final transaction on
// stdout, exit 0 only when paid, and the usual exit codes for errors.

#include <signal.h>

#include <chrono>
#include <functional>
#include <regex>
#include <thread>

#include "catch.hpp"
#include "support/background_process.hpp"
#include "support/fake_wechat_server.hpp"
#include "support/run_process.hpp"
#include "support/test_data.hpp"

namespace wechatpay {
namespace {

using namespace std::chrono_literals;
using testing::FakeWeChatServer;
using testing::TempDir;

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

bool Eventually(std::function<bool()> const& condition, std::chrono::milliseconds limit) {
  auto const deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

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

TEST_CASE("wechatpay watch keeps polling an unpaid order until its --watch-timeout") {
  Fixture f;
  f.server.SetReply({200, TransactionJson("NOTPAY")});
  auto r = f.Run({"--interval", "0.02", "--watch-timeout", "0.3", "--verbose"});
  CHECK(r.exit_code == 1);
  CHECK(r.out == TransactionJson("NOTPAY") + "\n");  // the last state seen
  CHECK(r.err.find("not closed") != std::string::npos);
  CHECK(r.err.find("watch: queried: trade_state NOTPAY") != std::string::npos);  // --verbose
  CHECK(f.server.requests().size() >= 2);
  f.CheckOnlyQueries();
}

TEST_CASE("wechatpay watch: a progress line at a steady pace and a final line; --quiet") {
  Fixture f;
  f.server.SetReply({200, TransactionJson("NOTPAY")});
  auto r = f.Run({"--interval", "0.05", "--watch-timeout", "1", "--progress-interval", "0.2"});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  std::regex const progress("watch: ORDER20261126001 NOTPAY, ([0-9.]+) s left\n");
  std::vector<double> left;
  for (auto it = std::sregex_iterator(r.err.begin(), r.err.end(), progress);
       it != std::sregex_iterator(); ++it) {
    left.push_back(std::stod((*it)[1]));
  }
  // About one line per 0.2 s of the 1 s wait, not one per query (about 20), the time left going
  // down (to 0 once the limit has passed).
  REQUIRE(left.size() >= 3);
  CHECK(left.size() <= 10);
  for (std::size_t i = 1; i < left.size(); ++i) CHECK(left[i] <= left[i - 1]);
  CHECK(left.back() < left.front());
  CHECK(std::regex_search(r.err, std::regex("watch: ORDER20261126001 done: watch timeout after "
                                            "[0-9.]+ s, NOTPAY, order left open\n")));

  auto quiet = f.Run(
      {"--interval", "0.05", "--watch-timeout", "0.5", "--progress-interval", "0.1", "--quiet"});
  INFO(quiet.err);
  CHECK(quiet.exit_code == 1);
  // Only the error remains.
  CHECK(quiet.err.rfind("error: order ORDER20261126001 is still unpaid", 0) == 0);
  CHECK(quiet.err.find("watch:") == std::string::npos);
}

TEST_CASE("wechatpay watch: --timeout bounds each request, --watch-timeout the wait") {
  Fixture f;
  // Every answer takes 1.5 s: a request limited to 0.2 s never gets one.
  f.server.SetReply({200, TransactionJson("SUCCESS"), FakeWeChatServer::Signing::kSigned, 1500ms});
  auto bounded = f.Run({"--interval", "0.05", "--watch-timeout", "3", "--timeout", "0.2"});
  INFO(bounded.err);
  CHECK(bounded.exit_code == 1);
  CHECK(bounded.err.find("query failed, retrying") != std::string::npos);
  CHECK(bounded.err.find("deprecated") == std::string::npos);
  // Without --timeout the first answer arrives, within the same 3 s wait.
  auto unbounded = f.Run({"--interval", "0.05", "--watch-timeout", "3"});
  INFO(unbounded.err);
  CHECK(unbounded.exit_code == 0);
  CHECK(unbounded.out == TransactionJson("SUCCESS") + "\n");
}

TEST_CASE("wechatpay watch --timeout without --watch-timeout: the old limit, with a warning") {
  Fixture f;
  f.server.SetReply({200, TransactionJson("NOTPAY")});
  auto const start = std::chrono::steady_clock::now();
  auto r = f.Run({"--interval", "0.05", "--timeout", "0.5"});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  CHECK(SecondsSince(start) < 10);
  CHECK(r.err.find("wechatpay: warning: --timeout as the watch limit is deprecated") !=
        std::string::npos);
}

TEST_CASE("wechatpay watch reports ORDER_NOT_EXIST at once, whatever the watch timeout") {
  Fixture f;
  f.server.SetReply({404, R"({"code":"ORDER_NOT_EXIST","message":"订单不存在"})"});
  auto const start = std::chrono::steady_clock::now();
  auto r = f.Run({"--interval", "0.05", "--watch-timeout", "600"});
  INFO(r.err);
  CHECK(SecondsSince(start) < 5);  // not after the watcher's 30 s grace, nor the 600 s
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("ORDER_NOT_EXIST") != std::string::npos);
  CHECK(r.out.empty());
  CHECK(f.server.requests().size() == 1);
  f.CheckOnlyQueries();
}

TEST_CASE("wechatpay watch: Ctrl-C (SIGINT) exits 130; it closes only with --close-on-timeout") {
  Fixture f;
  f.server.SetReply({200, TransactionJson("NOTPAY")});
  TempDir logs;
  SECTION("the order is left open") {
    testing::BackgroundProcess watch(
        WECHATPAY_CLI_PATH,
        {"--config", f.config, "watch", "--out-trade-no", "ORDER20261126001", "--interval", "0.05"},
        logs.File("err"));
    REQUIRE(Eventually([&] { return f.server.requests().size() >= 2; }, 30s));
    CHECK(watch.Stop(SIGINT, 30s) == 130);
    auto const err = testing::ReadFile(logs.File("err"));
    INFO(err);
    CHECK(err.find("error: interrupted by SIGINT: stopped watching order ORDER20261126001, "
                   "which was not closed") != std::string::npos);
    CHECK(err.find("done: interrupted by SIGINT after") != std::string::npos);
    auto line = watch.ReadLine(5s);  // the last state seen
    CHECK(line == TransactionJson("NOTPAY"));
    f.CheckOnlyQueries();
  }
  SECTION("--close-on-timeout: the order is closed first") {
    testing::BackgroundProcess watch(
        WECHATPAY_CLI_PATH,
        {"--config", f.config, "watch", "--out-trade-no", "ORDER20261126001", "--interval", "0.05",
         "--close-on-timeout"},
        logs.File("err"));
    REQUIRE(Eventually([&] { return f.server.requests().size() >= 2; }, 30s));
    // From now on the server answers as after a close.
    f.server.SetReply({200, TransactionJson("CLOSED")});
    CHECK(watch.Stop(SIGINT, 30s) == 130);
    auto const err = testing::ReadFile(logs.File("err"));
    INFO(err);
    bool closed = false;
    for (auto const& request : f.server.requests()) {
      if (request.method == "POST" &&
          request.url == "/v3/pay/transactions/out-trade-no/ORDER20261126001/close") {
        closed = true;
      }
    }
    CHECK(closed);
    CHECK(err.find("interrupted: closing order ORDER20261126001") != std::string::npos);
    CHECK(err.find("error: interrupted by SIGINT: order ORDER20261126001 ended in trade_state "
                   "CLOSED") != std::string::npos);
  }
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
    for (auto const& args : std::vector<std::vector<std::string>>{{"--interval", "0"},
                                                                  {"--interval", "soon"},
                                                                  {"--timeout", "-1"},
                                                                  {"--watch-timeout", "0"},
                                                                  {"--watch-timeout", "86401"},
                                                                  {"--progress-interval", "never"},
                                                                  {"--close"}}) {
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
