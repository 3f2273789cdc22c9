// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `wechatpay reconcile --bill-date D --bill-file F` with the real binary on a SQLite ledger file
// and a trade bill written here as WeChat writes it (every field behind a backtick, the summary
// header and row last). Built only with the trade bill reader (tests/CMakeLists.txt).

#include <chrono>
#include <ctime>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "catch.hpp"
#include "json/json_reader.hpp"
#include "ledger_fixture.hpp"
#include "support/bill_files.hpp"
#include "support/bill_server.hpp"
#include "support/fake_wechat_server.hpp"
#include "support/run_process.hpp"
#include "support/test_data.hpp"
#include "wechatpay/ledger/ledger.hpp"
#include "wechatpay/ledger/open.hpp"

namespace wechatpay {
namespace {

using testing::RunCli;
using testing::TempDir;

bool Contains(std::string const& text, std::string const& part) {
  return text.find(part) != std::string::npos;
}

constexpr char kHeader[] =
    "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,"
    "交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,"
    "充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,"
    "费率备注\r\n";
constexpr char kSummaryHeader[] =
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,"
    "申请退款总金额\r\n";

// A payment row of `yuan` (written as the bill writes it, e.g. "1.00").
std::string PaymentLine(std::string const& no, std::string const& yuan) {
  std::vector<std::string> fields = {"2026-12-06 10:00:00",
                                     "wxd678efh567hg6787",
                                     "1900000001",
                                     "0",
                                     "",
                                     "42" + no,
                                     no,
                                     "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
                                     "NATIVE",
                                     "SUCCESS",
                                     "OTHERS",
                                     "CNY",
                                     yuan,
                                     "0.00",
                                     "0",
                                     "0",
                                     "0.00",
                                     "0.00",
                                     "",
                                     "",
                                     "对账测试",
                                     "",
                                     "0.00",
                                     "0.60%",
                                     yuan,
                                     "0.00",
                                     ""};
  std::string line;
  for (auto const& field : fields) line += (line.empty() ? "`" : ",`") + field;
  return line + "\r\n";
}

struct Setup {
  TempDir dir;
  std::string db = dir.File("ledger.db");
  std::string bill = dir.File("bill.csv");

  // CLI-P1 (100 fen) and CLI-P2 (200 fen) paid in the ledger on `day` (Beijing).
  explicit Setup(std::string const& day = "2026-12-06") {
    auto store = OpenLedgerStore("sqlite:" + db);
    REQUIRE(store.ok());
    Ledger ledger(std::shared_ptr<LedgerStore>(*std::move(store)));
    for (auto const& [no, total] : {std::pair<char const*, int>{"CLI-P1", 100}, {"CLI-P2", 200}}) {
      REQUIRE(ledger.RecordOrderCreating(testing::OrderRequest(no, total)).ok());
      NativePrepayResponse response;
      response.code_url = std::string("weixin://wxpay/bizpayurl?pr=") + no;
      REQUIRE(ledger.RecordPrepayResult(no, response).ok());
      auto paid = testing::PaidTransaction(no, total, std::string("42") + no);
      paid.success_time = day + "T10:00:00+08:00";
      REQUIRE(ledger.ApplyNotification(testing::PaymentNotification(std::string("EV-") + no, paid))
                  .ok());
    }
  }

  static std::string BillText(std::string const& p2_yuan, std::string const& total_yuan) {
    return kHeader + PaymentLine("CLI-P1", "1.00") + PaymentLine("CLI-P2", p2_yuan) +
           kSummaryHeader + "`2,`" + total_yuan + ",`0.00,`0.00,`0.00,`" + total_yuan +
           ",`0.00\r\n";
  }

  void WriteBill(std::string const& p2_yuan, std::string const& total_yuan) const {
    std::ofstream out(bill, std::ios::binary);
    out << BillText(p2_yuan, total_yuan);
  }
};

TEST_CASE("wechatpay reconcile --bill-file: a difference exits 7, a clean bill 0",
          "[ledger][cli]") {
  Setup s;
  s.WriteBill("3.00", "4.00");  // CLI-P2: 300 fen in the bill, 200 in the ledger

  auto table = RunCli({"reconcile", "--ledger", "sqlite:" + s.db, "--bill-date", "2026-12-06",
                       "--bill-file", s.bill});
  INFO(table.err);
  CHECK(table.exit_code == 7);
  CHECK(Contains(table.out, "bill 2026-12-06: 1 difference (amounts in fen)"));
  CHECK(Contains(table.out, "AMOUNT_DIFFERS  CLI-P2"));
  CHECK(Contains(table.out, "payments: bill 2 (400 fen), ledger 2 (300 fen), matched 1 (100 fen)"));

  auto json = RunCli({"reconcile", "--ledger", "sqlite:" + s.db, "--bill-date", "2026-12-06",
                      "--bill-file", s.bill, "--json"});
  INFO(json.err);
  CHECK(json.exit_code == 7);
  auto const first_end = json.out.find('\n');
  REQUIRE(first_end != std::string::npos);
  internal::JsonDocument difference;
  REQUIRE(difference.ParseObject(json.out.substr(0, first_end)).empty());
  CHECK(internal::StringValue(*internal::JsonMember(&difference.root(), "kind")) ==
        "AMOUNT_DIFFERS");
  CHECK(internal::JsonMember(&difference.root(), "bill_fen")->GetInt64() == 300);
  CHECK(internal::JsonMember(&difference.root(), "ledger_fen")->GetInt64() == 200);

  s.WriteBill("2.00", "3.00");
  auto clean = RunCli({"reconcile", "--ledger", "sqlite:" + s.db, "--bill-date", "2026-12-06",
                       "--bill-file", s.bill});
  INFO(clean.err);
  CHECK(clean.exit_code == 0);
  CHECK(Contains(clean.out, "bill 2026-12-06: no differences"));
}

// Yesterday in Beijing (UTC+8), "yyyy-MM-dd": the latest day whose bill the client applies for.
std::string BeijingYesterday() {
  std::time_t const yesterday = std::time(nullptr) + 8 * 3600 - 24 * 3600;
  std::tm parts{};
  gmtime_r(&yesterday, &parts);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &parts);
  return text;
}

TEST_CASE("wechatpay reconcile --bill-date without a file downloads the day's bill",
          "[ledger][cli][bills]") {
  std::string const day = BeijingYesterday();
  Setup s(day);
  std::string const differing = Setup::BillText("3.00", "4.00");
  std::string const clean = Setup::BillText("2.00", "3.00");
  std::string corrupt = clean;
  corrupt[corrupt.size() / 2] ^= 0x01;
  testing::BillServer server;  // WeChat's bill endpoints: a signed answer, the file unsigned
  server.AddFile("differing", {testing::Gzip(differing), differing});
  server.AddFile("clean", {testing::Gzip(clean), clean});
  server.AddFile("corrupt", {testing::Gzip(corrupt), clean});
  server.Start();
  std::string const config = testing::WriteTestConfig(s.dir.path(), server.BaseUrl());
  auto reconcile = [&](std::string const& token) {
    server.NextToken(token);
    return RunCli(
        {"--config", config, "reconcile", "--ledger", "sqlite:" + s.db, "--bill-date", day});
  };

  auto differs = reconcile("differing");
  INFO(differs.out << differs.err);
  CHECK(differs.exit_code == 7);
  CHECK(Contains(differs.out, "AMOUNT_DIFFERS  CLI-P2"));
  // The day's trade bill was applied for, gzip, and downloaded from the answer's URL.
  auto const requests = server.requests();
  REQUIRE(requests.size() == 2);
  CHECK(Contains(requests[0].url, "/v3/bill/tradebill?bill_date=" + day));
  CHECK(Contains(requests[0].url, "tar_type=GZIP"));
  CHECK(Contains(requests[1].url, "/v3/billdownload/file?token=differing"));

  auto agrees = reconcile("clean");
  INFO(agrees.out << agrees.err);
  CHECK(agrees.exit_code == 0);
  CHECK(Contains(agrees.out, "no differences"));

  // A download whose digest does not match is refused as a whole: nothing compared or printed.
  auto refused = reconcile("corrupt");
  INFO(refused.out << refused.err);
  CHECK(refused.exit_code == 3);
  CHECK(refused.out.empty());
}

}  // namespace
}  // namespace wechatpay
