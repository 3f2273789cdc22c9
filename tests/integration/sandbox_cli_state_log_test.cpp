// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `wechatpay sandbox` across restarts and with --log-requests, as a merchant runs it: the port
// kept in --state-dir (and the written configurations rewritten, with a message, when it is
// taken), and one stderr line per request saying why a badly signed one was refused, without
// quoting a secret.

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <rapidjson/document.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "support/background_process.hpp"
#include "support/run_process.hpp"
#include "support/test_data.hpp"

namespace wechatpay {
namespace {

using testing::BackgroundProcess;
using testing::ReadFile;
using testing::RunCli;
using testing::TempDir;

constexpr std::chrono::seconds kStartup{30};
constexpr std::chrono::seconds kStop{20};

std::string Member(std::string const& json, char const* name) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  if (!doc.IsObject() || !doc.HasMember(name) || !doc[name].IsString()) return "";
  return doc[name].GetString();
}

// A started `wechatpay sandbox` with its state in DIR/state and its configuration in
// DIR/cfg.json (and DIR/gateway.json).
struct Started {
  BackgroundProcess process;
  std::string url;
  int port = 0;

  Started(TempDir& dir, std::string const& err_file, std::vector<std::string> extra = {})
      : process(WECHATPAY_CLI_PATH, Args(dir, extra), dir.File(err_file)) {
    auto line = process.ReadLine(kStartup);
    INFO(ReadFile(dir.File(err_file)));
    REQUIRE(line.has_value());
    REQUIRE(line->rfind("listening on http://127.0.0.1:", 0) == 0);
    url = line->substr(std::string("listening on ").size());
    port = std::stoi(url.substr(url.rfind(':') + 1));
  }

  static std::vector<std::string> Args(TempDir& dir, std::vector<std::string> const& extra) {
    std::vector<std::string> args = {
        "sandbox",         "--listen",       "127.0.0.1:0",        "--plain-http", "--state-dir",
        dir.File("state"), "--write-config", dir.File("cfg.json"), "--time-scale", "0.001"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
};

// Holds 127.0.0.1:`port` with a listening socket, as another program would.
class PortHolder {
 public:
  explicit PortHolder(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    int const one = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    held_ = fd_ >= 0 && bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
            listen(fd_, 1) == 0;
  }
  ~PortHolder() {
    if (fd_ >= 0) close(fd_);
  }
  PortHolder(PortHolder const&) = delete;
  PortHolder& operator=(PortHolder const&) = delete;
  bool held() const { return held_; }

 private:
  int fd_ = -1;
  bool held_ = false;
};

TEST_CASE("wechatpay sandbox --state-dir keeps the port, or rewrites the configuration") {
  TempDir dir;
  int first_port = 0;
  {
    Started first(dir, "first.err", {"--write-gateway-config", dir.File("gateway.json")});
    first_port = first.port;
    CHECK(first.process.Terminate(kStop) == 0);
  }
  SECTION("a restart reuses the port it had") {
    Started again(dir, "again.err");
    CHECK(again.port == first_port);
    CHECK(ReadFile(dir.File("again.err")).find("not free") == std::string::npos);
    CHECK(again.process.Terminate(kStop) == 0);
  }
  SECTION("a taken port: a new one, every configuration written for the folder rewritten") {
    PortHolder holder(first_port);
    REQUIRE(holder.held());
    // Started without --write-gateway-config: the file written by the first start is rewritten
    // all the same, since the state folder recorded it.
    Started again(dir, "again.err");
    CHECK(again.port != first_port);
    // The notice goes to stderr, which may reach its file after the listening line reached
    // the test: wait for it (bounded) rather than read once.
    std::string err = ReadFile(dir.File("again.err"));
    for (int i = 0; i < 200 && err.find(dir.File("gateway.json")) == std::string::npos; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      err = ReadFile(dir.File("again.err"));
    }
    INFO(err);
    CHECK(err.find("port " + std::to_string(first_port) + " (kept in the state folder) is not " +
                   "free: now " + std::to_string(again.port)) != std::string::npos);
    CHECK(err.find(dir.File("cfg.json")) != std::string::npos);
    CHECK(err.find(dir.File("gateway.json")) != std::string::npos);
    CHECK(Member(ReadFile(dir.File("cfg.json")), "baseUrl") == again.url);
    CHECK(Member(ReadFile(dir.File("gateway.json")), "baseUrl") == again.url);
    // The rewritten configuration works as written.
    auto ordered = RunCli({"--config", dir.File("cfg.json"), "order", "--out-trade-no",
                           "PORTMOVED01", "--description", "moved", "--total", "1"});
    INFO(ordered.err);
    CHECK(ordered.exit_code == 0);
    CHECK(again.process.Terminate(kStop) == 0);
  }
}

TEST_CASE("wechatpay sandbox --log-requests: one line per request, the reason of a refusal") {
  TempDir dir;
  Started sandbox(dir, "sandbox.err", {"--log-requests"});
  std::string const config = dir.File("cfg.json");
  std::string const merchant_id = Member(ReadFile(config), "merchantId");
  REQUIRE(!merchant_id.empty());

  // Accepted.
  auto ordered = RunCli({"--config", config, "order", "--out-trade-no", "LOGREQ0001",
                         "--description", "logged", "--total", "1"});
  INFO(ordered.err);
  REQUIRE(ordered.exit_code == 0);

  // Badly signed: a genuine Authorization for one order, sent for another; and one signed
  // 20 minutes ago.
  std::string const signed_path =
      "/v3/pay/transactions/out-trade-no/LOGREQ0001?mchid=" + merchant_id;
  std::string const sent_path = "/v3/pay/transactions/out-trade-no/LOGREQ0002?mchid=" + merchant_id;
  auto authorization =
      RunCli({"--config", config, "sign", "--method", "GET", "--url", signed_path});
  REQUIRE(authorization.exit_code == 0);
  std::string const header = authorization.out.substr(0, authorization.out.find('\n'));
  std::string const signature = header.substr(header.find("signature=\"") + 11, 40);
  auto stale = RunCli({"--config", config, "sign", "--method", "GET", "--url", signed_path,
                       "--timestamp", std::to_string(std::time(nullptr) - 1200)});
  REQUIRE(stale.exit_code == 0);

  httplib::Client client("127.0.0.1", sandbox.port);
  auto send = [&](std::string const& path, std::string const& auth) {
    httplib::Headers headers = {{"Accept", "application/json"},
                                {"User-Agent", "log-requests-test"}};
    if (!auth.empty()) headers.emplace("Authorization", auth);
    auto result = client.Get(path.c_str(), headers);
    REQUIRE(result);
    return result->status;
  };
  CHECK(send(sent_path, header) == 401);
  CHECK(send(signed_path, stale.out.substr(0, stale.out.find('\n'))) == 401);
  CHECK(send(signed_path, "") == 401);

  // Well signed, but a field breaks WeChat's rules: the field is named, not its value.
  std::string const app_id = Member(ReadFile(config), "appId");
  std::string const body = R"({"appid":")" + app_id + R"(","mchid":")" + merchant_id +
                           R"(","description":"SECRETDESCRIPTION","out_trade_no":"LOGREQ0003",)"
                           R"("notify_url":"https://example.com/n","amount":{"total":0}})";
  auto post_authorization = RunCli({"--config", config, "sign", "--method", "POST", "--url",
                                    "/v3/pay/transactions/native", "--body", body});
  REQUIRE(post_authorization.exit_code == 0);
  httplib::Headers post_headers = {
      {"Accept", "application/json"},
      {"User-Agent", "log-requests-test"},
      {"Authorization", post_authorization.out.substr(0, post_authorization.out.find('\n'))}};
  auto posted = client.Post("/v3/pay/transactions/native", post_headers, body, "application/json");
  REQUIRE(posted);
  CHECK(posted->status == 400);

  CHECK(sandbox.process.Terminate(kStop) == 0);
  std::string const err = ReadFile(dir.File("sandbox.err"));
  INFO(err);
  CHECK(err.find("sandbox: POST /v3/pay/transactions/native 200\n") != std::string::npos);
  CHECK(err.find("sandbox: GET /v3/pay/transactions/out-trade-no/LOGREQ0002?mchid=*** 401 "
                 "refused: bad signature") != std::string::npos);
  CHECK(err.find("sandbox: GET /v3/pay/transactions/out-trade-no/LOGREQ0001?mchid=*** 401 "
                 "refused: stale timestamp: ") != std::string::npos);
  CHECK(err.find("sandbox: GET /v3/pay/transactions/out-trade-no/LOGREQ0001?mchid=*** 401 "
                 "refused: missing header Authorization") != std::string::npos);
  CHECK(err.find("sandbox: POST /v3/pay/transactions/native 400 refused: validation failed: "
                 "field /body/amount/total breaks a rule (PARAM_ERROR)") != std::string::npos);
  CHECK(err.find("SECRETDESCRIPTION") == std::string::npos);
  // No secret: not the signature, not a query value.
  REQUIRE(signature.size() == 40);
  CHECK(err.find(signature) == std::string::npos);
  CHECK(err.find("mchid=" + merchant_id) == std::string::npos);
}

}  // namespace
}  // namespace wechatpay
