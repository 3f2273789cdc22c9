// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// The verification key set: exact lookup among the public key and platform certificates,
// merging downloads, the serial to send, the verifier and the notification parser over a set,
// and snapshots swapped under readers (run under TSan in CI).

#include "wechatpay/protocol/key_set.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "catch.hpp"
#include "support/test_certificates.hpp"
#include "support/test_data.hpp"
#include "wechatpay/notify/parser.hpp"
#include "wechatpay/protocol/aes_gcm.hpp"
#include "wechatpay/protocol/keys.hpp"
#include "wechatpay/protocol/platform_certificate.hpp"
#include "wechatpay/protocol/signing.hpp"

namespace wechatpay {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;
using ::wechatpay::testing::GenerateRsaKeyPem;
using ::wechatpay::testing::MakeTestCertificatePem;
using ::wechatpay::testing::ReadData;
using ::wechatpay::testing::TestCertificateSpec;

constexpr char kPublicKeyId[] = "PUB_KEY_ID_0114232134912410000000000000";
constexpr std::int64_t kNow = 1800000000;
constexpr std::int64_t kDay = 86400;

system_clock::time_point At(std::int64_t unix_seconds) {
  return system_clock::time_point(seconds(unix_seconds));
}

// A platform certificate with its private key, so that tests can sign as WeChat would.
struct SigningCertificate {
  PrivateKey private_key;
  PlatformCertificate certificate;
};

SigningCertificate MakeCertificate(std::string const& key_pem, std::string serial,
                                   std::int64_t not_before, std::int64_t not_after) {
  TestCertificateSpec spec;
  spec.serial_hex = std::move(serial);
  spec.not_before = not_before;
  spec.not_after = not_after;
  auto certificate = PlatformCertificate::FromPem(MakeTestCertificatePem(spec, key_pem, key_pem));
  REQUIRE(certificate);
  auto key = PrivateKey::FromPem(key_pem);
  REQUIRE(key);
  return SigningCertificate{*key, *certificate};
}

// Three certificates with keys of their own (made once: RSA key generation is slow):
// A old (valid until kNow + 1 day), B newest valid, C not valid yet.
struct Fixture {
  PrivateKey public_key_signer;
  PublicKey public_key;
  SigningCertificate a;
  SigningCertificate b;
  SigningCertificate c;
};

Fixture const& Keys() {
  static Fixture const kFixture = [] {
    auto signer = PrivateKey::FromPem(ReadData("keys/java_wechat_pay_private_key.pem"));
    auto key = PublicKey::FromPem(ReadData("keys/java_wechat_pay_public_key.pem"));
    REQUIRE(signer);
    REQUIRE(key);
    return Fixture{
        *signer, *key,
        MakeCertificate(GenerateRsaKeyPem(2048), "0A0A0A", kNow - 100 * kDay, kNow + kDay),
        MakeCertificate(GenerateRsaKeyPem(2048), "0B0B0B", kNow - kDay, kNow + 365 * kDay),
        MakeCertificate(GenerateRsaKeyPem(2048), "0C0C0C", kNow + kDay, kNow + 400 * kDay)};
  }();
  return kFixture;
}

KeySet FullSet() {
  KeySet set;
  REQUIRE(set.AddKey(kPublicKeyId, Keys().public_key).ok());
  for (auto const* c : {&Keys().a, &Keys().b, &Keys().c}) {
    REQUIRE(set.AddCertificate(c->certificate).ok());
  }
  return set;
}

SignatureHeaders Signed(PrivateKey const& key, std::string serial, std::string const& body,
                        std::int64_t timestamp = kNow) {
  SignatureHeaders h;
  h.timestamp = std::to_string(timestamp);
  h.nonce = "c5ac7061fccab6bf3e254dcf98995b8c";
  h.serial = std::move(serial);
  auto signature = key.SignSha256(BuildResponseSignMessage(h.timestamp, h.nonce, body));
  REQUIRE(signature);
  h.signature = *signature;
  return h;
}

TEST_CASE("KeySet finds a key by its exact serial among a public key and 3 certificates",
          "[keyset]") {
  auto const set = FullSet();
  CHECK(set.size() == 4);
  CHECK(set.Find(kPublicKeyId) != nullptr);
  CHECK(set.Find("0A0A0A") != nullptr);
  CHECK(set.Find("0B0B0B") != nullptr);
  CHECK(set.Find("0C0C0C") != nullptr);
  CHECK(set.Find("0b0b0b") == nullptr);  // exact: not case-insensitive
  CHECK(set.Find("0B0B0") == nullptr);   // nor a prefix
  CHECK(set.Find("B0B0B") == nullptr);   // nor the number without its leading zero
  CHECK(set.Find("") == nullptr);
  CHECK(set.Find("PUB_KEY_ID_0114232134912410000000000001") == nullptr);
  // Each serial finds its own key: a signature by B verifies with B's key only.
  auto const h = Signed(Keys().b.private_key, "0B0B0B", "{}");
  CHECK(set.Find("0B0B0B")
            ->VerifySha256(BuildResponseSignMessage(h.timestamp, h.nonce, "{}"), h.signature)
            .ok());
  CHECK_FALSE(set.Find("0A0A0A")
                  ->VerifySha256(BuildResponseSignMessage(h.timestamp, h.nonce, "{}"), h.signature)
                  .ok());
  // Entries are sorted by serial; a certificate's entry keeps the certificate.
  REQUIRE(set.entries().size() == 4);
  CHECK(set.entries()[0].serial == "0A0A0A");
  CHECK(set.entries()[3].serial == kPublicKeyId);
  CHECK(set.entries()[0].certificate.has_value());
  CHECK_FALSE(set.entries()[3].certificate.has_value());

  KeySet copy = set;
  CHECK(copy.AddKey(kPublicKeyId, Keys().public_key).code() == StatusCode::kConfiguration);
  CHECK(copy.AddCertificate(Keys().a.certificate).code() == StatusCode::kConfiguration);
  CHECK(copy.AddKey("", Keys().public_key).code() == StatusCode::kConfiguration);
  CHECK(copy.size() == 4);
}

TEST_CASE("KeySet names the public key id, else the newest valid certificate", "[keyset]") {
  CHECK(KeySet().SerialToSend(At(kNow)).empty());
  CHECK(FullSet().SerialToSend(At(kNow)) == kPublicKeyId);

  KeySet certificates;
  for (auto const* c : {&Keys().a, &Keys().b, &Keys().c}) {
    REQUIRE(certificates.AddCertificate(c->certificate).ok());
  }
  // B has the latest not_before among the valid ones; C is newer but not valid yet.
  CHECK(certificates.SerialToSend(At(kNow)) == "0B0B0B");
  // Before B starts, A is the only valid one.
  CHECK(certificates.SerialToSend(At(kNow - 2 * kDay)) == "0A0A0A");
  // Once C starts it is the newest.
  CHECK(certificates.SerialToSend(At(kNow + 2 * kDay)) == "0C0C0C");
  // When none is valid there is nothing to send.
  CHECK(certificates.SerialToSend(At(kNow + 1000 * kDay)).empty());
}

TEST_CASE("KeySet encrypts a sensitive field for the key it names in Wechatpay-Serial",
          "[keyset]") {
  std::string const name = "\xe5\xbc\xa0\xe4\xb8\x89";  // a payee's name, UTF-8
  // With the public key configured, the field is for the public key, whatever certificates
  // are held: only its private key opens it.
  auto field = FullSet().EncryptSensitive(name, At(kNow));
  REQUIRE(field);
  CHECK(field->serial == kPublicKeyId);
  auto opened = Keys().public_key_signer.DecryptOaep(field->ciphertext);
  REQUIRE(opened);
  CHECK(*opened == name);
  CHECK_FALSE(Keys().b.private_key.DecryptOaep(field->ciphertext));

  // Certificates only: the newest valid one (B now, C once it starts), as SerialToSend().
  KeySet certificates;
  for (auto const* c : {&Keys().a, &Keys().b, &Keys().c}) {
    REQUIRE(certificates.AddCertificate(c->certificate).ok());
  }
  for (auto const& [when, signer, serial] :
       {std::tuple(kNow, &Keys().b, "0B0B0B"), std::tuple(kNow + 2 * kDay, &Keys().c, "0C0C0C")}) {
    auto const by_certificate = certificates.EncryptSensitive(name, At(when));
    REQUIRE(by_certificate);
    CHECK(by_certificate->serial == serial);
    CHECK(by_certificate->serial == certificates.SerialToSend(At(when)));
    auto const plain = signer->private_key.DecryptOaep(by_certificate->ciphertext);
    REQUIRE(plain);
    CHECK(*plain == name);
  }

  // No key to send: refused, naming the setting; a plaintext too long for RSA-OAEP: refused.
  auto const none = certificates.EncryptSensitive(name, At(kNow + 1000 * kDay));
  CHECK(none.status().code() == StatusCode::kConfiguration);
  CHECK(none.status().info().field == "wxPayPublicKeyId");
  CHECK(FullSet().EncryptSensitive(std::string(215, 'x'), At(kNow)).status().code() ==
        StatusCode::kInvalidArgument);
}

TEST_CASE("KeySet::MergedWith keeps old certificates until they expire", "[keyset]") {
  KeySet old;
  REQUIRE(old.AddKey(kPublicKeyId, Keys().public_key).ok());
  REQUIRE(old.AddCertificate(Keys().a.certificate).ok());
  REQUIRE(old.AddCertificate(Keys().b.certificate).ok());
  std::vector<PlatformCertificate> const fresh{Keys().c.certificate, Keys().b.certificate};

  // Before A expires: A stays although the download no longer lists it.
  auto merged = old.MergedWith(fresh, At(kNow));
  CHECK(merged.size() == 4);
  CHECK(merged.Find("0A0A0A") != nullptr);
  CHECK(merged.Find("0C0C0C") != nullptr);
  CHECK(merged.Find(kPublicKeyId) != nullptr);
  CHECK(merged.SerialToSend(At(kNow)) == kPublicKeyId);
  // At A's last second it is still kept; one second later it is gone.
  CHECK(old.MergedWith(fresh, At(kNow + kDay)).Find("0A0A0A") != nullptr);
  auto later = old.MergedWith(fresh, At(kNow + kDay + 1));
  CHECK(later.Find("0A0A0A") == nullptr);
  CHECK(later.size() == 3);
  // The original set is unchanged.
  CHECK(old.size() == 3);
  CHECK(old.Find("0C0C0C") == nullptr);

  // Beyond kMaxCertificates, the old certificates closest to expiry go first.
  auto const key_pem = GenerateRsaKeyPem(2048);
  KeySet many;
  for (std::size_t i = 0; i < KeySet::kMaxCertificates; ++i) {
    auto const c = MakeCertificate(key_pem, "E" + std::to_string(100 + i), kNow - kDay,
                                   kNow + static_cast<std::int64_t>(i + 1) * kDay);
    REQUIRE(many.AddCertificate(c.certificate).ok());
  }
  CHECK(many.AddCertificate(Keys().a.certificate).code() == StatusCode::kConfiguration);
  auto capped = many.MergedWith({Keys().b.certificate}, At(kNow));
  CHECK(capped.size() == KeySet::kMaxCertificates);
  CHECK(capped.Find("0B0B0B") != nullptr);
  CHECK(capped.Find("E100") == nullptr);  // expires first
  CHECK(capped.Find("E101") != nullptr);
}

TEST_CASE("a verifier over a public key and 3 certificates verifies each and refuses the rest",
          "[keyset]") {
  auto holder = std::make_shared<KeySetHolder>(FullSet());
  for (auto const& verifier : {SignatureVerifier(FullSet()), SignatureVerifier(holder)}) {
    CHECK(verifier.size() == 4);
    std::string const body = "{\"code_url\":\"weixin://wxpay/bizpayurl?pr=abc\"}";
    CHECK(
        verifier.Verify(Signed(Keys().public_key_signer, kPublicKeyId, body), body, At(kNow)).ok());
    for (auto const* c : {&Keys().a, &Keys().b, &Keys().c}) {
      CAPTURE(c->certificate.serial());
      auto const h = Signed(c->private_key, c->certificate.serial(), body);
      auto status = verifier.Verify(h, body, At(kNow));
      INFO(status.message());
      CHECK(status.ok());
      // Named by another key's serial, the signature does not verify.
      auto wrong = h;
      wrong.serial = kPublicKeyId;
      CHECK(verifier.Verify(wrong, body, At(kNow)).info().verification_failure ==
            VerificationFailure::kSignatureMismatch);
    }
    // An unknown serial is the same failure as with a single key.
    auto unknown = Signed(Keys().a.private_key, "0D0D0D", body);
    auto status = verifier.Verify(unknown, body, At(kNow));
    CHECK(status.code() == StatusCode::kVerificationFailed);
    CHECK(status.info().verification_failure == VerificationFailure::kUnknownSerial);
    CHECK(status.message().find("unknown Wechatpay-Serial 0D0D0D: no configured key has this id "
                                "(configured: 0A0A0A, 0B0B0B, 0C0C0C, " +
                                std::string(kPublicKeyId) + ")") != std::string::npos);
    // The other checks are unchanged: skew and probes come first as before.
    auto skewed = Signed(Keys().b.private_key, "0B0B0B", body, kNow - 300);
    CHECK(verifier.Verify(skewed, body, At(kNow)).info().verification_failure ==
          VerificationFailure::kTimestampSkew);
    auto probe = Signed(Keys().b.private_key, "0B0B0B", body);
    probe.signature = "WECHATPAY/SIGNTEST/" + probe.signature;
    CHECK(verifier.Verify(probe, body, At(kNow)).info().verification_failure ==
          VerificationFailure::kSignTestProbe);
  }
}

TEST_CASE("a verifier over a KeySetHolder follows the holder; its own keys are copy-on-write",
          "[keyset]") {
  auto holder = std::make_shared<KeySetHolder>();
  SignatureVerifier verifier(holder);
  std::string const body = "{}";
  auto const h = Signed(Keys().b.private_key, "0B0B0B", body);
  CHECK(verifier.size() == 0);
  CHECK(verifier.Verify(h, body, At(kNow)).info().verification_failure ==
        VerificationFailure::kUnknownSerial);
  holder->Merge({Keys().b.certificate}, At(kNow));
  CHECK(verifier.HasKey("0B0B0B"));
  CHECK(verifier.Verify(h, body, At(kNow)).ok());
  holder->Set(KeySet());
  CHECK(verifier.Verify(h, body, At(kNow)).info().verification_failure ==
        VerificationFailure::kUnknownSerial);
  auto refused = verifier.AddKey(kPublicKeyId, Keys().public_key);
  CHECK(refused.code() == StatusCode::kConfiguration);
  CHECK(refused.message().find("KeySetHolder") != std::string::npos);

  SignatureVerifier own;
  REQUIRE(own.AddKey(kPublicKeyId, Keys().public_key).ok());
  SignatureVerifier copy = own;
  REQUIRE(copy.AddKey("0B0B0B", Keys().b.certificate.public_key()).ok());
  CHECK(copy.size() == 2);
  CHECK(own.size() == 1);
  CHECK_FALSE(own.HasKey("0B0B0B"));
}

TEST_CASE("notifications verify with the holder's current keys", "[keyset]") {
  auto cipher = AesGcmCipher::Create("0123456789abcdef0123456789ABCDEF");
  REQUIRE(cipher);
  auto resource = cipher->Encrypt("0123456789ab", "", "{\"out_contract_code\":\"C1\"}");
  REQUIRE(resource);
  std::string const body =
      "{\"id\":\"EV-1\",\"create_time\":\"2027-01-15T16:00:00+08:00\",\"resource_type\":"
      "\"encrypt-resource\",\"event_type\":\"PAYSCORE.USER_OPEN_SERVICE\",\"summary\":\"s\","
      "\"resource\":{\"original_type\":\"payscore\",\"algorithm\":\"AEAD_AES_256_GCM\","
      "\"ciphertext\":\"" +
      *resource + "\",\"associated_data\":\"\",\"nonce\":\"0123456789ab\"}}";
  auto holder = std::make_shared<KeySetHolder>(FullSet());
  NotificationParserOptions options;
  options.clock = [] { return At(kNow); };
  auto parser = NotificationParser::Create(SignatureVerifier(holder), *cipher, options);
  REQUIRE(parser);
  auto const h = Signed(Keys().a.private_key, "0A0A0A", body);
  HttpHeaders headers{{"Wechatpay-Timestamp", h.timestamp},
                      {"Wechatpay-Nonce", h.nonce},
                      {"Wechatpay-Signature", h.signature},
                      {"Wechatpay-Serial", h.serial}};
  auto parsed = parser->Parse(headers, body);
  INFO(parsed.status().message());
  REQUIRE(parsed);
  CHECK(parsed->plaintext == "{\"out_contract_code\":\"C1\"}");
  // After a refresh without A, the same callback names an unknown key.
  KeySet without_a;
  REQUIRE(without_a.AddKey(kPublicKeyId, Keys().public_key).ok());
  holder->Set(without_a);
  auto refused = parser->Parse(headers, body);
  REQUIRE_FALSE(refused);
  CHECK(refused.status().info().verification_failure == VerificationFailure::kUnknownSerial);
}

TEST_CASE("readers verify while a writer swaps the key set 1000 times", "[keyset][threads]") {
  KeySet first;
  REQUIRE(first.AddKey(kPublicKeyId, Keys().public_key).ok());
  REQUIRE(first.AddCertificate(Keys().a.certificate).ok());
  KeySet second = FullSet();
  auto holder = std::make_shared<KeySetHolder>(first);
  SignatureVerifier const verifier(holder);

  std::string const body = "{\"trade_state\":\"SUCCESS\"}";
  auto const by_public_key = Signed(Keys().public_key_signer, kPublicKeyId, body);
  auto const by_b = Signed(Keys().b.private_key, "0B0B0B", body);

  std::atomic<bool> done{false};
  std::atomic<int> public_key_failures{0};
  std::atomic<int> b_unexpected{0};
  std::atomic<long> verifications{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 4; ++r) {
    readers.emplace_back([&] {
      do {
        // Present in every snapshot: must always verify.
        if (!verifier.Verify(by_public_key, body, At(kNow)).ok()) ++public_key_failures;
        // Present in every other snapshot: verifies or is an unknown serial, nothing else.
        auto status = verifier.Verify(by_b, body, At(kNow));
        if (!status.ok() &&
            status.info().verification_failure != VerificationFailure::kUnknownSerial) {
          ++b_unexpected;
        }
        verifications += 2;
      } while (!done.load());
    });
  }
  for (int i = 0; i < 1000; ++i) {
    if (i % 10 == 9) {
      holder->Merge({Keys().b.certificate}, At(kNow));
    } else {
      holder->Set(i % 2 == 0 ? second : first);
    }
  }
  done = true;
  for (auto& reader : readers) reader.join();
  CHECK(public_key_failures.load() == 0);
  CHECK(b_unexpected.load() == 0);
  CHECK(verifications.load() >= 8);
}

}  // namespace
}  // namespace wechatpay
