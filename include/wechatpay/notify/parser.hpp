// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file notify/parser.hpp
/// NotificationParser: verifies a callback's raw body and signature headers, decrypts the
/// resource and returns a typed Notification.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include "wechatpay/export.hpp"

#include "wechatpay/config.hpp"
#include "wechatpay/http/types.hpp"
#include "wechatpay/notify/models.hpp"
#include "wechatpay/protocol/aes_gcm.hpp"
#include "wechatpay/protocol/signing.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay {

/// How a NotificationParser checks notifications.
struct WECHATPAY_EXPORT NotificationParserOptions {
  /// The default body size limit: 64 KiB. Real notifications are 1–3 KiB.
  static constexpr std::size_t kDefaultMaxBodyBytes = 64 * 1024;

  /// Accepted distance between Wechatpay-Timestamp and the clock; a distance equal to it is
  /// rejected. Must be positive: the check cannot be turned off.
  std::chrono::seconds tolerance = SignatureVerifier::kDefaultTolerance;
  /// Larger bodies are refused before any parsing or cryptography. Must be positive.
  std::size_t max_body_bytes = kDefaultMaxBodyBytes;
  /// The clock for the timestamp check; null means std::chrono::system_clock::now. Called by
  /// every Parse(), possibly from several threads at once.
  std::function<std::chrono::system_clock::time_point()> clock;
};

/// Verifies, decrypts and types the notifications WeChat Pay POSTs to notify_url.
/// Transport-agnostic: it takes the request's header fields (names case-insensitive) and the
/// raw body bytes exactly as received — never a re-serialised body.
///
/// Parse() checks, in this order, each failing with its own reason:
/// 1. the body is at most `max_body_bytes` (kMalformedResponse, ErrorInfo::field "body"),
///    before any other work;
/// 2. to 5. the signature (kVerificationFailed; ErrorInfo::verification_failure says which):
///    the four Wechatpay-* headers present (kMissingHeaders), the timestamp numeric
///    (kInvalidTimestamp) and within the tolerance (kTimestampSkew), Wechatpay-Serial known
///    (kUnknownSerial), not a `WECHATPAY/SIGNTEST/` probe (kSignTestProbe), and the signature
///    valid over `TIMESTAMP\nNONCE\nRAW_BODY\n` (kSignatureMismatch);
/// 6. the envelope (kMalformedResponse, ErrorInfo::field names the member): a JSON object with
///    `id` (at most 128 bytes, no control characters), `event_type` and `resource`;
///    `resource_type` "encrypt-resource"; `resource.algorithm`
///    "AEAD_AES_256_GCM"; `resource.original_type` consistent with `event_type` ("transaction"
///    for TRANSACTION.*, "refund" for REFUND.*, and the other way round);
/// 7. the decryption (kDecryptionFailed): the GCM tag authenticates ciphertext, nonce and
///    associated_data under the APIv3 key;
/// 8. the plaintext (kMalformedResponse, field "plaintext" or "plaintext.<member>"): a UTF-8
///    JSON object, and for the modelled events the object the event promises.
///
/// Because the body is verified before it is parsed, failures 6 to 8 concern authentic WeChat
/// messages: 6 and 8 mean WeChat sent something this SDK does not accept, 7 almost always a
/// wrong APIv3 key. AnswerFor() maps each category to the HTTP answer.
///
/// @par Thread Safety
/// Immutable; copies share their state; Parse() is safe from many threads at once.
class WECHATPAY_EXPORT NotificationParser {
 public:
  /// A parser that verifies with `verifier` (its keys; its tolerance is replaced by the
  /// options') and decrypts with `cipher`.
  /// Errors: kConfiguration when the verifier has no key, the tolerance is not positive or
  /// max_body_bytes is zero.
  static StatusOr<NotificationParser> Create(SignatureVerifier verifier, AesGcmCipher cipher,
                                             NotificationParserOptions options = {});

  /// Verifies and decrypts one notification (see the class comment for the checks and errors).
  StatusOr<Notification> Parse(HttpHeaders const& headers, std::string_view raw_body) const;

  /// Check 1 of Parse() alone, for a server that learns a body's size before it has read it
  /// whole (a Content-Length header, or a read stopped after max_body_bytes() + 1 bytes) and
  /// refuses it without buffering it. OK when `body_bytes` is at most max_body_bytes();
  /// otherwise Parse()'s error for an oversized body (kMalformedResponse, ErrorInfo::field
  /// "body"), which AnswerFor() answers 413 with the FAIL body.
  Status CheckBodySize(std::uint64_t body_bytes) const;

  /// The body size limit.
  std::size_t max_body_bytes() const noexcept;
  /// The accepted timestamp distance.
  std::chrono::seconds tolerance() const noexcept;

  /// Implementation detail.
  struct Impl;

 private:
  explicit NotificationParser(std::shared_ptr<Impl const> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl const> impl_;
};

/// A parser from the merchant configuration: wxPayPublicKey / wxPayPublicKeyId (see
/// MakeSignatureVerifier()) and apiV3Key (exactly 32 bytes).
/// Errors: kConfiguration naming the missing or invalid setting, or an invalid option.
WECHATPAY_EXPORT StatusOr<NotificationParser> MakeNotificationParser(
    MerchantConfig const& config, NotificationParserOptions options = {});

}  // namespace wechatpay
