// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// PlatformKeys against the sandbox's key modes over HTTPS (issue 17): a client without a public
// key downloads platform certificates and verifies answers and callbacks with them; both mode
// accepts either key where a public-key client refuses the certificate-signed callbacks;
// rotations during calls cost no call and exactly one download each; unknown serials are
// throttled; a download whose signature does not verify is refused and leaves the key set as
// it was.

#include <rapidjson/document.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "support/sandbox_fixture.hpp"
#include "support/test_certificates.hpp"
#include "support/test_data.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay {
namespace {

using sandbox::KeyMode;
using testing::Eventually;
using testing::RawRequest;
using testing::RawResponse;
using testing::SandboxFixture;

SandboxFixture Fixture(KeyMode mode, std::optional<double> share = std::nullopt) {
  return SandboxFixture(0.001, false, [mode, share](sandbox::Sandbox::Options& options) {
    options.key_mode = mode;
    options.certificate_share = share;
  });
}

RawResponse Control(SandboxFixture const& f, std::string const& method, std::string const& path,
                    std::string const& body = {}) {
  return RawRequest(method, f.BaseUrl() + "/sandbox/v1/" + path, {"Content-Type: application/json"},
                    body, f.identity().ca_file);
}

// One callback as the notify sink received it.
struct Received {
  HttpHeaders headers;
  std::string body;
};

std::vector<Received> Notifications(SandboxFixture const& f) {
  auto list = Control(f, "GET", "notify-sink");
  REQUIRE(list.status == 200);
  rapidjson::Document doc;
  doc.Parse(list.body.c_str());
  REQUIRE(doc.IsObject());
  std::vector<Received> out;
  for (auto const& item : doc["notifications"].GetArray()) {
    Received received;
    for (auto const& member : item["headers"].GetObject()) {
      received.headers.Add(member.name.GetString(), member.value.GetString());
    }
    received.body = item["body"].GetString();
    out.push_back(std::move(received));
  }
  return out;
}

// A configuration of the sandbox's merchant in `mode`, chains checked to the sandbox CA.
MerchantConfig ConfigFor(SandboxFixture const& f, VerificationKeys mode) {
  auto config = f.Config();
  config.verification_keys = mode;
  config.platform_certificate_ca =
      mode == VerificationKeys::kPublicKey ? std::string() : f.identity().ca_file;
  if (mode == VerificationKeys::kPlatformCertificates) {
    config.wx_pay_public_key.clear();
    config.wx_pay_public_key_id.clear();
  }
  return config;
}

ClientOptions NoWait() {
  ClientOptions options;
  options.sleep = [](std::chrono::milliseconds) {};
  return options;
}

NativePrepayRequest Prepay(std::string const& out_trade_no) {
  NativePrepayRequest request;
  request.out_trade_no = out_trade_no;
  request.description = "平台证书";
  request.amount.total = 5;
  return request;
}

TEST_CASE("certificate mode end to end: no public key, certificates downloaded and used",
          "[sandbox][platform-keys]") {
  auto f = Fixture(KeyMode::kCertificate);
  auto const serial = f.sandbox().PlatformCertificates().at(0).serial_no;
  auto client =
      NativePayClient::Create(ConfigFor(f, VerificationKeys::kPlatformCertificates), NoWait());
  REQUIRE(client.ok());
  auto parser = client->MakeNotificationParser();
  REQUIRE(parser.ok());

  auto prepay = client->NativePrepay(Prepay("PKCERT001"));
  INFO(prepay.status().ToString());
  REQUIRE(prepay.ok());
  CHECK(client->platform_keys()->SerialToSend() == serial);
  CHECK(client->platform_keys()->holder()->Get()->Find(serial) != nullptr);
  REQUIRE(client->QueryOrderByOutTradeNo("PKCERT001").value().trade_state == "NOTPAY");
  REQUIRE(f.sandbox().Pay("PKCERT001").ok());
  REQUIRE(Eventually([&] { return Notifications(f).size() == 1; }));
  auto const callback = Notifications(f).at(0);
  CHECK(callback.headers.Get("Wechatpay-Serial") == serial);
  auto notification = parser->Parse(callback.headers, callback.body);
  INFO(notification.status().ToString());
  REQUIRE(notification.ok());
  CHECK(notification->transaction->out_trade_no == "PKCERT001");

  CreateRefundRequest refund;
  refund.out_trade_no = "PKCERT001";
  refund.out_refund_no = "PKCERTR01";
  refund.amount.refund = 5;
  refund.amount.total = 5;
  REQUIRE(client->CreateRefund(refund).ok());
  REQUIRE(client->QueryRefund("PKCERTR01").ok());
  REQUIRE(client->NativePrepay(Prepay("PKCERT002")).ok());
  REQUIRE(client->CloseOrder("PKCERT002").ok());
  // Seven calls and a callback, one download.
  CHECK(f.sandbox().GetStats().certificate_downloads == 1);
  CHECK(client->platform_keys()->downloads() == 1);
}

TEST_CASE("certificate mode: a sensitive field is encrypted for the newest certificate",
          "[sandbox][platform-keys]") {
  auto f = Fixture(KeyMode::kCertificate);
  auto const serial = f.sandbox().PlatformCertificates().at(0).serial_no;
  auto client =
      NativePayClient::Create(ConfigFor(f, VerificationKeys::kPlatformCertificates), NoWait());
  REQUIRE(client.ok());
  // Before any call the client holds no certificate: encrypting downloads them first.
  auto field = client->platform_keys()->EncryptSensitive("sensitive");
  INFO(field.status().ToString());
  REQUIRE(field.ok());
  CHECK(field->serial == serial);
  CHECK(client->platform_keys()->downloads() == 1);
  auto const certificate = client->platform_keys()->holder()->Get()->Find(serial);
  REQUIRE(certificate != nullptr);
  CHECK(field->ciphertext.size() == 344);  // Base64 of one RSA-2048 block

  // After a rotation and the next download both certificates are held, and the field goes to
  // the one Wechatpay-Serial names (the newest by not_before: a rotation within the same second
  // ties, so which one is left to KeySet's rule, unit-tested in key_set_test).
  REQUIRE(Control(f, "POST", "certificates/rotate", "{}").status == 200);
  REQUIRE(client->platform_keys()->Refresh().ok());
  CHECK(client->platform_keys()->holder()->Get()->size() == 2);
  auto const rotated = client->platform_keys()->EncryptSensitive("sensitive");
  REQUIRE(rotated.ok());
  CHECK(rotated->serial == client->platform_keys()->SerialToSend());
  CHECK(client->platform_keys()->holder()->Get()->Find(rotated->serial) != nullptr);
}

TEST_CASE("both mode: every callback verifies; a public-key client refuses the certificate ones",
          "[sandbox][platform-keys]") {
  auto f = Fixture(KeyMode::kBoth, 0.5);
  auto const serial = f.sandbox().PlatformCertificates().at(0).serial_no;
  auto both = NativePayClient::Create(ConfigFor(f, VerificationKeys::kBoth), NoWait()).value();
  auto public_only =
      NativePayClient::Create(ConfigFor(f, VerificationKeys::kPublicKey), NoWait()).value();
  auto both_parser = both.MakeNotificationParser().value();
  auto public_parser = public_only.MakeNotificationParser().value();

  int const kOrders = 16;
  for (int i = 0; i < kOrders; ++i) {
    auto const id = "PKBOTH" + std::to_string(100 + i);
    // Answers name the public key id (Wechatpay-Serial), so both clients accept them all.
    REQUIRE((i % 2 == 0 ? both : public_only).NativePrepay(Prepay(id)).ok());
    REQUIRE((i % 2 == 0 ? public_only : both).QueryOrderByOutTradeNo(id).ok());
    REQUIRE(f.sandbox().Pay(id).ok());
  }
  REQUIRE(Eventually([&] { return Notifications(f).size() == kOrders; }));
  int certificate_signed = 0;
  for (auto const& callback : Notifications(f)) {
    auto const by_certificate = callback.headers.Get("Wechatpay-Serial") == serial;
    certificate_signed += by_certificate ? 1 : 0;
    auto accepted = both_parser.Parse(callback.headers, callback.body);
    INFO(accepted.status().ToString());
    CHECK(accepted.ok());
    auto refused = public_parser.Parse(callback.headers, callback.body);
    if (by_certificate) {
      CHECK(refused.status().code() == StatusCode::kVerificationFailed);
      CHECK(refused.status().info().verification_failure == VerificationFailure::kUnknownSerial);
    } else {
      CHECK(refused.ok());
    }
  }
  // Share 0.5 over 16 callbacks: both kinds (all one kind has probability 2^-15).
  CHECK(certificate_signed > 0);
  CHECK(certificate_signed < kOrders);
  CHECK(f.sandbox().GetStats().certificate_downloads == 1);  // the both client's first call

  // Answers: the SDK names the public key id in Wechatpay-Serial, and WeChat answers such a
  // request with the public key. A request naming no key (as a merchant's own code may send)
  // gets the certificate for half of them: the both keys accept every answer, the public key
  // alone refuses the certificate-signed ones as unknown serials.
  auto const both_verifier = both.platform_keys()->Verifier();
  auto const public_verifier = public_only.platform_keys()->Verifier();
  int const kAnswers = 16;
  int answers_by_certificate = 0;
  for (int i = 0; i < kAnswers; ++i) {
    auto answer = testing::SignedRequest(
        f, "GET", "/v3/pay/transactions/out-trade-no/PKBOTH100?mchid=" + f.identity().merchant_id);
    REQUIRE(answer.status == 200);
    auto const headers = SignatureHeaders::From(answer.headers);
    bool const by_certificate = headers.serial == serial;
    answers_by_certificate += by_certificate ? 1 : 0;
    auto const now = std::chrono::system_clock::now();
    auto accepted = both_verifier.Verify(headers, answer.body, now);
    INFO(accepted.ToString());
    CHECK(accepted.ok());
    auto refused = public_verifier.Verify(headers, answer.body, now);
    if (by_certificate) {
      CHECK(refused.code() == StatusCode::kVerificationFailed);
      CHECK(refused.info().verification_failure == VerificationFailure::kUnknownSerial);
      CHECK(refused.message().find(serial) != std::string::npos);
    } else {
      CHECK(refused.ok());
    }
  }
  CHECK(answers_by_certificate > 0);
  CHECK(answers_by_certificate < kAnswers);
  CHECK(f.sandbox().GetStats().certificate_downloads == 1);  // nothing new to download
}

// A clock `offset` ahead of the system clock, so a test can step past the one-minute throttle
// (the sandbox accepts request timestamps within 300 s).
struct SteppedClock {
  std::shared_ptr<std::atomic<std::int64_t>> offset_s =
      std::make_shared<std::atomic<std::int64_t>>(0);
  std::function<std::chrono::system_clock::time_point()> Function() const {
    auto offset = offset_s;
    return [offset] {
      return std::chrono::system_clock::now() + std::chrono::seconds(offset->load());
    };
  }
};

// The notify sink's callbacks from index `from` on, without Catch macros (for a worker
// thread); false when the sink could not be read.
bool NotificationsFrom(SandboxFixture const& f, std::size_t from, std::vector<Received>& out) {
  auto list = Control(f, "GET", "notify-sink");
  if (list.status != 200) return false;
  rapidjson::Document doc;
  doc.Parse(list.body.c_str());
  if (!doc.IsObject() || !doc.HasMember("notifications")) return false;
  auto const& items = doc["notifications"];
  for (rapidjson::SizeType i = static_cast<rapidjson::SizeType>(from); i < items.Size(); ++i) {
    Received received;
    for (auto const& member : items[i]["headers"].GetObject()) {
      received.headers.Add(member.name.GetString(), member.value.GetString());
    }
    received.body = items[i]["body"].GetString();
    out.push_back(std::move(received));
  }
  return true;
}

TEST_CASE(
    "rotations during calls and callbacks: no failed call, no rejected callback, one "
    "download per rotation",
    "[sandbox][platform-keys]") {
  auto f = Fixture(KeyMode::kCertificate);
  SteppedClock clock;
  auto options = NoWait();
  options.clock = clock.Function();
  auto client =
      NativePayClient::Create(ConfigFor(f, VerificationKeys::kPlatformCertificates), options)
          .value();
  auto parser = client.MakeNotificationParser().value();
  REQUIRE(client.NativePrepay(Prepay("PKROT0001")).ok());
  f.sandbox().ResetStats();

  int const kThreads = 8;
  int const kCalls = 500;
  std::atomic<int> done{0};
  std::atomic<int> failed{0};
  std::atomic<bool> stop{false};
  std::mutex first_failure_mu;
  std::string first_failure;  // Catch's INFO is not thread-safe: reported after the join
  auto record_failure = [&](std::string const& what) {
    ++failed;
    std::lock_guard<std::mutex> lock(first_failure_mu);
    if (first_failure.empty()) first_failure = what;
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // At least kCalls each, and on until the rotations have been absorbed.
      for (int i = 0; i < kCalls || !stop.load(); ++i) {
        Status status;
        if (i % 10 == 0) {
          status =
              client.NativePrepay(Prepay("PKROT" + std::to_string(t) + "_" + std::to_string(i)))
                  .status();
        } else {
          status = client.QueryOrderByOutTradeNo("PKROT0001").status();
        }
        if (!status.ok()) record_failure(status.ToString());
        ++done;
      }
    });
  }
  // Meanwhile the payer pays orders and their callbacks arrive; each is verified as it comes,
  // with the client's parser (the same keys).
  auto const kCallbackWait = std::chrono::seconds(30);
  std::atomic<int> callbacks_verified{0};
  std::atomic<int> callbacks_rejected{0};
  std::atomic<int> payments{0};
  std::thread payer([&] {
    std::size_t seen = 0;
    std::optional<std::chrono::steady_clock::time_point> give_up;  // set once stopped
    for (int n = 0; !stop.load() || seen < static_cast<std::size_t>(payments.load()); ++n) {
      if (stop.load() && !give_up) give_up = std::chrono::steady_clock::now() + kCallbackWait;
      if (give_up && std::chrono::steady_clock::now() > *give_up) break;
      if (!stop.load()) {
        auto const id = "PKROTPAY" + std::to_string(n);
        if (client.NativePrepay(Prepay(id)).ok() && f.sandbox().Pay(id).ok()) ++payments;
      } else {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      std::vector<Received> fresh;
      if (!NotificationsFrom(f, seen, fresh)) continue;
      seen += fresh.size();
      for (auto const& callback : fresh) {
        auto parsed = parser.Parse(callback.headers, callback.body);
        if (parsed.ok()) {
          ++callbacks_verified;
        } else {
          ++callbacks_rejected;
          record_failure("callback: " + parsed.status().ToString());
        }
      }
    }
  });
  // No REQUIRE while the threads run: a throw here would leave them unjoined.
  auto const started = std::chrono::steady_clock::now();
  std::vector<std::string> rotated;
  for (int round = 1; round <= 2; ++round) {
    CHECK(Eventually([&] { return done.load() >= round * kThreads * kCalls / 3; },
                     std::chrono::seconds(120)));
    // Past the throttle of the previous download: rotations a minute apart, as WeChat's are
    // (years apart, in fact).
    clock.offset_s->fetch_add(61);
    auto rotation = Control(f, "POST", "certificates/rotate");
    CHECK(rotation.status == 200);
    rotated.push_back(f.sandbox().PlatformCertificates().back().serial_no);
    // The calls bring the new certificate in (the next rotation must not come first).
    CHECK(Eventually([&] { return client.platform_keys()->holder()->Get()->Find(rotated.back()); },
                     std::chrono::seconds(60)));
  }
  int const after = done.load();
  CHECK(Eventually([&] { return done.load() >= after + kThreads * 20; }, std::chrono::seconds(60)));
  stop = true;
  for (auto& thread : threads) thread.join();
  payer.join();
  auto const seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
  UNSCOPED_INFO(done.load() << " calls, " << payments.load() << " payments in " << seconds.count()
                            << " s");
  INFO(first_failure);
  CHECK(failed.load() == 0);
  CHECK(callbacks_rejected.load() == 0);
  CHECK(done.load() >= kThreads * kCalls);
  // Callbacks arrived before, between and after the rotations (the payer ran all along).
  CHECK(callbacks_verified.load() == payments.load());
  CHECK(payments.load() >= 3);
  CHECK(f.sandbox().GetStats().certificate_downloads == 2);
  auto const held = client.platform_keys()->holder()->Get();
  // The newest certificate is sent: the latest notBefore (rotations within one second tie,
  // notBefore having whole seconds).
  auto not_before = [&](std::string const& serial) {
    for (auto const& entry : held->entries()) {
      if (entry.serial == serial && entry.certificate) return entry.certificate->not_before();
    }
    return std::chrono::system_clock::time_point{};
  };
  CHECK(not_before(client.platform_keys()->SerialToSend()) == not_before(rotated.back()));
  for (auto const& serial : rotated) CHECK(held->Find(serial) != nullptr);
}

TEST_CASE("callbacks naming unknown serials within a minute trigger at most one download",
          "[sandbox][platform-keys]") {
  auto f = Fixture(KeyMode::kCertificate);
  auto client =
      NativePayClient::Create(ConfigFor(f, VerificationKeys::kPlatformCertificates), NoWait())
          .value();
  auto parser = client.MakeNotificationParser().value();
  // An order placed and paid without the client, so that the client has downloaded nothing.
  auto prepay = testing::SignedRequest(
      f, "POST", "/v3/pay/transactions/native",
      R"({"appid":")" + f.identity().app_id + R"(","mchid":")" + f.identity().merchant_id +
          R"(","description":"x","out_trade_no":"PKUNK001","notify_url":")" +
          f.sandbox().NotifyUrl() + R"(","amount":{"total":1}})");
  REQUIRE(prepay.status == 200);
  REQUIRE(f.sandbox().Pay("PKUNK001").ok());
  REQUIRE(Eventually([&] { return Notifications(f).size() == 1; }));
  auto const real = Notifications(f).at(0);
  f.sandbox().ResetStats();

  Received forged = real;
  forged.headers.Set("Wechatpay-Serial", "7E57000000000000000000000000000000000001");
  std::atomic<int> unknown{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        auto parsed = parser.Parse(forged.headers, forged.body);
        if (parsed.status().code() == StatusCode::kVerificationFailed &&
            parsed.status().info().verification_failure == VerificationFailure::kUnknownSerial) {
          ++unknown;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(unknown.load() == 40);
  CHECK(f.sandbox().GetStats().certificate_downloads == 1);
  // That one download brought the real certificate: the real callback verifies, no download.
  auto parsed = parser.Parse(real.headers, real.body);
  INFO(parsed.status().ToString());
  CHECK(parsed.ok());
  CHECK(f.sandbox().GetStats().certificate_downloads == 1);
}

TEST_CASE("a download whose signature does not verify is refused and nothing enters the key set",
          "[sandbox][platform-keys]") {
  auto f = Fixture(KeyMode::kCertificate);
  auto config = ConfigFor(f, VerificationKeys::kPlatformCertificates);
  auto keys = PlatformKeys::Create(config, NoWait()).value();
  sandbox::Fault fault;
  fault.method = "GET";
  fault.path = "^/v3/certificates$";
  fault.action = "bad-signature";
  fault.count = 1;
  REQUIRE(f.sandbox().AddFault(fault).ok());
  auto refused = keys->Refresh();
  UNSCOPED_INFO(refused.ToString());
  CHECK(refused.code() == StatusCode::kVerificationFailed);
  CHECK(refused.info().verification_failure == VerificationFailure::kSignatureMismatch);
  CHECK(keys->holder()->Get()->size() == 0);
  CHECK(keys->SerialToSend().empty());

  // A client on these keys: its call's answer names a serial the set lacks and the throttle
  // forbids a second download within the minute, so the call fails as an unknown serial.
  ClientOptions options = NoWait();
  options.platform_keys = keys;
  auto client = NativePayClient::Create(config, options).value();
  auto prepay = client.NativePrepay(Prepay("PKFORGED1"));
  CHECK(prepay.status().code() == StatusCode::kVerificationFailed);
  CHECK(prepay.status().info().verification_failure == VerificationFailure::kUnknownSerial);
  CHECK(keys->holder()->Get()->size() == 0);

  // An honest download is used.
  REQUIRE(keys->Refresh().ok());
  CHECK(keys->holder()->Get()->size() == 1);
  CHECK(client.NativePrepay(Prepay("PKFORGED2")).ok());
  CHECK(f.sandbox().GetStats().certificate_downloads == 2);  // the forged one, the honest one
}

// The other refusals of a real download, through PlatformKeys: the rule is named, and nothing
// enters the key set. (Each rule of ReadPlatformCertificates() on crafted certificates — serial
// differing from serial_no, outside the validity window, not RSA-2048 — is
// tests/unit/platform_certificate_test.cpp.)
TEST_CASE("a download that does not decrypt or does not chain to the CA is refused",
          "[sandbox][platform-keys]") {
  auto f = Fixture(KeyMode::kCertificate);
  auto const serial = f.sandbox().PlatformCertificates().at(0).serial_no;
  auto config = ConfigFor(f, VerificationKeys::kPlatformCertificates);

  SECTION("another APIv3 key: the GCM tag fails") {
    config.api_v3_key = std::string(32, 'K');
    auto keys = PlatformKeys::Create(config, NoWait()).value();
    auto refused = keys->Refresh();
    CHECK(refused.code() == StatusCode::kDecryptionFailed);
    CHECK(refused.message().find("platform certificate 0 (serial_no " + serial + ")") !=
          std::string::npos);
    CHECK(refused.message().find("does not decrypt with the APIv3 key") != std::string::npos);
    CHECK(refused.message().find(config.api_v3_key) == std::string::npos);
    CHECK(keys->holder()->Get()->size() == 0);
  }
  SECTION("a CA that did not issue the certificates") {
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
    config.platform_certificate_ca = testing::MakeTestCertificatePem(spec, key, key);
    auto keys = PlatformKeys::Create(config, NoWait()).value();
    auto refused = keys->Refresh();
    CHECK(refused.code() == StatusCode::kMalformedResponse);
    CHECK(refused.message().find("does not chain to a configured CA certificate") !=
          std::string::npos);
    CHECK(keys->holder()->Get()->size() == 0);
  }
  CHECK(f.sandbox().GetStats().certificate_downloads == 1);
}

}  // namespace
}  // namespace wechatpay
