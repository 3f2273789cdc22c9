// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `wechatpay certificates`, and `verify` / `notify` with platform certificates (docs/cli.md),
// run as the real binary against the sandbox in certificate and both key modes over HTTPS.

#include <rapidjson/document.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "common/json_text.hpp"
#include "common/rfc3339.hpp"
#include "support/run_process.hpp"
#include "support/sandbox_fixture.hpp"
#include "support/test_certificates.hpp"
#include "support/test_data.hpp"

namespace wechatpay {
namespace {

using sandbox::KeyMode;
using testing::Eventually;
using testing::ProcessResult;
using testing::RawRequest;
using testing::RunCli;
using testing::SandboxFixture;
using testing::TempDir;
using testing::WriteFile;

SandboxFixture Fixture(KeyMode mode, std::optional<double> share = std::nullopt) {
  return SandboxFixture(0.001, false, [mode, share](sandbox::Sandbox::Options& options) {
    options.key_mode = mode;
    options.certificate_share = share;
  });
}

// A configuration file of the sandbox's merchant. `key_mode` "" leaves keyMode out;
// `with_public_key` false leaves wxPayPublicKey/wxPayPublicKeyId out.
std::string WriteConfig(SandboxFixture const& f, TempDir const& dir, std::string const& key_mode,
                        bool with_public_key, std::string const& api_v3_key = {}) {
  auto const& id = f.identity();
  internal::JsonObject json;
  json.Str("appId", id.app_id)
      .Str("merchantId", id.merchant_id)
      .Str("apiV3Key", api_v3_key.empty() ? id.api_v3_key : api_v3_key)
      .Str("merchantSerialNumber", id.merchant_serial_number)
      .Str("privateKey", id.merchant_private_key_file)
      .Str("baseUrl", f.BaseUrl())
      .Str("caFile", id.ca_file);
  if (with_public_key) {
    json.Str("wxPayPublicKey", id.wechatpay_public_key_file)
        .Str("wxPayPublicKeyId", id.wechatpay_public_key_id);
  }
  if (!key_mode.empty()) json.Str("keyMode", key_mode);
  auto const path = dir.File("config-" + key_mode + (with_public_key ? "-pk" : "") + ".json");
  WriteFile(path, json.Build());
  return path;
}

ProcessResult Cli(std::string const& config, std::vector<std::string> args) {
  args.insert(args.begin(), {"--config", config});
  return RunCli(args);
}

rapidjson::Document ParseJson(std::string const& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  REQUIRE(doc.IsObject());
  return doc;
}

// One callback the sandbox's notify sink received.
struct Callback {
  std::string headers;  // "Name: value" lines
  std::string serial;
  std::string timestamp, nonce, signature;
  std::string body;
};

std::vector<Callback> Callbacks(SandboxFixture const& f) {
  auto list =
      RawRequest("GET", f.BaseUrl() + "/sandbox/v1/notify-sink", {}, {}, f.identity().ca_file);
  REQUIRE(list.status == 200);
  auto doc = ParseJson(list.body);
  std::vector<Callback> out;
  for (auto const& item : doc["notifications"].GetArray()) {
    Callback callback;
    for (auto const& member : item["headers"].GetObject()) {
      std::string const name = member.name.GetString();
      std::string const value = member.value.GetString();
      callback.headers += name + ": " + value + "\n";
      if (name == "Wechatpay-Serial") callback.serial = value;
      if (name == "Wechatpay-Timestamp") callback.timestamp = value;
      if (name == "Wechatpay-Nonce") callback.nonce = value;
      if (name == "Wechatpay-Signature") callback.signature = value;
    }
    callback.body = item["body"].GetString();
    out.push_back(std::move(callback));
  }
  return out;
}

// Pays `count` orders placed with the SDK and waits for their callbacks.
std::vector<Callback> PaidCallbacks(SandboxFixture const& f, int count) {
  auto config = f.Config();
  config.verification_keys = f.sandbox().key_mode() == KeyMode::kCertificate
                                 ? VerificationKeys::kPlatformCertificates
                                 : VerificationKeys::kBoth;
  auto client = NativePayClient::Create(config).value();
  for (int i = 0; i < count; ++i) {
    auto const id = "CLICERT" + std::to_string(100 + i);
    f.Order(client, id);
    REQUIRE(f.sandbox().Pay(id).ok());
  }
  REQUIRE(Eventually([&] { return Callbacks(f).size() == static_cast<std::size_t>(count); }));
  return Callbacks(f);
}

ProcessResult Notify(std::string const& config, Callback const& callback, TempDir const& dir,
                     std::vector<std::string> extra = {}) {
  WriteFile(dir.File("headers.txt"), callback.headers);
  WriteFile(dir.File("body.json"), callback.body);
  std::vector<std::string> args = {"notify", "--headers-file", dir.File("headers.txt"),
                                   "--body-file", dir.File("body.json")};
  args.insert(args.end(), extra.begin(), extra.end());
  return Cli(config, args);
}

ProcessResult Verify(std::string const& config, Callback const& callback,
                     std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"verify",        "--timestamp", callback.timestamp, "--nonce",
                                   callback.nonce,  "--signature", callback.signature, "--serial",
                                   callback.serial, "--body",      callback.body};
  args.insert(args.end(), extra.begin(), extra.end());
  return Cli(config, args);
}

TEST_CASE("wechatpay certificates downloads, verifies, prints and writes the certificates",
          "[cli][certificates]") {
  auto f = Fixture(KeyMode::kCertificate);
  TempDir dir;
  auto const config = WriteConfig(f, dir, "platform-certificate", false);
  auto const first = f.sandbox().PlatformCertificates().at(0);

  auto r = Cli(config, {"certificates", "--output-dir", dir.File("certs")});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto doc = ParseJson(r.out);
  REQUIRE(doc["certificates"].Size() == 1);
  auto const& only = doc["certificates"][0];
  CHECK(std::string(only["serial_no"].GetString()) == first.serial_no);
  CHECK(only["newest"].GetBool());
  CHECK(std::string(doc["newest"].GetString()) == first.serial_no);
  // The same instants as the sandbox's own (China Standard Time) dates, in UTC.
  CHECK(internal::ParseRfc3339(only["effective_time"].GetString()) ==
        internal::ParseRfc3339(first.effective_time));
  CHECK(internal::ParseRfc3339(only["expire_time"].GetString()) ==
        internal::ParseRfc3339(first.expire_time));
  CHECK(std::string(only["expire_time"].GetString()).back() == 'Z');
  CHECK(testing::ReadFile(dir.File("certs/" + first.serial_no + ".pem")) == first.certificate_pem);
  CHECK(f.sandbox().GetStats().certificate_downloads == 1);

  // After a rotation: both served, the new one newest; a second run downloads once more.
  // (A second later: validity has whole seconds, and a rotation in the same second would tie.)
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto rotated = f.sandbox().RotateCertificate();
  REQUIRE(rotated.ok());
  std::string newest_serial;
  for (auto const& c : f.sandbox().PlatformCertificates()) {
    if (c.active) newest_serial = c.serial_no;
  }
  REQUIRE(newest_serial != first.serial_no);
  r = Cli(config, {"certificates", "--output-dir", dir.File("certs")});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  doc = ParseJson(r.out);
  REQUIRE(doc["certificates"].Size() == 2);
  CHECK(std::string(doc["newest"].GetString()) == newest_serial);
  for (auto const& item : doc["certificates"].GetArray()) {
    CHECK(item["newest"].GetBool() ==
          (std::string(item["serial_no"].GetString()) == newest_serial));
  }
  CHECK(std::filesystem::exists(dir.File("certs/" + newest_serial + ".pem")));
  CHECK(f.sandbox().GetStats().certificate_downloads == 2);
}

TEST_CASE("wechatpay certificates refuses what the library refuses, and writes nothing",
          "[cli][certificates]") {
  auto f = Fixture(KeyMode::kCertificate);
  TempDir dir;

  SECTION("a wrong APIv3 key: the certificates do not decrypt (exit 3)") {
    auto const config = WriteConfig(f, dir, "platform-certificate", false, std::string(32, 'Z'));
    auto r = Cli(config, {"certificates", "--output-dir", dir.File("certs")});
    CHECK(r.exit_code == 3);
    CHECK(r.out.empty());
    CHECK(r.err.find("error: ") == 0);
    CHECK(r.err.find(std::string(32, 'Z')) == std::string::npos);
    CHECK(std::filesystem::is_empty(dir.File("certs")));
  }
  SECTION("a CA the certificates do not chain to (exit 1, naming the rule)") {
    auto const config = WriteConfig(f, dir, "platform-certificate", false);
    testing::TestCertificateSpec spec;
    spec.serial_hex = "CA99";
    spec.common_name = "Other Root CA";
    spec.is_ca = true;
    auto const now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    spec.not_before = now - 86400;
    spec.not_after = now + 86400;
    auto const key = testing::GenerateEcKeyPem();
    WriteFile(dir.File("other-ca.pem"), testing::MakeTestCertificatePem(spec, key, key));
    auto text = testing::ReadFile(config);
    text.insert(text.size() - 1,
                ",\"platformCertificateCa\":" + internal::JsonQuote(dir.File("other-ca.pem")));
    WriteFile(config, text);
    auto r = Cli(config, {"certificates"});
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());
    CHECK(r.err.find("chain") != std::string::npos);
  }
  SECTION("a sandbox in public-key mode has no certificates: WeChat's 404 (exit 1)") {
    auto pk = Fixture(KeyMode::kPublicKey);
    auto const config = WriteConfig(pk, dir, "", true);
    auto r = Cli(config, {"certificates"});
    CHECK(r.exit_code == 1);
    CHECK(r.err.find("NOT_FOUND") != std::string::npos);
  }
}

TEST_CASE("wechatpay notify and verify accept platform certificates in certificate mode",
          "[cli][certificates]") {
  auto f = Fixture(KeyMode::kCertificate);
  TempDir dir;
  auto const callback = PaidCallbacks(f, 1).at(0);
  auto const serial = f.sandbox().PlatformCertificates().at(0).serial_no;
  REQUIRE(callback.serial == serial);

  // keyMode platform-certificate: the certificate the callback names is downloaded.
  auto const config = WriteConfig(f, dir, "platform-certificate", false);
  f.sandbox().ResetStats();
  auto r = Notify(config, callback, dir);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("\"event_type\":\"TRANSACTION.SUCCESS\"") != std::string::npos);
  CHECK(f.sandbox().GetStats().certificate_downloads == 1);
  r = Verify(config, callback);
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "ok\n");

  // Offline: the certificates of `wechatpay certificates --output-dir`, as a folder or a file.
  REQUIRE(Cli(config, {"certificates", "--output-dir", dir.File("certs")}).exit_code == 0);
  f.sandbox().ResetStats();
  TempDir offline_dir;
  WriteFile(offline_dir.File("offline.json"),
            "{\"apiV3Key\":" + internal::JsonQuote(f.identity().api_v3_key) + "}");
  auto const offline = offline_dir.File("offline.json");
  r = Notify(offline, callback, dir, {"--platform-certificates", dir.File("certs")});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  r = Verify(offline, callback, {"--platform-certificates", dir.File("certs/" + serial + ".pem")});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(f.sandbox().GetStats().certificate_downloads == 0);

  // Without them the offline configuration has no key to verify with: configuration error.
  r = Verify(offline, callback);
  CHECK(r.exit_code == 2);
  // A tampered body is refused (exit 3) with the certificate too.
  auto tampered = callback;
  tampered.body[tampered.body.size() / 2] ^= 1;
  r = Notify(offline, tampered, dir, {"--platform-certificates", dir.File("certs")});
  CHECK(r.exit_code == 3);
}

TEST_CASE("wechatpay notify in both mode: certificates + public key accept every callback",
          "[cli][certificates]") {
  auto f = Fixture(KeyMode::kBoth, 0.5);
  TempDir dir;
  auto const serial = f.sandbox().PlatformCertificates().at(0).serial_no;
  int const kCallbacks = 12;
  auto const callbacks = PaidCallbacks(f, kCallbacks);
  auto const both = WriteConfig(f, dir, "both", true);
  auto const public_only = WriteConfig(f, dir, "", true);
  REQUIRE(Cli(both, {"certificates", "--output-dir", dir.File("certs")}).exit_code == 0);

  int by_certificate = 0;
  for (auto const& callback : callbacks) {
    bool const certificate_signed = callback.serial == serial;
    by_certificate += certificate_signed ? 1 : 0;
    auto r = Notify(both, callback, dir);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    // The public-key configuration plus the certificate folder: both mode, offline.
    r = Verify(public_only, callback, {"--platform-certificates", dir.File("certs")});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    r = Notify(public_only, callback, dir);
    if (certificate_signed) {
      CHECK(r.exit_code == 3);
      INFO(r.err);
      CHECK(r.err.find("unknown Wechatpay-Serial " + serial) != std::string::npos);
    } else {
      CHECK(r.exit_code == 0);
    }
  }
  // Share 0.5 over 12 callbacks: both kinds (one kind only has probability 2^-11).
  CHECK(by_certificate > 0);
  CHECK(by_certificate < kCallbacks);
}

}  // namespace
}  // namespace wechatpay
