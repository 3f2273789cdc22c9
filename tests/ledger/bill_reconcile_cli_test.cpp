// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `wechatpay reconcile --bill-date D --bill-file F` with the real binary on a SQLite ledger file
// and a trade bill written here as WeChat writes it (every field behind a backtick, the summary
// header and row last). Built only with the trade bill reader (tests/CMakeLists.txt).

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "catch.hpp"
#include "json/json_reader.hpp"
#include "ledger_fixture.hpp"
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

  Setup() {
    auto store = OpenLedgerStore("sqlite:" + db);
    REQUIRE(store.ok());
    Ledger ledger(std::shared_ptr<LedgerStore>(*std::move(store)));
    for (auto const& [no, total] : {std::pair<char const*, int>{"CLI-P1", 100}, {"CLI-P2", 200}}) {
      REQUIRE(ledger.RecordOrderCreating(testing::OrderRequest(no, total)).ok());
      NativePrepayResponse response;
      response.code_url = std::string("weixin://wxpay/bizpayurl?pr=") + no;
      REQUIRE(ledger.RecordPrepayResult(no, response).ok());
      auto paid = testing::PaidTransaction(no, total, std::string("42") + no);
      paid.success_time = "2026-12-06T10:00:00+08:00";
      REQUIRE(ledger.ApplyNotification(testing::PaymentNotification(std::string("EV-") + no, paid))
                  .ok());
    }
  }

  void WriteBill(std::string const& p2_yuan, std::string const& total_yuan) const {
    std::ofstream out(bill, std::ios::binary);
    out << kHeader << PaymentLine("CLI-P1", "1.00") << PaymentLine("CLI-P2", p2_yuan)
        << kSummaryHeader << "`2,`" << total_yuan << ",`0.00,`0.00,`0.00,`" << total_yuan
        << ",`0.00\r\n";
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

}  // namespace
}  // namespace wechatpay
