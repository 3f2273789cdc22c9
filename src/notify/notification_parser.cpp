// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// NotificationParser: size → signature (over the raw bytes) → envelope → decryption →
// plaintext. Nothing from the body is parsed, let alone decrypted, before its signature has
// been verified (docs/protocol.md, "Delivery": "必须先验签再解密").

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "common/config_error.hpp"
#include "common/printable.hpp"
#include "json/json_codec.hpp"
#include "notify/notification_codec.hpp"
#include "wechatpay/notify/models.hpp"
#include "wechatpay/notify/parser.hpp"
#include "wechatpay/protocol/constants.hpp"
#include "wechatpay/protocol/credentials.hpp"

namespace wechatpay {
namespace {

using internal::NotificationError;
using internal::QuoteForMessage;

// WeChat documents id as string(36); anything much longer is not a notification id, and the id
// becomes a key in the deduplicator, so bound it.
constexpr std::size_t kMaxIdBytes = 128;

constexpr std::string_view kTransactionPrefix = "TRANSACTION.";
constexpr std::string_view kRefundPrefix = "REFUND.";
constexpr std::string_view kTransactionOriginalType = "transaction";
constexpr std::string_view kRefundOriginalType = "refund";

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The value checks of step 6, after the JSON shape was read.
Status CheckEnvelope(internal::NotificationEnvelope const& e) {
  if (e.id.size() > kMaxIdBytes) {
    return NotificationError("id", "id is " + std::to_string(e.id.size()) +
                                       " bytes long; a notification id has at most " +
                                       std::to_string(kMaxIdBytes));
  }
  // The id is a log and database key: no line breaks or other control characters.
  for (char c : e.id) {
    auto const u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      return NotificationError("id", "id contains a control character");
    }
  }
  if (e.resource_type != kNotificationResourceType) {
    return NotificationError(
        "resource_type",
        "resource_type is " + QuoteForMessage(e.resource_type) + ", expected \"encrypt-resource\"");
  }
  if (e.algorithm != kNotificationAlgorithm) {
    return NotificationError("resource.algorithm", "resource.algorithm is " +
                                                       QuoteForMessage(e.algorithm) +
                                                       ", expected \"AEAD_AES_256_GCM\"");
  }
  // The resource must be what the event says it is, both ways: a refund resource under
  // TRANSACTION.SUCCESS must not be read as a payment.
  bool const transaction_event = StartsWith(e.event_type, kTransactionPrefix);
  bool const refund_event = StartsWith(e.event_type, kRefundPrefix);
  bool const transaction_resource = e.original_type == kTransactionOriginalType;
  bool const refund_resource = e.original_type == kRefundOriginalType;
  if (transaction_event != transaction_resource || refund_event != refund_resource) {
    return NotificationError(
        "resource.original_type",
        "resource.original_type " + QuoteForMessage(e.original_type) +
            " does not match event_type " + QuoteForMessage(e.event_type) +
            " (TRANSACTION.* carries \"transaction\", REFUND.* carries \"refund\")");
  }
  return {};
}

// `cause` is a NotificationError() about the plaintext; name the event it broke.
Status PlaintextError(std::string_view event_type, Status const& cause) {
  ErrorInfo info = cause.info();
  if (info.field.empty()) info.field = "plaintext";
  return Status(StatusCode::kMalformedResponse,
                cause.message() + " (event_type " + std::string(event_type) + ")", std::move(info));
}

// TRANSACTION.SUCCESS promises a paid transaction; the members an application needs to act on
// it must be there.
StatusOr<Transaction> MapTransaction(std::string const& plaintext) {
  // One parse: ParseTransaction() applies the same parse policy as CheckPlaintextIsJsonObject()
  // (json/json_reader.hpp), so a text it reads is a JSON object under the plaintext rule.
  auto transaction = internal::ParseTransaction(plaintext);
  if (!transaction) {
    // Only on the error path: a text that is no JSON object gets the plaintext check's words.
    if (auto status = internal::CheckPlaintextIsJsonObject(plaintext); !status.ok()) return status;
    return NotificationError("plaintext", transaction.status().message());
  }
  auto& t = *transaction;
  if (t.trade_state != "SUCCESS") {
    return NotificationError(
        "plaintext.trade_state",
        "plaintext.trade_state is " + QuoteForMessage(t.trade_state) + ", expected \"SUCCESS\"");
  }
  if (!t.out_trade_no || t.out_trade_no->empty()) {
    return NotificationError("plaintext.out_trade_no", "plaintext.out_trade_no is missing");
  }
  if (!t.transaction_id || t.transaction_id->empty()) {
    return NotificationError("plaintext.transaction_id", "plaintext.transaction_id is missing");
  }
  if (!t.amount || !t.amount->total) {
    return NotificationError("plaintext.amount.total", "plaintext.amount.total is missing");
  }
  return transaction;
}

StatusOr<RefundNotification> MapRefund(std::string const& plaintext, std::string_view event_type) {
  auto refund = internal::ParseRefundNotification(plaintext);
  if (!refund) return refund.status();
  auto const expected = event_type.substr(kRefundPrefix.size());
  if (refund->refund_status != expected) {
    return NotificationError("plaintext.refund_status", "plaintext.refund_status is " +
                                                            QuoteForMessage(refund->refund_status) +
                                                            ", but the event is " +
                                                            std::string(event_type));
  }
  return refund;
}

}  // namespace

struct NotificationParser::Impl {
  Impl(SignatureVerifier v, AesGcmCipher c, NotificationParserOptions o)
      : verifier(std::move(v)), cipher(std::move(c)), options(std::move(o)) {}

  SignatureVerifier verifier;
  AesGcmCipher cipher;
  NotificationParserOptions options;
};

StatusOr<NotificationParser> NotificationParser::Create(SignatureVerifier verifier,
                                                        AesGcmCipher cipher,
                                                        NotificationParserOptions options) {
  if (verifier.size() == 0 && !verifier.fetches_keys()) {
    return internal::ConfigError("wxPayPublicKey",
                                 "the notification verifier has no WeChat Pay public key or "
                                 "platform certificate");
  }
  if (options.tolerance.count() <= 0) {
    return internal::ConfigError("tolerance",
                                 "the timestamp tolerance must be positive: the check of "
                                 "Wechatpay-Timestamp cannot be turned off");
  }
  if (options.max_body_bytes == 0) {
    return internal::ConfigError("max_body_bytes", "the body size limit must be positive");
  }
  verifier.set_tolerance(options.tolerance);
  return NotificationParser(
      std::make_shared<Impl const>(std::move(verifier), std::move(cipher), std::move(options)));
}

std::size_t NotificationParser::max_body_bytes() const noexcept {
  return impl_->options.max_body_bytes;
}

std::chrono::seconds NotificationParser::tolerance() const noexcept {
  return impl_->options.tolerance;
}

Status NotificationParser::CheckBodySize(std::uint64_t body_bytes) const {
  auto const limit = impl_->options.max_body_bytes;
  if (body_bytes <= limit) return Status();
  return NotificationError("body", "the body is " + std::to_string(body_bytes) +
                                       " bytes, more than the limit of " + std::to_string(limit) +
                                       " bytes");
}

StatusOr<Notification> NotificationParser::Parse(HttpHeaders const& headers,
                                                 std::string_view raw_body) const {
  auto const& options = impl_->options;
  // 1. Size first: an oversized body costs no RSA, JSON or AES work.
  if (auto status = CheckBodySize(raw_body.size()); !status.ok()) return status;

  // 2-5. Headers, skew, serial, SIGNTEST, signature over the raw bytes.
  auto const now = options.clock ? options.clock() : std::chrono::system_clock::now();
  if (auto status = impl_->verifier.Verify(SignatureHeaders::From(headers), raw_body, now);
      !status.ok()) {
    return status;
  }

  // 6. Envelope.
  auto envelope = internal::ParseNotificationEnvelope(raw_body);
  if (!envelope) return envelope.status();
  if (auto status = CheckEnvelope(*envelope); !status.ok()) return status;

  // 7. Decryption; the GCM tag covers ciphertext, nonce and associated_data.
  auto plaintext =
      impl_->cipher.Decrypt(envelope->nonce, envelope->associated_data, envelope->ciphertext);
  if (!plaintext) {
    auto const code = plaintext.status().code() == StatusCode::kInternal
                          ? StatusCode::kInternal
                          : StatusCode::kDecryptionFailed;
    return Status(code,
                  "notification " + QuoteForMessage(envelope->id) +
                      ": the resource does not decrypt with the APIv3 key (wrong apiV3Key, or "
                      "altered ciphertext, nonce or associated_data): " +
                      plaintext.status().message());
  }

  Notification n;
  n.id = std::move(envelope->id);
  n.create_time = std::move(envelope->create_time);
  n.event_type = std::move(envelope->event_type);
  n.resource_type = std::move(envelope->resource_type);
  n.summary = std::move(envelope->summary);
  n.original_type = std::move(envelope->original_type);
  n.plaintext = *std::move(plaintext);
  n.request_id = std::string(headers.Get(headers::kRequestId));

  // 8. The plaintext the event promises.
  if (n.event_type == kEventTransactionSuccess) {
    auto transaction = MapTransaction(n.plaintext);
    if (!transaction) return PlaintextError(n.event_type, transaction.status());
    n.transaction = *std::move(transaction);
  } else if (n.event_type == kEventRefundSuccess || n.event_type == kEventRefundAbnormal ||
             n.event_type == kEventRefundClosed) {
    auto refund = MapRefund(n.plaintext, n.event_type);
    if (!refund) return PlaintextError(n.event_type, refund.status());
    n.refund = *std::move(refund);
  } else if (auto status = internal::CheckPlaintextIsJsonObject(n.plaintext); !status.ok()) {
    return PlaintextError(n.event_type, status);
  }
  return n;
}

StatusOr<NotificationParser> MakeNotificationParser(MerchantConfig const& config,
                                                    NotificationParserOptions options) {
  auto verifier = MakeSignatureVerifier(config);
  if (!verifier) return verifier.status();
  auto cipher = MakeAesGcmCipher(config);
  if (!cipher) return cipher.status();
  return NotificationParser::Create(*std::move(verifier), *std::move(cipher), std::move(options));
}

}  // namespace wechatpay
