// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file platform_keys.hpp
/// The keys WeChat Pay's answers and callbacks are verified with, for one merchant: the WeChat
/// Pay public key and/or platform certificates downloaded from `GET /v3/certificates`, kept
/// current on a schedule and when an answer or callback names a serial not yet known
/// (docs/direct-backend.md, "Platform certificates"). A client and its notification parser
/// share one (NativePayClient::MakeNotificationParser()).

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "wechatpay/config.hpp"
#include "wechatpay/export.hpp"
#include "wechatpay/protocol/aes_gcm.hpp"
#include "wechatpay/protocol/key_set.hpp"
#include "wechatpay/protocol/signing.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay {

/// A merchant's verification keys, by MerchantConfig::verification_keys (keyMode):
/// - public-key: the WeChat Pay public key; nothing is ever downloaded.
/// - platform-certificate and both: the public key (both only) and the local
///   platformCertificates, then the certificates of `GET /v3/certificates`, downloaded with the
///   merchant's signed request, decrypted with the APIv3 key, checked (and chained to
///   platformCertificateCa when set) and merged: a certificate stays until it expires even
///   when a later download no longer lists it.
///
/// Downloads happen on the calling thread, never in the background: the first call of a
/// client, then when certificateRefreshSeconds (12 h) have passed since the last successful one
/// (one minute after a failed one), and on demand when a verification meets a serial the set
/// lacks — at most once a minute, one at a time: concurrent verifications wait for the download
/// in flight, and beyond the throttle fail as unknown serials (kVerificationFailed,
/// VerificationFailure::kUnknownSerial).
///
/// @par Thread Safety
/// All member functions are safe from many threads at once. Verifications read the current
/// set with one atomic load and never wait for a lock a download holds; only a verification
/// that meets an unknown serial waits, for the download that may bring it.
class WECHATPAY_EXPORT PlatformKeys {
 public:
  /// Least time between two on-demand downloads (unknown serials).
  static constexpr std::chrono::seconds kMinDownloadInterval{60};

  /// Checks every setting the mode needs now (signing credentials, wxPayPublicKey in
  /// public-key and both mode, apiV3Key in the certificate modes, platformCertificates,
  /// platformCertificateCa, baseUrl); downloads nothing yet. `options` gives the transport,
  /// clock, logger and retries of the downloads (a client built with the same options shares
  /// the transport). Errors: kConfiguration naming the setting and the rule.
  static StatusOr<std::shared_ptr<PlatformKeys>> Create(MerchantConfig const& config,
                                                        ClientOptions options = {});

  /// Releases this handle; verifiers made by Verifier() keep the shared state alive.
  ~PlatformKeys();
  /// Not copyable: share it through the std::shared_ptr Create() returns.
  PlatformKeys(PlatformKeys const&) = delete;
  /// Not copyable.
  PlatformKeys& operator=(PlatformKeys const&) = delete;

  /// The configured mode.
  VerificationKeys mode() const noexcept;
  /// The current keys (a snapshot is one Get()).
  std::shared_ptr<KeySetHolder const> holder() const noexcept;
  /// A verifier over holder() that, outside public-key mode, downloads on an unknown serial as
  /// described above. Copies share this object's state.
  SignatureVerifier Verifier() const;
  /// The AEAD_AES_256_GCM cipher of apiV3Key; null when none is configured (public-key mode).
  AesGcmCipher const* cipher() const noexcept;
  /// What a request names in Wechatpay-Serial: the public key id when one is configured, else
  /// the serial of the newest valid certificate, else "" (the header is then left out).
  std::string SerialToSend() const;
  /// Encrypts a sensitive request field with the key SerialToSend() names and returns it with
  /// that serial (KeySet::EncryptSensitive() on the current keys). Outside public-key mode,
  /// downloads first when no certificate is held yet. Send the returned serial in the
  /// request's Wechatpay-Serial.
  StatusOr<SensitiveField> EncryptSensitive(std::string_view plaintext);

  /// Downloads now, whatever the schedule and the throttle (waits for a download in flight
  /// instead of starting a second). Errors: the download's (kServiceError, transport errors),
  /// kVerificationFailed when the answer's signature does not verify, the errors of
  /// ReadPlatformCertificates(); the key set is then unchanged. kInvalidArgument in public-key
  /// mode.
  Status Refresh();
  /// Downloads when the schedule says so and no download is in flight; otherwise returns at
  /// once. The direct channel calls it before each call. A failure is logged and returned.
  Status RefreshIfDue();
  /// Downloads attempted so far (each counted once, whatever its retries).
  std::uint64_t downloads() const noexcept;

 private:
  struct Impl;
  friend struct PlatformKeysAccess;  // the direct channel reuses the transport
  explicit PlatformKeys(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace wechatpay
