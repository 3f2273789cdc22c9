// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/protocol/signing.hpp"

#include <rapidjson/document.h>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "catch.hpp"
#include "common/nonce.hpp"
#include "support/test_data.hpp"
#include "wechatpay/protocol/aes_gcm.hpp"
#include "wechatpay/protocol/keys.hpp"

namespace wechatpay {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;
using ::wechatpay::testing::ReadData;

rapidjson::Document const& Vectors() {
  static rapidjson::Document const kDoc = [] {
    rapidjson::Document doc;
    doc.Parse(ReadData("official.json"));
    return doc;
  }();
  REQUIRE_FALSE(kDoc.HasParseError());
  return kDoc;
}

rapidjson::Value const& VectorById(char const* group, std::string const& id) {
  for (auto const& entry : Vectors()[group].GetArray()) {
    if (id == entry["id"].GetString()) return entry;
  }
  FAIL("no vector " << id << " in " << group);
  throw std::logic_error("unreachable");
}

std::string Str(rapidjson::Value const& v, char const* name) {
  REQUIRE(v.HasMember(name));
  return std::string(v[name].GetString(), v[name].GetStringLength());
}

PrivateKey LoadPrivateKey(std::string const& path) {
  auto key = PrivateKey::FromPem(ReadData(path));
  REQUIRE(key);
  return *key;
}

PublicKey LoadPublicKey(std::string const& path) {
  auto key = PublicKey::FromPem(ReadData(path));
  REQUIRE(key);
  return *key;
}

system_clock::time_point At(std::int64_t unix_seconds) {
  return system_clock::time_point(seconds(unix_seconds));
}

bool Contains(std::string const& haystack, std::string const& needle) {
  return haystack.find(needle) != std::string::npos;
}

// --- Messages and the Authorization header ----------------------------------------------------

TEST_CASE("sign_message vectors: request messages are byte-exact") {
  int checked = 0;
  for (auto const& v : Vectors()["sign_message"].GetArray()) {
    CAPTURE(Str(v, "id"));
    CHECK(BuildRequestSignMessage(Str(v, "method"), Str(v, "url"), std::stoll(Str(v, "timestamp")),
                                  Str(v, "nonce"), Str(v, "body")) == Str(v, "message"));
    ++checked;
  }
  CHECK(checked == 2);
  // The body is signed as given, including a trailing newline (Go's JSON encoder adds one).
  CHECK(BuildRequestSignMessage("POST", "/v3/x", 1, "n", "Hello World!\n") ==
        "POST\n/v3/x\n1\nn\nHello World!\n\n");
}

TEST_CASE("response messages have three lines, an empty body giving an empty third line") {
  CHECK(BuildResponseSignMessage("1624523846", "abc", "{\"a\":1}") ==
        "1624523846\nabc\n{\"a\":1}\n");
  CHECK(BuildResponseSignMessage("1624523846", "abc", "") == "1624523846\nabc\n\n");
}

TEST_CASE("official-jsapi-prepay: the whole Authorization header is byte-exact") {
  auto const& v = VectorById("sign", "official-jsapi-prepay");
  auto signer = RequestSigner::Create(Str(v, "mchid"), Str(v, "serial_no"),
                                      LoadPrivateKey(Str(v, "private_key")));
  REQUIRE(signer);
  CHECK(signer->merchant_id() == "1900007291");
  CHECK(signer->serial_number() == "408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB");
  auto header = signer->Authorization(Str(v, "method"), Str(v, "url"), Str(v, "body"),
                                      std::stoll(Str(v, "timestamp")), Str(v, "nonce"));
  REQUIRE(header);
  CHECK(*header ==
        "WECHATPAY2-SHA256-RSA2048 "
        "mchid=\"1900007291\",nonce_str=\"593BEC0C930BF1AFEB40B4A08C8FB242\","
        "timestamp=\"1554208460\",serial_no=\"408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB\","
        "signature=\"" +
            Str(v, "signature") + "\"");
}

TEST_CASE("go-credential-get: the header layout with a real key follows the Go SDK") {
  auto const& v = VectorById("sign_message", "go-credential-get");
  auto const mock = Str(v, "authorization_with_mock_signer");
  // The mock header is right up to the signature value; only the scheme differs.
  auto const cut = mock.find("signature=\"") + std::string("signature=\"").size();
  auto const expected_prefix =
      std::string(kAuthorizationScheme) + mock.substr(mock.find(' '), cut - mock.find(' '));
  REQUIRE(expected_prefix ==
          "WECHATPAY2-SHA256-RSA2048 mchid=\"1234567890\",nonce_str=\"A1B2C3D4E5F6G7\","
          "timestamp=\"1624523846\",serial_no=\"0123456789ABC\",signature=\"");

  auto signer = RequestSigner::Create("1234567890", "0123456789ABC",
                                      LoadPrivateKey("keys/go_test_private_key.pem"));
  REQUIRE(signer);
  auto header = signer->Authorization(Str(v, "method"), Str(v, "url"), Str(v, "body"),
                                      std::stoll(Str(v, "timestamp")), Str(v, "nonce"));
  REQUIRE(header);
  REQUIRE(header->rfind(expected_prefix, 0) == 0);
  REQUIRE(header->back() == '"');
  auto const signature =
      header->substr(expected_prefix.size(), header->size() - expected_prefix.size() - 1);
  auto const public_key = LoadPublicKey("keys/go_test_public_key.pem");
  CHECK(public_key.VerifySha256(Str(v, "message"), signature).ok());
}

TEST_CASE("RequestSigner::Create checks merchantId and merchantSerialNumber") {
  auto const key = LoadPrivateKey("keys/go_test_private_key.pem");
  struct Case {
    std::string mchid;
    std::string serial;
    char const* field;
    char const* says;
  };
  for (auto const& c : {
           Case{"", "ABC", "merchantId", "merchantId must be 1 to 32 digits"},
           Case{std::string(33, '1'), "ABC", "merchantId", "merchantId must be 1 to 32 digits"},
           Case{"12345a", "ABC", "merchantId", "merchantId must be decimal digits"},
           Case{" 1234", "ABC", "merchantId", "merchantId must be decimal digits"},
           Case{"1234", "", "merchantSerialNumber", "merchantSerialNumber must be 1 to 64"},
           Case{"1234", std::string(65, 'A'), "merchantSerialNumber",
                "merchantSerialNumber must be 1 to 64"},
           Case{"1234", "408B07E79B8269FEC3D5D3E6AB8ED163A6A380DG", "merchantSerialNumber",
                "merchantSerialNumber must be hexadecimal"},
           Case{"1234", "408B 07E7", "merchantSerialNumber",
                "merchantSerialNumber must be hexadecimal"},
       }) {
    CAPTURE(c.mchid, c.serial);
    auto signer = RequestSigner::Create(c.mchid, c.serial, key);
    REQUIRE_FALSE(signer);
    CHECK(signer.status().code() == StatusCode::kConfiguration);
    CHECK(signer.status().info().field == c.field);
    CHECK(Contains(signer.status().message(), c.says));
  }
  CHECK(RequestSigner::Create(std::string(32, '9'), std::string(64, 'f'), key));
  CHECK(RequestSigner::Create("1", "a", key));
}

TEST_CASE("Authorization rejects values that would break the message or the header") {
  auto signer = RequestSigner::Create("1900007291", "408B07E7",
                                      LoadPrivateKey("keys/go_test_private_key.pem"));
  REQUIRE(signer);
  struct Case {
    char const* name;
    std::string method;
    std::string url;
    std::string nonce;
    std::int64_t timestamp;
    char const* field;
  };
  for (auto const& c : {
           Case{"quote in nonce", "GET", "/v3/x", "ab\"c", 1, "nonce"},
           Case{"newline in nonce", "GET", "/v3/x", "ab\nc", 1, "nonce"},
           Case{"NUL in nonce", "GET", "/v3/x", std::string("ab\0c", 4), 1, "nonce"},
           Case{"DEL in nonce", "GET", "/v3/x", "ab\x7f", 1, "nonce"},
           Case{"empty nonce", "GET", "/v3/x", "", 1, "nonce"},
           Case{"quote in method", "GE\"T", "/v3/x", "abc", 1, "method"},
           Case{"CR in method", "GET\r", "/v3/x", "abc", 1, "method"},
           Case{"lower-case method", "get", "/v3/x", "abc", 1, "method"},
           Case{"empty method", "", "/v3/x", "abc", 1, "method"},
           Case{"newline in URL", "GET", "/v3/x\n", "abc", 1, "canonical_url"},
           Case{"absolute URL", "GET", "https://api.mch.weixin.qq.com/v3/x", "abc", 1,
                "canonical_url"},
           Case{"negative timestamp", "GET", "/v3/x", "abc", -1, "timestamp"},
       }) {
    CAPTURE(c.name);
    auto header = signer->Authorization(c.method, c.url, "", c.timestamp, c.nonce);
    REQUIRE_FALSE(header);
    CHECK(header.status().code() == StatusCode::kInvalidArgument);
    CHECK(header.status().info().field == c.field);
  }
  auto const nonce = internal::GenerateNonce();
  auto header =
      signer->Authorization("POST", "/v3/pay/transactions/native", "{}", 1700000000, nonce);
  REQUIRE(header);
  CHECK(Contains(*header, "nonce_str=\"" + nonce + "\""));
}

// --- SignatureHeaders and SignatureVerifier ---------------------------------------------------

struct GoNotify {
  SignatureHeaders headers;
  std::string body;
  std::int64_t now;
};

GoNotify LoadGoNotify() {
  auto const& v = VectorById("verify", "go-notify");
  auto const& h = v["headers"];
  GoNotify out;
  out.headers.timestamp = Str(h, "Wechatpay-Timestamp");
  out.headers.nonce = Str(h, "Wechatpay-Nonce");
  out.headers.signature = Str(h, "Wechatpay-Signature");
  out.headers.serial = Str(h, "Wechatpay-Serial");
  out.body = ReadData(Str(v, "body_file"));
  out.now = v["now"].GetInt64();
  REQUIRE(v["valid"].GetBool());
  return out;
}

SignatureVerifier VerifierWithPublicKey() {
  SignatureVerifier verifier;
  REQUIRE(verifier.AddKey("D7CE59D1F522D701", LoadPublicKey("keys/go_test_public_key.pem")).ok());
  return verifier;
}

SignatureVerifier VerifierWithCertificate() {
  SignatureVerifier verifier;
  REQUIRE(verifier.AddCertificate(ReadData("keys/go_test_cert_D7CE59D1F522D701.pem")).ok());
  return verifier;
}

void CheckFailure(Status const& status, VerificationFailure failure, std::string const& says) {
  INFO(status.message());
  CHECK(status.code() == StatusCode::kVerificationFailed);
  CHECK(status.info().verification_failure == failure);
  CHECK(Contains(status.message(), says));
}

TEST_CASE("SignatureHeaders::From reads the four headers in any case") {
  HttpHeaders headers{{"wechatpay-timestamp", " 1624523846 "},
                      {"WECHATPAY-NONCE", "n"},
                      {"Wechatpay-Signature", "c2ln"},
                      {"Content-Type", "application/json"}};
  auto h = SignatureHeaders::From(headers);
  CHECK(h.timestamp == "1624523846");
  CHECK(h.nonce == "n");
  CHECK(h.signature == "c2ln");
  CHECK(h.serial.empty());
}

TEST_CASE("go-notify verifies with the public key and with the certificate") {
  auto const notify = LoadGoNotify();
  CHECK(notify.body.back() == '}');  // The raw bytes matter: no trailing newline.
  for (auto const& verifier : {VerifierWithPublicKey(), VerifierWithCertificate()}) {
    CHECK(verifier.HasKey("D7CE59D1F522D701"));
    CHECK(verifier.size() == 1);
    auto status = verifier.Verify(notify.headers, notify.body, At(notify.now));
    INFO(status.message());
    CHECK(status.ok());
    // The headers as they arrive over HTTP.
    HttpHeaders http{{"Wechatpay-Timestamp", notify.headers.timestamp},
                     {"Wechatpay-Nonce", notify.headers.nonce},
                     {"Wechatpay-Signature", notify.headers.signature},
                     {"Wechatpay-Serial", notify.headers.serial}};
    CHECK(verifier.Verify(SignatureHeaders::From(http), notify.body, At(notify.now)).ok());
  }
}

TEST_CASE("go-notify: the 300 s window is open below 300 s and closed at 300 s") {
  auto const notify = LoadGoNotify();
  auto const verifier = VerifierWithCertificate();
  auto verify_at = [&](std::int64_t now) {
    return verifier.Verify(notify.headers, notify.body, At(now));
  };
  CHECK(verify_at(notify.now + 299).ok());
  CHECK(verify_at(notify.now - 299).ok());
  // Sub-second parts of the clock do not widen the window.
  CHECK(verifier
            .Verify(notify.headers, notify.body,
                    At(notify.now + 299) + std::chrono::milliseconds(999))
            .ok());
  CheckFailure(verify_at(notify.now + 300), VerificationFailure::kTimestampSkew,
               "Wechatpay-Timestamp 1624523846 is 300 s from now; the limit is 300 s");
  CheckFailure(verify_at(notify.now - 300), VerificationFailure::kTimestampSkew,
               "Wechatpay-Timestamp 1624523846 is 300 s from now; the limit is 300 s");
  CheckFailure(verify_at(notify.now + 86400), VerificationFailure::kTimestampSkew, "86400 s");
}

TEST_CASE("go-notify: every way of breaking it is the right verification failure") {
  auto const notify = LoadGoNotify();
  auto const verifier = VerifierWithPublicKey();
  auto const now = At(notify.now);

  SECTION("tampered body") {
    for (auto const& body :
         {notify.body + "\n", notify.body.substr(1), std::string(),
          std::string(notify.body).replace(notify.body.find("签约成功"), 3, "X")}) {
      CheckFailure(verifier.Verify(notify.headers, body, now),
                   VerificationFailure::kSignatureMismatch, "does not match");
    }
  }
  SECTION("tampered nonce or timestamp") {
    auto h = notify.headers;
    h.nonce += "x";
    CheckFailure(verifier.Verify(h, notify.body, now), VerificationFailure::kSignatureMismatch,
                 "does not match");
    h = notify.headers;
    h.timestamp = "1624523847";
    CheckFailure(verifier.Verify(h, notify.body, now), VerificationFailure::kSignatureMismatch,
                 "does not match");
  }
  SECTION("unknown serial") {
    auto h = notify.headers;
    h.serial = "F5765756002FDD77";
    CheckFailure(verifier.Verify(h, notify.body, now), VerificationFailure::kUnknownSerial,
                 "unknown Wechatpay-Serial F5765756002FDD77: no configured key has this id");
    // Exact match only, not case-insensitive.
    h.serial = "d7ce59d1f522d701";
    CheckFailure(verifier.Verify(h, notify.body, now), VerificationFailure::kUnknownSerial,
                 "unknown Wechatpay-Serial d7ce59d1f522d701");
    // Never "the first key": a certificate with the same key but another serial does not help.
    SignatureVerifier other;
    REQUIRE(other.AddCertificate(ReadData("keys/go_test_cert_F5765756002FDD77.pem")).ok());
    CheckFailure(other.Verify(notify.headers, notify.body, now),
                 VerificationFailure::kUnknownSerial, "unknown Wechatpay-Serial D7CE59D1F522D701");
    SignatureVerifier empty;
    CheckFailure(empty.Verify(notify.headers, notify.body, now),
                 VerificationFailure::kUnknownSerial, "configured: none");
  }
  SECTION("the right serial with the wrong key") {
    SignatureVerifier wrong;
    REQUIRE(wrong.AddKey("D7CE59D1F522D701", LoadPublicKey("keys/official_doc_test_pub.pem")).ok());
    CheckFailure(wrong.Verify(notify.headers, notify.body, now),
                 VerificationFailure::kSignatureMismatch, "does not match");
  }
  SECTION("SIGNTEST probe") {
    auto h = notify.headers;
    h.signature = "WECHATPAY/SIGNTEST/" + h.signature;
    CheckFailure(verifier.Verify(h, notify.body, now), VerificationFailure::kSignTestProbe,
                 "WECHATPAY/SIGNTEST/");
  }
  SECTION("undecodable signature") {
    auto h = notify.headers;
    h.signature = "%%%%";
    CheckFailure(verifier.Verify(h, notify.body, now), VerificationFailure::kSignatureMismatch,
                 "Base64");
  }
  SECTION("each header missing") {
    std::string SignatureHeaders::*fields[] = {
        &SignatureHeaders::timestamp, &SignatureHeaders::nonce, &SignatureHeaders::signature,
        &SignatureHeaders::serial};
    char const* names[] = {"Wechatpay-Timestamp", "Wechatpay-Nonce", "Wechatpay-Signature",
                           "Wechatpay-Serial"};
    for (int i = 0; i < 4; ++i) {
      CAPTURE(names[i]);
      auto h = notify.headers;
      h.*fields[i] = "";
      CheckFailure(verifier.Verify(h, notify.body, now), VerificationFailure::kMissingHeaders,
                   std::string("missing ") + names[i]);
    }
    CheckFailure(verifier.Verify(SignatureHeaders{}, notify.body, now),
                 VerificationFailure::kMissingHeaders,
                 "missing Wechatpay-Timestamp, Wechatpay-Nonce, Wechatpay-Signature, "
                 "Wechatpay-Serial");
  }
  SECTION("non-numeric timestamps") {
    for (char const* ts : {"abc", "1624523846.0", "1624523846 ", "+1624523846", "0x60d43f46",
                           "99999999999999999999", "１６２４"}) {
      CAPTURE(ts);
      auto h = notify.headers;
      h.timestamp = ts;
      CheckFailure(verifier.Verify(h, notify.body, now), VerificationFailure::kInvalidTimestamp,
                   "is not a decimal number of seconds");
    }
    auto h = notify.headers;
    h.timestamp = "12\n34";
    CheckFailure(verifier.Verify(h, notify.body, now), VerificationFailure::kInvalidTimestamp,
                 "\"12\\x0A34\"");
  }
  SECTION("extreme timestamps are skew, without overflow") {
    for (char const* ts : {"-9223372036854775808", "9223372036854775807", "0", "-1"}) {
      CAPTURE(ts);
      auto h = notify.headers;
      h.timestamp = ts;
      CheckFailure(verifier.Verify(h, notify.body, now), VerificationFailure::kTimestampSkew,
                   "s from now");
    }
    auto h = notify.headers;
    h.timestamp = "-9223372036854775808";
    CheckFailure(verifier.Verify(h, notify.body, At(9000000000)),
                 VerificationFailure::kTimestampSkew, "s from now");
  }
}

TEST_CASE("Verify applies its checks in the documented order") {
  auto const notify = LoadGoNotify();
  auto const verifier = VerifierWithPublicKey();
  auto h = notify.headers;
  h.serial = "UNKNOWN";
  h.signature = "WECHATPAY/SIGNTEST/abc";
  h.timestamp = "abc";
  h.nonce = "";
  auto const now = At(notify.now);
  CHECK(verifier.Verify(h, notify.body, now).info().verification_failure ==
        VerificationFailure::kMissingHeaders);
  h.nonce = "n";
  CHECK(verifier.Verify(h, notify.body, now).info().verification_failure ==
        VerificationFailure::kInvalidTimestamp);
  h.timestamp = "1";
  CHECK(verifier.Verify(h, notify.body, now).info().verification_failure ==
        VerificationFailure::kTimestampSkew);
  h.timestamp = notify.headers.timestamp;
  CHECK(verifier.Verify(h, notify.body, now).info().verification_failure ==
        VerificationFailure::kUnknownSerial);
  h.serial = notify.headers.serial;
  CHECK(verifier.Verify(h, notify.body, now).info().verification_failure ==
        VerificationFailure::kSignTestProbe);
  h.signature = "abc";
  CHECK(verifier.Verify(h, notify.body, now).info().verification_failure ==
        VerificationFailure::kSignatureMismatch);
}

TEST_CASE("the go-notify APIv3 key is 16 bytes and rejected as configuration") {
  auto const& decrypt = VectorById("verify", "go-notify")["decrypt"];
  auto cipher = AesGcmCipher::Create(Str(decrypt, "api_v3_key"));
  REQUIRE_FALSE(cipher);
  CHECK(cipher.status().code() == StatusCode::kConfiguration);
  CHECK(cipher.status().info().field == "apiV3Key");
  CHECK(cipher.status().message() == "apiV3Key must be exactly 32 bytes (got 16)");
}

TEST_CASE("a verifier holds a public key and certificates side by side during migration") {
  auto const notify = LoadGoNotify();
  SignatureVerifier verifier;
  REQUIRE(verifier
              .AddKey("PUB_KEY_ID_0114232134912410000000000000",
                      LoadPublicKey("keys/java_wechat_pay_public_key.pem"))
              .ok());
  REQUIRE(verifier.AddCertificate(ReadData("keys/go_test_cert_D7CE59D1F522D701.pem")).ok());
  REQUIRE(verifier.AddCertificate(ReadData("keys/go_test_cert_F5765756002FDD77.pem")).ok());
  CHECK(verifier.size() == 3);
  CHECK(verifier.HasKey("PUB_KEY_ID_0114232134912410000000000000"));
  CHECK(verifier.HasKey("F5765756002FDD77"));
  CHECK_FALSE(verifier.HasKey("f5765756002fdd77"));
  CHECK(verifier.Verify(notify.headers, notify.body, At(notify.now)).ok());

  // A response signed with the public key and named by its id, 204-style (empty body).
  auto const signer = LoadPrivateKey("keys/java_wechat_pay_private_key.pem");
  SignatureHeaders h;
  h.timestamp = "1700000000";
  h.nonce = "c5ac7061fccab6bf3e254dcf98995b8c";
  h.serial = "PUB_KEY_ID_0114232134912410000000000000";
  h.signature = *signer.SignSha256(BuildResponseSignMessage(h.timestamp, h.nonce, ""));
  CHECK(verifier.Verify(h, "", At(1700000000)).ok());
  CHECK_FALSE(verifier.Verify(h, "{}", At(1700000000)).ok());
  // The same signature under a certificate serial is checked with that certificate's key.
  h.serial = "D7CE59D1F522D701";
  CheckFailure(verifier.Verify(h, "", At(1700000000)), VerificationFailure::kSignatureMismatch,
               "does not match");
}

TEST_CASE("AddKey and AddCertificate reject bad input") {
  SignatureVerifier verifier;
  auto const key = LoadPublicKey("keys/go_test_public_key.pem");
  auto empty_id = verifier.AddKey("", key);
  CHECK(empty_id.code() == StatusCode::kConfiguration);
  REQUIRE(verifier.AddKey("D7CE59D1F522D701", key).ok());
  auto duplicate = verifier.AddKey("D7CE59D1F522D701", key);
  CHECK(duplicate.code() == StatusCode::kConfiguration);
  CHECK(Contains(duplicate.message(), "already configured"));
  auto duplicate_cert = verifier.AddCertificate(ReadData("keys/go_test_cert_D7CE59D1F522D701.pem"));
  CHECK(duplicate_cert.code() == StatusCode::kConfiguration);
  auto bare = verifier.AddCertificate(ReadData("keys/go_test_public_key.pem"));
  CHECK(bare.code() == StatusCode::kConfiguration);
  CHECK(Contains(bare.message(), "CERTIFICATE"));
  CHECK(verifier.AddCertificate("garbage").code() == StatusCode::kConfiguration);
  CHECK(verifier.size() == 1);
}

TEST_CASE("set_tolerance narrows the window and cannot turn the check off") {
  auto const notify = LoadGoNotify();
  auto verifier = VerifierWithPublicKey();
  CHECK(verifier.tolerance() == SignatureVerifier::kDefaultTolerance);
  verifier.set_tolerance(seconds(0));
  verifier.set_tolerance(seconds(-5));
  CHECK(verifier.tolerance() == seconds(300));
  verifier.set_tolerance(seconds(60));
  CHECK(verifier.Verify(notify.headers, notify.body, At(notify.now + 59)).ok());
  CheckFailure(verifier.Verify(notify.headers, notify.body, At(notify.now + 60)),
               VerificationFailure::kTimestampSkew, "the limit is 60 s");
}

}  // namespace
}  // namespace wechatpay
