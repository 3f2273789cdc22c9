// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `wechatpay bill trade|fundflow` against WeChat's bill endpoints on loopback: the bill reaches
// --output or stdout only after its digest matched; a mismatch, a day not yet generated and a
// usage error end with their documented exit codes and leave no file.

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "catch.hpp"
#include "support/bill_files.hpp"
#include "support/bill_server.hpp"
#include "support/fake_wechat_server.hpp"
#include "support/run_process.hpp"
#include "support/test_data.hpp"

namespace wechatpay {
namespace {

using testing::BillServer;
using testing::RunCli;
using testing::TempDir;

std::string BeijingYesterday() {
  auto const now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::time_t const yesterday = now + 8 * 3600 - 24 * 3600;
  std::tm parts{};
  gmtime_r(&yesterday, &parts);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &parts);
  return text;
}

std::string ReadFile(std::string const& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct Fixture {
  std::string const bill = testing::SampleTradeBill(500);
  BillServer server;
  TempDir dir;
  std::string config;

  Fixture() {
    server.AddFile("plain", {bill, bill});
    server.AddFile("gzip", {testing::Gzip(bill), bill});
    auto changed = bill;
    changed[bill.size() / 2] ^= 0x01;
    server.AddFile("changed", {changed, bill});
    server.Start();
    config = testing::WriteTestConfig(dir.path(), server.BaseUrl());
  }

  testing::ProcessResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--config", config});
    return RunCli(args);
  }
};

TEST_CASE("wechatpay bill trade writes the verified bill to --output", "[bill][cli]") {
  Fixture f;
  f.server.NextToken("gzip");
  auto const output = f.dir.File("trade.csv");
  auto r = f.Run({"bill", "trade", "--date", BeijingYesterday(), "--type", "SUCCESS", "--gzip",
                  "--output", output});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(ReadFile(output) == f.bill);
  CHECK(r.out.empty());
  CHECK(r.err.find("SHA-1 verified") != std::string::npos);
  auto const requests = f.server.requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].url ==
        "/v3/bill/tradebill?bill_date=" + BeijingYesterday() + "&bill_type=SUCCESS&tar_type=GZIP");
}

TEST_CASE("wechatpay bill fundflow prints the verified bill on stdout", "[bill][cli]") {
  Fixture f;
  f.server.NextToken("plain");
  auto r = f.Run({"bill", "fundflow", "--date", BeijingYesterday(), "--account-type", "BASIC"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == f.bill);
  CHECK(f.server.requests()[0].url ==
        "/v3/bill/fundflowbill?bill_date=" + BeijingYesterday() + "&account_type=BASIC");
}

TEST_CASE("wechatpay bill: a digest mismatch is exit 3 with nothing written", "[bill][cli]") {
  Fixture f;
  f.server.NextToken("changed");
  auto const output = f.dir.File("trade.csv");
  auto r = f.Run({"bill", "trade", "--date", BeijingYesterday(), "--output", output});
  CHECK(r.exit_code == 3);
  CHECK_FALSE(std::filesystem::exists(output));
  // Only the configuration file is in the folder: no temporary file was left.
  std::size_t entries = 0;
  for ([[maybe_unused]] auto const& entry : std::filesystem::directory_iterator(f.dir.path())) {
    ++entries;
  }
  CHECK(entries == 1);
  // On stdout neither: nothing of an unverified bill is printed.
  auto printed = f.Run({"bill", "trade", "--date", BeijingYesterday()});
  CHECK(printed.exit_code == 3);
  CHECK(printed.out.empty());
}

TEST_CASE("wechatpay bill: usage errors send nothing", "[bill][cli]") {
  Fixture f;
  CHECK(f.Run({"bill", "trade"}).exit_code == 2);  // --date is required
  auto today = f.Run({"bill", "trade", "--date", "2099-01-01"});
  CHECK(today.exit_code == 2);
  CHECK(today.err.find("bill_date") != std::string::npos);
  CHECK(f.Run({"bill", "trade", "--date", BeijingYesterday(), "--type", "all"}).exit_code == 2);
  CHECK(f.Run({"bill", "monthly", "--date", BeijingYesterday()}).exit_code == 2);
  CHECK(f.server.requests().empty());
  auto help = f.Run({"bill", "--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("(UTC+8) date") != std::string::npos);
  CHECK(help.out.find("Example:") != std::string::npos);
}

}  // namespace
}  // namespace wechatpay
