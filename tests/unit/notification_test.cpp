// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// NotificationParser, the deduplicator, the answers, NotificationHandler and the business
// checks: the official go-notify vector, notifications built like WeChat builds them, and every
// way a notification can be wrong.

#include "wechatpay/notify/answer.hpp"
#include "wechatpay/notify/checks.hpp"
#include "wechatpay/notify/deduplicator.hpp"
#include "wechatpay/notify/handler.hpp"
#include "wechatpay/notify/models.hpp"
#include "wechatpay/notify/parser.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "common/base64.hpp"
#include "support/test_data.hpp"
#include "support/test_merchant.hpp"

namespace wechatpay {
namespace {

using testing::FixedTime;
using testing::kNotifyNow;
using testing::MakeNotification;
using testing::NotificationBody;
using testing::NotificationSpec;
using testing::ReadData;
using testing::RefundPlaintext;
using testing::SignedNotification;
using testing::SignNotification;
using testing::TestMerchant;
using testing::TransactionPlaintext;

// --- helpers ---------------------------------------------------------------------------------

NotificationParser MakeParser(NotificationParserOptions options = {},
                              std::int64_t now = kNotifyNow) {
  if (!options.clock) options.clock = [now] { return FixedTime(now); };
  auto parser = MakeNotificationParser(TestMerchant::Config(), std::move(options));
  REQUIRE(parser);
  return *parser;
}

void CheckVerificationFailure(StatusOr<Notification> const& result, VerificationFailure failure) {
  REQUIRE_FALSE(result.ok());
  INFO(result.status().message());
  CHECK(result.status().code() == StatusCode::kVerificationFailed);
  CHECK(result.status().info().verification_failure == failure);
}

void CheckMalformed(StatusOr<Notification> const& result, std::string const& field) {
  REQUIRE_FALSE(result.ok());
  INFO(result.status().message());
  CHECK(result.status().code() == StatusCode::kMalformedResponse);
  CHECK(result.status().info().field == field);
}

void CheckDecryptionFailed(StatusOr<Notification> const& result) {
  REQUIRE_FALSE(result.ok());
  INFO(result.status().message());
  CHECK(result.status().code() == StatusCode::kDecryptionFailed);
}

std::string ToJson(rapidjson::Document const& doc) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  doc.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

// The body of `spec` with resource.<member> replaced by edit(old value); the caller signs it.
template <typename Edit>
std::string EditResource(NotificationSpec const& spec, char const* member, Edit edit) {
  rapidjson::Document doc;
  doc.Parse(NotificationBody(spec));
  REQUIRE_FALSE(doc.HasParseError());
  auto& value = doc["resource"][member];
  std::string const changed = edit(std::string(value.GetString(), value.GetStringLength()));
  value.SetString(changed.c_str(), static_cast<rapidjson::SizeType>(changed.size()),
                  doc.GetAllocator());
  return ToJson(doc);
}

// Flips one bit of the decoded ciphertext||tag at `index` (negative: from the end).
std::string FlipDecodedByte(std::string const& base64, int index) {
  auto bytes = internal::Base64Decode(base64).value();
  auto const at = index >= 0 ? static_cast<std::size_t>(index)
                             : bytes.size() - static_cast<std::size_t>(-index);
  bytes[at] = static_cast<char>(bytes[at] ^ 0x01);
  return internal::Base64Encode(bytes);
}

rapidjson::Document const& Vectors() {
  static rapidjson::Document const kDoc = [] {
    rapidjson::Document doc;
    doc.Parse(ReadData("official.json"));
    return doc;
  }();
  REQUIRE_FALSE(kDoc.HasParseError());
  return kDoc;
}

rapidjson::Value const& GoNotifyVector() {
  for (auto const& entry : Vectors()["verify"].GetArray()) {
    if (std::string("go-notify") == entry["id"].GetString()) return entry;
  }
  FAIL("no go-notify vector");
  throw std::logic_error("unreachable");
}

// --- the official vector ----------------------------------------------------------------------

TEST_CASE("go-notify: the official callback verifies over its raw bytes at its time") {
  auto const& vector = GoNotifyVector();
  std::int64_t const now = vector["now"].GetInt64();
  HttpHeaders headers;
  for (auto const& h : vector["headers"].GetObject()) {
    headers.Add(h.name.GetString(), h.value.GetString());
  }
  auto const body = ReadData("go_notify_body.json");

  SignatureVerifier verifier;
  REQUIRE(verifier.AddCertificate(ReadData("keys/go_test_cert_D7CE59D1F522D701.pem")).ok());
  // Its own 16-byte key is a configuration error (AES-128 is not the APIv3 scheme), so decrypt
  // with a proper 32-byte key: verification and the envelope pass, and only the decryption
  // fails, which shows the order of the checks.
  auto const short_key = std::string(vector["decrypt"]["api_v3_key"].GetString());
  auto rejected = AesGcmCipher::Create(short_key);
  REQUIRE_FALSE(rejected);
  CHECK(rejected.status().code() == StatusCode::kConfiguration);
  auto config = TestMerchant::Config();
  config.api_v3_key = short_key;
  auto from_config = MakeNotificationParser(config);
  REQUIRE_FALSE(from_config);
  CHECK(from_config.status().code() == StatusCode::kConfiguration);
  CHECK(from_config.status().info().field == "apiV3Key");

  auto cipher = AesGcmCipher::Create(TestMerchant::kApiV3Key).value();
  auto parser_at = [&](std::int64_t t) {
    NotificationParserOptions options;
    options.clock = [t] { return FixedTime(t); };
    return NotificationParser::Create(verifier, cipher, options).value();
  };

  CHECK(verifier.Verify(SignatureHeaders::From(headers), body, FixedTime(now)).ok());
  CheckDecryptionFailed(parser_at(now).Parse(headers, body));
  CheckDecryptionFailed(parser_at(now + 299).Parse(headers, body));
  CheckDecryptionFailed(parser_at(now - 299).Parse(headers, body));
  CheckVerificationFailure(parser_at(now + 300).Parse(headers, body),
                           VerificationFailure::kTimestampSkew);
  CheckVerificationFailure(parser_at(now - 300).Parse(headers, body),
                           VerificationFailure::kTimestampSkew);

  SECTION("one byte changed, or a trailing newline, breaks the signature") {
    auto tampered = body;
    tampered[tampered.find("签约成功")] ^= 0x01;
    CheckVerificationFailure(parser_at(now).Parse(headers, tampered),
                             VerificationFailure::kSignatureMismatch);
    CheckVerificationFailure(parser_at(now).Parse(headers, body + "\n"),
                             VerificationFailure::kSignatureMismatch);
  }
}

// --- typed events -----------------------------------------------------------------------------

TEST_CASE("TRANSACTION.SUCCESS becomes a typed Transaction") {
  auto parser = MakeParser();
  auto const plaintext = TransactionPlaintext("ORDER-0001", 1234);
  auto built = MakeNotification("TRANSACTION.SUCCESS", plaintext);
  auto n = parser.Parse(built.headers, built.body);
  REQUIRE(n);
  CHECK(n->id == "EV-2018022511223320873");
  CHECK(n->create_time == "2015-05-20T13:29:35+08:00");
  CHECK(n->event_type == "TRANSACTION.SUCCESS");
  CHECK(n->resource_type == "encrypt-resource");
  CHECK(n->summary == "支付成功");
  CHECK(n->original_type == "transaction");
  CHECK(n->plaintext == plaintext);
  CHECK(n->request_id == "08DEADBEEF-200");
  REQUIRE(n->transaction);
  CHECK_FALSE(n->refund);
  CHECK(n->transaction->out_trade_no == "ORDER-0001");
  CHECK(n->transaction->trade_state == "SUCCESS");
  CHECK(n->transaction->transaction_id == "1217752501201407033233368018");
  REQUIRE(n->transaction->amount);
  CHECK(n->transaction->amount->total == 1234);
  CHECK(n->transaction->payer->openid == "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
  CHECK(n->transaction->raw_json == plaintext);
}

TEST_CASE("REFUND.SUCCESS, REFUND.ABNORMAL and REFUND.CLOSED become RefundNotifications") {
  auto parser = MakeParser();
  for (std::string status : {"SUCCESS", "ABNORMAL", "CLOSED"}) {
    INFO(status);
    auto const plaintext = RefundPlaintext(status, "R-" + status, 30, 100);
    auto built = MakeNotification("REFUND." + status, plaintext);
    auto n = parser.Parse(built.headers, built.body);
    REQUIRE(n);
    CHECK(n->event_type == "REFUND." + status);
    CHECK(n->original_type == "refund");
    CHECK_FALSE(n->transaction);
    REQUIRE(n->refund);
    auto const& r = *n->refund;
    CHECK(r.mchid == "1900007291");
    CHECK(r.out_trade_no == "1217752501201407033233368018");
    CHECK(r.transaction_id == "1217752501201407033233368018");
    CHECK(r.refund_id == "50000000382019052709732678859");
    CHECK(r.out_refund_no == "R-" + status);
    CHECK(r.refund_status == status);
    CHECK(r.success_time.has_value() == (status == "SUCCESS"));
    CHECK(r.user_received_account == "招商银行信用卡0403");
    CHECK(r.amount.total == 100);
    CHECK(r.amount.refund == 30);
    CHECK(r.amount.payer_total == 100);
    CHECK(r.amount.payer_refund == 30);
    CHECK(r.raw_json == plaintext);
  }
}

TEST_CASE("unmodelled event types keep the plaintext only") {
  auto parser = MakeParser();
  for (std::string event : {"TRANSACTION.FAIL", "PAYSCORE.USER_OPEN_SERVICE", "REFUND.OTHER"}) {
    INFO(event);
    auto built = MakeNotification(event, R"({"anything":[1,2,{"x":"y"}]})");
    auto n = parser.Parse(built.headers, built.body);
    REQUIRE(n);
    CHECK_FALSE(n->transaction);
    CHECK_FALSE(n->refund);
    CHECK(n->plaintext == R"({"anything":[1,2,{"x":"y"}]})");
  }
}

TEST_CASE(
    "the raw bytes are verified, not a re-serialisation: any JSON layout WeChat signed works") {
  auto parser = MakeParser();
  // Pretty-printed, members reordered, escaped slash: a parse-and-reserialise verifier fails
  // every one of these.
  auto const compact = NotificationBody(NotificationSpec{});
  rapidjson::Document doc;
  doc.Parse(compact);
  std::string const ciphertext = doc["resource"]["ciphertext"].GetString();
  std::string const body = "{\n  \"resource\": {\"nonce\": \"fdasflkja484\", \"ciphertext\": \"" +
                           ciphertext +
                           "\", \"associated_data\": \"transaction\", \"algorithm\": "
                           "\"AEAD_AES_256_GCM\", \"original_type\": \"transaction\"},\n"
                           "  \"id\": \"EV\\/1\", \"event_type\": \"TRANSACTION.SUCCESS\",\n"
                           "  \"resource_type\": \"encrypt-resource\"\n}\n";
  auto built = SignNotification(body);
  auto n = parser.Parse(built.headers, built.body);
  REQUIRE(n);
  CHECK(n->id == "EV/1");
  CHECK(n->summary.empty());
  CHECK(n->create_time.empty());
  REQUIRE(n->transaction);
}

TEST_CASE("header names are case-insensitive and values are trimmed") {
  auto parser = MakeParser();
  auto built = MakeNotification(NotificationSpec{});
  HttpHeaders lower;
  for (auto const& [name, value] : built.headers) {
    std::string lowered;
    for (char c : name) lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    lower.Add(lowered, " " + value + " ");
  }
  CHECK(parser.Parse(lower, built.body).ok());
}

// --- signature failures -----------------------------------------------------------------------

TEST_CASE("each missing Wechatpay header is refused") {
  auto parser = MakeParser();
  auto built = MakeNotification(NotificationSpec{});
  for (auto name :
       {"Wechatpay-Timestamp", "Wechatpay-Nonce", "Wechatpay-Signature", "Wechatpay-Serial"}) {
    INFO(name);
    auto headers = built.headers;
    headers.Remove(name);
    auto result = parser.Parse(headers, built.body);
    CheckVerificationFailure(result, VerificationFailure::kMissingHeaders);
    CHECK(result.status().message().find(name) != std::string::npos);
    headers.Add(name, "");
    CheckVerificationFailure(parser.Parse(headers, built.body),
                             VerificationFailure::kMissingHeaders);
  }
  CheckVerificationFailure(parser.Parse(HttpHeaders{}, built.body),
                           VerificationFailure::kMissingHeaders);
}

TEST_CASE("timestamps 300 s or more away are refused, 299 s is accepted") {
  auto parser = MakeParser();
  for (std::int64_t offset : {-299, -1, 0, 1, 299}) {
    INFO(offset);
    NotificationSpec spec;
    spec.timestamp = kNotifyNow + offset;
    auto built = MakeNotification(spec);
    CHECK(parser.Parse(built.headers, built.body).ok());
  }
  for (std::int64_t offset : {-100000, -301, -300, 300, 301, 100000}) {
    INFO(offset);
    NotificationSpec spec;
    spec.timestamp = kNotifyNow + offset;
    auto built = MakeNotification(spec);
    CheckVerificationFailure(parser.Parse(built.headers, built.body),
                             VerificationFailure::kTimestampSkew);
  }
  SECTION("a non-numeric timestamp") {
    auto built = MakeNotification(NotificationSpec{});
    built.headers.Set("Wechatpay-Timestamp", "1700000000.5");
    CheckVerificationFailure(parser.Parse(built.headers, built.body),
                             VerificationFailure::kInvalidTimestamp);
  }
  SECTION("a tighter tolerance") {
    NotificationParserOptions options;
    options.tolerance = std::chrono::seconds(60);
    auto tight = MakeParser(options);
    CHECK(tight.tolerance() == std::chrono::seconds(60));
    NotificationSpec spec;
    spec.timestamp = kNotifyNow - 59;
    auto ok = MakeNotification(spec);
    CHECK(tight.Parse(ok.headers, ok.body).ok());
    spec.timestamp = kNotifyNow - 60;
    auto stale = MakeNotification(spec);
    CheckVerificationFailure(tight.Parse(stale.headers, stale.body),
                             VerificationFailure::kTimestampSkew);
  }
  SECTION("the check cannot be turned off") {
    for (auto tolerance : {std::chrono::seconds(0), std::chrono::seconds(-5)}) {
      NotificationParserOptions options;
      options.tolerance = tolerance;
      auto parser_or = MakeNotificationParser(TestMerchant::Config(), options);
      REQUIRE_FALSE(parser_or);
      CHECK(parser_or.status().code() == StatusCode::kConfiguration);
      CHECK(parser_or.status().info().field == "tolerance");
    }
  }
  SECTION("the default clock is the system clock") {
    auto real = MakeNotificationParser(TestMerchant::Config()).value();
    CHECK(real.tolerance() == std::chrono::seconds(300));
    auto built = MakeNotification(NotificationSpec{});  // stamped in 2023
    CheckVerificationFailure(real.Parse(built.headers, built.body),
                             VerificationFailure::kTimestampSkew);
  }
}

TEST_CASE("an unknown Wechatpay-Serial is refused, never verified with another key") {
  auto parser = MakeParser();
  NotificationSpec spec;
  spec.serial = "PUB_KEY_ID_0000000000000000000000000000";
  auto built = MakeNotification(spec);
  CheckVerificationFailure(parser.Parse(built.headers, built.body),
                           VerificationFailure::kUnknownSerial);
}

TEST_CASE("a WECHATPAY/SIGNTEST/ probe is refused as such") {
  auto parser = MakeParser();
  auto built = MakeNotification(NotificationSpec{});
  built.headers.Set("Wechatpay-Signature",
                    "WECHATPAY/SIGNTEST/" + std::string(built.headers.Get("Wechatpay-Signature")));
  CheckVerificationFailure(parser.Parse(built.headers, built.body),
                           VerificationFailure::kSignTestProbe);
}

TEST_CASE("a tampered body or header fails the signature") {
  auto parser = MakeParser();
  auto built = MakeNotification(NotificationSpec{});
  SECTION("body") {
    auto body = built.body;
    body.replace(body.find("EV-2018"), 7, "EV-2019");
    CheckVerificationFailure(parser.Parse(built.headers, body),
                             VerificationFailure::kSignatureMismatch);
  }
  SECTION("ciphertext, unsigned") {
    NotificationSpec spec;
    auto body = EditResource(spec, "ciphertext",
                             [](std::string const& c) { return FlipDecodedByte(c, 0); });
    CheckVerificationFailure(parser.Parse(built.headers, body),
                             VerificationFailure::kSignatureMismatch);
  }
  SECTION("nonce header") {
    built.headers.Set("Wechatpay-Nonce", "another-nonce");
    CheckVerificationFailure(parser.Parse(built.headers, built.body),
                             VerificationFailure::kSignatureMismatch);
  }
  SECTION("timestamp header, still within the tolerance") {
    built.headers.Set("Wechatpay-Timestamp", std::to_string(kNotifyNow + 1));
    CheckVerificationFailure(parser.Parse(built.headers, built.body),
                             VerificationFailure::kSignatureMismatch);
  }
  SECTION("signed by another key under the right serial") {
    auto other = PrivateKey::FromPem(ReadData("keys/go_test_private_key.pem")).value();
    auto const ts = std::to_string(kNotifyNow);
    auto const nonce = std::string(built.headers.Get("Wechatpay-Nonce"));
    built.headers.Set("Wechatpay-Signature",
                      other.SignSha256(BuildResponseSignMessage(ts, nonce, built.body)).value());
    CheckVerificationFailure(parser.Parse(built.headers, built.body),
                             VerificationFailure::kSignatureMismatch);
  }
}

// --- decryption failures (authentic signature, broken resource) --------------------------------

TEST_CASE("the GCM tag covers ciphertext, tag, nonce and associated_data") {
  auto parser = MakeParser();
  NotificationSpec spec;
  auto expect_decryption_failure = [&](std::string const& body) {
    auto built = SignNotification(body);
    CheckDecryptionFailed(parser.Parse(built.headers, built.body));
  };
  SECTION("ciphertext") {
    expect_decryption_failure(EditResource(
        spec, "ciphertext", [](std::string const& c) { return FlipDecodedByte(c, 0); }));
  }
  SECTION("tag") {
    expect_decryption_failure(EditResource(
        spec, "ciphertext", [](std::string const& c) { return FlipDecodedByte(c, -1); }));
  }
  SECTION("tag cut off") {
    expect_decryption_failure(EditResource(spec, "ciphertext", [](std::string const& c) {
      auto bytes = internal::Base64Decode(c).value();
      return internal::Base64Encode(bytes.substr(0, bytes.size() - 16));
    }));
  }
  SECTION("ciphertext not Base64") {
    expect_decryption_failure(
        EditResource(spec, "ciphertext", [](std::string const& c) { return "!" + c; }));
  }
  SECTION("nonce") {
    expect_decryption_failure(
        EditResource(spec, "nonce", [](std::string const&) { return "fdasflkja485"; }));
  }
  SECTION("nonce of the wrong length") {
    expect_decryption_failure(
        EditResource(spec, "nonce", [](std::string const&) { return "fdasflkja4841"; }));
  }
  SECTION("associated_data") {
    expect_decryption_failure(
        EditResource(spec, "associated_data", [](std::string const&) { return "refund"; }));
  }
  SECTION("associated_data emptied") {
    expect_decryption_failure(
        EditResource(spec, "associated_data", [](std::string const&) { return ""; }));
  }
}

TEST_CASE("a wrong APIv3 key fails the decryption, and the message names no key") {
  NotificationSpec spec;
  spec.api_v3_key = "0123456789abcdef0123456789abcdef";
  auto built = MakeNotification(spec);
  auto result = MakeParser().Parse(built.headers, built.body);
  CheckDecryptionFailed(result);
  CHECK(result.status().message().find(TestMerchant::kApiV3Key) == std::string::npos);
  CHECK(result.status().message().find(*spec.api_v3_key) == std::string::npos);
  CHECK(result.status().message().find("EV-2018022511223320873") != std::string::npos);
}

TEST_CASE("an empty associated_data is valid when WeChat encrypted with it") {
  NotificationSpec spec;
  spec.associated_data = "";
  auto built = MakeNotification(spec);
  CHECK(MakeParser().Parse(built.headers, built.body).ok());
}

// --- envelope failures ------------------------------------------------------------------------

TEST_CASE("envelope problems are refused, each with its own field") {
  auto parser = MakeParser();
  auto check_spec = [&](NotificationSpec const& spec, std::string const& field) {
    auto built = MakeNotification(spec);
    CheckMalformed(parser.Parse(built.headers, built.body), field);
  };
  SECTION("wrong algorithm") {
    NotificationSpec spec;
    spec.algorithm = "AEAD_AES_128_GCM";
    check_spec(spec, "resource.algorithm");
    spec.algorithm = "aead_aes_256_gcm";
    check_spec(spec, "resource.algorithm");
    spec.algorithm = "";
    check_spec(spec, "resource.algorithm");
  }
  SECTION("wrong resource_type") {
    NotificationSpec spec;
    spec.resource_type = "plain-resource";
    check_spec(spec, "resource_type");
  }
  SECTION("original_type inconsistent with event_type") {
    NotificationSpec spec;
    spec.original_type = "refund";
    check_spec(spec, "resource.original_type");  // TRANSACTION.SUCCESS carrying a refund
    spec.original_type = "";
    check_spec(spec, "resource.original_type");
    spec.event_type = "REFUND.SUCCESS";
    spec.plaintext = RefundPlaintext();
    spec.original_type = "transaction";
    check_spec(spec, "resource.original_type");  // REFUND.SUCCESS carrying a transaction
    spec.event_type = "PAYSCORE.USER_OPEN_SERVICE";
    spec.original_type = "transaction";
    check_spec(spec, "resource.original_type");  // a transaction under another event
    spec.original_type = "refund";
    check_spec(spec, "resource.original_type");
  }
  SECTION("body is not JSON, or lacks members") {
    auto check_body = [&](std::string const& body, std::string const& field) {
      auto built = SignNotification(body);
      CheckMalformed(parser.Parse(built.headers, built.body), field);
    };
    check_body("", "envelope");
    check_body("not json", "envelope");
    check_body("[]", "envelope");
    check_body(std::string("{}\0{}", 5), "envelope");
    check_body(R"({"event_type":"TRANSACTION.SUCCESS","resource":{}})", "id");
    check_body(R"({"id":"","event_type":"TRANSACTION.SUCCESS","resource":{}})", "id");
    check_body(R"({"id":7,"event_type":"TRANSACTION.SUCCESS","resource":{}})", "id");
    check_body(R"({"id":"x","resource":{}})", "event_type");
    check_body(R"({"id":"x","event_type":"TRANSACTION.SUCCESS"})", "resource");
    check_body(R"({"id":"x","event_type":"TRANSACTION.SUCCESS","resource":"x"})", "resource");
    check_body(R"({"id":"x","event_type":"TRANSACTION.SUCCESS","resource":{"nonce":"n"}})",
               "resource.ciphertext");
    check_body(R"({"id":"x","event_type":"TRANSACTION.SUCCESS","resource":{"ciphertext":"c"}})",
               "resource.nonce");
    check_body(R"({"id":"x","event_type":"E","resource":{"ciphertext":"c","nonce":"n",)"
               R"("associated_data":1}})",
               "resource.associated_data");
    check_body("{\"id\":\"\xff\",\"event_type\":\"E\",\"resource\":{}}", "envelope");
    check_body(R"({"id":"EV-1\nforged log line","event_type":"E","resource":)"
               R"({"ciphertext":"c","nonce":"n"}})",
               "id");
    check_body(R"({"id":")" + std::string(129, 'x') +
                   R"(","event_type":"E","resource_type":"encrypt-resource","resource":)"
                   R"({"ciphertext":"c","nonce":"n","algorithm":"AEAD_AES_256_GCM"}})",
               "id");
  }
}

TEST_CASE("the signature is checked before the envelope") {
  auto parser = MakeParser();
  NotificationSpec spec;
  spec.algorithm = "NONE";
  auto built = MakeNotification(spec);
  built.headers.Set("Wechatpay-Serial", "UNKNOWN");
  CheckVerificationFailure(parser.Parse(built.headers, built.body),
                           VerificationFailure::kUnknownSerial);
}

// --- plaintext failures -----------------------------------------------------------------------

TEST_CASE("a plaintext that is not the JSON the event promises is refused") {
  auto parser = MakeParser();
  auto check = [&](std::string const& event, std::string const& plaintext,
                   std::string const& field) {
    INFO(event << " " << plaintext);
    auto built = MakeNotification(event, plaintext);
    CheckMalformed(parser.Parse(built.headers, built.body), field);
  };
  for (std::string event : {"TRANSACTION.SUCCESS", "REFUND.SUCCESS", "PAYSCORE.USER_PAID"}) {
    check(event, "not json", "plaintext");
    check(event, "", "plaintext");
    check(event, "[1,2]", "plaintext");
    check(event, "\"text\"", "plaintext");
    check(event, "{\"a\":\"\xc3\x28\"}", "plaintext");  // invalid UTF-8
    check(event, std::string("{}\0", 3), "plaintext");
    check(event, R"({"a":1} {"b":2})", "plaintext");
  }
  check("TRANSACTION.SUCCESS", "{}", "plaintext");
  check("TRANSACTION.SUCCESS", TransactionPlaintext("ORDER-0001", 100, "NOTPAY"),
        "plaintext.trade_state");
  check("TRANSACTION.SUCCESS",
        R"({"trade_state":"SUCCESS","transaction_id":"1","amount":{"total":1}})",
        "plaintext.out_trade_no");
  check("TRANSACTION.SUCCESS",
        R"({"trade_state":"SUCCESS","out_trade_no":"o","amount":{"total":1}})",
        "plaintext.transaction_id");
  check("TRANSACTION.SUCCESS",
        R"({"trade_state":"SUCCESS","out_trade_no":"o","transaction_id":"1"})",
        "plaintext.amount.total");
  check(
      "TRANSACTION.SUCCESS",
      R"({"trade_state":"SUCCESS","out_trade_no":"o","transaction_id":"1","amount":{"total":"1"}})",
      "plaintext");
  check("REFUND.SUCCESS", RefundPlaintext("CLOSED"), "plaintext.refund_status");
  check("REFUND.CLOSED", RefundPlaintext("SUCCESS"), "plaintext.refund_status");
  check("REFUND.ABNORMAL", RefundPlaintext("PROCESSING"), "plaintext.refund_status");
  // A refund resource as the refund API returns it ("status", not "refund_status").
  auto api_shape = RefundPlaintext();
  api_shape.replace(api_shape.find("refund_status"), 13, "status");
  check("REFUND.SUCCESS", api_shape, "plaintext.refund_status");
  auto no_amount = RefundPlaintext();
  no_amount.replace(no_amount.find("\"payer_total\""), 13, "\"payer_totals\"");
  check("REFUND.SUCCESS", no_amount, "plaintext.amount.payer_total");
  auto fractional = RefundPlaintext();
  fractional.replace(fractional.find("\"refund\":50"), 11, "\"refund\":5.0");
  check("REFUND.SUCCESS", fractional, "plaintext.amount.refund");
}

// --- size ------------------------------------------------------------------------------------

TEST_CASE("an oversized body is refused before anything else") {
  NotificationParserOptions options;
  options.max_body_bytes = 2048;
  auto parser = MakeParser(options);
  CHECK(parser.max_body_bytes() == 2048);
  // Without any header: the size check comes first, so no verification is attempted.
  auto result = parser.Parse(HttpHeaders{}, std::string(2049, '{'));
  CheckMalformed(result, "body");
  CHECK(result.status().message().find("2049") != std::string::npos);
  CHECK(AnswerFor(result.status()).status_code == 413);

  SECTION("CheckBodySize() is that check alone, for a size known before the body is read") {
    CHECK(parser.CheckBodySize(0).ok());
    CHECK(parser.CheckBodySize(2048).ok());
    auto declared = parser.CheckBodySize(500ull * 1024 * 1024);
    CHECK(declared.code() == StatusCode::kMalformedResponse);
    CHECK(declared.info().field == "body");
    CHECK(declared.message().find("524288000") != std::string::npos);
    auto const answer = AnswerFor(declared);
    CHECK(answer.status_code == 413);
    CHECK(answer.body == R"({"code":"FAIL","message":"notification body too large"})");
    CHECK(AnswerFor(parser.CheckBodySize(2049)).body == answer.body);
  }
  SECTION("a real notification padded past the limit") {
    auto built = MakeNotification(NotificationSpec{});
    auto padded = built.body + std::string(2048 - built.body.size() + 1, ' ');
    CheckMalformed(parser.Parse(built.headers, padded), "body");
  }
  SECTION("exactly at the limit is accepted") {
    auto built = MakeNotification(NotificationSpec{});
    auto body = built.body + std::string(2048 - built.body.size(), ' ');
    auto signed_body = SignNotification(body);
    CHECK(parser.Parse(signed_body.headers, signed_body.body).ok());
  }
  SECTION("the default limit is 64 KiB") {
    auto standard = MakeParser();
    CHECK(standard.max_body_bytes() == 64 * 1024);
    CheckMalformed(standard.Parse(HttpHeaders{}, std::string(64 * 1024 + 1, ' ')), "body");
    CheckVerificationFailure(standard.Parse(HttpHeaders{}, std::string(64 * 1024, ' ')),
                             VerificationFailure::kMissingHeaders);
  }
  SECTION("a zero limit is a configuration error") {
    NotificationParserOptions zero;
    zero.max_body_bytes = 0;
    auto parser_or = MakeNotificationParser(TestMerchant::Config(), zero);
    REQUIRE_FALSE(parser_or);
    CHECK(parser_or.status().info().field == "max_body_bytes");
  }
}

// --- configuration ---------------------------------------------------------------------------

TEST_CASE("MakeNotificationParser names the missing setting") {
  auto config = TestMerchant::Config();
  SECTION("apiV3Key") {
    config.api_v3_key.clear();
    auto parser = MakeNotificationParser(config);
    REQUIRE_FALSE(parser);
    CHECK(parser.status().code() == StatusCode::kConfiguration);
    CHECK(parser.status().info().field == "apiV3Key");
  }
  SECTION("wxPayPublicKey") {
    config.wx_pay_public_key.clear();
    auto parser = MakeNotificationParser(config);
    REQUIRE_FALSE(parser);
    CHECK(parser.status().code() == StatusCode::kConfiguration);
    CHECK(parser.status().info().field == "wxPayPublicKey");
  }
  SECTION("an empty verifier") {
    auto parser = NotificationParser::Create(SignatureVerifier{},
                                             AesGcmCipher::Create(TestMerchant::kApiV3Key).value());
    REQUIRE_FALSE(parser);
    CHECK(parser.status().code() == StatusCode::kConfiguration);
  }
  SECTION("the private key is not needed") {
    config.private_key.clear();
    config.merchant_serial_number.clear();
    CHECK(MakeNotificationParser(config).ok());
  }
}

// --- answers ---------------------------------------------------------------------------------

TEST_CASE("answers: 204 on success, 4xx/5xx with a FAIL body otherwise") {
  auto success = AnswerFor(Status());
  CHECK(success.status_code == 204);
  CHECK(success.success());
  CHECK(success.body.empty());
  CHECK(success.content_type.empty());

  ErrorInfo verification;
  verification.verification_failure = VerificationFailure::kSignTestProbe;
  auto signtest = AnswerFor(Status(StatusCode::kVerificationFailed, "probe", verification));
  CHECK(signtest.status_code == 401);
  CHECK_FALSE(signtest.success());
  CHECK(signtest.content_type == "application/json");
  CHECK(signtest.body == R"({"code":"FAIL","message":"signature verification failed"})");

  CHECK(AnswerFor(Status(StatusCode::kMalformedResponse, "x")).status_code == 400);
  CHECK(AnswerFor(Status(StatusCode::kDecryptionFailed, "x")).status_code == 500);
  CHECK(AnswerFor(Status(StatusCode::kInternal, "x")).status_code == 500);
  CHECK(AnswerFor(Status(StatusCode::kInvalidArgument, "x")).status_code == 500);

  auto custom = FailureAnswer(200, "quote \" and \\ and \n");
  CHECK(custom.status_code == 500);  // a failure is never a 2xx
  CHECK(custom.body == R"({"code":"FAIL","message":"quote \" and \\ and \u000a"})");
  CHECK(FailureAnswer(429, "x").status_code == 429);
  rapidjson::Document doc;
  doc.Parse(custom.body);
  CHECK(std::string(doc["message"].GetString()) == "quote \" and \\ and \n");
}

TEST_CASE("answers never quote the Status message") {
  std::string const secret = std::string("apiV3Key=") + TestMerchant::kApiV3Key;
  for (auto code :
       {StatusCode::kVerificationFailed, StatusCode::kMalformedResponse,
        StatusCode::kDecryptionFailed, StatusCode::kInternal, StatusCode::kConfiguration}) {
    auto answer = AnswerFor(Status(code, secret));
    CHECK(answer.body.find(TestMerchant::kApiV3Key) == std::string::npos);
    CHECK(answer.body.find("apiV3Key") == std::string::npos);
  }
}

// --- deduplication ---------------------------------------------------------------------------

TEST_CASE("InMemoryNotificationDeduplicator: claim, commit, release, bounded FIFO") {
  using Claim = NotificationDeduplicator::ClaimResult;
  InMemoryNotificationDeduplicator dedup(2);
  CHECK(dedup.capacity() == 2);
  CHECK(*dedup.Claim("a") == Claim::kClaimed);
  CHECK(*dedup.Claim("a") == Claim::kInProgress);
  CHECK(dedup.Release("a").ok());
  CHECK(*dedup.Claim("a") == Claim::kClaimed);
  CHECK(dedup.Commit("a").ok());
  CHECK(dedup.IsProcessed("a"));
  CHECK(*dedup.Claim("a") == Claim::kAlreadyProcessed);
  for (auto id : {"b", "c"}) {
    CHECK(*dedup.Claim(id) == Claim::kClaimed);
    CHECK(dedup.Commit(id).ok());
  }
  CHECK(dedup.size() == 2);
  CHECK_FALSE(dedup.IsProcessed("a"));  // the oldest was forgotten
  CHECK(dedup.IsProcessed("b"));
  CHECK(dedup.IsProcessed("c"));
  CHECK(*dedup.Claim("a") == Claim::kClaimed);
  CHECK(InMemoryNotificationDeduplicator(0).capacity() == 1);
}

// --- the handler -----------------------------------------------------------------------------

// A notification with `id`, as a fresh delivery (new nonce and signature each time).
SignedNotification Delivery(std::string const& id, std::int64_t timestamp = kNotifyNow) {
  NotificationSpec spec;
  spec.id = id;
  spec.plaintext = TransactionPlaintext("ORDER-" + id, 100);
  spec.timestamp = timestamp;
  return MakeNotification(spec);
}

TEST_CASE("NotificationHandler: processed once, redeliveries are duplicates") {
  std::vector<std::string> applied;
  NotificationHandler handler(MakeParser(), {kEventTransactionSuccess}, [&](Notification const& n) {
    applied.push_back(n.transaction->out_trade_no.value());
    return Status();
  });
  auto first = Delivery("EV-1");
  auto result = handler.Handle(first.headers, first.body);
  CHECK(result.outcome == NotificationOutcome::kProcessed);
  CHECK(result.status.ok());
  CHECK(result.answer.status_code == 204);
  REQUIRE(result.notification);
  CHECK(result.notification->id == "EV-1");

  auto again = Delivery("EV-1", kNotifyNow + 15);  // WeChat's first retry, re-signed
  auto duplicate = handler.Handle(again.headers, again.body);
  CHECK(duplicate.outcome == NotificationOutcome::kDuplicate);
  CHECK(duplicate.answer.success());
  CHECK(NotificationOutcomeName(duplicate.outcome) == "DUPLICATE");
  CHECK(applied == std::vector<std::string>{"ORDER-EV-1"});

  auto other = Delivery("EV-2");
  CHECK(handler.Handle(other.headers, other.body).outcome == NotificationOutcome::kProcessed);
  CHECK(applied.size() == 2);
}

TEST_CASE("NotificationHandler: an event type the handler does not accept is left for its route") {
  // Two routes sharing one deduplicator, as examples/callback_server has them. A payment that
  // arrives at the refund route must neither be applied there nor marked processed: its
  // delivery to the payment route is then the first one that counts.
  auto dedup = std::make_shared<InMemoryNotificationDeduplicator>();
  std::vector<std::string> refunds;
  std::vector<std::string> payments;
  NotificationHandler refund_route(
      MakeParser(), {kEventRefundSuccess, kEventRefundAbnormal, kEventRefundClosed},
      [&](Notification const& n) {
        refunds.push_back(n.id);
        return Status();
      },
      dedup);
  NotificationHandler payment_route(
      MakeParser(), {kEventTransactionSuccess},
      [&](Notification const& n) {
        payments.push_back(n.transaction->out_trade_no.value());
        return Status();
      },
      dedup);
  CHECK(refund_route.Accepts("REFUND.CLOSED"));
  CHECK_FALSE(refund_route.Accepts("TRANSACTION.SUCCESS"));

  auto payment = Delivery("EV-MISROUTED");
  auto misrouted = refund_route.Handle(payment.headers, payment.body);
  CHECK(misrouted.outcome == NotificationOutcome::kUnexpectedEvent);
  CHECK(NotificationOutcomeName(misrouted.outcome) == "UNEXPECTED_EVENT");
  CHECK_FALSE(misrouted.answer.success());
  CHECK(misrouted.answer.status_code == 500);
  CHECK(misrouted.answer.body ==
        R"({"code":"FAIL","message":"event type not handled at this URL"})");
  CHECK(misrouted.status.code() == StatusCode::kInvalidArgument);
  CHECK(misrouted.status.info().field == "event_type");
  CHECK(misrouted.status.message().find("\"TRANSACTION.SUCCESS\"") != std::string::npos);
  REQUIRE(misrouted.notification);  // verified: the log may show what arrived
  CHECK_FALSE(dedup->IsProcessed("EV-MISROUTED"));
  CHECK(refunds.empty());
  // Not claimed either: WeChat's redelivery to the refund route is refused the same way, not
  // answered "in progress".
  CHECK(refund_route.Handle(payment.headers, payment.body).outcome ==
        NotificationOutcome::kUnexpectedEvent);

  auto applied = payment_route.Handle(payment.headers, payment.body);
  CHECK(applied.outcome == NotificationOutcome::kProcessed);
  CHECK(payments == std::vector<std::string>{"ORDER-EV-MISROUTED"});
  CHECK(dedup->IsProcessed("EV-MISROUTED"));

  // And the other way round: a refund at the payment route.
  NotificationSpec refund;
  refund.id = "EV-REFUND-AT-ORDER";
  refund.event_type = "REFUND.SUCCESS";
  refund.plaintext = RefundPlaintext();
  auto refund_delivery = MakeNotification(refund);
  CHECK(payment_route.Handle(refund_delivery.headers, refund_delivery.body).outcome ==
        NotificationOutcome::kUnexpectedEvent);
  CHECK(refund_route.Handle(refund_delivery.headers, refund_delivery.body).outcome ==
        NotificationOutcome::kProcessed);
  CHECK(refunds == std::vector<std::string>{"EV-REFUND-AT-ORDER"});

  // A handler created with no event type accepts nothing.
  NotificationHandler none(MakeParser(), {}, [](Notification const&) { return Status(); });
  auto other = Delivery("EV-NONE");
  CHECK(none.Handle(other.headers, other.body).outcome == NotificationOutcome::kUnexpectedEvent);
}

TEST_CASE("NotificationHandler: a callback error answers 5xx and the redelivery runs again") {
  int calls = 0;
  bool fail = true;
  NotificationHandler handler(MakeParser(), {kEventTransactionSuccess}, [&](Notification const&) {
    ++calls;
    if (fail) {
      return Status(StatusCode::kInternal,
                    std::string("db down; apiV3Key=") + TestMerchant::kApiV3Key);
    }
    return Status();
  });
  auto delivery = Delivery("EV-RETRY");
  auto failed = handler.Handle(delivery.headers, delivery.body);
  CHECK(failed.outcome == NotificationOutcome::kFailed);
  CHECK(failed.answer.status_code == 500);
  CHECK_FALSE(failed.answer.success());
  CHECK(failed.answer.body == R"({"code":"FAIL","message":"processing failed"})");
  CHECK(failed.answer.body.find(TestMerchant::kApiV3Key) == std::string::npos);
  CHECK(failed.status.message().find("db down") != std::string::npos);
  REQUIRE(failed.notification);

  // The same delivery again (WeChat retries): not a duplicate, processed again.
  auto second = handler.Handle(delivery.headers, delivery.body);
  CHECK(second.outcome == NotificationOutcome::kFailed);
  fail = false;
  auto third = handler.Handle(delivery.headers, delivery.body);
  CHECK(third.outcome == NotificationOutcome::kProcessed);
  CHECK(third.answer.success());
  auto fourth = handler.Handle(delivery.headers, delivery.body);
  CHECK(fourth.outcome == NotificationOutcome::kDuplicate);
  CHECK(calls == 3);
}

TEST_CASE("NotificationHandler: a throwing or missing callback is a processing failure") {
  int calls = 0;
  NotificationHandler throwing(MakeParser(), {kEventTransactionSuccess},
                               [&](Notification const&) -> Status {
                                 if (++calls == 1) throw std::runtime_error("boom");
                                 return Status();
                               });
  auto delivery = Delivery("EV-THROW");
  auto result = throwing.Handle(delivery.headers, delivery.body);
  CHECK(result.outcome == NotificationOutcome::kFailed);
  CHECK(result.answer.status_code == 500);
  CHECK(result.status.message().find("boom") != std::string::npos);
  CHECK(throwing.Handle(delivery.headers, delivery.body).outcome ==
        NotificationOutcome::kProcessed);

  NotificationHandler empty(MakeParser(), {kEventTransactionSuccess}, nullptr);
  auto none = empty.Handle(delivery.headers, delivery.body);
  CHECK(none.outcome == NotificationOutcome::kFailed);
  CHECK(none.status.code() == StatusCode::kInternal);
}

TEST_CASE("NotificationHandler: rejected deliveries never reach the callback") {
  int calls = 0;
  NotificationHandler handler(MakeParser(), {kEventTransactionSuccess}, [&](Notification const&) {
    ++calls;
    return Status();
  });
  auto delivery = Delivery("EV-BAD");
  auto probe = delivery.headers;
  probe.Set("Wechatpay-Signature", "WECHATPAY/SIGNTEST/abc");
  auto result = handler.Handle(probe, delivery.body);
  CHECK(result.outcome == NotificationOutcome::kRejected);
  CHECK(result.status.info().verification_failure == VerificationFailure::kSignTestProbe);
  CHECK(result.answer.status_code == 401);
  CHECK_FALSE(result.notification);

  NotificationSpec spec;
  spec.algorithm = "AEAD_AES_128_GCM";
  auto bad_algorithm = MakeNotification(spec);
  CHECK(handler.Handle(bad_algorithm.headers, bad_algorithm.body).answer.status_code == 400);

  spec = NotificationSpec{};
  spec.api_v3_key = "0123456789abcdef0123456789abcdef";
  auto wrong_key = MakeNotification(spec);
  CHECK(handler.Handle(wrong_key.headers, wrong_key.body).answer.status_code == 500);
  CHECK(calls == 0);

  // The genuine delivery after the probe is processed normally.
  CHECK(handler.Handle(delivery.headers, delivery.body).outcome == NotificationOutcome::kProcessed);
  CHECK(calls == 1);
}

TEST_CASE("NotificationHandler: concurrent deliveries of one id run the callback once") {
  constexpr int kThreads = 8;
  auto dedup = std::make_shared<InMemoryNotificationDeduplicator>();
  std::atomic<int> calls{0};
  std::mutex mu;
  std::condition_variable cv;
  int finished_others = 0;
  // The first delivery to claim the id holds it until every other delivery has returned, so
  // each of them meets the claim: the outcome does not depend on scheduling.
  NotificationHandler handler(
      MakeParser(), {kEventTransactionSuccess},
      [&](Notification const&) {
        ++calls;
        std::unique_lock<std::mutex> lock(mu);
        bool all = cv.wait_for(lock, std::chrono::seconds(30),
                               [&] { return finished_others == kThreads - 1; });
        return all ? Status() : Status(StatusCode::kInternal, "other deliveries did not finish");
      },
      dedup);
  auto delivery = Delivery("EV-CONCURRENT");
  std::vector<NotificationResult> results(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      results[static_cast<std::size_t>(i)] = handler.Handle(delivery.headers, delivery.body);
      if (results[static_cast<std::size_t>(i)].outcome != NotificationOutcome::kProcessed) {
        std::lock_guard<std::mutex> lock(mu);
        ++finished_others;
        cv.notify_all();
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(calls == 1);
  int processed = 0;
  int in_progress = 0;
  for (auto const& r : results) {
    if (r.outcome == NotificationOutcome::kProcessed) {
      ++processed;
      CHECK(r.answer.status_code == 204);
    }
    if (r.outcome == NotificationOutcome::kInProgress) {
      ++in_progress;
      CHECK(r.answer.status_code == 503);  // not success: the first delivery might still fail
    }
  }
  CHECK(processed == 1);
  CHECK(in_progress == kThreads - 1);
  CHECK(dedup->IsProcessed("EV-CONCURRENT"));
  CHECK(handler.Handle(delivery.headers, delivery.body).outcome == NotificationOutcome::kDuplicate);
  CHECK(calls == 1);
}

TEST_CASE("NotificationHandler: many deliveries of several ids from many threads") {
  constexpr int kThreads = 8;
  constexpr int kIds = 5;
  constexpr int kRounds = 20;
  std::mutex mu;
  std::vector<int> applied(kIds, 0);
  NotificationHandler handler(MakeParser(), {kEventTransactionSuccess}, [&](Notification const& n) {
    std::lock_guard<std::mutex> lock(mu);
    ++applied[static_cast<std::size_t>(n.id.back() - '0')];
    return Status();
  });
  std::vector<SignedNotification> deliveries;
  for (int i = 0; i < kIds; ++i) deliveries.push_back(Delivery("EV-MANY-" + std::to_string(i)));
  std::vector<std::thread> threads;
  std::atomic<int> unexpected{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int r = 0; r < kRounds; ++r) {
        for (auto const& d : deliveries) {
          // Catch2 assertions are not thread-safe: count here, check after joining.
          auto result = handler.Handle(d.headers, d.body);
          if (!result.answer.success() && result.outcome != NotificationOutcome::kInProgress) {
            ++unexpected;
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(unexpected == 0);
  for (int count : applied) CHECK(count == 1);
}

// A deduplicator that fails on demand.
class FlakyDeduplicator : public NotificationDeduplicator {
 public:
  bool fail_claim = false;
  bool fail_commit = false;
  bool throw_commit = false;
  StatusOr<ClaimResult> Claim(std::string const& id) override {
    if (fail_claim) return Status(StatusCode::kInternal, "store unreachable");
    return inner_.Claim(id);
  }
  Status Commit(std::string const& id) override {
    if (throw_commit) throw std::runtime_error("commit threw");
    if (fail_commit) return Status(StatusCode::kInternal, "commit failed");
    return inner_.Commit(id);
  }
  Status Release(std::string const& id) override { return inner_.Release(id); }

 private:
  InMemoryNotificationDeduplicator inner_;
};

TEST_CASE("NotificationHandler: deduplicator failures") {
  auto dedup = std::make_shared<FlakyDeduplicator>();
  int calls = 0;
  NotificationHandler handler(
      MakeParser(), {kEventTransactionSuccess},
      [&](Notification const&) {
        ++calls;
        return Status();
      },
      dedup);
  CHECK(&handler.deduplicator() == dedup.get());
  auto delivery = Delivery("EV-FLAKY");
  SECTION("a failed claim is a 5xx without calling the application") {
    dedup->fail_claim = true;
    auto result = handler.Handle(delivery.headers, delivery.body);
    CHECK(result.outcome == NotificationOutcome::kFailed);
    CHECK(result.answer.status_code == 500);
    CHECK(calls == 0);
  }
  SECTION("a failed commit still answers success: the application recorded the event") {
    dedup->fail_commit = true;
    auto result = handler.Handle(delivery.headers, delivery.body);
    CHECK(result.outcome == NotificationOutcome::kProcessed);
    CHECK(result.answer.success());
    CHECK_FALSE(result.deduplicator_status.ok());
    CHECK(calls == 1);
  }
  SECTION("a throwing commit too") {
    dedup->throw_commit = true;
    auto result = handler.Handle(delivery.headers, delivery.body);
    CHECK(result.outcome == NotificationOutcome::kProcessed);
    CHECK(result.deduplicator_status.message().find("commit threw") != std::string::npos);
  }
}

TEST_CASE("NotificationHandler: an id claimed elsewhere is answered 503") {
  auto dedup = std::make_shared<InMemoryNotificationDeduplicator>();
  int calls = 0;
  NotificationHandler handler(
      MakeParser(), {kEventTransactionSuccess},
      [&](Notification const&) {
        ++calls;
        return Status();
      },
      dedup);
  REQUIRE(*dedup->Claim("EV-HELD") == NotificationDeduplicator::ClaimResult::kClaimed);
  auto delivery = Delivery("EV-HELD");
  auto result = handler.Handle(delivery.headers, delivery.body);
  CHECK(result.outcome == NotificationOutcome::kInProgress);
  CHECK(result.answer.status_code == 503);
  CHECK(calls == 0);
  REQUIRE(dedup->Release("EV-HELD").ok());
  CHECK(handler.Handle(delivery.headers, delivery.body).outcome == NotificationOutcome::kProcessed);
}

// --- business checks -------------------------------------------------------------------------

Transaction PaidTransaction(std::string const& out_trade_no, std::int64_t total) {
  auto built = MakeNotification("TRANSACTION.SUCCESS", TransactionPlaintext(out_trade_no, total));
  return *MakeParser().Parse(built.headers, built.body).value().transaction;
}

TEST_CASE("CheckAmount: a mismatch is an error naming both amounts") {
  auto t = PaidTransaction("ORDER-1", 100);
  CHECK(CheckAmount(t, 100).ok());
  auto mismatch = CheckAmount(t, 1000);
  CHECK(mismatch.code() == StatusCode::kInvalidArgument);
  CHECK(mismatch.info().field == "amount.total");
  CHECK(mismatch.message().find("100 fen") != std::string::npos);
  CHECK(mismatch.message().find("1000 fen") != std::string::npos);
  t.amount.reset();
  CHECK(CheckAmount(t, 100).code() == StatusCode::kInvalidArgument);

  RefundNotification refund;
  refund.amount.refund = 50;
  CHECK(CheckRefundAmount(refund, 50).ok());
  auto refund_mismatch = CheckRefundAmount(refund, 60);
  CHECK(refund_mismatch.code() == StatusCode::kInvalidArgument);
  CHECK(refund_mismatch.info().field == "amount.refund");
}

TEST_CASE("CheckPayment: apply, early return when already applied, errors otherwise") {
  auto t = PaidTransaction("ORDER-1", 100);
  OrderSnapshot order{"ORDER-1", 100, false, ""};
  CHECK(CheckPayment(t, order).value() == PaymentAction::kApply);

  order.paid = true;
  order.transaction_id = "1217752501201407033233368018";
  CHECK(CheckPayment(t, order).value() == PaymentAction::kAlreadyApplied);
  order.transaction_id.clear();  // paid, id not recorded: still the early return
  CHECK(CheckPayment(t, order).value() == PaymentAction::kAlreadyApplied);

  auto field_of = [&](OrderSnapshot const& o) {
    auto r = CheckPayment(t, o);
    REQUIRE_FALSE(r);
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    return r.status().info().field;
  };
  CHECK(field_of({"ORDER-1", 100, true, "4200000000000000000000000000"}) == "transaction_id");
  CHECK(field_of({"ORDER-2", 100, false, ""}) == "out_trade_no");
  CHECK(field_of({"ORDER-1", 99, false, ""}) == "amount.total");
  CHECK(field_of({"ORDER-1", 99, true, ""}) == "amount.total");
  t.trade_state = "REFUND";
  CHECK(field_of({"ORDER-1", 100, false, ""}) == "trade_state");
}

}  // namespace
}  // namespace wechatpay
