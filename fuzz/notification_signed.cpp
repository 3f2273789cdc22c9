// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Fuzz target: NotificationParser::Parse() past the signature. The harness signs what it
// delivers with the test key the parser trusts, so the fuzzer reaches what only WeChat could
// otherwise send: the envelope, the decryption and the typed plaintext.
//
// Input: one mode byte, then the payload.
// - Even mode byte: the payload is the raw body; it is signed and delivered as is (envelope
//   parsing and decryption of hostile envelopes).
// - Odd mode byte: the payload is a decrypted resource (plaintext). It is encrypted under the
//   APIv3 key into an envelope for the event (mode >> 1) % 5 of kEvents, signed and delivered
//   (the plaintext mapping of every event, e.g. a TRANSACTION.SUCCESS whose plaintext is not
//   a paid transaction).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/json_text.hpp"
#include "fuzz_support.hpp"
#include "notification_keys.hpp"
#include "wechatpay/notify/models.hpp"
#include "wechatpay/notify/parser.hpp"

namespace {

using namespace wechatpay;

struct Event {
  std::string_view event_type;
  std::string_view original_type;
};

constexpr Event kEvents[] = {
    {"TRANSACTION.SUCCESS", "transaction"},
    {"REFUND.SUCCESS", "refund"},
    {"REFUND.ABNORMAL", "refund"},
    {"REFUND.CLOSED", "refund"},
    {"PAYSCORE.USER_OPEN_SERVICE", "payscore"},
};
constexpr std::size_t kEventCount = sizeof(kEvents) / sizeof(kEvents[0]);

constexpr char kTimestamp[] = "1624523846";
constexpr char kNonce[] = "fuzz-notification-nonce";
constexpr char kResourceNonce[] = "fuzzNonce012";  // 12 bytes, as GCM requires

struct Fixture {
  Fixture()
      : signing_key(fuzz::MakeTestSigningKey()),
        cipher([] {
          auto made = AesGcmCipher::Create(fuzz::kApiV3Key);
          fuzz::Check(made.ok(), "the APIv3 key is accepted");
          return *made;
        }()),
        parser([this] {
          NotificationParserOptions options;
          options.clock = [] {
            return std::chrono::system_clock::time_point(std::chrono::seconds(fuzz::kVectorNow));
          };
          auto made = NotificationParser::Create(fuzz::MakeTestVerifier(), cipher, options);
          fuzz::Check(made.ok(), "the parser is created");
          return *made;
        }()) {}

  PrivateKey signing_key;
  AesGcmCipher cipher;
  NotificationParser parser;
};

Fixture const& World() {
  static Fixture const fixture;
  return fixture;
}

// Delivers `body` signed with the trusted key under the public key id.
StatusOr<Notification> Deliver(std::string const& body) {
  auto const& world = World();
  auto signature = world.signing_key.SignSha256(BuildResponseSignMessage(kTimestamp, kNonce, body));
  fuzz::Check(signature.ok(), "signing works");
  HttpHeaders headers{{"Wechatpay-Timestamp", kTimestamp},
                      {"Wechatpay-Nonce", kNonce},
                      {"Wechatpay-Signature", *signature},
                      {"Wechatpay-Serial", fuzz::kPublicKeyId},
                      {"Request-ID", "fuzz-request"}};
  auto result = world.parser.Parse(headers, body);
  if (!result.ok()) {
    auto const code = result.status().code();
    fuzz::Check(code != StatusCode::kVerificationFailed,
                "a body signed with the trusted key passes verification");
    fuzz::Check(code == StatusCode::kMalformedResponse || code == StatusCode::kDecryptionFailed,
                "a signed notification fails only on its shape or its decryption");
  }
  return result;
}

void RawBody(std::string_view payload) {
  auto const result = Deliver(std::string(payload));
  if (result.ok()) {
    fuzz::Check(!result->id.empty() && !result->event_type.empty(),
                "an accepted notification has an id and an event type");
    fuzz::Check(result->resource_type == kNotificationResourceType,
                "an accepted notification is an encrypt-resource");
  }
}

void Plaintext(Event const& event, std::string_view plaintext) {
  auto const& world = World();
  auto ciphertext = world.cipher.Encrypt(kResourceNonce, event.original_type, plaintext);
  fuzz::Check(ciphertext.ok(), "encryption works");
  std::string const body =
      std::string(R"({"id":"EV-fuzz-0001","create_time":"2021-06-24T16:37:26+08:00",)") +
      R"("resource_type":"encrypt-resource","event_type":)" +
      internal::JsonQuote(event.event_type) + R"(,"summary":"fuzz","resource":{"original_type":)" +
      internal::JsonQuote(event.original_type) +
      R"(,"algorithm":"AEAD_AES_256_GCM","ciphertext":)" + internal::JsonQuote(*ciphertext) +
      R"(,"associated_data":)" + internal::JsonQuote(event.original_type) + R"(,"nonce":)" +
      internal::JsonQuote(kResourceNonce) + "}}";
  auto const result = Deliver(body);
  if (!result.ok()) {
    // The envelope is well formed and the ciphertext authentic: only the plaintext can fail
    // (or the size limit, for a huge one).
    fuzz::Check(result.status().code() == StatusCode::kMalformedResponse,
                "a well-formed envelope fails only on its plaintext");
    return;
  }
  auto const& n = *result;
  fuzz::Check(n.plaintext == plaintext, "the plaintext is exactly what was encrypted");
  fuzz::Check(n.event_type == event.event_type && n.original_type == event.original_type,
              "the event is the one delivered");
  bool const transaction = event.event_type == kEventTransactionSuccess;
  bool const refund = event.original_type == "refund";
  fuzz::Check(n.transaction.has_value() == transaction,
              "TRANSACTION.SUCCESS carries a transaction");
  fuzz::Check(n.refund.has_value() == refund, "REFUND.* carries a refund");
  if (transaction) {
    // What an application acts on must be there (notification.hpp).
    auto const& t = *n.transaction;
    fuzz::Check(t.trade_state == "SUCCESS" && t.out_trade_no && !t.out_trade_no->empty() &&
                    t.transaction_id && !t.transaction_id->empty() && t.amount && t.amount->total,
                "an accepted TRANSACTION.SUCCESS is a paid transaction");
  }
  if (refund) {
    fuzz::Check("REFUND." + n.refund->refund_status == std::string(event.event_type),
                "an accepted refund notification has the status its event names");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view const payload = fuzz::AsText(data + 1, size - 1);
  if ((data[0] & 1) == 0) {
    RawBody(payload);
  } else {
    Plaintext(kEvents[(data[0] >> 1) % kEventCount], payload);
  }
  return 0;
}
