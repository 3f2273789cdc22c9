// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The sandbox's bills (docs/sandbox.md, "Bills"), driven with raw signed requests: applying for a
// trade or fund-flow bill, downloading the file the answer points at, the digest of the file
// (computed here with OpenSSL, the gzip stream inflated here with zlib), the day a bill is ready,
// the errors WeChat answers with, the download URL's expiry and owner, and the corrupt-bill
// fault. The CSV is read here with a few lines of splitting, independent of the library's reader
// and of the sandbox's writer.

#include <openssl/evp.h>
#include <zlib.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <string>
#include <vector>

#include "catch.hpp"
#include "support/sandbox_fixture.hpp"

namespace wechatpay {
namespace {

using testing::NowSeconds;
using testing::RawRequest;
using testing::RawResponse;
using testing::SandboxAuthorization;
using testing::SandboxFixture;
using testing::SignedRequest;

constexpr char kBom[] = "\xEF\xBB\xBF";
constexpr std::int64_t kBeijingOffset = 8 * 3600;
constexpr std::int64_t kDaySeconds = 86400;

std::string Sha1Hex(std::string const& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  REQUIRE(EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha1(), nullptr) == 1);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xF];
  }
  return hex;
}

// Inflates a whole gzip stream with zlib; fails the test when it is not one.
std::string Gunzip(std::string const& data) {
  z_stream stream{};
  REQUIRE(inflateInit2(&stream, 15 + 16) == Z_OK);
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buffer[16384];
  int result = Z_OK;
  while (result == Z_OK) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    result = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - stream.avail_out);
  }
  bool const complete = result == Z_STREAM_END && stream.avail_in == 0;
  inflateEnd(&stream);
  REQUIRE(complete);
  return out;
}

// Seconds from now until `hour`:00 Beijing time of the day after today (Beijing), plus `extra`.
std::int64_t SecondsUntilNextDayHour(int hour, std::int64_t extra) {
  std::int64_t const into_day = (NowSeconds() + kBeijingOffset) % kDaySeconds;
  return kDaySeconds - into_day + hour * 3600 + extra;
}

// A bill file split into lines (each must end with CRLF) and fields (the backtick removed).
struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // detail rows
  std::vector<std::string> summary_header;
  std::vector<std::string> summary;

  std::string Get(std::vector<std::string> const& row, std::string const& column) const {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == column) return i < row.size() ? row[i] : "<short row>";
    }
    return "<no column " + column + ">";
  }
  std::string Summary(std::string const& column) const {
    for (std::size_t i = 0; i < summary_header.size(); ++i) {
      if (summary_header[i] == column) return i < summary.size() ? summary[i] : "<short>";
    }
    return "<no column " + column + ">";
  }
  // The detail rows whose `column` is `value`.
  std::vector<std::vector<std::string>> Where(std::string const& column,
                                              std::string const& value) const {
    std::vector<std::vector<std::string>> found;
    for (auto const& row : rows) {
      if (Get(row, column) == value) found.push_back(row);
    }
    return found;
  }
};

std::vector<std::string> Split(std::string const& line, bool backticks) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  while (true) {
    auto const comma = line.find(',', start);
    std::string field = line.substr(start, comma == std::string::npos ? comma : comma - start);
    if (backticks) {
      // Every detail and summary field starts with a backtick.
      CHECK(field.rfind('`', 0) == 0);
      if (!field.empty()) field.erase(0, 1);
    }
    fields.push_back(field);
    if (comma == std::string::npos) return fields;
    start = comma + 1;
  }
}

// The test's orders have no commas or quotes in their fields, so plain splitting reads them.
Csv ReadCsv(std::string const& file) {
  REQUIRE(file.rfind(kBom, 0) == 0);
  std::vector<std::string> lines;
  std::size_t start = 3;
  while (start < file.size()) {
    auto const end = file.find("\r\n", start);
    REQUIRE(end != std::string::npos);  // every line ends with CRLF, the last one too
    std::string line = file.substr(start, end - start);
    REQUIRE(line.find('\n') == std::string::npos);
    lines.push_back(std::move(line));
    start = end + 2;
  }
  REQUIRE(lines.size() >= 3);
  Csv csv;
  csv.header = Split(lines.front(), false);
  for (std::size_t i = 1; i + 2 < lines.size(); ++i) csv.rows.push_back(Split(lines[i], true));
  csv.summary_header = Split(lines[lines.size() - 2], false);
  csv.summary = Split(lines.back(), true);
  return csv;
}

// A string member of a flat JSON answer.
std::string Member(std::string const& json, std::string const& name) {
  std::string const key = "\"" + name + "\":\"";
  auto const at = json.find(key);
  if (at == std::string::npos) return {};
  auto const end = json.find('"', at + key.size());
  return json.substr(at + key.size(), end - at - key.size());
}

class Bills {
 public:
  explicit Bills(SandboxFixture& f) : f_(f) {}

  // A paid order of `total` fen; returns its success_time's Beijing date.
  std::string PaidOrder(std::string const& no, std::int64_t total) {
    auto client = f_.Client();
    f_.Order(client, no, total);
    auto paid = f_.sandbox().Pay(no);
    REQUIRE(paid.ok());
    std::string const success_time = Member(*paid, "success_time");
    REQUIRE(success_time.size() == 25);
    return success_time.substr(0, 10);
  }

  void Refund(std::string const& out_trade_no, std::string const& out_refund_no,
              std::int64_t refund, std::int64_t total) {
    auto answer =
        SignedRequest(f_, "POST", "/v3/refund/domestic/refunds",
                      R"({"out_trade_no":")" + out_trade_no + R"(","out_refund_no":")" +
                          out_refund_no + R"(","amount":{"refund":)" + std::to_string(refund) +
                          R"(,"total":)" + std::to_string(total) + R"(,"currency":"CNY"}})");
    INFO(answer.body);
    REQUIRE(answer.status == 200);
  }

  RawResponse Apply(std::string const& target) { return SignedRequest(f_, "GET", target); }

  // The download URL's request-target (path and query), as a client signs it.
  std::string DownloadTarget(RawResponse const& applied) {
    std::string const url = Member(applied.body, "download_url");
    REQUIRE(url.rfind(f_.BaseUrl() + "/v3/billdownload/file?token=", 0) == 0);
    return url.substr(f_.BaseUrl().size());
  }

  RawResponse Download(RawResponse const& applied) {
    return SignedRequest(f_, "GET", DownloadTarget(applied));
  }

  // Applies for `target` and downloads the file; checks the answer's shape and the digest.
  std::string File(std::string const& target) {
    auto applied = Apply(target);
    INFO(applied.body);
    REQUIRE(applied.status == 200);
    CHECK(applied.headers.Has("Wechatpay-Signature"));  // signed like every answer
    CHECK(Member(applied.body, "hash_type") == "SHA1");
    auto file = Download(applied);
    REQUIRE(file.status == 200);
    CHECK_FALSE(file.headers.Has("Wechatpay-Signature"));  // the one unsigned 2xx
    CHECK_FALSE(file.headers.Has("Wechatpay-Serial"));
    CHECK(file.headers.Get("Content-Type") == "application/octet-stream");
    CHECK(Sha1Hex(file.body) == Member(applied.body, "hash_value"));
    return file.body;
  }

 private:
  SandboxFixture& f_;
};

void CheckWeChatError(RawResponse const& answer, int status, std::string const& code) {
  INFO(answer.body << answer.error);
  CHECK(answer.status == status);
  CHECK(Member(answer.body, "code") == code);
  CHECK(answer.headers.Has("Request-ID"));
}

TEST_CASE("sandbox bills: a paid and a refunded order appear in their day's bills in yuan") {
  SandboxFixture f;
  Bills bills(f);
  std::string const day = bills.PaidOrder("SBXBILLPAID1", 300);
  REQUIRE(bills.PaidOrder("SBXBILLREFD1", 1234) == day);
  bills.Refund("SBXBILLREFD1", "SBXBILLR1", 205, 1234);
  REQUIRE(f.sandbox().AdvanceClock(std::chrono::seconds(SecondsUntilNextDayHour(10, 60))).ok());

  Csv const all = ReadCsv(bills.File("/v3/bill/tradebill?bill_date=" + day));
  CHECK(all.header.front() == "交易时间");
  CHECK(all.header.size() == 27);
  REQUIRE(all.rows.size() == 3);
  auto const paid = all.Where("商户订单号", "SBXBILLPAID1");
  REQUIRE(paid.size() == 1);
  CHECK(all.Get(paid[0], "交易状态") == "SUCCESS");
  CHECK(all.Get(paid[0], "应结订单金额") == "3.00");
  CHECK(all.Get(paid[0], "订单金额") == "3.00");
  CHECK(all.Get(paid[0], "商户号") == f.identity().merchant_id);
  CHECK(all.Get(paid[0], "交易类型") == "NATIVE");
  CHECK(all.Get(paid[0], "交易时间").substr(0, 10) == day);
  auto const refunded = all.Where("商户订单号", "SBXBILLREFD1");
  REQUIRE(refunded.size() == 2);
  auto const payment_row =
      all.Get(refunded[0], "交易状态") == "SUCCESS" ? refunded[0] : refunded[1];
  auto const refund_row = all.Get(refunded[0], "交易状态") == "REFUND" ? refunded[0] : refunded[1];
  CHECK(all.Get(payment_row, "订单金额") == "12.34");
  CHECK(all.Get(refund_row, "交易状态") == "REFUND");
  CHECK(all.Get(refund_row, "商户退款单号") == "SBXBILLR1");
  CHECK(all.Get(refund_row, "退款金额") == "2.05");
  CHECK(all.Get(refund_row, "申请退款金额") == "2.05");
  CHECK(all.Get(refund_row, "微信订单号") == all.Get(payment_row, "微信订单号"));
  CHECK(all.Summary("总交易单数") == "3");
  CHECK(all.Summary("应结订单总金额") == "15.34");
  CHECK(all.Summary("退款总金额") == "2.05");
  CHECK(all.Summary("订单总金额") == "15.34");
  CHECK(all.Summary("申请退款总金额") == "2.05");

  Csv const success =
      ReadCsv(bills.File("/v3/bill/tradebill?bill_date=" + day + "&bill_type=SUCCESS"));
  CHECK(success.rows.size() == 2);
  CHECK(success.Where("交易状态", "REFUND").empty());
  Csv const refunds =
      ReadCsv(bills.File("/v3/bill/tradebill?bill_date=" + day + "&bill_type=REFUND"));
  REQUIRE(refunds.rows.size() == 1);
  CHECK(refunds.Get(refunds.rows[0], "退款金额") == "2.05");
  CHECK(refunds.Summary("总交易单数") == "1");

  Csv const flow = ReadCsv(bills.File("/v3/bill/fundflowbill?bill_date=" + day));
  CHECK(flow.header.front() == "记账时间");
  REQUIRE(flow.rows.size() == 3);
  auto const incomes = flow.Where("收支类型", "收入");
  auto const expenses = flow.Where("收支类型", "支出");
  REQUIRE(incomes.size() == 2);
  REQUIRE(expenses.size() == 1);
  CHECK(flow.Get(expenses[0], "收支金额(元)") == "2.05");
  CHECK(flow.Get(expenses[0], "业务凭证号") == "SBXBILLR1");
  CHECK(flow.Get(flow.rows.back(), "账户结余(元)") == "13.29");
  CHECK(flow.Summary("资金流水总笔数") == "3");
  CHECK(flow.Summary("收入笔数") == "2");
  CHECK(flow.Summary("收入金额") == "15.34");
  CHECK(flow.Summary("支出笔数") == "1");
  CHECK(flow.Summary("支出金额") == "2.05");
  // The sandbox has no fee and no operation account: those bills exist, without rows.
  Csv const fees =
      ReadCsv(bills.File("/v3/bill/fundflowbill?bill_date=" + day + "&account_type=FEES"));
  CHECK(fees.rows.empty());
  CHECK(fees.Summary("资金流水总笔数") == "0");
}

TEST_CASE("sandbox bills: a GZIP bill inflates to the plain file, whose SHA-1 is the hash") {
  SandboxFixture f;
  Bills bills(f);
  std::string const day = bills.PaidOrder("SBXBILLGZIP1", 1);
  REQUIRE(f.sandbox().AdvanceClock(std::chrono::seconds(SecondsUntilNextDayHour(10, 60))).ok());
  std::string const plain = bills.File("/v3/bill/tradebill?bill_date=" + day);
  for (std::string const& target : {"/v3/bill/tradebill?bill_date=" + day + "&tar_type=GZIP",
                                    "/v3/bill/fundflowbill?bill_date=" + day + "&tar_type=GZIP"}) {
    INFO(target);
    auto applied = bills.Apply(target);
    REQUIRE(applied.status == 200);
    auto file = bills.Download(applied);
    REQUIRE(file.status == 200);
    REQUIRE(file.body.size() > 2);
    CHECK(static_cast<unsigned char>(file.body[0]) == 0x1f);  // the gzip magic
    CHECK(static_cast<unsigned char>(file.body[1]) == 0x8b);
    std::string const inflated = Gunzip(file.body);
    CHECK(Sha1Hex(inflated) == Member(applied.body, "hash_value"));
    CHECK(Sha1Hex(file.body) != Member(applied.body, "hash_value"));
    if (target.find("tradebill") != std::string::npos) {
      CHECK(inflated == plain);
      CHECK(ReadCsv(inflated).Where("商户订单号", "SBXBILLGZIP1").size() == 1);
    }
  }
}

TEST_CASE(
    "sandbox bills: STATEMENT_CREATING before the ready hour, the bill after; "
    "NO_STATEMENT_EXIST for a day without business") {
  SandboxFixture f;
  Bills bills(f);
  std::string const day = bills.PaidOrder("SBXBILLHOUR1", 5);
  std::string const target = "/v3/bill/tradebill?bill_date=" + day;
  // The next day, 09:59 Beijing time on the sandbox clock.
  REQUIRE(f.sandbox().AdvanceClock(std::chrono::seconds(SecondsUntilNextDayHour(10, -60))).ok());
  CheckWeChatError(bills.Apply(target), 400, "STATEMENT_CREATING");
  CheckWeChatError(bills.Apply("/v3/bill/fundflowbill?bill_date=" + day), 400,
                   "STATEMENT_CREATING");
  REQUIRE(f.sandbox().AdvanceClock(std::chrono::seconds(120)).ok());  // 10:01
  CHECK(bills.Apply(target).status == 200);

  // The day before `day` had no payment and no refund.
  int const y = std::stoi(day.substr(0, 4)), m = std::stoi(day.substr(5, 2)),
            d = std::stoi(day.substr(8, 2));
  char previous[64];
  if (d > 1) {
    std::snprintf(previous, sizeof previous, "%04d-%02d-%02d", y, m, d - 1);
  } else {
    std::snprintf(previous, sizeof previous, "%04d-%02d-%02d", m == 1 ? y - 1 : y,
                  m == 1 ? 12 : m - 1, 28);  // a day of the month before that surely exists
  }
  CheckWeChatError(bills.Apply(std::string("/v3/bill/tradebill?bill_date=") + previous), 400,
                   "NO_STATEMENT_EXIST");
  CheckWeChatError(bills.Apply(std::string("/v3/bill/fundflowbill?bill_date=") + previous), 400,
                   "NO_STATEMENT_EXIST");
}

TEST_CASE("sandbox bills: the ready hour is an option") {
  SandboxFixture f(0.001, false,
                   [](sandbox::Sandbox::Options& options) { options.bill_ready_hour = 0; });
  Bills bills(f);
  std::string const day = bills.PaidOrder("SBXBILLZERO1", 5);
  // Just after midnight of the next day: with the default hour this would be STATEMENT_CREATING.
  REQUIRE(f.sandbox().AdvanceClock(std::chrono::seconds(SecondsUntilNextDayHour(0, 60))).ok());
  CHECK(bills.Apply("/v3/bill/tradebill?bill_date=" + day).status == 200);
}

TEST_CASE("sandbox bills: the query is checked as WeChat checks it") {
  SandboxFixture f;
  Bills bills(f);
  std::string const day = bills.PaidOrder("SBXBILLVALD1", 5);
  REQUIRE(f.sandbox().AdvanceClock(std::chrono::seconds(SecondsUntilNextDayHour(10, 60))).ok());
  auto const param_error = [&](std::string const& target, std::string const& field) {
    auto answer = bills.Apply(target);
    CheckWeChatError(answer, 400, "PARAM_ERROR");
    CHECK(answer.body.find("/query/" + field) != std::string::npos);
  };
  param_error("/v3/bill/tradebill", "bill_date");
  param_error("/v3/bill/tradebill?bill_date=20261201", "bill_date");
  param_error("/v3/bill/tradebill?bill_date=2026-02-30", "bill_date");
  param_error("/v3/bill/tradebill?bill_date=2026-13-01", "bill_date");
  param_error("/v3/bill/tradebill?bill_date=" + day + "&bill_type=EVERYTHING", "bill_type");
  param_error("/v3/bill/tradebill?bill_date=" + day + "&tar_type=ZIP", "tar_type");
  param_error("/v3/bill/fundflowbill?bill_date=" + day + "&account_type=ALL", "account_type");
  // Today (on the sandbox clock, the day after `day`) and later; more than three months back.
  auto const now = f.sandbox().AdvanceClock(std::chrono::seconds(0));
  REQUIRE(now.ok());
  CheckWeChatError(bills.Apply("/v3/bill/tradebill?bill_date=" + now->substr(0, 10)), 400,
                   "INVALID_REQUEST");
  CheckWeChatError(bills.Apply("/v3/bill/tradebill?bill_date=2999-01-01"), 400, "INVALID_REQUEST");
  CheckWeChatError(bills.Apply("/v3/bill/tradebill?bill_date=2020-01-01"), 400, "INVALID_REQUEST");
  // Every documented type is accepted.
  for (char const* type : {"ALL", "SUCCESS", "REFUND", "RECHARGE_REFUND", "ALL_SPECIAL",
                           "SUC_SPECIAL", "REF_SPECIAL"}) {
    INFO(type);
    CHECK(bills.Apply("/v3/bill/tradebill?bill_date=" + day + "&bill_type=" + type).status == 200);
  }
  for (char const* type : {"BASIC", "OPERATION", "FEES"}) {
    INFO(type);
    CHECK(bills.Apply("/v3/bill/fundflowbill?bill_date=" + day + "&account_type=" + type).status ==
          200);
  }
}

TEST_CASE("sandbox bills: the download URL expires, is single-merchant and needs a signature") {
  SandboxFixture f;
  Bills bills(f);
  std::string const day = bills.PaidOrder("SBXBILLTOKN1", 5);
  REQUIRE(f.sandbox().AdvanceClock(std::chrono::seconds(SecondsUntilNextDayHour(10, 60))).ok());
  std::string const target = "/v3/bill/tradebill?bill_date=" + day;

  SECTION("valid for 30 s of sandbox time, then 400 INVALID_REQUEST") {
    auto applied = bills.Apply(target);
    REQUIRE(applied.status == 200);
    REQUIRE(f.sandbox().AdvanceClock(std::chrono::seconds(25)).ok());
    CHECK(bills.Download(applied).status == 200);
    REQUIRE(f.sandbox().AdvanceClock(std::chrono::seconds(6)).ok());
    auto expired = bills.Download(applied);
    CheckWeChatError(expired, 400, "INVALID_REQUEST");
    CHECK_FALSE(expired.headers.Has("Wechatpay-Signature"));
  }
  SECTION("an unknown or missing token: 400 INVALID_REQUEST") {
    CheckWeChatError(SignedRequest(f, "GET", "/v3/billdownload/file?token=NoSuchToken0123"), 400,
                     "INVALID_REQUEST");
    CheckWeChatError(SignedRequest(f, "GET", "/v3/billdownload/file"), 400, "INVALID_REQUEST");
  }
  SECTION("unsigned, signed for another merchant or for another URL: 401 SIGN_ERROR") {
    auto applied = bills.Apply(target);
    REQUIRE(applied.status == 200);
    std::string const download = bills.DownloadTarget(applied);
    std::vector<std::string> const plain = {"Accept: application/json",
                                            "User-Agent: sandbox-test/1.0"};
    CheckWeChatError(RawRequest("GET", f.BaseUrl() + download, plain, "", f.identity().ca_file),
                     401, "SIGN_ERROR");
    sandbox::Identity other = f.identity();
    other.merchant_id = "1900000109";
    auto headers = plain;
    headers.push_back("Authorization: " + SandboxAuthorization(other, "GET", download, ""));
    CheckWeChatError(RawRequest("GET", f.BaseUrl() + download, headers, "", f.identity().ca_file),
                     401, "SIGN_ERROR");
    // The canonical URL is the path and the query: a signature over the path alone is wrong.
    headers = plain;
    headers.push_back("Authorization: " +
                      SandboxAuthorization(f.identity(), "GET", "/v3/billdownload/file", ""));
    CheckWeChatError(RawRequest("GET", f.BaseUrl() + download, headers, "", f.identity().ca_file),
                     401, "SIGN_ERROR");
    // And the genuine request still works: none of the refusals used the token up.
    CHECK(bills.Download(applied).status == 200);
  }
  SECTION("the lifetime is an option") {
    SandboxFixture g(0.001, false, [](sandbox::Sandbox::Options& options) {
      options.bill_url_lifetime = std::chrono::seconds(120);
    });
    Bills other(g);
    std::string const other_day = other.PaidOrder("SBXBILLTOKN2", 5);
    REQUIRE(g.sandbox().AdvanceClock(std::chrono::seconds(SecondsUntilNextDayHour(10, 60))).ok());
    auto applied = other.Apply("/v3/bill/tradebill?bill_date=" + other_day);
    REQUIRE(applied.status == 200);
    REQUIRE(g.sandbox().AdvanceClock(std::chrono::seconds(100)).ok());
    CHECK(other.Download(applied).status == 200);
    REQUIRE(g.sandbox().AdvanceClock(std::chrono::seconds(30)).ok());
    CheckWeChatError(other.Download(applied), 400, "INVALID_REQUEST");
  }
}

TEST_CASE("sandbox bills: corrupt-bill makes the file's SHA-1 differ from the hash") {
  SandboxFixture f;
  Bills bills(f);
  std::string const day = bills.PaidOrder("SBXBILLCORR1", 5);
  REQUIRE(f.sandbox().AdvanceClock(std::chrono::seconds(SecondsUntilNextDayHour(10, 60))).ok());
  std::string const target = "/v3/bill/tradebill?bill_date=" + day;

  SECTION("on the download: that download only") {
    auto applied = bills.Apply(target);
    REQUIRE(applied.status == 200);
    REQUIRE(f.sandbox().AddFault({"GET", "^/v3/billdownload/", "corrupt-bill", 1}).ok());
    auto corrupted = bills.Download(applied);
    REQUIRE(corrupted.status == 200);
    CHECK(Sha1Hex(corrupted.body) != Member(applied.body, "hash_value"));
    auto again = bills.Download(applied);
    CHECK(Sha1Hex(again.body) == Member(applied.body, "hash_value"));
    // One byte changed, nothing else.
    REQUIRE(again.body.size() == corrupted.body.size());
    int differences = 0;
    for (std::size_t i = 0; i < again.body.size(); ++i)
      differences += again.body[i] != corrupted.body[i];
    CHECK(differences == 1);
  }
  SECTION("on the application, with GZIP: the stream inflates, the digest differs") {
    REQUIRE(f.sandbox().AddFault({"GET", "^/v3/bill/tradebill", "corrupt-bill", 1}).ok());
    auto applied = bills.Apply(target + "&tar_type=GZIP");
    REQUIRE(applied.status == 200);
    auto file = bills.Download(applied);
    REQUIRE(file.status == 200);
    CHECK(Sha1Hex(Gunzip(file.body)) != Member(applied.body, "hash_value"));
    CHECK(f.sandbox().GetStats().faults_applied == 1);
  }
  CHECK(f.sandbox().GetStats().bill_downloads >= 1);
}

TEST_CASE("sandbox bills: a field with a comma or a quote is quoted whole, backtick inside") {
  SandboxFixture f;
  auto ordered = SignedRequest(f, "POST", "/v3/pay/transactions/native",
                               R"({"appid":")" + f.identity().app_id + R"(","mchid":")" +
                                   f.identity().merchant_id +
                                   R"(","description":"可乐, \"大杯\"","attach":"a,b",)"
                                   R"("out_trade_no":"SBXBILLQUOT1","notify_url":")" +
                                   f.sandbox().NotifyUrl() + R"(","amount":{"total":101}})");
  INFO(ordered.body);
  REQUIRE(ordered.status == 200);
  auto paid = f.sandbox().Pay("SBXBILLQUOT1");
  REQUIRE(paid.ok());
  std::string const day = Member(*paid, "success_time").substr(0, 10);
  REQUIRE(f.sandbox().AdvanceClock(std::chrono::seconds(SecondsUntilNextDayHour(10, 60))).ok());
  Bills bills(f);
  std::string const file = bills.File("/v3/bill/tradebill?bill_date=" + day);
  // RFC 4180 quoting of the whole field, the backtick first, inner quotes doubled.
  CHECK(file.find(R"(,"`可乐, ""大杯""",)") != std::string::npos);
  CHECK(file.find(R"(,"`a,b",)") != std::string::npos);
  CHECK(file.find(",`1.01,") != std::string::npos);
}

TEST_CASE("sandbox bills: the control API moves the sandbox clock forward, never back") {
  SandboxFixture f;
  auto const control = [&](std::string const& method, std::string const& path,
                           std::string const& body) {
    return RawRequest(method, f.BaseUrl() + "/sandbox/v1/" + path,
                      {"Content-Type: application/json"}, body, f.identity().ca_file);
  };
  auto clock = control("GET", "clock", "");
  REQUIRE(clock.status == 200);
  CHECK(clock.body.find(R"("offset_seconds":0)") != std::string::npos);
  auto advanced = control("POST", "clock/advance", R"({"seconds":86400})");
  REQUIRE(advanced.status == 200);
  CHECK(advanced.body.find(R"("offset_seconds":86400)") != std::string::npos);
  CHECK(Member(advanced.body, "now").size() == 25);
  CHECK(control("POST", "clock/advance", R"({"seconds":-1})").status == 400);
  CHECK(control("POST", "clock/advance", R"({})").status == 400);
  CHECK_FALSE(f.sandbox().AdvanceClock(std::chrono::seconds(-1)).ok());
}

TEST_CASE("sandbox bills: seeded paid orders fill their day's bill, once per day") {
  SandboxFixture f;
  Bills bills(f);
  // Two days ago (Beijing): its bill is ready whatever the hour.
  std::time_t const at = static_cast<std::time_t>(NowSeconds() + kBeijingOffset - 2 * kDaySeconds);
  std::tm parts{};
  gmtime_r(&at, &parts);
  char day[16];
  std::strftime(day, sizeof day, "%Y-%m-%d", &parts);
  REQUIRE(f.sandbox().SeedPaidOrders(day, 3).ok());
  std::string compact(day);
  compact.erase(7, 1).erase(4, 1);

  Csv const all = ReadCsv(bills.File("/v3/bill/tradebill?bill_date=" + std::string(day)));
  REQUIRE(all.rows.size() == 3);
  for (int i = 0; i < 3; ++i) {
    std::string const no = "SEED" + compact + "000000000" + std::to_string(i);
    auto const rows = all.Where("商户订单号", no);
    INFO(no);
    REQUIRE(rows.size() == 1);
    CHECK(all.Get(rows[0], "交易状态") == "SUCCESS");
    CHECK(all.Get(rows[0], "微信订单号") ==
          "4200000000" + compact + "000000000" + std::to_string(i));
    CHECK(all.Get(rows[0], "交易时间").substr(0, 10) == day);
    CHECK(all.Get(rows[0], "商户号") == f.identity().merchant_id);
  }
  CHECK(all.Summary("总交易单数") == "3");
  // 1 + 7920 + 15839 fen: 1 + (index * 7919) % 99999 each.
  CHECK(all.Summary("订单总金额") == "237.60");
  // A seeded order is an ordinary paid order afterwards.
  auto const view = f.sandbox().OrderView("SEED" + compact + "0000000001");
  REQUIRE(view.ok());
  CHECK(view->find("SUCCESS") != std::string::npos);

  CHECK(f.sandbox().SeedPaidOrders(day, 3).code() == StatusCode::kInvalidArgument);
  CHECK(f.sandbox().SeedPaidOrders("2026-02-30", 3).code() == StatusCode::kInvalidArgument);
  CHECK(f.sandbox().SeedPaidOrders(day, 0).code() == StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace wechatpay
