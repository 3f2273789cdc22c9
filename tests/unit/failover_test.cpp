// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Failover to the backup domain (MerchantConfig::backup_base_url) over a recording transport:
// which failures move the next attempt to the backup host (the retry table's failover
// columns), that the moved request is the same request signed again for the same path, that a
// write whose outcome is unknown never moves, and that nothing moves without the option.

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "catch.hpp"
#include "channel/retry_table.hpp"
#include "support/test_data.hpp"
#include "support/test_merchant.hpp"
#include "wechatpay/testing/client_recorder.hpp"
#include "wechatpay/testing/recording_transport.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay {
namespace {

using internal::FailureClass;
using internal::RuleFor;
using testing::FixedTime;
using testing::RecordingTransport;
using testing::TestMerchant;

constexpr std::int64_t kNow = 1700000000;
constexpr char kPrimary[] = "https://api.mch.weixin.qq.com";
constexpr char kBackup[] = "https://api2.wechatpay.cn";
constexpr char kOutTradeNo[] = "1217752501201407033233368018";
constexpr char kTransaction[] =
    R"({"appid":"wxd678efh567hg6787","mchid":"1900007291","out_trade_no":"1217752501201407033233368018",)"
    R"("transaction_id":"1217752501201407033233368018","trade_type":"NATIVE","trade_state":"SUCCESS",)"
    R"("trade_state_desc":"ok","payer":{"openid":"o-payer"},"amount":{"total":100,"payer_total":100,)"
    R"("currency":"CNY","payer_currency":"CNY"}})";
constexpr char kPrepay[] = R"({"code_url":"weixin://wxpay/bizpayurl?pr=failover"})";

struct Fixture : testing::ClientRecorder {
  std::shared_ptr<RecordingTransport> transport = std::make_shared<RecordingTransport>();
  std::vector<RequestEvent> events;

  NativePayClient Make(bool failover, int max_retries = 2) {
    MerchantConfig config = TestMerchant::Config(kPrimary);
    if (failover) config.backup_base_url = kBackup;
    ClientOptions options;
    options.transport = transport;
    options.clock = [] { return FixedTime(kNow); };
    options.retry.max_retries = max_retries;
    options.on_request = [this](RequestEvent const& event) { events.push_back(event); };
    ClientRecorder::Attach(options);
    return NativePayClient::Create(config, options).value();
  }
  void Answer(int status, std::string body) {
    transport->Push([status, body](HttpRequest const&) {
      return StatusOr<HttpResponse>(testing::TestWeChat().Signed(status, body, kNow));
    });
  }
  // A transport failure: `maybe_sent` false is DNS/connect/TLS (nothing arrived), true a
  // timeout or reset after sending.
  void Fail(bool maybe_sent) {
    ErrorInfo info;
    info.outcome_unknown = maybe_sent;
    info.transport_code = maybe_sent ? 28 : 7;
    transport->PushResult(
        Status(maybe_sent ? StatusCode::kDeadlineExceeded : StatusCode::kTransport,
               maybe_sent ? "timed out after sending" : "could not connect", info));
  }
  std::vector<std::string> Urls() const {
    std::vector<std::string> urls;
    for (auto const& request : transport->requests()) urls.push_back(request.url);
    return urls;
  }
};

NativePrepayRequest Order() {
  NativePrepayRequest request;
  request.description = "failover test";
  request.out_trade_no = kOutTradeNo;
  request.amount.total = 100;
  return request;
}

std::string const kQueryTarget =
    std::string("/v3/pay/transactions/out-trade-no/") + kOutTradeNo + "?mchid=1900007291";

TEST_CASE("The failover columns of the retry table", "[failover][retry]") {
  // Reads move after anything that may be the primary host's fault; writes only when nothing
  // arrived. A failover is a retry, so it never goes where the table does not retry.
  for (int i = 0; i <= static_cast<int>(FailureClass::kDeliveredInPart); ++i) {
    auto const failure = static_cast<FailureClass>(i);
    INFO("row " << i);
    auto const rule = RuleFor(failure);
    bool const read = failure == FailureClass::kNotDelivered ||
                      failure == FailureClass::kNoAnswer || failure == FailureClass::kServerError;
    CHECK(rule.failover_read == read);
    CHECK(rule.failover_write == (failure == FailureClass::kNotDelivered));
    CHECK((!rule.failover_read || rule.retry_read));
    CHECK((!rule.failover_write || rule.retry_write));
    CHECK((!rule.failover_write || !rule.write_outcome_unknown));
  }
}

TEST_CASE("A write that could not connect is sent again, signed again, to the backup host",
          "[failover]") {
  Fixture f;
  auto client = f.Make(true);
  f.Fail(false);
  f.Answer(200, kPrepay);
  auto response = client.NativePrepay(Order());
  REQUIRE(response.ok());

  auto const requests = f.transport->requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].url == std::string(kPrimary) + "/v3/pay/transactions/native");
  CHECK(requests[1].url == std::string(kBackup) + "/v3/pay/transactions/native");
  CHECK(requests[1].method == "POST");
  CHECK(requests[1].body == requests[0].body);
  // Signed again (fresh nonce), for the same path: WeChat checks the same canonical URL.
  CHECK(testing::CheckTestAuthorization(requests[1], "/v3/pay/transactions/native").empty());
  CHECK(requests[1].headers.Get("Authorization") != requests[0].headers.Get("Authorization"));
  // The switch is made at once: another host owes the primary's backoff nothing.
  REQUIRE(f.sleeps().size() == 1);
  CHECK(f.sleeps()[0] == std::chrono::milliseconds(0));

  REQUIRE(f.events.size() == 2);
  CHECK(f.events[0].host == "api.mch.weixin.qq.com");
  CHECK_FALSE(f.events[0].backup_host);
  CHECK(f.events[0].retry == RetryDecision::kRetrying);
  CHECK(f.events[1].host == "api2.wechatpay.cn");
  CHECK(f.events[1].backup_host);
  CHECK(f.events[1].final);
  bool logged = false;
  for (auto const& line : f.log()) {
    if (line.find("on the backup domain api2.wechatpay.cn") != std::string::npos) {
      logged = true;
    }
    CHECK(line.find("Authorization") == std::string::npos);
  }
  CHECK(logged);
}

TEST_CASE("A write whose outcome is unknown is never sent to the backup host", "[failover]") {
  Fixture f;
  auto client = f.Make(true);
  SECTION("timed out after sending: not repeated at all") {
    f.Fail(true);
    auto response = client.NativePrepay(Order());
    REQUIRE_FALSE(response.ok());
    CHECK(response.status().info().outcome_unknown);
    CHECK(f.Urls() ==
          std::vector<std::string>{std::string(kPrimary) + "/v3/pay/transactions/native"});
  }
  SECTION("a 503 (may have been applied) is repeated on the primary, never moved") {
    f.Answer(503, R"({"code":"SYSTEM_ERROR","message":"x"})");
    f.Answer(200, kPrepay);
    REQUIRE(client.NativePrepay(Order()).ok());
    for (auto const& url : f.Urls()) CHECK(url.rfind(kPrimary, 0) == 0);
    CHECK(f.Urls().size() == 2);
  }
  SECTION("a connect failure after a 503 does not move the write either") {
    // The 503's attempt may have reached WeChat: the call's outcome is already open.
    f.Answer(503, R"({"code":"SYSTEM_ERROR","message":"x"})");
    f.Fail(false);
    f.Answer(200, kPrepay);
    REQUIRE(client.NativePrepay(Order()).ok());
    auto const urls = f.Urls();
    REQUIRE(urls.size() == 3);
    for (auto const& url : urls) CHECK(url.rfind(kPrimary, 0) == 0);
  }
}

TEST_CASE("A read moves to the backup host after a 503 or no answer", "[failover]") {
  Fixture f;
  auto client = f.Make(true);
  SECTION("503") { f.Answer(503, R"({"code":"SERVICE_UNAVAILABLE","message":"x"})"); }
  SECTION("no answer") { f.Fail(true); }
  f.Answer(200, kTransaction);
  REQUIRE(client.QueryOrderByOutTradeNo(kOutTradeNo).ok());
  auto const requests = f.transport->requests();
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].url == kPrimary + kQueryTarget);
  CHECK(requests[1].url == kBackup + kQueryTarget);
  CHECK(testing::CheckTestAuthorization(requests[1], kQueryTarget).empty());
  REQUIRE(f.events.size() == 2);
  CHECK(f.events[1].backup_host);
}

TEST_CASE("Once moved, a call stays on the backup host; the next call starts on the primary",
          "[failover]") {
  Fixture f;
  auto client = f.Make(true);
  f.Fail(false);
  f.Answer(500, R"({"code":"SYSTEM_ERROR","message":"x"})");
  f.Answer(200, kTransaction);
  REQUIRE(client.QueryOrderByOutTradeNo(kOutTradeNo).ok());
  f.Answer(200, kTransaction);
  REQUIRE(client.QueryOrderByOutTradeNo(kOutTradeNo).ok());
  CHECK(f.Urls() == std::vector<std::string>{kPrimary + kQueryTarget, kBackup + kQueryTarget,
                                             kBackup + kQueryTarget, kPrimary + kQueryTarget});
  // Only the second retry waited (the switch did not).
  REQUIRE(f.sleeps().size() == 2);
  CHECK(f.sleeps()[0] == std::chrono::milliseconds(0));
  CHECK(f.sleeps()[1] > std::chrono::milliseconds(0));
}

TEST_CASE("Without a backup domain nothing moves", "[failover]") {
  Fixture f;
  auto client = f.Make(false);
  f.Fail(false);
  f.Answer(503, R"({"code":"SYSTEM_ERROR","message":"x"})");
  f.Answer(200, kPrepay);
  REQUIRE(client.NativePrepay(Order()).ok());
  REQUIRE(f.Urls().size() == 3);
  for (auto const& url : f.Urls()) CHECK(url.rfind(kPrimary, 0) == 0);
  for (auto const& event : f.events) CHECK_FALSE(event.backup_host);
}

TEST_CASE("With retries off the backup domain is not tried", "[failover]") {
  Fixture f;
  auto client = f.Make(true, 0);
  f.Fail(false);
  REQUIRE_FALSE(client.NativePrepay(Order()).ok());
  CHECK(f.Urls().size() == 1);
}

TEST_CASE("backupBaseUrl is checked like baseUrl, with the same path", "[failover][config]") {
  auto make = [](std::string base, std::string backup) {
    MerchantConfig config = TestMerchant::Config(std::move(base));
    config.backup_base_url = std::move(backup);
    ClientOptions options;
    options.transport = std::make_shared<RecordingTransport>();
    return NativePayClient::Create(config, options).status();
  };
  CHECK(make(kPrimary, kBackup).ok());
  CHECK(make("http://127.0.0.1:8080", "http://127.0.0.1:8081").ok());
  for (auto const& bad :
       {std::string("http://api2.wechatpay.cn"), std::string("https://api2.wechatpay.cn/other"),
        std::string("https://user:secret@api2.wechatpay.cn"),
        std::string("https://api2.wechatpay.cn?x=1"), std::string("not a url"),
        std::string(kPrimary)}) {
    INFO(bad);
    auto const status = make(kPrimary, bad);
    CHECK(status.code() == StatusCode::kConfiguration);
    CHECK(status.message().find("backupBaseUrl") != std::string::npos);
    CHECK(status.message().find("secret") == std::string::npos);
  }
}

TEST_CASE("backupBaseUrl is read from the file and the environment", "[failover][config]") {
  testing::TempDir dir;
  auto const path = dir.File("config.json");
  testing::WriteFile(path, R"({"backupBaseUrl":"https://api2.wechatpay.cn"})");
  auto loaded = LoadMerchantConfigFile(path);
  REQUIRE(loaded.ok());
  CHECK(loaded->backup_base_url == kBackup);
  CHECK(loaded->base_url == kDefaultBaseUrl);

  MerchantConfig config;
  ::setenv("WECHATPAY_BACKUP_BASE_URL", kBackup, 1);
  auto const status = ApplyEnvironment(config);
  ::unsetenv("WECHATPAY_BACKUP_BASE_URL");
  REQUIRE(status.ok());
  CHECK(config.backup_base_url == kBackup);
  CHECK(kBackupBaseUrl == kBackup);
}

}  // namespace
}  // namespace wechatpay
