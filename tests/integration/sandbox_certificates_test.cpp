// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The sandbox's key modes (docs/sandbox.md, "Key modes"): platform certificates served by
// GET /v3/certificates (encrypted with the APIv3 key, chained to the sandbox CA), answers and
// callbacks signed with the active certificate, rotation and expiry, the both mode's share, the
// download counter, and the public-key mode unchanged. Everything over real HTTPS; the checks
// use the SDK's public PublicKey and AesGcmCipher and OpenSSL's own chain verification.

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <rapidjson/document.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "catch.hpp"
#include "support/sandbox_fixture.hpp"
#include "support/test_data.hpp"
#include "wechatpay/protocol/aes_gcm.hpp"
#include "wechatpay/protocol/keys.hpp"

namespace wechatpay {
namespace {

using sandbox::KeyMode;
using testing::Eventually;
using testing::RawRequest;
using testing::RawResponse;
using testing::SandboxFixture;
using testing::SignedRequest;

SandboxFixture Fixture(KeyMode mode, std::optional<double> share = std::nullopt) {
  return SandboxFixture(0.001, false, [mode, share](sandbox::Sandbox::Options& options) {
    options.key_mode = mode;
    options.certificate_share = share;
  });
}

// True when `response` carries a signature over its body that `key_pem` verifies.
bool SignedBy(HttpHeaders const& headers, std::string const& body, std::string const& key_pem) {
  auto key = PublicKey::FromPem(key_pem);
  REQUIRE(key.ok());
  std::string const message = std::string(headers.Get("Wechatpay-Timestamp")) + "\n" +
                              std::string(headers.Get("Wechatpay-Nonce")) + "\n" + body + "\n";
  return key->VerifySha256(message, headers.Get("Wechatpay-Signature")).ok();
}

// True when `cert_pem` chains to the CA in `ca_file` (OpenSSL's verification, not the SDK's).
bool ChainsTo(std::string const& cert_pem, std::string const& ca_file) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size())), &BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free);
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), &X509_STORE_free);
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(),
                                                                      &X509_STORE_CTX_free);
  if (!cert || !store || !ctx || X509_STORE_load_file(store.get(), ca_file.c_str()) != 1 ||
      X509_STORE_CTX_init(ctx.get(), store.get(), cert.get(), nullptr) != 1) {
    return false;
  }
  // The issuer is what is checked here, not the time: the rotation test's certificates live a
  // minute of sandbox time, which a slow (sanitizer) run can outlast before this check.
  X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(ctx.get()), X509_V_FLAG_NO_CHECK_TIME);
  return X509_verify_cert(ctx.get()) == 1;
}

struct Downloaded {
  std::string serial_no;
  std::string effective_time;
  std::string expire_time;
  std::string pem;
};

// GET /v3/certificates, decrypted with the APIv3 key; checks what every entry must satisfy.
std::vector<Downloaded> Download(SandboxFixture const& f, RawResponse* raw = nullptr) {
  auto response = SignedRequest(f, "GET", "/v3/certificates");
  INFO(response.body << response.error);
  REQUIRE(response.status == 200);
  rapidjson::Document doc;
  doc.Parse(response.body.c_str());
  REQUIRE(doc.IsObject());
  REQUIRE(doc.HasMember("data"));
  auto cipher = AesGcmCipher::Create(f.identity().api_v3_key).value();
  std::vector<Downloaded> out;
  for (auto const& item : doc["data"].GetArray()) {
    auto const& encrypted = item["encrypt_certificate"];
    CHECK(std::string(encrypted["algorithm"].GetString()) == "AEAD_AES_256_GCM");
    CHECK(std::string(encrypted["associated_data"].GetString()) == "certificate");
    CHECK(std::string(encrypted["nonce"].GetString()).size() == 12);
    auto pem = cipher.Decrypt(encrypted["nonce"].GetString(), "certificate",
                              encrypted["ciphertext"].GetString());
    REQUIRE(pem.ok());
    Downloaded entry{item["serial_no"].GetString(), item["effective_time"].GetString(),
                     item["expire_time"].GetString(), *pem};
    CHECK(entry.serial_no.size() == 40);
    CHECK(entry.serial_no.find_first_not_of("0123456789ABCDEF") == std::string::npos);
    CHECK(entry.effective_time.substr(19) == "+08:00");
    CHECK(entry.expire_time.substr(19) == "+08:00");
    CHECK(PublicKey::FromPem(entry.pem).value().certificate_serial() == entry.serial_no);
    CHECK(ChainsTo(entry.pem, f.identity().ca_file));
    out.push_back(std::move(entry));
  }
  if (raw != nullptr) *raw = std::move(response);
  return out;
}

std::string PrepayBody(SandboxFixture const& f, std::string const& out_trade_no) {
  return R"({"appid":")" + f.identity().app_id + R"(","mchid":")" + f.identity().merchant_id +
         R"(","description":"证书","out_trade_no":")" + out_trade_no + R"(","notify_url":")" +
         f.sandbox().NotifyUrl() + R"(","amount":{"total":1}})";
}

RawResponse Control(SandboxFixture const& f, std::string const& method, std::string const& path,
                    std::string const& body = {}) {
  return RawRequest(method, f.BaseUrl() + "/sandbox/v1/" + path, {"Content-Type: application/json"},
                    body, f.identity().ca_file);
}

// The Wechatpay-* headers and the body of the newest notification the notify sink received.
struct Received {
  HttpHeaders headers;
  std::string body;
};
Received NewestNotification(SandboxFixture const& f) {
  auto list = Control(f, "GET", "notify-sink");
  REQUIRE(list.status == 200);
  rapidjson::Document doc;
  doc.Parse(list.body.c_str());
  auto const& items = doc["notifications"].GetArray();
  REQUIRE(!items.Empty());
  auto const& newest = items[items.Size() - 1];
  Received received;
  for (auto const& member : newest["headers"].GetObject()) {
    received.headers.Add(member.name.GetString(), member.value.GetString());
  }
  received.body = newest["body"].GetString();
  return received;
}

std::string PublicKeyPem(SandboxFixture const& f) {
  return testing::ReadFile(f.identity().wechatpay_public_key_file);
}

TEST_CASE("certificate mode: /v3/certificates is signed by the active certificate and decrypts",
          "[sandbox][certificates]") {
  auto f = Fixture(KeyMode::kCertificate);
  REQUIRE(f.sandbox().key_mode() == KeyMode::kCertificate);
  auto const listed = f.sandbox().PlatformCertificates();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].active);
  RawResponse raw;
  auto const served = Download(f, &raw);
  REQUIRE(served.size() == 1);
  CHECK(served[0].serial_no == listed[0].serial_no);
  CHECK(served[0].pem == listed[0].certificate_pem);
  CHECK(raw.headers.Get("Wechatpay-Serial") == served[0].serial_no);
  CHECK(SignedBy(raw.headers, raw.body, served[0].pem));
  CHECK_FALSE(SignedBy(raw.headers, raw.body, PublicKeyPem(f)));
  CHECK(f.sandbox().GetStats().certificate_downloads == 1);

  // The download is authenticated like every v3 request.
  auto unsigned_request =
      RawRequest("GET", f.BaseUrl() + "/v3/certificates",
                 {"Accept: application/json", "User-Agent: test/1.0"}, "", f.identity().ca_file);
  CHECK(unsigned_request.status == 401);
  CHECK(f.sandbox().GetStats().certificate_downloads == 2);
}

TEST_CASE("certificate mode: answers and callbacks are signed with the certificate",
          "[sandbox][certificates]") {
  auto f = Fixture(KeyMode::kCertificate);
  std::string const cert = f.sandbox().PlatformCertificates().at(0).certificate_pem;
  std::string const serial = f.sandbox().PlatformCertificates().at(0).serial_no;
  auto prepay = SignedRequest(f, "POST", "/v3/pay/transactions/native", PrepayBody(f, "SBXCERT01"));
  REQUIRE(prepay.status == 200);
  CHECK(prepay.headers.Get("Wechatpay-Serial") == serial);
  CHECK(SignedBy(prepay.headers, prepay.body, cert));

  REQUIRE(f.sandbox().Pay("SBXCERT01").ok());
  REQUIRE(Eventually([&] { return f.sandbox().NotifySinkBodies().size() == 1; }));
  auto const callback = NewestNotification(f);
  CHECK(callback.headers.Get("Wechatpay-Serial") == serial);
  CHECK(SignedBy(callback.headers, callback.body, cert));

  // A certificate-only merchant's configuration has no public key, and has the CA.
  auto config = f.sandbox().ClientConfig();
  CHECK(config.wx_pay_public_key.empty());
  CHECK(config.wx_pay_public_key_id.empty());
  testing::TempDir dir;
  REQUIRE(f.sandbox().WriteClientConfig(dir.File("cfg.json")).ok());
  rapidjson::Document written;
  written.Parse(testing::ReadFile(dir.File("cfg.json")).c_str());
  REQUIRE(written.IsObject());
  CHECK_FALSE(written.HasMember("wxPayPublicKey"));
  CHECK_FALSE(written.HasMember("wxPayPublicKeyId"));
  CHECK_FALSE(written.HasMember("gateway"));  // a direct API v3 configuration
  CHECK(std::string(written["caFile"].GetString()) == f.identity().ca_file);
  REQUIRE(written.HasMember("keyMode"));
  CHECK(std::string(written["keyMode"].GetString()) == "platform-certificate");
  CHECK(std::string(written["platformCertificateCa"].GetString()) == f.identity().ca_file);
  // It works as written: the client downloads the certificate (chained to the sandbox CA) and
  // verifies the answer with it.
  auto loaded = LoadMerchantConfigFile(dir.File("cfg.json"));
  INFO(loaded.status().ToString());
  REQUIRE(loaded.ok());
  CHECK(loaded->verification_keys == VerificationKeys::kPlatformCertificates);
  auto client = NativePayClient::Create(*loaded);
  INFO(client.status().ToString());
  REQUIRE(client.ok());
  auto queried = client->QueryOrderByOutTradeNo("SBXCERT01");
  INFO(queried.status().ToString());
  CHECK(queried.ok());
  CHECK(client->platform_keys()->downloads() == 1);
}

TEST_CASE("certificate rotation: a new active serial, both served, the old one dropped at expiry",
          "[sandbox][certificates]") {
  auto f = Fixture(KeyMode::kCertificate);
  std::string const old_serial = f.sandbox().PlatformCertificates().at(0).serial_no;
  f.sandbox().ResetStats();

  auto rotated = Control(f, "POST", "certificates/rotate", R"({"expire_old_in_seconds":2})");
  INFO(rotated.body);
  REQUIRE(rotated.status == 200);
  auto const listed = f.sandbox().PlatformCertificates();
  REQUIRE(listed.size() == 2);
  std::string const new_serial = listed[1].serial_no;
  CHECK(new_serial != old_serial);
  CHECK(listed[1].active);
  CHECK_FALSE(listed[0].active);

  RawResponse raw;
  auto served = Download(f, &raw);
  REQUIRE(served.size() == 2);
  CHECK(std::set<std::string>{served[0].serial_no, served[1].serial_no} ==
        std::set<std::string>{old_serial, new_serial});
  CHECK(raw.headers.Get("Wechatpay-Serial") == new_serial);
  CHECK(SignedBy(raw.headers, raw.body, listed[1].certificate_pem));

  // The old certificate leaves the download once it has expired (2 s from the rotation).
  REQUIRE(Eventually([&] { return Download(f).size() == 1; }, std::chrono::seconds(10)));
  served = Download(f);
  CHECK(served.at(0).serial_no == new_serial);
  CHECK(f.sandbox().PlatformCertificates().at(0).expired);
  auto const downloads = f.sandbox().GetStats().certificate_downloads;
  CHECK(downloads >= 3);

  // The C++ call rotates too; public-key-mode refusals are in their own test.
  auto again = f.sandbox().RotateCertificate();
  REQUIRE(again.ok());
  CHECK(*again != new_serial);
  CHECK(f.sandbox().PlatformCertificates().back().serial_no == *again);
  sandbox::RotateOptions zero;
  zero.expire_old_in_seconds = 0;
  CHECK(f.sandbox().RotateCertificate(zero).status().code() == StatusCode::kInvalidArgument);

  // The mode and the certificates are kept in the state folder.
  std::string const state_dir = f.identity().state_dir;
  f.sandbox().Stop();
  sandbox::Sandbox::Options options;
  options.state_dir = state_dir;
  sandbox::Sandbox restarted(options);
  REQUIRE(restarted.Start().ok());
  CHECK(restarted.key_mode() == KeyMode::kCertificate);
  CHECK(restarted.PlatformCertificates().back().serial_no == *again);
  CHECK(restarted.PlatformCertificates().size() == 3);
  restarted.Stop();
}

TEST_CASE("both mode: the share decides between the certificate and the public key",
          "[sandbox][certificates]") {
  auto f = Fixture(KeyMode::kBoth, 1.0);
  std::string const cert = f.sandbox().PlatformCertificates().at(0).certificate_pem;
  std::string const serial = f.sandbox().PlatformCertificates().at(0).serial_no;
  std::string const public_key_id = f.identity().wechatpay_public_key_id;
  auto signed_with = [&](RawResponse const& r) {
    if (r.headers.Get("Wechatpay-Serial") == serial && SignedBy(r.headers, r.body, cert)) {
      return std::string("certificate");
    }
    if (r.headers.Get("Wechatpay-Serial") == public_key_id &&
        SignedBy(r.headers, r.body, PublicKeyPem(f))) {
      return std::string("public-key");
    }
    return std::string("neither");
  };
  auto naming_public_key = [&] {
    std::string const target = "/v3/certificates";
    return RawRequest(
        "GET", f.BaseUrl() + target,
        {"Authorization: " + testing::SandboxAuthorization(f.identity(), "GET", target, ""),
         "Accept: application/json", "User-Agent: test/1.0", "Wechatpay-Serial: " + public_key_id},
        "", f.identity().ca_file);
  };

  SECTION("share 1: the certificate, except for requests naming the public key id") {
    for (int i = 0; i < 5; ++i) {
      CHECK(signed_with(SignedRequest(f, "GET", "/v3/certificates")) == "certificate");
      CHECK(signed_with(naming_public_key()) == "public-key");
    }
    auto prepay =
        SignedRequest(f, "POST", "/v3/pay/transactions/native", PrepayBody(f, "SBXBOTH001"));
    REQUIRE(prepay.status == 200);
    REQUIRE(f.sandbox().Pay("SBXBOTH001").ok());
    REQUIRE(Eventually([&] { return f.sandbox().NotifySinkBodies().size() == 1; }));
    auto const callback = NewestNotification(f);
    CHECK(callback.headers.Get("Wechatpay-Serial") == serial);
    CHECK(SignedBy(callback.headers, callback.body, cert));
    // Both keys are in the configuration of a merchant that is switching.
    CHECK(f.sandbox().ClientConfig().wx_pay_public_key_id == public_key_id);
  }

  SECTION("share 0 (set through the control API): the public key") {
    auto set = Control(f, "POST", "certificates/share", R"({"certificate_share":0})");
    INFO(set.body);
    REQUIRE(set.status == 200);
    for (int i = 0; i < 5; ++i) {
      CHECK(signed_with(SignedRequest(f, "GET", "/v3/certificates")) == "public-key");
    }
    auto prepay =
        SignedRequest(f, "POST", "/v3/pay/transactions/native", PrepayBody(f, "SBXBOTH002"));
    REQUIRE(prepay.status == 200);
    REQUIRE(f.sandbox().Pay("SBXBOTH002").ok());
    REQUIRE(Eventually([&] { return f.sandbox().NotifySinkBodies().size() == 1; }));
    auto const callback = NewestNotification(f);
    CHECK(callback.headers.Get("Wechatpay-Serial") == public_key_id);
    CHECK(SignedBy(callback.headers, callback.body, PublicKeyPem(f)));
    CHECK(Control(f, "POST", "certificates/share", R"({"certificate_share":1.5})").status == 400);
    CHECK(f.sandbox().SetCertificateShare(-0.1).code() == StatusCode::kInvalidArgument);
  }

  SECTION("share 0.5: both kinds over 200 answers") {
    REQUIRE(f.sandbox().SetCertificateShare(0.5).ok());
    std::set<std::string> kinds;
    for (int i = 0; i < 200; ++i)
      kinds.insert(signed_with(SignedRequest(f, "GET", "/v3/certificates")));
    CHECK(kinds == std::set<std::string>{"certificate", "public-key"});
  }
}

TEST_CASE("public-key mode: unchanged, and /v3/certificates answers 404 NOT_FOUND",
          "[sandbox][certificates]") {
  SandboxFixture f;
  CHECK(f.sandbox().key_mode() == KeyMode::kPublicKey);
  auto response = SignedRequest(f, "GET", "/v3/certificates");
  CHECK(response.status == 404);
  CHECK(response.body.find(R"("code":"NOT_FOUND")") != std::string::npos);
  CHECK(response.headers.Get("Wechatpay-Signature").empty());
  CHECK(f.sandbox().GetStats().certificate_downloads == 1);
  CHECK(f.sandbox().PlatformCertificates().empty());
  CHECK(f.sandbox().RotateCertificate().status().code() == StatusCode::kInvalidArgument);
  CHECK(Control(f, "POST", "certificates/rotate").status == 409);
  auto view = Control(f, "GET", "certificates");
  CHECK(view.status == 200);
  CHECK(view.body.find(R"("key_mode":"public-key")") != std::string::npos);
  CHECK(Control(f, "GET", "stats").body.find(R"("certificate_downloads":1)") != std::string::npos);

  auto prepay = SignedRequest(f, "POST", "/v3/pay/transactions/native", PrepayBody(f, "SBXPUB01"));
  REQUIRE(prepay.status == 200);
  CHECK(prepay.headers.Get("Wechatpay-Serial") == f.identity().wechatpay_public_key_id);
  CHECK(SignedBy(prepay.headers, prepay.body, PublicKeyPem(f)));
  CHECK(f.sandbox().ClientConfig().wx_pay_public_key_id == f.identity().wechatpay_public_key_id);
}

TEST_CASE("sandbox options: certificate_share outside 0..1 is refused", "[sandbox][certificates]") {
  sandbox::Sandbox::Options options;
  options.certificate_share = 2.0;
  sandbox::Sandbox refused(options);
  auto status = refused.Start();
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(status.message().find("certificate_share") != std::string::npos);
  CHECK(sandbox::ParseKeyMode("both").value() == KeyMode::kBoth);
  CHECK_FALSE(sandbox::ParseKeyMode("certificates").ok());
}

}  // namespace
}  // namespace wechatpay
