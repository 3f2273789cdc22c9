// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The keys "WeChat Pay" signs with (docs/sandbox.md, "Key modes"): the public key (`PUB_KEY_ID_…`)
// and the platform certificates merchants onboarded before public keys download from
// `GET /v3/certificates`. The key mode says which one signs an answer or a callback; rotation
// issues a new certificate that signs from then on while the old ones are served until they
// expire. Saved in the state folder (platform_keys.json and one certificate and key file per
// serial), so a restarted sandbox keeps its mode and certificates.

#include <rapidjson/document.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "http/exchange.hpp"
#include "v3/pki.hpp"
#include "wechatpay/protocol/aes_gcm.hpp"
#include "wechatpay/protocol/keys.hpp"
#include "wechatpay/sandbox/sandbox.hpp"

namespace wechatpay::sandbox::internal {

/// A private key and the serial that names it in Wechatpay-Serial.
struct SigningKey {
  PrivateKey key;
  std::string serial;
  /// True for a platform certificate's key, false for the public key's.
  bool certificate = false;
};

/// The signing keys and the key mode.
///
/// @par Thread Safety
/// Safe from many threads.
class SigningKeys {
 public:
  /// Loads the mode, share and certificates saved in `dir`, applies `mode` and `share` when set
  /// (and saves them), and in a mode with certificates issues a first one, signed by the CA
  /// `load_ca` gives (called only then), when none is valid (certificates the current CA did
  /// not issue are dropped). Errors: kInvalidArgument (share), kConfiguration (state files),
  /// kInternal (generation).
  static StatusOr<std::unique_ptr<SigningKeys>> Load(
      std::string const& dir, std::function<StatusOr<CertificatePem>()> const& load_ca,
      SigningKey public_key, std::optional<KeyMode> mode, std::optional<double> share);

  /// The key mode.
  KeyMode mode() const { return mode_; }

  /// The key for an answer to a request whose Wechatpay-Serial is `request_serial` (empty when
  /// it sent none).
  SigningKey ForAnswer(std::string_view request_serial);

  /// The key for a callback.
  SigningKey ForCallback();
  /// Decrypts a sensitive request field (RSA-OAEP, Base64) with the private key of `serial`, as
  /// WeChat does with the key a request names in Wechatpay-Serial: the public key id or a
  /// platform certificate not yet expired. Errors: kInvalidArgument (no such key), the
  /// decryption's.
  StatusOr<std::string> Decrypt(std::string_view serial, std::string_view ciphertext) const;

  /// Every certificate, oldest first.
  std::vector<PlatformCertificate> List() const;

  /// `{"key_mode","certificate_share","public_key_id","certificates":[…]}` for the control API.
  std::string ListJson() const;

  /// Issues a new certificate that becomes active; see RotateOptions. Returns its serial.
  /// Errors: kInvalidArgument (public-key mode, expire_old_in_seconds < 1), kInternal,
  /// kConfiguration.
  StatusOr<std::string> Rotate(RotateOptions const& options);

  /// Sets and saves the certificate share of the both mode. Errors: kInvalidArgument.
  Status SetShare(double share);

  /// The certificate share of the both mode.
  double share() const;

  /// The answer to `GET /v3/certificates`: 200 with every certificate not yet expired, each
  /// encrypted with `cipher` (the APIv3 key), in public-key mode 404 NOT_FOUND.
  Answer DownloadAnswer(AesGcmCipher const& cipher) const;

 private:
  struct Certificate {
    std::string serial_no;
    std::int64_t not_before = 0;
    std::int64_t not_after = 0;
    std::string cert_pem;
    std::string key_pem;
    PrivateKey key;
  };

  SigningKeys(std::string dir, SigningKey public_key)
      : dir_(std::move(dir)), public_key_(std::move(public_key)) {}

  // Reads platform_keys.json into `doc` (an empty object when there is none) and takes the mode
  // and the share from it.
  Status ReadSaved(rapidjson::Document& doc);
  // Takes the saved certificates whose files are there and that ca_ issued.
  void LoadCertificates(rapidjson::Document const& saved);
  // Writes platform_keys.json. Caller holds mu_ (or is still constructing).
  Status SaveLocked() const;
  // Issues a certificate valid [not_before, not_after] (for `key_pem`, or a fresh key when empty)
  // and writes its files.
  StatusOr<Certificate> Issue(std::string const& serial_no, std::int64_t not_before,
                              std::int64_t not_after, std::string const& key_pem) const;
  SigningKey ActiveLocked() const;
  bool CertificateTurnLocked();

  std::string const dir_;
  SigningKey const public_key_;
  CertificatePem ca_;                    // set in the modes with certificates
  KeyMode mode_ = KeyMode::kPublicKey;   // fixed once loaded
  std::string saved_certificates_json_;  // public-key mode: the saved list, kept as it was
  mutable std::mutex mu_;
  double share_ = 0.5;
  std::vector<Certificate> certificates_;  // oldest first; the last one is active
  std::mt19937_64 random_{std::random_device{}()};
};

}  // namespace wechatpay::sandbox::internal
