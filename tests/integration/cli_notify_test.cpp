// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `wechatpay notify` (docs/cli.md): the documented JSON for valid callbacks, exit 3 for every way a
// callback is refused, exit 2 for usage and configuration problems.

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "catch.hpp"
#include "common/base64.hpp"
#include "support/run_process.hpp"
#include "support/test_data.hpp"
#include "support/test_merchant.hpp"

namespace wechatpay {
namespace {

using testing::DataPath;
using testing::kNotifyNow;
using testing::MakeNotification;
using testing::NotificationSpec;
using testing::ProcessResult;
using testing::ReadData;
using testing::RefundPlaintext;
using testing::RunCli;
using testing::SignedNotification;
using testing::SignNotification;
using testing::TempDir;
using testing::TestMerchant;
using testing::TransactionPlaintext;
using testing::WriteFile;

std::string ConfigJson(std::string const& api_v3_key = TestMerchant::kApiV3Key,
                       std::string const& public_key = "keys/java_wechat_pay_public_key.pem",
                       std::string const& key_id = TestMerchant::kPublicKeyId) {
  return R"({"apiV3Key":")" + api_v3_key + R"(","wxPayPublicKey":")" + DataPath(public_key) +
         R"(","wxPayPublicKeyId":")" + key_id + R"("})";
}

std::string HeadersText(HttpHeaders const& headers) {
  std::string text;
  for (auto const& [name, value] : headers) text += name + ": " + value + "\n";
  return text;
}

// Runs `wechatpay notify` on `headers_text` and `body`, at kNotifyNow unless `now` is given.
ProcessResult Notify(std::string const& headers_text, std::string const& body,
                     std::string const& config = ConfigJson(),
                     std::string const& now = std::to_string(kNotifyNow)) {
  TempDir dir;
  WriteFile(dir.File("config.json"), config);
  WriteFile(dir.File("headers.txt"), headers_text);
  WriteFile(dir.File("body.json"), body);
  std::vector<std::string> args = {"--config",           dir.File("config.json"), "notify",
                                   "--headers-file",     dir.File("headers.txt"), "--body-file",
                                   dir.File("body.json")};
  if (!now.empty()) {
    args.push_back("--now");
    args.push_back(now);
  }
  return RunCli(args);
}

ProcessResult Notify(SignedNotification const& built, std::string const& config = ConfigJson()) {
  return Notify(HeadersText(built.headers), built.body, config);
}

void CheckRefused(ProcessResult const& result, std::string const& reason) {
  INFO(result.err);
  CHECK(result.exit_code == 3);
  CHECK(result.out.empty());
  CHECK(result.err.rfind("error: ", 0) == 0);
  CHECK(result.err.find(reason) != std::string::npos);
  CHECK(result.err.find(TestMerchant::kApiV3Key) == std::string::npos);
}

TEST_CASE("wechatpay notify prints the envelope and the decrypted resource") {
  auto const plaintext = TransactionPlaintext("ORDER-CLI-1", 888);
  auto built = MakeNotification("TRANSACTION.SUCCESS", plaintext);
  auto result = Notify(built);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  rapidjson::Document out;
  out.Parse(result.out.c_str());
  REQUIRE_FALSE(out.HasParseError());
  REQUIRE(out.IsObject());
  CHECK(out.MemberCount() == 6);
  CHECK(std::string(out["id"].GetString()) == "EV-2018022511223320873");
  CHECK(std::string(out["create_time"].GetString()) == "2015-05-20T13:29:35+08:00");
  CHECK(std::string(out["event_type"].GetString()) == "TRANSACTION.SUCCESS");
  CHECK(std::string(out["resource_type"].GetString()) == "encrypt-resource");
  CHECK(std::string(out["summary"].GetString()) == "支付成功");
  REQUIRE(out["resource"].IsObject());
  CHECK(std::string(out["resource"]["out_trade_no"].GetString()) == "ORDER-CLI-1");
  CHECK(out["resource"]["amount"]["total"].GetInt64() == 888);
  // The plaintext is embedded byte for byte.
  CHECK(result.out.find(plaintext) != std::string::npos);

  SECTION("a whole captured request head, with CRLF, works as the headers file") {
    std::string head = "POST /wechatpay/order HTTP/1.1\r\nHost: merchant.example.com\r\n";
    for (auto const& [name, value] : built.headers) head += name + ":" + value + "\r\n";
    head += "Content-Length: " + std::to_string(built.body.size()) + "\r\n\r\n" + built.body;
    auto again = Notify(head, built.body);
    INFO(again.err);
    CHECK(again.exit_code == 0);
    CHECK(again.out == result.out);
  }
  SECTION("header names in any case") {
    std::string text;
    for (auto const& [name, value] : built.headers) {
      std::string upper;
      for (char c : name) upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
      text += upper + ": " + value + "\n";
    }
    CHECK(Notify(text, built.body).exit_code == 0);
  }
}

TEST_CASE("wechatpay notify decrypts refund notifications") {
  for (std::string status : {"SUCCESS", "ABNORMAL", "CLOSED"}) {
    INFO(status);
    auto built = MakeNotification("REFUND." + status, RefundPlaintext(status, "R-CLI"));
    auto result = Notify(built);
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    rapidjson::Document out;
    out.Parse(result.out.c_str());
    REQUIRE_FALSE(out.HasParseError());
    CHECK(std::string(out["event_type"].GetString()) == "REFUND." + status);
    CHECK(std::string(out["resource"]["refund_status"].GetString()) == status);
    CHECK(std::string(out["resource"]["out_refund_no"].GetString()) == "R-CLI");
  }
}

TEST_CASE("wechatpay notify exits 3 for every refused callback") {
  auto built = MakeNotification(NotificationSpec{});
  SECTION("tampered body") {
    auto body = built.body;
    body.replace(body.find("EV-2018"), 7, "EV-2019");
    CheckRefused(Notify(HeadersText(built.headers), body), "does not verify");
  }
  SECTION("each missing header") {
    for (auto name :
         {"Wechatpay-Timestamp", "Wechatpay-Nonce", "Wechatpay-Signature", "Wechatpay-Serial"}) {
      auto headers = built.headers;
      headers.Remove(name);
      CheckRefused(Notify(HeadersText(headers), built.body), name);
    }
  }
  SECTION("stale and future clocks") {
    CheckRefused(Notify(HeadersText(built.headers), built.body, ConfigJson(),
                        std::to_string(kNotifyNow + 300)),
                 "limit is 300 s");
    CheckRefused(Notify(HeadersText(built.headers), built.body, ConfigJson(),
                        std::to_string(kNotifyNow - 300)),
                 "limit is 300 s");
    CheckRefused(Notify(HeadersText(built.headers), built.body, ConfigJson(), ""),
                 "limit is 300 s");  // the real clock: the notification is from 2023
    CHECK(Notify(HeadersText(built.headers), built.body, ConfigJson(),
                 std::to_string(kNotifyNow + 299))
              .exit_code == 0);
  }
  SECTION("SIGNTEST probe") {
    auto headers = built.headers;
    headers.Set("Wechatpay-Signature",
                "WECHATPAY/SIGNTEST/" + std::string(headers.Get("Wechatpay-Signature")));
    CheckRefused(Notify(HeadersText(headers), built.body), "SIGNTEST");
  }
  SECTION("unknown serial") {
    NotificationSpec spec;
    spec.serial = "PUB_KEY_ID_0000000000000000000000000000";
    CheckRefused(Notify(MakeNotification(spec)), "unknown Wechatpay-Serial");
  }
  SECTION("wrong APIv3 key") {
    CheckRefused(Notify(built, ConfigJson("0123456789abcdef0123456789abcdef")), "decrypt");
  }
  SECTION("tampered tag, re-signed") {
    rapidjson::Document doc;
    doc.Parse(built.body.c_str());
    std::string ciphertext = doc["resource"]["ciphertext"].GetString();
    auto body = built.body;
    auto const at = body.find(ciphertext);
    auto bytes = internal::Base64Decode(ciphertext).value();
    bytes.back() = static_cast<char>(bytes.back() ^ 1);
    body.replace(at, ciphertext.size(), internal::Base64Encode(bytes));
    CheckRefused(Notify(SignNotification(body)), "decrypt");
  }
  SECTION("wrong algorithm") {
    NotificationSpec spec;
    spec.algorithm = "AEAD_AES_128_GCM";
    CheckRefused(Notify(MakeNotification(spec)), "resource.algorithm");
  }
  SECTION("wrong resource_type") {
    NotificationSpec spec;
    spec.resource_type = "plain";
    CheckRefused(Notify(MakeNotification(spec)), "resource_type");
  }
  SECTION("original_type inconsistent with event_type") {
    NotificationSpec spec;
    spec.original_type = "refund";
    CheckRefused(Notify(MakeNotification(spec)), "original_type");
  }
  SECTION("plaintext not JSON") {
    CheckRefused(Notify(MakeNotification("TRANSACTION.SUCCESS", "paid!")), "not a JSON object");
  }
  SECTION("oversized body") {
    auto padded = built.body + std::string(64 * 1024, ' ');
    CheckRefused(Notify(SignNotification(padded)), "more than the limit");
  }
}

TEST_CASE("wechatpay notify on the official go-notify vector") {
  auto const official = ReadData("official.json");
  rapidjson::Document doc;
  doc.Parse(official.c_str());
  rapidjson::Value const* vector = nullptr;
  for (auto const& entry : doc["verify"].GetArray()) {
    if (std::string("go-notify") == entry["id"].GetString()) vector = &entry;
  }
  REQUIRE(vector != nullptr);
  std::string headers;
  for (auto const& h : (*vector)["headers"].GetObject()) {
    headers += std::string(h.name.GetString()) + ": " + h.value.GetString() + "\n";
  }
  auto const body = ReadData("go_notify_body.json");
  auto const now = std::to_string((*vector)["now"].GetInt64());
  auto const cert = "keys/go_test_cert_D7CE59D1F522D701.pem";

  // Its 16-byte key is refused as configuration: exit 2, nothing verified.
  auto short_key =
      Notify(headers, body, ConfigJson("testMchAPIv3Key0", cert, "D7CE59D1F522D701"), now);
  INFO(short_key.err);
  CHECK(short_key.exit_code == 2);
  CHECK(short_key.err.find("apiV3Key") != std::string::npos);

  // With a 32-byte key the signature verifies and only the decryption fails.
  auto verified =
      Notify(headers, body, ConfigJson(TestMerchant::kApiV3Key, cert, "D7CE59D1F522D701"), now);
  CheckRefused(verified, "does not decrypt");

  auto stale = Notify(headers, body, ConfigJson(TestMerchant::kApiV3Key, cert, "D7CE59D1F522D701"),
                      std::to_string((*vector)["now"].GetInt64() + 300));
  CheckRefused(stale, "limit is 300 s");
}

TEST_CASE("wechatpay notify: usage and configuration problems exit 2") {
  auto built = MakeNotification(NotificationSpec{});
  TempDir dir;
  WriteFile(dir.File("config.json"), ConfigJson());
  WriteFile(dir.File("headers.txt"), HeadersText(built.headers));
  WriteFile(dir.File("body.json"), built.body);
  auto run = [&](std::vector<std::string> args) {
    std::vector<std::string> full = {"--config", dir.File("config.json"), "notify"};
    full.insert(full.end(), args.begin(), args.end());
    return RunCli(full);
  };
  auto expect_usage = [](ProcessResult const& result, std::string const& reason) {
    INFO(result.err);
    CHECK(result.exit_code == 2);
    CHECK(result.err.find(reason) != std::string::npos);
  };
  expect_usage(run({"--body-file", dir.File("body.json")}), "--headers-file");
  expect_usage(run({"--headers-file", dir.File("headers.txt")}), "--body-file");
  expect_usage(
      run({"--headers-file", dir.File("missing.txt"), "--body-file", dir.File("body.json")}),
      "cannot read");
  expect_usage(run({"--headers-file", dir.File("headers.txt"), "--body-file", dir.File("body.json"),
                    "--now", "soon"}),
               "--now");
  WriteFile(dir.File("bad_headers.txt"), "Wechatpay-Nonce abc\n");
  expect_usage(
      run({"--headers-file", dir.File("bad_headers.txt"), "--body-file", dir.File("body.json")}),
      "line 1");
  WriteFile(dir.File("no_key.json"), R"({"wxPayPublicKey":")" +
                                         DataPath("keys/java_wechat_pay_public_key.pem") +
                                         R"(","wxPayPublicKeyId":"PUB_KEY_ID_1"})");
  auto no_key = RunCli({"--config", dir.File("no_key.json"), "notify", "--headers-file",
                        dir.File("headers.txt"), "--body-file", dir.File("body.json")});
  expect_usage(no_key, "apiV3Key");

  auto help = RunCli({"notify", "--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("--headers-file FILE --body-file FILE") != std::string::npos);
}

}  // namespace
}  // namespace wechatpay
