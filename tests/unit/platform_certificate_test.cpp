// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// Decrypting and checking a platform certificate download (GET /v3/certificates): the Java SDK's
// vector byte for byte, and every rule refused by name.

#include "wechatpay/protocol/platform_certificate.hpp"

#include <rapidjson/document.h>

#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "catch.hpp"
#include "common/base64.hpp"
#include "common/rfc3339.hpp"
#include "support/test_certificates.hpp"
#include "support/test_data.hpp"
#include "wechatpay/protocol/aes_gcm.hpp"

namespace wechatpay {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;
using ::wechatpay::testing::GenerateEcKeyPem;
using ::wechatpay::testing::GenerateRsaKeyPem;
using ::wechatpay::testing::MakeTestCertificatePem;
using ::wechatpay::testing::ReadData;
using ::wechatpay::testing::TestCertificateSpec;

constexpr char kApiV3Key[] = "0123456789abcdef0123456789ABCDEF";
constexpr char kNonce[] = "a1b2c3d4e5f6";

struct Item {
  std::string serial_no;
  std::string algorithm = "AEAD_AES_256_GCM";
  std::string nonce = kNonce;
  std::string associated_data = "certificate";
  std::string ciphertext;
};

std::string Body(std::vector<Item> const& items) {
  std::string body = "{\"data\":[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto const& item = items[i];
    if (i > 0) body += ",";
    body += "{\"serial_no\":\"" + item.serial_no +
            "\",\"effective_time\":\"2023-09-19T23:15:58+08:00\","
            "\"expire_time\":\"2028-09-17T23:15:58+08:00\",\"encrypt_certificate\":{"
            "\"algorithm\":\"" +
            item.algorithm + "\",\"nonce\":\"" + item.nonce + "\",\"associated_data\":\"" +
            item.associated_data + "\",\"ciphertext\":\"" + item.ciphertext + "\"}}";
  }
  return body + "]}";
}

struct JavaVector {
  AesGcmCipher cipher;
  Item item;
  std::string plaintext;
  std::string effective_time;
  std::string expire_time;
};

JavaVector LoadJavaVector() {
  rapidjson::Document doc;
  doc.Parse(ReadData("official.json"));
  REQUIRE_FALSE(doc.HasParseError());
  for (auto const& v : doc["aes_256_gcm"].GetArray()) {
    if (std::string(v["id"].GetString()) != "java-certificate-download") continue;
    auto cipher = AesGcmCipher::Create(v["key"].GetString());
    REQUIRE(cipher);
    Item item;
    item.serial_no = v["serial_no"].GetString();
    item.nonce = v["nonce"].GetString();
    item.associated_data = v["associated_data"].GetString();
    item.ciphertext = v["ciphertext"].GetString();
    return JavaVector{*cipher, item, ReadData(v["plaintext_file"].GetString()),
                      v["effective_time"].GetString(), v["expire_time"].GetString()};
  }
  throw std::logic_error("no vector java-certificate-download");
}

system_clock::time_point Rfc3339(std::string const& text) {
  auto t = internal::ParseRfc3339(text);
  REQUIRE(t);
  return *t;
}

bool Contains(std::string const& haystack, std::string const& needle) {
  return haystack.find(needle) != std::string::npos;
}

void CheckRefused(StatusOr<std::vector<PlatformCertificate>> const& result, StatusCode code,
                  std::string const& says) {
  REQUIRE_FALSE(result);
  INFO(result.status().message());
  CHECK(result.status().code() == code);
  CHECK(Contains(result.status().message(), says));
  // Nothing secret or bulky is quoted: no Base64 of a key, ciphertext or certificate.
  CHECK_FALSE(Contains(result.status().message(), "MII"));
  CHECK(result.status().message().size() < 400);
}

// Keys are slow to make: one of each kind for the whole file.
std::string const& RsaKey2048() {
  static std::string const kKey = GenerateRsaKeyPem(2048);
  return kKey;
}

constexpr std::int64_t kNow = 1800000000;  // 2027-01-15

TestCertificateSpec Leaf(std::string serial) {
  TestCertificateSpec spec;
  spec.serial_hex = std::move(serial);
  spec.not_before = kNow - 86400;
  spec.not_after = kNow + 86400;
  return spec;
}

PlatformCertificateCheck CheckAt(std::int64_t unix_seconds, std::string ca = "") {
  PlatformCertificateCheck check;
  check.now = system_clock::time_point(seconds(unix_seconds));
  check.ca_certificates = std::move(ca);
  return check;
}

AesGcmCipher TestCipher() { return *AesGcmCipher::Create(kApiV3Key); }

// An item carrying `pem`, encrypted with the test APIv3 key.
Item Encrypted(std::string serial_no, std::string const& pem,
               std::string associated_data = "certificate") {
  Item item;
  item.serial_no = std::move(serial_no);
  item.associated_data = std::move(associated_data);
  auto ciphertext = TestCipher().Encrypt(item.nonce, item.associated_data, pem);
  REQUIRE(ciphertext);
  item.ciphertext = *ciphertext;
  return item;
}

TEST_CASE("java-certificate-download decrypts byte for byte and matches the vector",
          "[certificates]") {
  auto const v = LoadJavaVector();
  auto const now = Rfc3339(v.effective_time) + std::chrono::hours(24);
  PlatformCertificateCheck check;
  check.now = now;
  auto certificates = ReadPlatformCertificates(Body({v.item}), v.cipher, check);
  INFO(certificates.status().message());
  REQUIRE(certificates);
  REQUIRE(certificates->size() == 1);
  auto const& c = certificates->front();
  CHECK(c.pem() == v.plaintext);
  CHECK(c.serial() == v.item.serial_no);
  CHECK(c.not_before() == Rfc3339(v.effective_time));
  CHECK(c.not_after() == Rfc3339(v.expire_time));
  CHECK(c.ValidAt(now));
  CHECK(c.public_key().certificate_serial() == v.item.serial_no);

  // serial_no is compared case-insensitively and kept in upper case.
  auto lower = v.item;
  for (auto& ch : lower.serial_no) ch = static_cast<char>(std::tolower(ch));
  auto again = ReadPlatformCertificates(Body({lower}), v.cipher, check);
  REQUIRE(again);
  CHECK(again->front().serial() == v.item.serial_no);

  // The window is inclusive at both ends.
  check.now = c.not_after();
  CHECK(ReadPlatformCertificates(Body({v.item}), v.cipher, check));
  check.now = c.not_before();
  CHECK(ReadPlatformCertificates(Body({v.item}), v.cipher, check));
}

TEST_CASE("PlatformCertificate::FromPem reads one RSA-2048 certificate", "[certificates]") {
  auto const v = LoadJavaVector();
  auto c = PlatformCertificate::FromPem(v.plaintext);
  REQUIRE(c);
  CHECK(c->serial() == "5DEA10EF55877E3CF6C33255C2E7DEFFF7E427EC");
  CHECK(c->pem() == v.plaintext);

  auto two = PlatformCertificate::FromPem(v.plaintext + "\n" + v.plaintext);
  REQUIRE_FALSE(two);
  CHECK(two.status().code() == StatusCode::kConfiguration);
  INFO(two.status().message());
  CHECK(Contains(two.status().message(), "followed by another PEM block"));

  auto key = PlatformCertificate::FromPem(ReadData("keys/java_wechat_pay_private_key.pem"));
  REQUIRE_FALSE(key);
  CHECK(Contains(key.status().message(), "labelled \"PRIVATE KEY\", not \"CERTIFICATE\""));
  CHECK_FALSE(Contains(key.status().message(), "MII"));
}

TEST_CASE("a download is refused when a certificate is tampered with", "[certificates]") {
  auto const v = LoadJavaVector();
  auto const check = CheckAt(1700000000);

  SECTION("one ciphertext byte flipped: the GCM tag fails") {
    auto bytes = internal::Base64Decode(v.item.ciphertext);
    REQUIRE(bytes);
    (*bytes)[100] = static_cast<char>((*bytes)[100] ^ 0x01);
    auto item = v.item;
    item.ciphertext = internal::Base64Encode(*bytes);
    CheckRefused(ReadPlatformCertificates(Body({item}), v.cipher, check),
                 StatusCode::kDecryptionFailed,
                 "platform certificate 0 (serial_no 5DEA10EF55877E3CF6C33255C2E7DEFFF7E427EC): "
                 "encrypt_certificate does not decrypt with the APIv3 key");
  }
  SECTION("associated_data other than \"certificate\", even when the tag verifies") {
    // Encrypted with the right key under another associated_data: only the rule stops it.
    auto const pem = MakeTestCertificatePem(Leaf("AB01"), RsaKey2048(), RsaKey2048());
    for (char const* ad : {"transaction", "", "Certificate"}) {
      CAPTURE(ad);
      auto const item = Encrypted("AB01", pem, ad);
      CheckRefused(ReadPlatformCertificates(Body({item}), TestCipher(), CheckAt(kNow)),
                   StatusCode::kMalformedResponse,
                   std::string(*ad == '\0' ? "/data/0/encrypt_certificate/associated_data must "
                                             "not be empty"
                                           : "platform certificate 0 (serial_no AB01): "
                                             "encrypt_certificate.associated_data is"));
    }
  }
  SECTION("serial_no differs from the certificate's serial") {
    auto item = v.item;
    item.serial_no = "5DEA10EF55877E3CF6C33255C2E7DEFFF7E427ED";
    CheckRefused(ReadPlatformCertificates(Body({item}), v.cipher, check),
                 StatusCode::kMalformedResponse,
                 "platform certificate 0 (serial_no 5DEA10EF55877E3CF6C33255C2E7DEFFF7E427ED): "
                 "serial_no differs from the certificate's own serial number "
                 "5DEA10EF55877E3CF6C33255C2E7DEFFF7E427EC");
  }
  SECTION("another algorithm") {
    auto item = v.item;
    item.algorithm = "AEAD_SM4_GCM";
    CheckRefused(
        ReadPlatformCertificates(Body({item}), v.cipher, check), StatusCode::kMalformedResponse,
        "encrypt_certificate.algorithm is \"AEAD_SM4_GCM\", expected \"AEAD_AES_256_GCM\"");
  }
  SECTION("a serial_no that is not hexadecimal") {
    auto item = v.item;
    item.serial_no = "PUB_KEY_ID_0114232134912410000000000000";
    CheckRefused(ReadPlatformCertificates(Body({item}), v.cipher, check),
                 StatusCode::kMalformedResponse,
                 "platform certificate 0: serial_no must be 1 to 64 hexadecimal digits");
  }
}

TEST_CASE("a download is refused outside a certificate's validity window", "[certificates]") {
  auto const v = LoadJavaVector();
  auto const not_before = Rfc3339(v.effective_time);
  auto const not_after = Rfc3339(v.expire_time);
  PlatformCertificateCheck check;
  check.now = not_after + seconds(1);
  CheckRefused(ReadPlatformCertificates(Body({v.item}), v.cipher, check),
               StatusCode::kMalformedResponse,
               "platform certificate 0 (serial_no 5DEA10EF55877E3CF6C33255C2E7DEFFF7E427EC): the "
               "certificate has expired: its validity ended at 2028-09-17T15:15:58Z, now is "
               "2028-09-17T15:15:59Z");
  check.now = not_before - seconds(1);
  CheckRefused(ReadPlatformCertificates(Body({v.item}), v.cipher, check),
               StatusCode::kMalformedResponse,
               "the certificate is not valid yet: its validity starts at 2023-09-19T15:15:58Z");
}

TEST_CASE("a download is refused unless every key is RSA-2048", "[certificates]") {
  auto const rsa1024 = GenerateRsaKeyPem(1024);
  auto const ec = GenerateEcKeyPem();
  auto const small = Encrypted("A1", MakeTestCertificatePem(Leaf("A1"), rsa1024, rsa1024));
  CheckRefused(ReadPlatformCertificates(Body({small}), TestCipher(), CheckAt(kNow)),
               StatusCode::kMalformedResponse,
               "platform certificate 0 (serial_no A1): the certificate has a 1024-bit RSA key; a "
               "platform certificate's key is RSA-2048");
  auto const good = Encrypted("A2", MakeTestCertificatePem(Leaf("A2"), RsaKey2048(), RsaKey2048()));
  auto const elliptic = Encrypted("A3", MakeTestCertificatePem(Leaf("A3"), ec, ec));
  CheckRefused(ReadPlatformCertificates(Body({good, elliptic}), TestCipher(), CheckAt(kNow)),
               StatusCode::kMalformedResponse,
               "platform certificate 1 (serial_no A3): the certificate has a key of type EC");
  // The same good certificate alone passes.
  CHECK(ReadPlatformCertificates(Body({good}), TestCipher(), CheckAt(kNow)));
}

TEST_CASE("with CA certificates configured, a certificate must chain to one of them",
          "[certificates]") {
  auto const ca_key = GenerateEcKeyPem();
  auto const other_ca_key = GenerateEcKeyPem();
  TestCertificateSpec ca_spec = Leaf("CA01");
  ca_spec.is_ca = true;
  ca_spec.common_name = "Test Root CA";
  ca_spec.not_before = kNow - 10 * 86400;
  ca_spec.not_after = kNow + 10 * 86400;
  auto const ca = MakeTestCertificatePem(ca_spec, ca_key, ca_key);
  ca_spec.serial_hex = "CA02";
  ca_spec.common_name = "Other Root CA";
  auto const other_ca = MakeTestCertificatePem(ca_spec, other_ca_key, other_ca_key);

  auto const leaf = MakeTestCertificatePem(Leaf("B1"), RsaKey2048(), ca_key, ca);
  auto const item = Encrypted("B1", leaf);
  CHECK(ReadPlatformCertificates(Body({item}), TestCipher(), CheckAt(kNow, ca)));
  CHECK(ReadPlatformCertificates(Body({item}), TestCipher(), CheckAt(kNow, other_ca + ca)));
  CheckRefused(ReadPlatformCertificates(Body({item}), TestCipher(), CheckAt(kNow, other_ca)),
               StatusCode::kMalformedResponse,
               "platform certificate 0 (serial_no B1): the certificate does not chain to a "
               "configured CA certificate");
  // Without CA certificates there is no chain check.
  CHECK(ReadPlatformCertificates(Body({item}), TestCipher(), CheckAt(kNow)));
  // The Java vector is issued by Tenpay.com Root CA, not by the test CA.
  auto const v = LoadJavaVector();
  CheckRefused(ReadPlatformCertificates(Body({v.item}), v.cipher, CheckAt(kNow, ca)),
               StatusCode::kMalformedResponse, "does not chain to a configured CA certificate");

  // CA text that holds no certificate is a configuration error naming the setting.
  for (std::string const& bad : {std::string("not pem"), ReadData("keys/go_test_public_key.pem")}) {
    auto result = ReadPlatformCertificates(Body({item}), TestCipher(), CheckAt(kNow, bad));
    REQUIRE_FALSE(result);
    CHECK(result.status().code() == StatusCode::kConfiguration);
    CHECK(result.status().info().field == "ca_certificates");
  }
}

TEST_CASE("a download's shape is bounded and duplicates are refused", "[certificates]") {
  auto const pem = MakeTestCertificatePem(Leaf("C1"), RsaKey2048(), RsaKey2048());
  auto const item = Encrypted("C1", pem);
  auto read = [](std::string const& body) {
    return ReadPlatformCertificates(body, TestCipher(), CheckAt(kNow));
  };

  SECTION("at most 16 certificates") {
    std::vector<Item> items;
    for (int i = 0; i < 16; ++i) {
      auto const serial = "D" + std::to_string(10 + i);
      items.push_back(
          Encrypted(serial, MakeTestCertificatePem(Leaf(serial), RsaKey2048(), RsaKey2048())));
    }
    auto sixteen = read(Body(items));
    INFO(sixteen.status().message());
    CHECK(sixteen);
    items.push_back(item);
    CheckRefused(read(Body(items)), StatusCode::kMalformedResponse,
                 "/data lists 17 certificates; at most 16 are accepted");
  }
  SECTION("a serial listed twice") {
    CheckRefused(read(Body({item, item})), StatusCode::kMalformedResponse,
                 "platform certificate 1 (serial_no C1): serial_no is also the serial of "
                 "certificate 0");
  }
  SECTION("duplicated member names at every level") {
    auto const body = Body({item});
    auto twice = [&](std::string const& member, std::string const& extra) {
      auto copy = body;
      auto const at = copy.find(member);
      REQUIRE(at != std::string::npos);
      copy.insert(at, extra);
      return copy;
    };
    CheckRefused(read(twice("\"data\"", "\"data\":[],")), StatusCode::kMalformedResponse,
                 "/data occurs twice");
    CheckRefused(read(twice("\"serial_no\"", "\"serial_no\":\"C2\",")),
                 StatusCode::kMalformedResponse, "/data/0/serial_no occurs twice");
    CheckRefused(read(twice("\"nonce\"", "\"nonce\":\"x\",")), StatusCode::kMalformedResponse,
                 "/data/0/encrypt_certificate/nonce occurs twice");
  }
  SECTION("missing, mistyped and oversized members") {
    CheckRefused(read("{}"), StatusCode::kMalformedResponse, "/data is missing");
    CheckRefused(read("{\"data\":[]}"), StatusCode::kMalformedResponse, "/data is empty");
    CheckRefused(read("{\"data\":{}}"), StatusCode::kMalformedResponse, "/data must be an array");
    CheckRefused(read("{\"data\":[1]}"), StatusCode::kMalformedResponse,
                 "/data/0 must be an object");
    CheckRefused(read("[]"), StatusCode::kMalformedResponse, "is not an object");
    CheckRefused(read("{\"data\":[{\"serial_no\":\"C1\"}]}"), StatusCode::kMalformedResponse,
                 "/data/0/encrypt_certificate is missing");
    auto big = item;
    big.ciphertext = std::string(16 * 1024 + 4, 'A');
    CheckRefused(read(Body({big})), StatusCode::kMalformedResponse,
                 "/data/0/encrypt_certificate/ciphertext is 16388 bytes long; at most 16384");
    CheckRefused(read(std::string(256 * 1024 + 1, ' ')), StatusCode::kMalformedResponse,
                 "the body is 262145 bytes; at most 262144 are accepted");
  }
}

}  // namespace
}  // namespace wechatpay
