// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The bill readers (protocol/bill_format.hpp): the official layout (docs/bills.md) parsed into
// typed rows, the summary checked against the rows, amounts in yuan converted to fen exactly,
// and every malformed file refused with an error that names a line and a column, never a value.

#include "wechatpay/protocol/bill_format.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catch.hpp"

namespace wechatpay {
namespace {

// ---- building bills ---------------------------------------------------------------------------

std::string const kTradeHeader =
    "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,"
    "交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,"
    "充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,"
    "费率备注";
std::string const kTradeSummaryHeader =
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额";

// A detail or summary line: every field with its backtick; a field holding a comma, a quote or
// a line break is quoted as RFC 4180 says (the backtick inside the quotes).
std::string Line(std::vector<std::string> const& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    std::string const value = "`" + fields[i];
    if (value.find_first_of(",\"\n") == std::string::npos) {
      out += value;
      continue;
    }
    out += '"';
    for (char c : value) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  return out;
}

std::vector<std::string> PaymentRow() {
  return {"2026-12-06 10:00:00",
          "wx2421b1c4370ec43b",
          "1900000001",
          "0",
          "",
          "4200000001202612060000000001",
          "ORDER-1",
          "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
          "NATIVE",
          "SUCCESS",
          "CMC",
          "CNY",
          "1234567.89",
          "0.00",
          "0",
          "0",
          "0.00",
          "0.00",
          "",
          "",
          "绿茶, \"特级\" 礼盒",
          "attach",
          "0.02",
          "0.60%",
          "1234567.89",
          "0.00",
          ""};
}

std::vector<std::string> RefundRow() {
  return {"2026-12-06 11:00:00",
          "wx2421b1c4370ec43b",
          "1900000001",
          "0",
          "",
          "4200000001202612060000000001",
          "ORDER-1",
          "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
          "NATIVE",
          "REFUND",
          "CMC",
          "CNY",
          "0.00",
          "0.00",
          "50300000012026120600000000001",
          "REFUND-1",
          "0.10",
          "0.00",
          "ORIGINAL",
          "SUCCESS",
          "绿茶",
          "",
          "-0.01",
          "0.60%",
          "0.00",
          "0.10",
          ""};
}

std::vector<std::string> TradeSummary() {
  return {"2", "1234567.89", "0.10", "0.00", "0.01", "1234567.89", "0.10"};
}

std::string TradeBillText(std::string const& eol = "\n") {
  return kTradeHeader + eol + Line(PaymentRow()) + eol + Line(RefundRow()) + eol +
         kTradeSummaryHeader + eol + Line(TradeSummary()) + eol;
}

std::string const kFundHeader =
    "记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额(元),账户结余(元),"
    "资金变更提交申请人,备注,业务凭证号";
std::string const kFundSummaryHeader = "资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额";

std::string FundBillText(std::string header = kFundHeader, std::string summary_values = "") {
  std::string text = header + "\n";
  text += Line({"2026-12-06 10:00:01", "4200000001202612060000000001", "1900000001202612060001",
                "交易", "交易", "收入", "1234567.89", "1234567.89", "system", "", "ORDER-1"}) +
          "\n";
  text +=
      Line({"2026-12-06 10:00:02", "4200000001202612060000000001", "1900000001202612060002", "交易",
            "扣除交易手续费", "支出", "0.02", "1234567.87", "system", "备注, 含逗号", "ORDER-1"}) +
      "\n";
  text += Line({"2026-12-06 11:00:00", "50300000012026120600000000001", "1900000001202612060003",
                "退款", "退款", "支出", "0.10", "1234567.77", "1900000001API", "", "REFUND-1"}) +
          "\n";
  text += kFundSummaryHeader + "\n";
  // The official sample writes its counts as "20.0".
  text += summary_values.empty() ? std::string("`3.0,`1.0,`1234567.89,`2.0,`0.12") : summary_values;
  text += "\n";
  return text;
}

// A header line's names, and back.
std::vector<std::string> Split(std::string const& header) {
  std::vector<std::string> names(1);
  for (char c : header) {
    if (c == ',') {
      names.emplace_back();
    } else {
      names.back() += c;
    }
  }
  return names;
}

std::string Join(std::vector<std::string> const& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) out += (i > 0 ? "," : "") + names[i];
  return out;
}

bool Mentions(Status const& status, std::string_view text) {
  return status.message().find(text) != std::string::npos;
}

// ---- ParseYuanToFen ---------------------------------------------------------------------------

TEST_CASE("ParseYuanToFen converts yuan to fen exactly", "[bills]") {
  struct Case {
    char const* text;
    std::int64_t fen;
  };
  for (Case c : {Case{"0.01", 1}, Case{"1234567.89", 123456789}, Case{"0.10", 10}, Case{"0.1", 10},
                 Case{"0", 0}, Case{"0.0", 0}, Case{"0.00", 0}, Case{"-0.05", -5},
                 Case{"5.76", 576}, Case{"100", 10000}, Case{"92233720368547758.07", INT64_MAX}}) {
    INFO(c.text);
    StatusOr<std::int64_t> fen = ParseYuanToFen(c.text, "订单金额");
    REQUIRE(fen.ok());
    CHECK(*fen == c.fen);
  }
}

TEST_CASE("ParseYuanToFen refuses what is not exactly two decimals of yuan", "[bills]") {
  for (char const* text :
       {"1.234", "1e3", "", " 1", "1 ", "1,000", "+1", "-", ".5", "5.", "1.2.3", "0x10", "１",
        "92233720368547758.08", "99999999999999999999", "--1", "1-"}) {
    INFO(text);
    StatusOr<std::int64_t> fen = ParseYuanToFen(text, "订单金额");
    REQUIRE_FALSE(fen.ok());
    CHECK(fen.status().code() == StatusCode::kInvalidArgument);
    CHECK(Mentions(fen.status(), "订单金额"));
  }
}

// ---- trade bill -------------------------------------------------------------------------------

TEST_CASE("A trade bill parses into typed rows, amounts exact to the fen", "[bills]") {
  StatusOr<TradeBill> bill = ParseTradeBill(TradeBillText());
  REQUIRE(bill.ok());
  REQUIRE(bill->rows.size() == 2);
  TradeBillRow const& pay = bill->rows[0];
  CHECK(pay.trade_time == "2026-12-06 10:00:00");
  CHECK(pay.appid == "wx2421b1c4370ec43b");
  CHECK(pay.sub_mchid == "0");
  CHECK(pay.device_info.empty());
  CHECK(pay.transaction_id == "4200000001202612060000000001");
  CHECK(pay.out_trade_no == "ORDER-1");
  CHECK(pay.trade_state == "SUCCESS");
  CHECK(pay.settlement_total_fen == 123456789);
  CHECK(pay.order_total_fen == 123456789);
  CHECK(pay.fee_fen == 2);
  CHECK(pay.fee_rate == "0.60%");
  // A comma and quotes inside a quoted field, after its backtick.
  CHECK(pay.description == "绿茶, \"特级\" 礼盒");
  CHECK(pay.other.empty());
  TradeBillRow const& refund = bill->rows[1];
  CHECK(refund.trade_state == "REFUND");
  CHECK(refund.refund_id == "50300000012026120600000000001");
  CHECK(refund.out_refund_no == "REFUND-1");
  CHECK(refund.refund_fen == 10);
  CHECK(refund.refund_requested_fen == 10);
  CHECK(refund.fee_fen == -1);
  CHECK(refund.refund_status == "SUCCESS");
  TradeBillSummary const& summary = bill->summary;
  CHECK(summary.row_count == 2);
  CHECK(summary.settlement_total_fen == 123456789);
  CHECK(summary.refund_fen == 10);
  CHECK(summary.fee_fen == 1);
  CHECK(summary.order_total_fen == 123456789);
  CHECK(summary.refund_requested_fen == 10);
}

TEST_CASE("A trade bill with a byte-order mark and CRLF line ends reads the same", "[bills]") {
  StatusOr<TradeBill> plain = ParseTradeBill(TradeBillText());
  StatusOr<TradeBill> windows = ParseTradeBill("\xEF\xBB\xBF" + TradeBillText("\r\n"));
  REQUIRE(plain.ok());
  REQUIRE(windows.ok());
  REQUIRE(windows->rows.size() == 2);
  CHECK(windows->rows[0].trade_time == plain->rows[0].trade_time);  // no BOM left in it
  CHECK(windows->rows[1].fee_rate_note.empty());                    // no '\r' left in it
  CHECK(windows->rows[0].description == plain->rows[0].description);
  CHECK(windows->summary.refund_requested_fen == 10);
  // Without a final line break, the summary row still ends the file.
  std::string no_final_eol = TradeBillText("\r\n");
  no_final_eol.resize(no_final_eol.size() - 2);
  CHECK(ParseTradeBill(no_final_eol).ok());
}

TEST_CASE("An empty trade bill (no rows, a zero summary) is valid", "[bills]") {
  std::string const text = kTradeHeader + "\n" + kTradeSummaryHeader + "\n" +
                           Line({"0", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00"}) + "\n";
  StatusOr<TradeBill> bill = ParseTradeBill(text);
  REQUIRE(bill.ok());
  CHECK(bill->rows.empty());
  CHECK(bill->summary.row_count == 0);
}

TEST_CASE("A SUCCESS trade bill (no refund columns, a shorter summary) parses", "[bills]") {
  std::string const header =
      "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,"
      "交易状态,付款银行,货币种类,应结订单金额,代金券金额,商品名称,商户数据包,手续费,费率,订单金额,"
      "费率备注";
  std::string const row = Line({"2026-12-06 10:00:00",
                                "wx1",
                                "1900000001",
                                "0",
                                "",
                                "4200000001",
                                "ORDER-1",
                                "o1",
                                "NATIVE",
                                "SUCCESS",
                                "CMC",
                                "CNY",
                                "5.76",
                                "0.00",
                                "desc",
                                "",
                                "0.03",
                                "0.60%",
                                "5.76",
                                ""});
  std::string const text = header + "\n" + row +
                           "\n总交易单数,应结订单总金额,手续费总金额,订单总金额\n" +
                           Line({"1", "5.76", "0.03", "5.76"}) + "\n";
  StatusOr<TradeBill> bill = ParseTradeBill(text);
  REQUIRE(bill.ok());
  REQUIRE(bill->rows.size() == 1);
  CHECK(bill->rows[0].order_total_fen == 576);
  CHECK(bill->rows[0].refund_fen == 0);
  CHECK(bill->summary.fee_fen == 3);
}

TEST_CASE("Unknown columns are kept by name and columns are found by name", "[bills]") {
  // A REFUND bill's two extra columns, and the columns in reverse order.
  std::vector<std::string> names = Split(kTradeHeader);
  names.insert(names.begin() + 14, {"退款申请时间", "退款成功时间"});
  auto with_extra = [](std::vector<std::string> row) {
    row.insert(row.begin() + 14, {"2026-12-06 11:00:00", "2026-12-06 11:00:05"});
    return row;
  };
  std::vector<std::vector<std::string>> rows{with_extra(PaymentRow()), with_extra(RefundRow())};
  std::reverse(names.begin(), names.end());
  for (auto& row : rows) std::reverse(row.begin(), row.end());
  std::string const text = Join(names) + "\n" + Line(rows[0]) + "\n" + Line(rows[1]) + "\n" +
                           kTradeSummaryHeader + "\n" + Line(TradeSummary()) + "\n";
  StatusOr<TradeBill> bill = ParseTradeBill(text);
  REQUIRE(bill.ok());
  REQUIRE(bill->rows.size() == 2);
  CHECK(bill->rows[0].out_trade_no == "ORDER-1");
  CHECK(bill->rows[0].order_total_fen == 123456789);
  CHECK(bill->rows[1].refund_fen == 10);
  REQUIRE(bill->rows[1].other.size() == 2);
  // In file order: reversed, so 退款成功时间 comes first.
  CHECK(bill->rows[1].other[0].name == "退款成功时间");
  CHECK(bill->rows[1].other[0].value == "2026-12-06 11:00:05");
  CHECK(bill->rows[1].other[1].name == "退款申请时间");
  CHECK(bill->rows[1].other[1].value == "2026-12-06 11:00:00");
}

TEST_CASE("A trade bill without its summary is refused", "[bills]") {
  std::string const rows_only = kTradeHeader + "\n" + Line(PaymentRow()) + "\n";
  StatusOr<TradeBill> bill = ParseTradeBill(rows_only);
  REQUIRE_FALSE(bill.ok());
  CHECK(bill.status().code() == StatusCode::kMalformedResponse);
  CHECK(Mentions(bill.status(), "no summary"));

  StatusOr<TradeBill> header_only = ParseTradeBill(rows_only + kTradeSummaryHeader + "\n");
  REQUIRE_FALSE(header_only.ok());
  CHECK(Mentions(header_only.status(), "without the summary row"));

  CHECK_FALSE(ParseTradeBill("").ok());
  CHECK_FALSE(ParseTradeBill("\xEF\xBB\xBF\r\n\r\n").ok());
}

TEST_CASE("A summary that disagrees with the rows is refused, naming the column", "[bills]") {
  struct Case {
    std::size_t index;
    char const* value;
    char const* column;
  };
  for (Case c : {Case{0, "3", "总交易单数"}, Case{1, "1234567.88", "应结订单总金额"},
                 Case{2, "0.11", "退款总金额"}, Case{3, "0.01", "充值券退款总金额"},
                 Case{4, "0.02", "手续费总金额"}, Case{5, "1234567.90", "订单总金额"},
                 Case{6, "0.09", "申请退款总金额"}}) {
    INFO(c.column);
    std::vector<std::string> summary = TradeSummary();
    summary[c.index] = c.value;
    std::string const text = kTradeHeader + "\n" + Line(PaymentRow()) + "\n" + Line(RefundRow()) +
                             "\n" + kTradeSummaryHeader + "\n" + Line(summary) + "\n";
    StatusOr<TradeBill> bill = ParseTradeBill(text);
    REQUIRE_FALSE(bill.ok());
    CHECK(bill.status().code() == StatusCode::kMalformedResponse);
    CHECK(Mentions(bill.status(), c.column));
    CHECK(Mentions(bill.status(), "line 5"));
    CHECK_FALSE(Mentions(bill.status(), c.value));
  }
}

TEST_CASE("A trade bill without a required column is refused, naming it", "[bills]") {
  for (std::string column : {"商户订单号", "微信订单号", "交易状态", "订单金额", "交易时间"}) {
    INFO(column);
    std::vector<std::string> names = Split(kTradeHeader);
    *std::find(names.begin(), names.end(), column) = "改名" + column;  // there, but not by name
    std::string const header = Join(names);
    std::string const text = header + "\n" + kTradeSummaryHeader + "\n" +
                             Line({"0", "0.00", "0.00", "0.00", "0.00", "0.00", "0.00"}) + "\n";
    StatusOr<TradeBill> bill = ParseTradeBill(text);
    REQUIRE_FALSE(bill.ok());
    CHECK(Mentions(bill.status(), "no column " + column));
  }
}

TEST_CASE("Malformed trade bill lines are refused with the line and column, never the value",
          "[bills]") {
  auto parse_with_payment = [](std::vector<std::string> payment) {
    std::string const text = kTradeHeader + "\n" + Line(payment) + "\n" + Line(RefundRow()) + "\n" +
                             kTradeSummaryHeader + "\n" + Line(TradeSummary()) + "\n";
    return ParseTradeBill(text);
  };
  SECTION("an amount with three decimals") {
    std::vector<std::string> row = PaymentRow();
    row[24] = "1234567.891";
    StatusOr<TradeBill> bill = parse_with_payment(row);
    REQUIRE_FALSE(bill.ok());
    CHECK(Mentions(bill.status(), "line 2, column 订单金额"));
    CHECK_FALSE(Mentions(bill.status(), "1234567.891"));
  }
  SECTION("a fee written with five decimals, all zeros beyond the fen, is exact") {
    std::vector<std::string> row = PaymentRow();
    row[22] = "0.02000";
    REQUIRE(parse_with_payment(row).ok());
    row[22] = "0.02001";
    CHECK_FALSE(parse_with_payment(row).ok());
  }
  SECTION("a field without its backtick") {
    std::string line = Line(PaymentRow());
    line.replace(line.find("`ORDER-1"), 8, "ORDER-1");
    std::string const text = kTradeHeader + "\n" + line + "\n";
    StatusOr<TradeBill> bill = ParseTradeBill(text);
    REQUIRE_FALSE(bill.ok());
    CHECK(Mentions(bill.status(), "line 2, column 商户订单号: no leading backtick"));
    CHECK_FALSE(Mentions(bill.status(), "ORDER-1"));
  }
  SECTION("a row with a field too many") {
    std::vector<std::string> row = PaymentRow();
    row.push_back("extra");
    StatusOr<TradeBill> bill = parse_with_payment(row);
    REQUIRE_FALSE(bill.ok());
    CHECK(Mentions(bill.status(), "line 2"));
    CHECK(Mentions(bill.status(), "28 fields"));
  }
  SECTION("a line after the summary row") {
    StatusOr<TradeBill> bill = ParseTradeBill(TradeBillText() + Line(PaymentRow()) + "\n");
    REQUIRE_FALSE(bill.ok());
    CHECK(Mentions(bill.status(), "line 6: a line after the summary row"));
  }
  SECTION("a line without backticks that is not the summary header") {
    std::string const text = kTradeHeader + "\nsomething else\n";
    StatusOr<TradeBill> bill = ParseTradeBill(text);
    REQUIRE_FALSE(bill.ok());
    CHECK(Mentions(bill.status(), "line 2"));
    CHECK(Mentions(bill.status(), "总交易单数"));
  }
  SECTION("no header") {
    StatusOr<TradeBill> bill = ParseTradeBill(Line(PaymentRow()) + "\n");
    REQUIRE_FALSE(bill.ok());
    CHECK(Mentions(bill.status(), "line 1"));
  }
  SECTION("a quote that is not closed") {
    StatusOr<TradeBill> bill = ParseTradeBill(kTradeHeader + "\n\"`2026");
    REQUIRE_FALSE(bill.ok());
    CHECK(Mentions(bill.status(), "inside a quoted field"));
  }
  SECTION("text after a closing quote") {
    StatusOr<TradeBill> bill = ParseTradeBill(kTradeHeader + "\n\"`a\"b,`c\n");
    REQUIRE_FALSE(bill.ok());
    CHECK(Mentions(bill.status(), "after a closing quote"));
  }
  SECTION("a value that is not UTF-8") {
    std::vector<std::string> row = PaymentRow();
    row[20] = "\xC3\x28";
    StatusOr<TradeBill> bill = parse_with_payment(row);
    REQUIRE_FALSE(bill.ok());
    CHECK(Mentions(bill.status(), "column 商品名称"));
  }
  SECTION("a line longer than 64 KiB") {
    std::vector<std::string> row = PaymentRow();
    row[20] = std::string(70 * 1024, 'x');
    StatusOr<TradeBill> bill = parse_with_payment(row);
    REQUIRE_FALSE(bill.ok());
    CHECK(Mentions(bill.status(), "longer than"));
  }
  SECTION("too many fields") {
    StatusOr<TradeBill> bill = ParseTradeBill(kTradeHeader + "\n" + std::string(300, ',') + "\n");
    REQUIRE_FALSE(bill.ok());
    CHECK(Mentions(bill.status(), "more than 256 fields"));
  }
}

TEST_CASE("A quoted field may hold a line break; line numbers stay physical", "[bills]") {
  std::vector<std::string> payment = PaymentRow();
  payment[21] = "line one\nline two";
  std::string const text = kTradeHeader + "\n" + Line(payment) + "\n" + Line(RefundRow()) + "\n" +
                           kTradeSummaryHeader + "\n" + Line({"9", "0", "0", "0", "0", "0", "0"}) +
                           "\n";
  StatusOr<TradeBill> bill = ParseTradeBill(text);
  REQUIRE_FALSE(bill.ok());
  CHECK(Mentions(bill.status(), "line 6"));  // the summary row, after a two-line row
}

// Feeds `text` in the given chunks; the rows' out_trade_no/refund and the summary as one string.
std::string ReadTradeInChunks(std::string const& text, std::vector<std::size_t> const& cuts) {
  std::string seen;
  TradeBillReader reader([&seen](TradeBillRow&& row) {
    seen += row.out_trade_no + "|" + row.description + "|" + std::to_string(row.refund_fen) + "|" +
            std::to_string(row.order_total_fen) + ";";
    return Status();
  });
  std::size_t from = 0;
  for (std::size_t cut : cuts) {
    Status status = reader.Feed(std::string_view(text).substr(from, cut - from));
    if (!status.ok()) return "error: " + status.message();
    from = cut;
  }
  if (Status status = reader.Feed(std::string_view(text).substr(from)); !status.ok()) {
    return "error: " + status.message();
  }
  StatusOr<TradeBillSummary> summary = reader.Finish();
  if (!summary.ok()) return "error: " + summary.status().message();
  return seen + "summary " + std::to_string(summary->row_count) + "/" +
         std::to_string(summary->order_total_fen);
}

TEST_CASE("A handler that copies its rows sees each row whole, nothing of the one before",
          "[bills]") {
  // The reader refills one row object line after line (bill_columns.hpp): a handler that does
  // not move from it must still see only the current line's values and unknown columns.
  std::vector<std::string> names = Split(kTradeHeader);
  names.insert(names.begin() + 14, "退款申请时间");
  auto with_extra = [](std::vector<std::string> row, std::string extra) {
    row.insert(row.begin() + 14, std::move(extra));
    return row;
  };
  std::string const text = Join(names) + "\n" +
                           Line(with_extra(PaymentRow(), "2026-12-06 10:00:00")) + "\n" +
                           Line(with_extra(RefundRow(), "2026-12-06 11:00:00")) + "\n" +
                           kTradeSummaryHeader + "\n" + Line(TradeSummary()) + "\n";
  std::vector<TradeBillRow> seen;
  TradeBillReader reader([&seen](TradeBillRow&& row) {
    TradeBillRow const& kept = row;  // copied, not moved from
    seen.push_back(kept);
    return Status();
  });
  REQUIRE(reader.Feed(text).ok());
  REQUIRE(reader.Finish().ok());
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].out_trade_no == "ORDER-1");
  CHECK(seen[0].refund_fen == 0);
  REQUIRE(seen[0].other.size() == 1);
  CHECK(seen[0].other[0].value == "2026-12-06 10:00:00");
  CHECK(seen[1].refund_fen == 10);
  REQUIRE(seen[1].other.size() == 1);
  CHECK(seen[1].other[0].value == "2026-12-06 11:00:00");
}

TEST_CASE("Chunked feeding gives the same rows at every split point", "[bills]") {
  std::string const text = "\xEF\xBB\xBF" + TradeBillText("\r\n");
  std::string const whole = ReadTradeInChunks(text, {});
  REQUIRE(whole.rfind("ORDER-1|绿茶, \"特级\" 礼盒|0|123456789;ORDER-1|绿茶|10|0;summary 2/", 0) ==
          0);
  // Every split into two chunks: inside the BOM, a CRLF, a quoted field, and (the bill is mostly
  // Chinese) a multi-byte UTF-8 character.
  bool split_inside_character = false;
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    INFO("cut at " << cut);
    REQUIRE(ReadTradeInChunks(text, {cut}) == whole);
    if (cut > 0 && cut < text.size() && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
      split_inside_character = true;
    }
  }
  CHECK(split_inside_character);
  // One byte at a time.
  std::vector<std::size_t> every_byte;
  for (std::size_t cut = 1; cut < text.size(); ++cut) every_byte.push_back(cut);
  CHECK(ReadTradeInChunks(text, every_byte) == whole);
}

TEST_CASE("A row handler's error stops the reader, and every later call fails", "[bills]") {
  int rows = 0;
  TradeBillReader reader([&rows](TradeBillRow&&) {
    ++rows;
    return Status(StatusCode::kAborted, "the caller's store is full");
  });
  Status status = reader.Feed(TradeBillText());
  CHECK(status.code() == StatusCode::kAborted);
  CHECK(rows == 1);
  CHECK(reader.Feed("more").code() == StatusCode::kAborted);
  CHECK(reader.Finish().status().code() == StatusCode::kAborted);
  CHECK(rows == 1);
}

TEST_CASE("A moved reader carries its state; the moved-from one refuses", "[bills]") {
  std::string const text = TradeBillText();
  std::size_t const half = text.size() / 2;
  int rows = 0;
  TradeBillReader first([&rows](TradeBillRow&&) {
    ++rows;
    return Status();
  });
  REQUIRE(first.Feed(std::string_view(text).substr(0, half)).ok());
  TradeBillReader second = std::move(first);
  REQUIRE(second.Feed(std::string_view(text).substr(half)).ok());
  StatusOr<TradeBillSummary> summary = second.Finish();
  REQUIRE(summary.ok());
  CHECK(summary->row_count == 2);
  CHECK(rows == 2);
  CHECK(first.Feed("x").code() == StatusCode::kInternal);  // NOLINT(bugprone-use-after-move)
  CHECK(first.Finish().status().code() == StatusCode::kInternal);
}

// ---- fund-flow bill ---------------------------------------------------------------------------

TEST_CASE("A fund-flow bill parses, its summary split by 收支类型", "[bills]") {
  StatusOr<FundFlowBill> bill = ParseFundFlowBill(FundBillText());
  REQUIRE(bill.ok());
  REQUIRE(bill->rows.size() == 3);
  CHECK(bill->rows[0].direction == "收入");
  CHECK(bill->rows[0].amount_fen == 123456789);
  CHECK(bill->rows[1].business_type == "扣除交易手续费");
  CHECK(bill->rows[1].amount_fen == 2);
  CHECK(bill->rows[1].balance_fen == 123456787);
  CHECK(bill->rows[1].remark == "备注, 含逗号");
  CHECK(bill->rows[2].applicant == "1900000001API");
  CHECK(bill->rows[2].voucher_no == "REFUND-1");
  CHECK(bill->summary.row_count == 3);
  CHECK(bill->summary.income_count == 1);
  CHECK(bill->summary.income_fen == 123456789);
  CHECK(bill->summary.expense_count == 2);
  CHECK(bill->summary.expense_fen == 12);
}

TEST_CASE("A fund-flow header with full-width parentheses names the same columns", "[bills]") {
  std::string header = kFundHeader;
  for (std::string_view ascii : {"收支金额(元)", "账户结余(元)"}) {
    std::string const full = std::string(ascii.substr(0, ascii.size() - 5)) + "（元）";
    header.replace(header.find(ascii), ascii.size(), full);
  }
  StatusOr<FundFlowBill> bill = ParseFundFlowBill(FundBillText(header));
  REQUIRE(bill.ok());
  CHECK(bill->rows[2].amount_fen == 10);
  CHECK(bill->rows[2].other.empty());
}

TEST_CASE("A fund-flow summary that disagrees is refused, naming the column", "[bills]") {
  struct Case {
    char const* values;
    char const* column;
  };
  for (Case c : {Case{"`4,`1,`1234567.89,`2,`0.12", "资金流水总笔数"},
                 Case{"`3,`2,`1234567.89,`1,`0.12", "收入笔数"},
                 Case{"`3,`1,`1234567.90,`2,`0.12", "收入金额"},
                 Case{"`3,`1,`1234567.89,`2,`0.13", "支出金额"},
                 Case{"`3,`1,`1234567.89,`2.5,`0.12", "支出笔数"}}) {
    INFO(c.column);
    StatusOr<FundFlowBill> bill = ParseFundFlowBill(FundBillText(kFundHeader, c.values));
    REQUIRE_FALSE(bill.ok());
    CHECK(Mentions(bill.status(), c.column));
  }
}

TEST_CASE("A fund-flow row that is neither income nor expense is refused", "[bills]") {
  std::string text = FundBillText();
  text.replace(text.find("`收入"), std::string("`收入").size(), "`转入");
  StatusOr<FundFlowBill> bill = ParseFundFlowBill(text);
  REQUIRE_FALSE(bill.ok());
  CHECK(Mentions(bill.status(), "line 2, column 收支类型"));
  CHECK_FALSE(Mentions(bill.status(), "转入"));
}

TEST_CASE("A fund-flow bill without its summary or its amount column is refused", "[bills]") {
  std::string text = FundBillText();
  text.resize(text.find(kFundSummaryHeader));
  StatusOr<FundFlowBill> bill = ParseFundFlowBill(text);
  REQUIRE_FALSE(bill.ok());
  CHECK(Mentions(bill.status(), "no summary"));

  std::string header = kFundHeader;
  header.replace(header.find("收支金额(元)"), std::string("收支金额(元)").size(), "金额");
  StatusOr<FundFlowBill> no_amount = ParseFundFlowBill(FundBillText(header));
  REQUIRE_FALSE(no_amount.ok());
  CHECK(Mentions(no_amount.status(), "no column 收支金额(元)"));
}

}  // namespace
}  // namespace wechatpay
