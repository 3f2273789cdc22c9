// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `wechatpay sandbox` as a user runs it: a child process that prints its URL first and writes a
// client configuration; every API command of the CLI against it over HTTPS with the generated
// CA; the control API's pay in between; a clean exit on SIGTERM; the identity and orders kept
// in --state-dir across a restart.

#include <rapidjson/document.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "support/background_process.hpp"
#include "support/run_process.hpp"
#include "support/sandbox_fixture.hpp"
#include "support/taken_port.hpp"
#include "support/test_data.hpp"

namespace wechatpay {
namespace {

using testing::BackgroundProcess;
using testing::RunCli;
using testing::TempDir;

constexpr std::chrono::seconds kStartup{30};

// A running `wechatpay sandbox` and the configurations it wrote: --write-config the direct
// API v3 one, --write-gateway-config the same with a gateway object.
struct CliSandbox {
  TempDir& dir;
  BackgroundProcess process;
  std::string url;
  std::string config;         // as written by --write-gateway-config (with the gateway object)
  std::string direct_config;  // as written by --write-config

  explicit CliSandbox(TempDir& d, std::vector<std::string> extra = {})
      : dir(d), process(WECHATPAY_CLI_PATH, Args(d, extra), d.File("sandbox.err")) {
    auto line = process.ReadLine(kStartup);
    INFO(testing::ReadFile(dir.File("sandbox.err")));
    REQUIRE(line.has_value());
    REQUIRE(line->rfind("listening on https://127.0.0.1:", 0) == 0);
    url = line->substr(std::string("listening on ").size());
    config = dir.File("gateway.json");
    direct_config = dir.File("cfg.json");
    rapidjson::Document doc;
    doc.Parse(testing::ReadFile(config).c_str());
    REQUIRE(doc.IsObject());
    REQUIRE(doc.HasMember("gateway"));
    CHECK(std::string(doc["baseUrl"].GetString()) == url);
    CHECK(std::string(doc["gateway"]["url"].GetString()) == url);
    CHECK(doc.HasMember("caFile"));
    // The direct configuration is the same without the gateway object.
    doc.RemoveMember("gateway");
    rapidjson::Document direct;
    direct.Parse(testing::ReadFile(direct_config).c_str());
    REQUIRE(direct.IsObject());
    CHECK(direct == doc);
  }

  static std::vector<std::string> Args(TempDir& d, std::vector<std::string> const& extra) {
    std::vector<std::string> args = {"sandbox",
                                     "--listen",
                                     "127.0.0.1:0",
                                     "--write-config",
                                     d.File("cfg.json"),
                                     "--write-gateway-config",
                                     d.File("gateway.json"),
                                     "--state-dir",
                                     d.File("state"),
                                     "--time-scale",
                                     "0.001"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  testing::ProcessResult Cli(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--config", direct_config});
    return RunCli(args);
  }

  // The control API, as `curl -X POST URL` calls it (no body, no Content-Length).
  testing::RawResponse Control(std::string const& method, std::string const& path) const {
    return testing::RawRequest(method, url + "/sandbox/v1/" + path, {}, "",
                               dir.File("state/ca.pem"));
  }
};

std::string Field(std::string const& json, char const* name) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  if (!doc.IsObject() || !doc.HasMember(name) || !doc[name].IsString()) return {};
  return doc[name].GetString();
}

TEST_CASE("wechatpay sandbox: the CLI's API commands against it, then SIGTERM") {
  TempDir dir;
  std::string merchant_id;
  {
    CliSandbox sandbox(dir);
    merchant_id = Field(testing::ReadFile(sandbox.config), "merchantId");
    CHECK(merchant_id.size() == 10);

    auto ordered = sandbox.Cli(
        {"order", "--out-trade-no", "SBXCLI000001", "--description", "命令行下单", "--total", "2"});
    INFO(ordered.err);
    REQUIRE(ordered.exit_code == 0);
    CHECK(Field(ordered.out, "code_url").rfind("weixin://wxpay/bizpayurl?pr=", 0) == 0);

    auto paid = sandbox.Control("POST", "orders/SBXCLI000001/pay");
    INFO(paid.body << paid.error);
    REQUIRE(paid.status == 200);

    auto queried = sandbox.Cli({"query", "--out-trade-no", "SBXCLI000001"});
    INFO(queried.err);
    REQUIRE(queried.exit_code == 0);
    CHECK(Field(queried.out, "trade_state") == "SUCCESS");
    std::string const transaction_id = Field(queried.out, "transaction_id");
    REQUIRE_FALSE(transaction_id.empty());
    auto by_id = sandbox.Cli({"query", "--transaction-id", transaction_id});
    CHECK(by_id.exit_code == 0);
    CHECK(Field(by_id.out, "out_trade_no") == "SBXCLI000001");

    auto refunded = sandbox.Cli({"refund", "--out-trade-no", "SBXCLI000001", "--out-refund-no",
                                 "SBXCLIREFUND1", "--refund", "1", "--total", "2"});
    INFO(refunded.err);
    CHECK(refunded.exit_code == 0);
    CHECK(Field(refunded.out, "status") == "PROCESSING");
    auto refund_query = sandbox.Cli({"refund-query", "--out-refund-no", "SBXCLIREFUND1"});
    CHECK(refund_query.exit_code == 0);
    CHECK(Field(refund_query.out, "out_refund_no") == "SBXCLIREFUND1");

    REQUIRE(sandbox
                .Cli({"order", "--out-trade-no", "SBXCLI000002", "--description", "关单", "--total",
                      "1"})
                .exit_code == 0);
    auto closed = sandbox.Cli({"close", "--out-trade-no", "SBXCLI000002"});
    CHECK(closed.exit_code == 0);
    CHECK(closed.out == "{}\n");
    CHECK(Field(sandbox.Cli({"query", "--out-trade-no", "SBXCLI000002"}).out, "trade_state") ==
          "CLOSED");

    // The payer scans and is typing the password: the control API's scan, as curl calls it.
    REQUIRE(sandbox
                .Cli({"order", "--out-trade-no", "SBXCLI000003", "--description", "支付中",
                      "--total", "1"})
                .exit_code == 0);
    CHECK(sandbox.Control("POST", "orders/SBXCLI000003/scan").status == 200);
    auto paying = sandbox.Cli({"query", "--out-trade-no", "SBXCLI000003"});
    CHECK(paying.exit_code == 0);
    CHECK(paying.out == "{\"trade_state\":\"USERPAYING\"}\n");

    auto missing = sandbox.Cli({"query", "--out-trade-no", "SBXCLI404404"});
    CHECK(missing.exit_code == 1);
    CHECK(missing.err.find("ORDER_NOT_EXIST") != std::string::npos);

    auto view = sandbox.Control("GET", "orders/SBXCLI000001");
    CHECK(view.status == 200);
    CHECK(Field(view.body, "trade_state") == "REFUND");
    CHECK(sandbox.process.Terminate(std::chrono::seconds(20)) == 0);
  }

  SECTION("the configuration as written, gateway object included, goes through pay-common") {
    CliSandbox again(dir);
    auto ordered = RunCli({"--config", again.config, "order", "--out-trade-no", "SBXCLIGW0001",
                           "--description", "网关下单", "--total", "1"});
    // A build without the CloudBase backend refuses the gateway object (exit 2, nothing sent).
    if (ordered.exit_code == 2 && ordered.err.find("gateway") != std::string::npos) return;
    INFO(ordered.err);
    REQUIRE(ordered.exit_code == 0);
    REQUIRE(again.Control("POST", "orders/SBXCLIGW0001/pay").status == 200);
    auto queried = RunCli({"--config", again.config, "query", "--out-trade-no", "SBXCLIGW0001"});
    INFO(queried.err);
    CHECK(queried.exit_code == 0);
    CHECK(Field(queried.out, "trade_state") == "SUCCESS");
    CHECK(again.process.Terminate(std::chrono::seconds(20)) == 0);
  }
  SECTION("the gateway configuration's token is renewed before it expires") {
    // Tokens of 4 s, renewed every 2 s: 6 s later the file's token is still valid (for 2 s at
    // least), where the first one has expired (the gateway refuses it: exit 5).
    CliSandbox again(dir, {"--gateway-token-ttl", "4"});
    auto const first = testing::ReadFile(again.config);
    std::this_thread::sleep_for(std::chrono::seconds(6));
    auto const renewed = testing::ReadFile(again.config);
    rapidjson::Document doc;
    doc.Parse(renewed.c_str());
    REQUIRE(doc.IsObject());
    CHECK(renewed != first);
    auto ordered = RunCli({"--config", again.config, "order", "--out-trade-no", "SBXCLIGW0002",
                           "--description", "续期", "--total", "1"});
    if (ordered.exit_code == 2 && ordered.err.find("gateway") != std::string::npos) return;
    INFO(ordered.err);
    CHECK(ordered.exit_code == 0);
    TempDir old_dir;
    testing::WriteFile(old_dir.File("old.json"), first);
    auto expired = RunCli({"--config", old_dir.File("old.json"), "order", "--out-trade-no",
                           "SBXCLIGW0003", "--description", "过期", "--total", "1"});
    CHECK(expired.exit_code == 5);
    CHECK(again.process.Terminate(std::chrono::seconds(20)) == 0);
  }
  SECTION("a watch through the gateway outlives its token: the CLI reads the renewed one") {
    // Tokens of 4 s renewed every 2 s; the watch runs 6 s and more, so the gateway refuses the
    // token it started with (ACCESS_TOKEN_EXPIRED) and the CLI must take the file's new one.
    CliSandbox again(dir, {"--gateway-token-ttl", "4"});
    auto ordered = RunCli({"--config", again.config, "order", "--out-trade-no", "SBXCLIGW0004",
                           "--description", "长轮询", "--total", "1"});
    if (ordered.exit_code == 2 && ordered.err.find("gateway") != std::string::npos) return;
    INFO(ordered.err);
    REQUIRE(ordered.exit_code == 0);
    BackgroundProcess watch(WECHATPAY_CLI_PATH,
                            {"--config", again.config, "watch", "--out-trade-no", "SBXCLIGW0004",
                             "--interval", "0.5", "--timeout", "30"},
                            dir.File("watch.err"));
    std::this_thread::sleep_for(std::chrono::seconds(6));
    REQUIRE(again.Control("POST", "orders/SBXCLIGW0004/pay").status == 200);
    auto line = watch.ReadLine(std::chrono::seconds(20));
    INFO(testing::ReadFile(dir.File("watch.err")));
    REQUIRE(line.has_value());
    CHECK(Field(*line, "trade_state") == "SUCCESS");
    // No refusal reached the user (the watch prints errors as `error: ...` on stderr).
    CHECK(testing::ReadFile(dir.File("watch.err")).find("error:") == std::string::npos);
    CHECK(again.process.Terminate(std::chrono::seconds(20)) == 0);
  }
  SECTION("a restart with the same --state-dir keeps the identity and the orders") {
    CliSandbox again(dir);
    CHECK(Field(testing::ReadFile(again.config), "merchantId") == merchant_id);
    auto queried = again.Cli({"query", "--out-trade-no", "SBXCLI000001"});
    INFO(queried.err);
    CHECK(queried.exit_code == 0);
    CHECK(Field(queried.out, "trade_state") == "REFUND");
    CHECK(again.process.Terminate(std::chrono::seconds(20)) == 0);
  }
}

TEST_CASE("wechatpay sandbox: usage errors exit 2 before anything starts") {
  auto not_loopback = RunCli({"sandbox", "--listen", "0.0.0.0:0"});
  CHECK(not_loopback.exit_code == 2);
  CHECK(not_loopback.err.find("loopback") != std::string::npos);
  CHECK(RunCli({"sandbox", "--listen", "127.0.0.1"}).exit_code == 2);
  CHECK(RunCli({"sandbox", "--time-scale", "0"}).exit_code == 2);
  CHECK(RunCli({"sandbox", "--bogus"}).exit_code == 2);
  auto help = RunCli({"sandbox", "--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("--time-scale") != std::string::npos);
  CHECK(help.out.find("--key-mode") != std::string::npos);
  auto bad_mode = RunCli({"sandbox", "--key-mode", "certificates"});
  CHECK(bad_mode.exit_code == 2);
  CHECK(bad_mode.err.find("--key-mode") != std::string::npos);
  CHECK(RunCli({"sandbox", "--certificate-share", "1.5"}).exit_code == 2);
  CHECK(RunCli({"sandbox", "--certificate-share", "half"}).exit_code == 2);
  CHECK(help.out.find("--bill-ready-hour") != std::string::npos);
  CHECK(help.out.find("--bill-url-lifetime") != std::string::npos);
  CHECK(RunCli({"sandbox", "--bill-ready-hour", "24"}).exit_code == 2);
  CHECK(RunCli({"sandbox", "--bill-ready-hour", "ten"}).exit_code == 2);
  CHECK(RunCli({"sandbox", "--bill-url-lifetime", "0"}).exit_code == 2);
}

TEST_CASE("wechatpay sandbox --bill-ready-hour and --bill-url-lifetime change the bills") {
  TempDir dir;
  CliSandbox s(dir, {"--bill-ready-hour", "0", "--bill-url-lifetime", "5"});
  auto ordered =
      s.Cli({"order", "--out-trade-no", "SBXCLIBILL01", "--description", "bill", "--total", "3"});
  INFO(ordered.err);
  REQUIRE(ordered.exit_code == 0);
  auto paid = s.Control("POST", "orders/SBXCLIBILL01/pay");
  REQUIRE(paid.status == 200);
  std::string const day = Field(paid.body, "success_time").substr(0, 10);
  REQUIRE(day.size() == 10);
  auto const advance = [&s](std::int64_t seconds) {
    auto answer = testing::RawRequest(
        "POST", s.url + "/sandbox/v1/clock/advance", {"Content-Type: application/json"},
        R"({"seconds":)" + std::to_string(seconds) + "}", s.dir.File("state/ca.pem"));
    REQUIRE(answer.status == 200);
  };
  // Just after midnight (Beijing time) of the next day on the sandbox clock.
  std::int64_t const into_day = (testing::NowSeconds() + 8 * 3600) % 86400;
  advance(86400 - into_day + 60);

  rapidjson::Document config;
  config.Parse(testing::ReadFile(s.direct_config).c_str());
  REQUIRE(config.IsObject());
  sandbox::Identity identity;
  identity.merchant_id = config["merchantId"].GetString();
  identity.merchant_serial_number = config["merchantSerialNumber"].GetString();
  identity.merchant_private_key_file = config["privateKey"].GetString();
  auto const signed_get = [&](std::string const& target) {
    return testing::RawRequest(
        "GET", s.url + target,
        {"Authorization: " + testing::SandboxAuthorization(identity, "GET", target, ""),
         "Accept: application/json", "User-Agent: sandbox-test/1.0"},
        "", s.dir.File("state/ca.pem"));
  };
  // Ready at 00:00 instead of 10:00.
  auto applied = signed_get("/v3/bill/tradebill?bill_date=" + day);
  INFO(applied.body);
  REQUIRE(applied.status == 200);
  std::string const download = Field(applied.body, "download_url").substr(s.url.size());
  CHECK(signed_get(download).status == 200);
  // Valid for 5 s instead of 30.
  advance(6);
  auto expired = signed_get(download);
  CHECK(expired.status == 400);
  CHECK(Field(expired.body, "code") == "INVALID_REQUEST");
  CHECK(s.process.Terminate(std::chrono::seconds(20)) == 0);
}

TEST_CASE("wechatpay sandbox --key-mode certificate: the configuration and the mode are kept") {
  TempDir dir;
  auto start = [&dir](std::string const& err, std::vector<std::string> extra) {
    std::vector<std::string> args = {"sandbox",        "--listen",           "127.0.0.1:0",
                                     "--write-config", dir.File("cfg.json"), "--state-dir",
                                     dir.File("state")};
    args.insert(args.end(), extra.begin(), extra.end());
    return std::make_unique<BackgroundProcess>(WECHATPAY_CLI_PATH, args, dir.File(err));
  };
  {
    auto process = start("err1", {"--key-mode", "certificate"});
    auto line = process->ReadLine(kStartup);
    INFO(testing::ReadFile(dir.File("err1")));
    REQUIRE(line.has_value());
    rapidjson::Document doc;
    doc.Parse(testing::ReadFile(dir.File("cfg.json")).c_str());
    REQUIRE(doc.IsObject());
    CHECK_FALSE(doc.HasMember("wxPayPublicKey"));
    CHECK_FALSE(doc.HasMember("wxPayPublicKeyId"));
    CHECK(doc.HasMember("caFile"));
    CHECK(process->Terminate(std::chrono::seconds(20)) == 0);
    CHECK(testing::ReadFile(dir.File("err1")).find("key mode: certificate") != std::string::npos);
  }
  {
    // No --key-mode: the state folder's; --key-mode both then writes everything.
    auto process = start("err2", {});
    REQUIRE(process->ReadLine(kStartup).has_value());
    CHECK(process->Terminate(std::chrono::seconds(20)) == 0);
    CHECK(testing::ReadFile(dir.File("err2")).find("key mode: certificate") != std::string::npos);
  }
  {
    auto process = start("err3", {"--key-mode", "both", "--certificate-share", "0.25"});
    REQUIRE(process->ReadLine(kStartup).has_value());
    rapidjson::Document doc;
    doc.Parse(testing::ReadFile(dir.File("cfg.json")).c_str());
    REQUIRE(doc.IsObject());
    CHECK(doc.HasMember("wxPayPublicKey"));
    CHECK(doc.HasMember("wxPayPublicKeyId"));
    CHECK(process->Terminate(std::chrono::seconds(20)) == 0);
    CHECK(testing::ReadFile(dir.File("err3")).find("key mode: both") != std::string::npos);
  }
}

TEST_CASE("wechatpay sandbox says 'address already in use' when its port is taken") {
  testing::TakenPort taken;
  auto r = RunCli({"sandbox", "--listen", taken.Listen()});
  INFO(r.err);
  CHECK(r.exit_code == 4);
  CHECK(r.err.find("error: sandbox: cannot listen on " + taken.Listen() +
                   ": address already in use") != std::string::npos);
  CHECK(r.out.empty());
}

}  // namespace
}  // namespace wechatpay
