// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file signing.hpp
/// Request signing (WECHATPAY2-SHA256-RSA2048) and response/notification verification.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include "wechatpay/export.hpp"

#include "wechatpay/http/types.hpp"
#include "wechatpay/protocol/constants.hpp"
#include "wechatpay/protocol/key_set.hpp"
#include "wechatpay/protocol/keys.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay {

/// The five-line request message: `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n`. `canonical_url` is
/// the request target exactly as sent (path plus `?query`), `body` the exact body bytes
/// (empty for GET, so the message ends in "\n\n").
WECHATPAY_EXPORT std::string BuildRequestSignMessage(std::string_view method,
                                                     std::string_view canonical_url,
                                                     std::int64_t timestamp, std::string_view nonce,
                                                     std::string_view body);

/// The three-line response/notification message: `TIMESTAMP\nNONCE\nBODY\n` (an empty body,
/// as in a 204, gives "TIMESTAMP\nNONCE\n\n").
WECHATPAY_EXPORT std::string BuildResponseSignMessage(std::string_view timestamp,
                                                      std::string_view nonce,
                                                      std::string_view body);

/// Signs API v3 requests with the merchant private key.
///
/// @par Thread Safety
/// Immutable; safe to use from many threads at once.
class WECHATPAY_EXPORT RequestSigner {
 public:
  /// Checks and keeps the merchant id (digits), the merchant certificate serial (hex) and the
  /// private key. Errors: kConfiguration naming merchantId, merchantSerialNumber or privateKey.
  static StatusOr<RequestSigner> Create(std::string merchant_id, std::string serial_number,
                                        PrivateKey private_key);

  /// The complete Authorization header value for the request:
  /// `WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",timestamp="…",serial_no="…",signature="…"`.
  StatusOr<std::string> Authorization(std::string_view method, std::string_view canonical_url,
                                      std::string_view body, std::int64_t timestamp,
                                      std::string_view nonce) const;

  /// The merchant id.
  std::string const& merchant_id() const noexcept { return merchant_id_; }
  /// The merchant certificate serial number.
  std::string const& serial_number() const noexcept { return serial_number_; }

 private:
  RequestSigner(std::string merchant_id, std::string serial_number, PrivateKey key)
      : merchant_id_(std::move(merchant_id)),
        serial_number_(std::move(serial_number)),
        key_(std::move(key)) {}

  std::string merchant_id_;
  std::string serial_number_;
  PrivateKey key_;
};

/// The four Wechatpay-* values that authenticate a response or a notification.
struct WECHATPAY_EXPORT SignatureHeaders {
  /// Wechatpay-Timestamp (Unix seconds, as text).
  std::string timestamp;
  /// Wechatpay-Nonce.
  std::string nonce;
  /// Wechatpay-Signature (Base64).
  std::string signature;
  /// Wechatpay-Serial: a public key id (`PUB_KEY_ID_…`) or a platform certificate serial.
  std::string serial;

  /// Reads the four headers (case-insensitively); absent ones stay empty.
  static SignatureHeaders From(HttpHeaders const& headers);
};

/// Verifies WeChat Pay signatures with a set of keys chosen by exact Wechatpay-Serial match:
/// the WeChat Pay public key under its id, and platform certificates under their serials (both
/// may be present during the certificate-to-public-key migration). An unknown serial is a
/// failure, never "the first key". The keys are either the verifier's own (AddKey(),
/// AddCertificate(), or a KeySet given at construction) or those of a KeySetHolder, read afresh
/// for every verification so that a refresh takes effect at once.
///
/// @par Thread Safety
/// Build it, then share it: const member functions are safe from many threads at once, also
/// while another thread replaces the KeySetHolder's set; AddKey()/AddCertificate()/
/// set_tolerance() must not run concurrently with anything else.
class WECHATPAY_EXPORT SignatureVerifier {
 public:
  /// The default tolerance between Wechatpay-Timestamp and the local clock (kTimestampWindow).
  static constexpr std::chrono::seconds kDefaultTolerance = kTimestampWindow;

  /// A verifier without keys; add them with AddKey() and AddCertificate().
  SignatureVerifier() = default;
  /// A verifier with the keys of `keys`; more may be added with AddKey() and AddCertificate().
  explicit SignatureVerifier(KeySet keys);
  /// A verifier that verifies with `holder`'s current set at each call (null: no keys).
  /// AddKey() and AddCertificate() then fail: the holder's owner publishes keys.
  explicit SignatureVerifier(std::shared_ptr<KeySetHolder const> holder);

  /// Asked by Verify() when Wechatpay-Serial names no key of the holder's set (after the
  /// timestamp check): may bring the key into the holder (a platform certificate download) and
  /// returns true when Verify() should look the serial up once more. Called concurrently from
  /// every verifying thread; it must bound its own work (see PlatformKeys).
  using UnknownSerialHook = std::function<bool(std::string_view serial)>;
  /// A verifier over `holder` that calls `on_unknown_serial` for a serial the holder lacks.
  SignatureVerifier(std::shared_ptr<KeySetHolder const> holder,
                    UnknownSerialHook on_unknown_serial);
  /// True when Verify() may fetch keys it lacks (an UnknownSerialHook is set), so an empty set
  /// now is not an empty set for good.
  bool fetches_keys() const noexcept { return static_cast<bool>(on_unknown_serial_); }

  /// Adds `key` under `id` (the `PUB_KEY_ID_…` id, or any serial WeChat will send).
  /// Errors: kConfiguration when `id` is empty or already present, or the keys come from a
  /// KeySetHolder.
  Status AddKey(std::string id, PublicKey key);
  /// Adds a platform certificate (PEM) under its own serial number. Errors: kConfiguration.
  Status AddCertificate(std::string_view certificate_pem);
  /// True when a key with exactly this id or serial is known.
  bool HasKey(std::string_view id) const;
  /// Number of keys.
  std::size_t size() const noexcept;

  /// Sets the accepted clock skew (default 300 s; a skew equal to the tolerance is rejected).
  /// Zero or negative values are ignored: the check cannot be turned off.
  void set_tolerance(std::chrono::seconds tolerance);
  /// The accepted clock skew.
  std::chrono::seconds tolerance() const noexcept { return tolerance_; }

  /// Verifies `headers` over `body` (the raw bytes as received) at time `now`, in this order:
  /// headers present, timestamp numeric and within tolerance, serial known, SIGNTEST probe,
  /// signature. Errors: kVerificationFailed with ErrorInfo::verification_failure set.
  Status Verify(SignatureHeaders const& headers, std::string_view body,
                std::chrono::system_clock::time_point now) const;

 private:
  // The set to verify with: the holder's current one, kept alive by `pin`, or the own set.
  // Null when there are no keys at all.
  KeySet const* Keys(std::shared_ptr<KeySet const>& pin) const noexcept;

  // The verifier's own keys, shared copy-on-write between copies (AddKey() replaces the
  // pointer, never the set), so copying a verifier stays cheap and copies stay independent.
  std::shared_ptr<KeySet const> keys_;
  std::shared_ptr<KeySetHolder const> holder_;  // when set, the keys come from here
  UnknownSerialHook on_unknown_serial_;         // only with holder_
  std::chrono::seconds tolerance_ = kDefaultTolerance;
};

}  // namespace wechatpay
