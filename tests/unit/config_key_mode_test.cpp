// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The verification key settings (issue 17): keyMode, platformCertificates (file or folder),
// platformCertificateCa and certificateRefreshSeconds, from the configuration file and the
// WECHATPAY_* variables; every problem named when a client, a PlatformKeys or a verifier is
// created, and nothing downloaded at creation.

#include <chrono>
#include <ctime>
#include <memory>
#include <string>

#include "catch.hpp"
#include "support/scoped_environment.hpp"
#include "support/test_certificates.hpp"
#include "support/test_data.hpp"
#include "support/test_merchant.hpp"
#include "wechatpay/channel/platform_keys.hpp"
#include "wechatpay/testing/recording_transport.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay {
namespace {

using testing::RecordingTransport;
using testing::ScopedEnvironment;
using testing::TempDir;
using testing::TestMerchant;

// A self-signed RSA-2048 certificate valid from an hour ago for a year, with `serial`.
std::string Certificate(std::string const& serial) {
  static std::string const key = testing::GenerateRsaKeyPem(2048);
  testing::TestCertificateSpec spec;
  spec.serial_hex = serial;
  auto const now = static_cast<std::int64_t>(std::time(nullptr));
  spec.not_before = now - 3600;
  spec.not_after = now + 365 * 24 * 3600;
  return testing::MakeTestCertificatePem(spec, key, key);
}

StatusOr<MerchantConfig> Load(TempDir const& dir, std::string const& json) {
  testing::WriteFile(dir.File("config.json"), json);
  return LoadMerchantConfigFile(dir.File("config.json"));
}

void ExpectConfigError(Status const& status, std::string const& field) {
  INFO(status.ToString());
  CHECK(status.code() == StatusCode::kConfiguration);
  CHECK(status.info().field == field);
  CHECK(status.message().find(field) != std::string::npos);
}

TEST_CASE("keyMode and the certificate settings are read from the file", "[config][keys]") {
  TempDir dir;
  auto config = Load(dir, R"({"keyMode":"platform-certificate","platformCertificates":"certs",
                              "platformCertificateCa":"ca.pem","certificateRefreshSeconds":3600})");
  REQUIRE(config.ok());
  CHECK(config->verification_keys == VerificationKeys::kPlatformCertificates);
  CHECK(config->platform_certificates == dir.File("certs"));
  CHECK(config->platform_certificate_ca == dir.File("ca.pem"));
  CHECK(config->certificate_refresh == std::chrono::seconds(3600));
  CHECK(Load(dir, R"({"keyMode":"both"})")->verification_keys == VerificationKeys::kBoth);
  CHECK(Load(dir, R"({"keyMode":"public-key"})")->verification_keys ==
        VerificationKeys::kPublicKey);
  CHECK(Load(dir, "{}")->verification_keys == VerificationKeys::kPublicKey);
  CHECK(Load(dir, "{}")->certificate_refresh == std::chrono::hours(12));

  ExpectConfigError(Load(dir, R"({"keyMode":"certificates"})").status(), "keyMode");
  ExpectConfigError(Load(dir, R"({"keyMode":1})").status(), "keyMode");
  for (auto bad : {"59", "604801", "\"3600\"", "1.5"}) {
    ExpectConfigError(
        Load(dir, std::string(R"({"certificateRefreshSeconds":)") + bad + "}").status(),
        "certificateRefreshSeconds");
  }
  ExpectConfigError(Load(dir, R"({"platformCertificates":3})").status(), "platformCertificates");
}

TEST_CASE("keyMode and the certificate settings are read from WECHATPAY_* variables",
          "[config][keys]") {
  MerchantConfig config;
  {
    ScopedEnvironment mode("WECHATPAY_KEY_MODE", "both");
    ScopedEnvironment certificates("WECHATPAY_PLATFORM_CERTIFICATES", "/etc/wechatpay/certs");
    ScopedEnvironment ca("WECHATPAY_PLATFORM_CERTIFICATE_CA", "/etc/wechatpay/ca.pem");
    ScopedEnvironment refresh("WECHATPAY_CERTIFICATE_REFRESH_SECONDS", "600");
    REQUIRE(ApplyEnvironment(config).ok());
  }
  CHECK(config.verification_keys == VerificationKeys::kBoth);
  CHECK(config.platform_certificates == "/etc/wechatpay/certs");
  CHECK(config.platform_certificate_ca == "/etc/wechatpay/ca.pem");
  CHECK(config.certificate_refresh == std::chrono::seconds(600));
  {
    ScopedEnvironment mode("WECHATPAY_KEY_MODE", "PUB_KEY_ID_secret");
    auto status = ApplyEnvironment(config);
    ExpectConfigError(status, "WECHATPAY_KEY_MODE");
    CHECK(status.message().find("PUB_KEY_ID_secret") == std::string::npos);
  }
  {
    ScopedEnvironment refresh("WECHATPAY_CERTIFICATE_REFRESH_SECONDS", "12h");
    ExpectConfigError(ApplyEnvironment(config), "WECHATPAY_CERTIFICATE_REFRESH_SECONDS");
  }
}

TEST_CASE("the certificate modes are checked at creation, and nothing is downloaded then",
          "[config][keys]") {
  auto config = TestMerchant::Config();
  auto transport = std::make_shared<RecordingTransport>();
  ClientOptions options;
  options.transport = transport;
  TempDir dir;

  SECTION("platform-certificate mode needs no public key, and downloads nothing yet") {
    config.verification_keys = VerificationKeys::kPlatformCertificates;
    config.wx_pay_public_key.clear();
    config.wx_pay_public_key_id.clear();
    auto client = NativePayClient::Create(config, options);
    REQUIRE(client.ok());
    REQUIRE(client->platform_keys());
    CHECK(client->platform_keys()->mode() == VerificationKeys::kPlatformCertificates);
    CHECK(client->platform_keys()->holder()->Get()->size() == 0);
    CHECK(client->platform_keys()->SerialToSend().empty());
    CHECK(client->MakeNotificationParser().ok());
    CHECK(transport->requests().empty());
    // Without a client there is no key to verify with: the error says what to do.
    ExpectConfigError(MakeNotificationParser(config).status(), "platformCertificates");
  }
  SECTION("the certificate modes need the APIv3 key to decrypt the download") {
    config.verification_keys = VerificationKeys::kBoth;
    config.api_v3_key.clear();
    ExpectConfigError(PlatformKeys::Create(config, options).status(), "apiV3Key");
    ExpectConfigError(NativePayClient::Create(config, options).status(), "apiV3Key");
  }
  SECTION("both mode still needs the public key") {
    config.verification_keys = VerificationKeys::kBoth;
    config.wx_pay_public_key.clear();
    ExpectConfigError(NativePayClient::Create(config, options).status(), "wxPayPublicKey");
  }
  SECTION("certificate settings in public-key mode are refused, not ignored") {
    config.platform_certificates = dir.path();
    ExpectConfigError(NativePayClient::Create(config, options).status(), "platformCertificates");
    config.platform_certificates.clear();
    config.platform_certificate_ca = dir.File("ca.pem");
    ExpectConfigError(NativePayClient::Create(config, options).status(), "platformCertificateCa");
  }
  SECTION("a file and a folder of local certificates start the key set") {
    config.verification_keys = VerificationKeys::kBoth;
    testing::WriteFile(dir.File("two.pem"), Certificate("0A01") + Certificate("0A02"));
    config.platform_certificates = dir.File("two.pem");
    auto verifier = MakeSignatureVerifier(config);
    REQUIRE(verifier.ok());
    CHECK(verifier->HasKey("0A01"));
    CHECK(verifier->HasKey("0A02"));
    CHECK(verifier->HasKey(config.wx_pay_public_key_id));

    TempDir folder;
    testing::WriteFile(folder.File("a.pem"), Certificate("0B01"));
    testing::WriteFile(folder.File("b.pem"), Certificate("0B02"));
    testing::WriteFile(folder.File("notes.txt"), "not read");
    config.verification_keys = VerificationKeys::kPlatformCertificates;
    config.platform_certificates = folder.path();
    auto keys = PlatformKeys::Create(config, options);
    REQUIRE(keys.ok());
    auto const set = (*keys)->holder()->Get();
    CHECK(set->size() == 2);
    CHECK(set->Find("0B01") != nullptr);
    CHECK((*keys)->SerialToSend() != "");
    CHECK(transport->requests().empty());

    testing::WriteFile(folder.File("c.pem"), "-----BEGIN PRIVATE KEY-----\nsecret\n");
    auto broken = PlatformKeys::Create(config, options);
    ExpectConfigError(broken.status(), "platformCertificates");
    CHECK(broken.status().message().find("c.pem") != std::string::npos);
    CHECK(broken.status().message().find("secret") == std::string::npos);
  }
  SECTION("a CA setting that holds no certificate") {
    config.verification_keys = VerificationKeys::kPlatformCertificates;
    testing::WriteFile(dir.File("ca.pem"), "not a certificate");
    config.platform_certificate_ca = dir.File("ca.pem");
    ExpectConfigError(PlatformKeys::Create(config, options).status(), "platformCertificateCa");
  }
  SECTION("public-key mode: the keys never download") {
    auto keys = PlatformKeys::Create(config, options);
    REQUIRE(keys.ok());
    CHECK((*keys)->SerialToSend() == config.wx_pay_public_key_id);
    CHECK((*keys)->Refresh().code() == StatusCode::kInvalidArgument);
    CHECK((*keys)->RefreshIfDue().ok());
    CHECK((*keys)->downloads() == 0);
    CHECK(transport->requests().empty());
  }
}

}  // namespace
}  // namespace wechatpay
