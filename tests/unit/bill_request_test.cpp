// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The bill operations without the digest check: bill_date and the enumerations validated
// before anything is sent, the JSON of the answer, the exact signed GETs of the two bill
// requests and of the download, the download's host rule, retries while nothing reached the
// sink, and the documented errors mapped to what an application can act on.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "catch.hpp"
#include "json/json_codec.hpp"
#include "support/recorded_client.hpp"
#include "support/test_merchant.hpp"
#include "wechatpay/protocol/error_codes.hpp"
#include "wechatpay/testing/client_recorder.hpp"
#include "wechatpay/testing/recording_transport.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay {
namespace {

using testing::FixedTime;
using testing::RecordingTransport;
using testing::TestMerchant;
using testing::WeChatPaySigner;

// 2023-11-14T22:13:20Z: 06:13:20 on 2023-11-15 in Beijing. Yesterday there is 2023-11-14 and
// three months back 2023-08-15.
constexpr std::int64_t kNow = 1700000000;
auto const kNowTime = FixedTime(kNow);
constexpr char kBase[] = "https://api.mch.weixin.qq.com";
constexpr char kDownloadUrl[] =
    "https://api.mch.weixin.qq.com/v3/billdownload/file?token=SECRET-TOKEN-1&tartype=gzip";
constexpr char kBillAnswer[] =
    R"({"hash_type":"SHA1","hash_value":"79bb0f45fc4c42234a918000b2668d689e2bde04",)"
    R"("download_url":"https://api.mch.weixin.qq.com/v3/billdownload/file?token=SECRET-TOKEN-1&tartype=gzip"})";

// The client over a recording transport at kNow (tests/support/recorded_client.hpp).
struct Fixture : testing::RecordedClient {
  Fixture() : RecordedClient(kNow) {}
};

BillDownloadInfo Info(std::string url = kDownloadUrl) {
  BillDownloadInfo info;
  info.hash_type = "SHA1";
  info.hash_value = "79bb0f45fc4c42234a918000b2668d689e2bde04";
  info.download_url = std::move(url);
  return info;
}

// ---------------------------------------------------------------------------------------------
// Validation

TEST_CASE("bill_date: yesterday down to three months back, Beijing dates", "[bill]") {
  CHECK(ValidateBillDate("2023-11-14", kNowTime).ok());  // yesterday in Beijing
  CHECK(ValidateBillDate("2023-08-15", kNowTime).ok());  // three calendar months back
  CHECK(ValidateBillDate("2023-10-01", kNowTime).ok());

  auto today = ValidateBillDate("2023-11-15", kNowTime);  // today in Beijing, tomorrow in UTC
  CHECK(today.code() == StatusCode::kInvalidArgument);
  CHECK(today.info().field == "bill_date");
  CHECK(today.message().find("yesterday or earlier") != std::string::npos);
  CHECK(today.message().find("2023-11-14") != std::string::npos);
  CHECK(ValidateBillDate("2024-01-01", kNowTime).code() == StatusCode::kInvalidArgument);

  auto old = ValidateBillDate("2023-08-14", kNowTime);
  CHECK(old.code() == StatusCode::kInvalidArgument);
  CHECK(old.info().field == "bill_date");
  CHECK(old.message().find("earliest allowed is 2023-08-15") != std::string::npos);
}

TEST_CASE("bill_date: the Beijing day turns at 16:00 UTC", "[bill]") {
  // 2023-11-14T15:59:59Z is 23:59:59 on the 14th in Beijing: the 14th is still today.
  auto const before = FixedTime(1699977599);
  auto const after = FixedTime(1699977600);
  CHECK(ValidateBillDate("2023-11-14", before).code() == StatusCode::kInvalidArgument);
  CHECK(ValidateBillDate("2023-11-13", before).ok());
  CHECK(ValidateBillDate("2023-11-14", after).ok());
  CHECK(ValidateBillDate("2023-08-14", before).ok());
  CHECK(ValidateBillDate("2023-08-14", after).code() == StatusCode::kInvalidArgument);
}

TEST_CASE("bill_date: three months before the 31st is the shorter month's last day", "[bill]") {
  // 2024-05-31T10:00:00+08:00: three months back is February 2024, whose last day is the 29th.
  auto const now = FixedTime(1717120800);
  CHECK(ValidateBillDate("2024-02-29", now).ok());
  CHECK(ValidateBillDate("2024-02-28", now).code() == StatusCode::kInvalidArgument);
  // Across a year: 2024-01-10 reaches back to 2023-10-10.
  auto const january = FixedTime(1704852000);  // 2024-01-10T10:00:00+08:00
  CHECK(ValidateBillDate("2023-10-10", january).ok());
  CHECK(ValidateBillDate("2023-10-09", january).code() == StatusCode::kInvalidArgument);
}

TEST_CASE("bill_date: yyyy-MM-dd and a real calendar date", "[bill]") {
  for (char const* bad : {"", "2023-11-4", "20231114", "2023/11/14", "2023-11-14 ", "2023-13-01",
                          "2023-00-10", "2023-09-31", "2023-02-29", "23-11-14", "2023-11-1x"}) {
    INFO(bad);
    auto status = ValidateBillDate(bad, kNowTime);
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK(status.info().field == "bill_date");
    CHECK(status.message().find("yyyy-MM-dd") != std::string::npos);
  }
  CHECK(ValidateBillDate("2023-09-31", kNowTime).message().find("day 31 does not exist") !=
        std::string::npos);
}

TEST_CASE("bill_type, account_type and tar_type take the documented values only", "[bill]") {
  TradeBillRequest trade;
  trade.bill_date = "2023-11-14";
  CHECK(Validate(trade, kNowTime).ok());
  for (char const* type : {"ALL", "SUCCESS", "REFUND", "RECHARGE_REFUND", "ALL_SPECIAL",
                           "SUC_SPECIAL", "REF_SPECIAL"}) {
    trade.bill_type = type;
    CHECK(Validate(trade, kNowTime).ok());
  }
  trade.bill_type = "all";
  auto status = Validate(trade, kNowTime);
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(status.info().field == "bill_type");
  CHECK(status.message().find("ALL,SUCCESS,REFUND") != std::string::npos);
  trade.bill_type = "ALL";
  trade.tar_type = "gzip";
  CHECK(Validate(trade, kNowTime).info().field == "tar_type");
  trade.tar_type = "GZIP";
  CHECK(Validate(trade, kNowTime).ok());
  trade.bill_date = "2023-11-15";
  CHECK(Validate(trade, kNowTime).info().field == "bill_date");

  FundFlowBillRequest fund;
  fund.bill_date = "2023-11-14";
  for (char const* type : {"BASIC", "OPERATION", "FEES"}) {
    fund.account_type = type;
    CHECK(Validate(fund, kNowTime).ok());
  }
  fund.account_type = "ALL";
  CHECK(Validate(fund, kNowTime).info().field == "account_type");
  fund.account_type.reset();
  fund.tar_type = "ZIP";
  CHECK(Validate(fund, kNowTime).info().field == "tar_type");
}

TEST_CASE("A download needs a digest and an https URL, never quoted", "[bill]") {
  CHECK(Validate(Info()).ok());
  CHECK(Validate(Info("http://127.0.0.1:8080/v3/billdownload/file?token=t")).ok());
  auto info = Info();
  info.hash_type.clear();
  CHECK(Validate(info).info().field == "hash_type");
  info = Info();
  info.hash_value.clear();
  CHECK(Validate(info).info().field == "hash_value");
  for (char const* url : {"http://api.mch.weixin.qq.com/v3/billdownload/file?token=SECRET",
                          "ftp://api.mch.weixin.qq.com/file?token=SECRET", "token=SECRET",
                          "https://u:SECRET@api.mch.weixin.qq.com/f?token=SECRET"}) {
    INFO(url);
    auto status = Validate(Info(url));
    CHECK(status.code() == StatusCode::kInvalidArgument);
    CHECK(status.info().field == "download_url");
    CHECK(status.message().find("SECRET") == std::string::npos);
  }
}

// ---------------------------------------------------------------------------------------------
// JSON

TEST_CASE("The bill answer's JSON", "[bill][json]") {
  auto info = internal::ParseBillDownloadInfo(kBillAnswer);
  REQUIRE(info.ok());
  CHECK(info->hash_type == "SHA1");
  CHECK(info->hash_value == "79bb0f45fc4c42234a918000b2668d689e2bde04");
  CHECK(info->download_url == kDownloadUrl);
  CHECK(info->raw_json == kBillAnswer);
  CHECK_FALSE(info->gzip);

  auto missing = internal::ParseBillDownloadInfo(R"({"hash_type":"SHA1","hash_value":"ab"})");
  CHECK(missing.status().code() == StatusCode::kMalformedResponse);
  CHECK(missing.status().message().find("download_url") != std::string::npos);
  auto typed = internal::ParseBillDownloadInfo(
      R"({"hash_type":"SHA1","hash_value":7,"download_url":"https://x/?token=SECRET"})");
  CHECK(typed.status().code() == StatusCode::kMalformedResponse);
  CHECK(typed.status().message().find("hash_value") != std::string::npos);
  CHECK(typed.status().message().find("SECRET") == std::string::npos);
  CHECK(internal::ParseBillDownloadInfo("[]").status().code() == StatusCode::kMalformedResponse);
  CHECK(internal::ParseBillDownloadInfo("").status().code() == StatusCode::kMalformedResponse);
}

// ---------------------------------------------------------------------------------------------
// The requests

TEST_CASE("TradeBill sends the documented signed GET and reads the verified answer", "[bill]") {
  Fixture f;
  f.Answer(200, kBillAnswer);
  TradeBillRequest request;
  request.bill_date = "2023-11-14";
  request.bill_type = "ALL";
  request.tar_type = "GZIP";
  auto info = f.client.TradeBill(request);
  REQUIRE(info.ok());
  CHECK(info->download_url == kDownloadUrl);
  CHECK(info->hash_value == "79bb0f45fc4c42234a918000b2668d689e2bde04");
  CHECK(info->gzip);
  CHECK(info->meta.http_status == 200);
  auto const sent = f.Last();
  std::string const target = "/v3/bill/tradebill?bill_date=2023-11-14&bill_type=ALL&tar_type=GZIP";
  CHECK(sent.method == "GET");
  CHECK(sent.url == std::string(kBase) + target);
  CHECK(sent.body.empty());
  CHECK(testing::CheckTestAuthorization(sent, target).empty());
}

TEST_CASE("FundFlowBill leaves out what the request leaves out", "[bill]") {
  Fixture f;
  f.Answer(200, kBillAnswer);
  FundFlowBillRequest request;
  request.bill_date = "2023-11-14";
  auto info = f.client.FundFlowBill(request);
  REQUIRE(info.ok());
  CHECK_FALSE(info->gzip);
  std::string const target = "/v3/bill/fundflowbill?bill_date=2023-11-14";
  CHECK(f.Last().url == std::string(kBase) + target);
  CHECK(testing::CheckTestAuthorization(f.Last(), target).empty());

  f.Answer(200, kBillAnswer);
  request.account_type = "OPERATION";
  request.tar_type = "GZIP";
  REQUIRE(f.client.FundFlowBill(request).ok());
  CHECK(f.Last().url ==
        std::string(kBase) +
            "/v3/bill/fundflowbill?bill_date=2023-11-14&account_type=OPERATION&tar_type=GZIP");
}

TEST_CASE("A bill request breaking a rule sends nothing", "[bill]") {
  Fixture f;
  TradeBillRequest request;
  request.bill_date = "2023-11-15";  // today in Beijing by the client's clock
  CHECK(f.client.TradeBill(request).status().info().field == "bill_date");
  FundFlowBillRequest fund;
  fund.bill_date = "2023-11-14";
  fund.account_type = "basic";
  CHECK(f.client.FundFlowBill(fund).status().info().field == "account_type");
  CHECK(f.transport->count() == 0);
}

TEST_CASE("calendar_clock moves 'today' of the bill_date rule, never the timestamps", "[bill]") {
  // A client of a sandbox whose bill clock is a day ahead: 2023-11-15 is today on the wall clock
  // but yesterday on the calendar clock. The request is signed, and the answer (signed at kNow)
  // checked, on the wall clock.
  Fixture f;
  f.client = f.MakeClient([](ClientOptions& options) {
    options.calendar_clock = [] { return FixedTime(kNow + 86400); };
  });
  f.Answer(200, kBillAnswer);
  TradeBillRequest request;
  request.bill_date = "2023-11-15";
  auto info = f.client.TradeBill(request);
  INFO(info.status().ToString());
  REQUIRE(info.ok());
  CHECK(std::string(f.Last().headers.Get("Authorization")).find("timestamp=\"1700000000\"") !=
        std::string::npos);
  request.bill_date = "2023-11-16";  // today on the calendar clock
  CHECK(f.client.TradeBill(request).status().info().field == "bill_date");
  CHECK(f.transport->count() == 1);
}

TEST_CASE("A bill answer is verified like every answer", "[bill]") {
  Fixture f;
  f.transport->PushResult(WeChatPaySigner::Unsigned(200, kBillAnswer));
  TradeBillRequest request;
  request.bill_date = "2023-11-14";
  auto info = f.client.TradeBill(request);
  CHECK(info.status().code() == StatusCode::kVerificationFailed);
  CHECK(f.transport->count() == 1);  // an untrusted answer is not asked for again
}

TEST_CASE("STATEMENT_CREATING is 'not yet', NO_STATEMENT_EXIST is 'never'", "[bill]") {
  Fixture f;
  f.Answer(400, R"({"code":"STATEMENT_CREATING","message":"账单生成中"})");
  TradeBillRequest request;
  request.bill_date = "2023-11-14";
  auto creating = f.client.TradeBill(request);
  CHECK(creating.status().code() == StatusCode::kUnavailable);
  CHECK(creating.status().info().service_code == "STATEMENT_CREATING");
  CHECK(creating.status().info().http_status == 400);
  CHECK(IsServiceError(creating.status(), error_codes::kStatementCreating));
  CHECK(creating.status().message().find("not yet, try after 10:00") != std::string::npos);
  CHECK(f.transport->count() == 1);

  f.Answer(400, R"({"code":"NO_STATEMENT_EXIST","message":"账单不存在"})");
  FundFlowBillRequest fund;
  fund.bill_date = "2023-11-13";
  auto never = f.client.FundFlowBill(fund);
  CHECK(never.status().code() == StatusCode::kServiceError);
  CHECK(IsServiceError(never.status(), error_codes::kNoStatementExist));
  CHECK(never.status().message().find("no bill for that day (2023-11-13") != std::string::npos);

  f.Answer(403, R"({"code":"NO_AUTH","message":"无权限"})");
  auto refused = f.client.TradeBill(request);
  CHECK(IsServiceError(refused.status(), error_codes::kNoAuth));
}

TEST_CASE("Bills need the direct backend: other channels say so", "[bill]") {
  // What a channel without bill operations (the gateway's) answers.
  NativePayClient client(std::make_shared<NativePayChannel>());
  TradeBillRequest request;
  request.bill_date = "2023-11-14";
  auto trade = client.channel()->TradeBill(request, {});
  CHECK(trade.status().code() == StatusCode::kUnimplemented);
  CHECK(trade.status().message().find("bills need the direct API v3 backend") != std::string::npos);
  CHECK(client.channel()->FundFlowBill({}, {}).status().code() == StatusCode::kUnimplemented);
  auto download = client.DownloadBill(Info(), {});
  CHECK(download.status().code() == StatusCode::kUnimplemented);
  CHECK(download.status().message().find("bills need the direct API v3 backend") !=
        std::string::npos);
}

TEST_CASE("Through the CloudBase gateway a bill is kUnimplemented, nothing sent", "[bill]") {
  auto config = TestMerchant::Config();
  GatewayConfig gateway;
  gateway.env_id = "test-env-1a2b";
  gateway.function_name = "pay-common";
  gateway.access_token = "token-for-tests";
  config.gateway = gateway;
  auto transport = std::make_shared<RecordingTransport>();
  ClientOptions options;
  options.transport = transport;
  options.clock = [] { return FixedTime(kNow); };
  auto client = NativePayClient::Create(config, options).value();
  TradeBillRequest request;
  request.bill_date = "2023-11-14";
  auto trade = client.TradeBill(request);
  CHECK(trade.status().code() == StatusCode::kUnimplemented);
  CHECK(trade.status().message().find("bills need the direct API v3 backend") != std::string::npos);
  // The client's clock reached the validation: a date that is today there is refused first.
  request.bill_date = "2023-11-15";
  CHECK(client.TradeBill(request).status().info().field == "bill_date");
  CHECK(transport->count() == 0);
}

// ---------------------------------------------------------------------------------------------
// The download (the channel's raw bytes; the digest check is NativePayClient::DownloadBill's)

TEST_CASE("The download signs the path and query of download_url and streams the file", "[bill]") {
  Fixture f;
  std::string const file(100 * 1024, 'b');  // several pieces of the transport's stream
  f.transport->PushResult(WeChatPaySigner::Unsigned(200, file));
  std::string received;
  int calls = 0;
  auto meta = f.client.channel()->DownloadBill(Info(),
                                               [&](std::string_view chunk) {
                                                 received.append(chunk);
                                                 ++calls;
                                                 return Status();
                                               },
                                               {});
  REQUIRE(meta.ok());
  CHECK(meta->http_status == 200);
  CHECK(received == file);
  CHECK(calls > 1);
  auto const sent = f.Last();
  CHECK(sent.method == "GET");
  CHECK(sent.url == kDownloadUrl);
  CHECK(sent.body.empty());
  CHECK(testing::CheckTestAuthorization(sent,
                                        "/v3/billdownload/file?token=SECRET-TOKEN-1&tartype=gzip")
            .empty());
  CHECK(sent.max_response_body_bytes > kDefaultMaxResponseBodyBytes);
  // The log names the path, never the token in the query.
  for (auto const& line : f.log()) {
    INFO(line);
    CHECK(line.find("SECRET-TOKEN") == std::string::npos);
  }
}

TEST_CASE("A download_url on another host, scheme or port is refused, nothing sent", "[bill]") {
  Fixture f;
  for (char const* url : {"https://evil.example.com/v3/billdownload/file?token=SECRET-TOKEN",
                          "https://api.mch.weixin.qq.com:8443/v3/billdownload/file?token=SECRET",
                          "https://api.mch.weixin.qq.com.evil.example/v3/billdownload?token=SECRET",
                          "http://127.0.0.1/v3/billdownload/file?token=SECRET"}) {
    INFO(url);
    auto status =
        f.client.channel()->DownloadBill(Info(url), [](std::string_view) { return Status(); }, {});
    CHECK(status.status().code() == StatusCode::kInvalidArgument);
    CHECK(status.status().info().field == "download_url");
    CHECK(status.status().message().find("SECRET") == std::string::npos);
  }
  CHECK(f.transport->count() == 0);
  // Any case of the configured host is that host.
  f.transport->PushResult(WeChatPaySigner::Unsigned(200, "x"));
  CHECK(f.client.channel()
            ->DownloadBill(Info("https://API.mch.weixin.qq.com/v3/billdownload/file?token=t"),
                           [](std::string_view) { return Status(); }, {})
            .ok());
}

TEST_CASE("An expired download URL is a clear error, not retried", "[bill]") {
  Fixture f;
  f.transport->PushResult(
      WeChatPaySigner::Unsigned(400, R"({"code":"INVALID_REQUEST","message":"下载链接已过期"})"));
  std::string received;
  auto meta = f.client.channel()->DownloadBill(Info(),
                                               [&](std::string_view chunk) {
                                                 received.append(chunk);
                                                 return Status();
                                               },
                                               {});
  CHECK(meta.status().code() == StatusCode::kServiceError);
  CHECK(IsServiceError(meta.status(), error_codes::kInvalidRequest));
  CHECK(meta.status().message().find("apply for the bill again") != std::string::npos);
  CHECK(received.empty());  // an error body never reaches the sink
  CHECK(f.transport->count() == 1);
}

TEST_CASE("A download is repeated only while nothing reached the sink", "[bill]") {
  Fixture f;
  ErrorInfo dropped;
  dropped.outcome_unknown = true;
  Status const reset(StatusCode::kTransport, "connection reset", dropped);
  // Before any byte: a read, so repeated.
  f.transport->PushResult(reset);
  f.transport->PushResult(WeChatPaySigner::Unsigned(200, "bill"));
  std::string received;
  auto sink = [&](std::string_view chunk) {
    received.append(chunk);
    return Status();
  };
  REQUIRE(f.client.channel()->DownloadBill(Info(), sink, {}).ok());
  CHECK(received == "bill");
  CHECK(f.transport->count() == 2);

  // After some bytes: the same failure ends the call.
  received.clear();
  f.transport->Push([&](HttpRequest const& request) -> StatusOr<HttpResponse> {
    (void)request.body_sink("half a bi");
    return reset;
  });
  f.transport->PushResult(WeChatPaySigner::Unsigned(200, "bill"));
  auto meta = f.client.channel()->DownloadBill(Info(), sink, {});
  CHECK(meta.status().code() == StatusCode::kTransport);
  CHECK(received == "half a bi");
  CHECK(f.transport->count() == 3);
  CHECK(f.transport->pending() == 1);
}

TEST_CASE("A sink's error ends the download with that error", "[bill]") {
  Fixture f;
  f.transport->PushResult(WeChatPaySigner::Unsigned(200, std::string(64 * 1024, 'x')));
  int calls = 0;
  auto meta = f.client.channel()->DownloadBill(Info(),
                                               [&](std::string_view) {
                                                 ++calls;
                                                 return Status(StatusCode::kMalformedResponse,
                                                               "not a bill");
                                               },
                                               {});
  CHECK(meta.status().code() == StatusCode::kMalformedResponse);
  CHECK(meta.status().message() == "not a bill");
  CHECK(calls == 1);
  CHECK(f.transport->count() == 1);
}

}  // namespace
}  // namespace wechatpay
