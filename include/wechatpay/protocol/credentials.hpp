// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file credentials.hpp
/// Builds the protocol objects from a MerchantConfig, checking each setting it needs and
/// naming the setting in every error. Each needs only its own settings, so a tool that only
/// signs needs no WeChat Pay public key.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>
#include "wechatpay/export.hpp"

#include "wechatpay/config.hpp"
#include "wechatpay/protocol/aes_gcm.hpp"
#include "wechatpay/protocol/key_set.hpp"
#include "wechatpay/protocol/keys.hpp"
#include "wechatpay/protocol/signing.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay {

/// Reads a PEM setting: `value` itself when it holds PEM text (contains "-----BEGIN"; literal
/// "\n" sequences, as found in environment variables, become newlines), else the contents of
/// the file it names (at most 1 MiB). `setting` names the setting in errors (e.g.
/// "privateKey").
/// Errors: kConfiguration when empty, when the value is neither PEM text nor the path of a
/// readable regular file, or when that file is larger than 1 MiB. The message never quotes the
/// value: it may be key material that lost its PEM header.
WECHATPAY_EXPORT StatusOr<std::string> LoadPem(std::string_view value, std::string_view setting);

/// A signer from merchantId, merchantSerialNumber and privateKey.
/// Errors: kConfiguration naming the missing or invalid setting.
WECHATPAY_EXPORT StatusOr<RequestSigner> MakeRequestSigner(MerchantConfig const& config);

/// The WeChat Pay public key and the id WeChat names it by in Wechatpay-Serial.
struct WECHATPAY_EXPORT WxPayPublicKey {
  /// wxPayPublicKeyId, or the certificate's serial when wxPayPublicKey is a certificate and no
  /// id is configured.
  std::string id;
  /// The parsed key.
  PublicKey key;
};

/// Reads and checks wxPayPublicKey and wxPayPublicKeyId.
/// Errors: kConfiguration naming the missing or invalid setting.
WECHATPAY_EXPORT StatusOr<WxPayPublicKey> LoadWxPayPublicKey(MerchantConfig const& config);

/// Reads platformCertificates: a PEM file of one or more certificates, or a folder whose `*.pem`
/// files are read (at most KeySet::kMaxCertificates certificates in all). Empty when the
/// setting is. Errors: kConfiguration (field "platformCertificates") naming the rule, never
/// quoting file contents.
WECHATPAY_EXPORT StatusOr<std::vector<PlatformCertificate>> LoadPlatformCertificates(
    MerchantConfig const& config);

/// platformCertificateCa as PEM text ("" when not set). Errors: kConfiguration (field
/// "platformCertificateCa") when it cannot be read or holds no PEM certificate.
WECHATPAY_EXPORT StatusOr<std::string> LoadPlatformCertificateCa(MerchantConfig const& config);

/// The keys the configuration gives before any download, by keyMode: the WeChat Pay public key
/// (public-key and both), and the platformCertificates not expired at `now` (platform-certificate
/// and both). Errors: kConfiguration naming the missing or invalid setting, and
/// platformCertificates set in public-key mode (it would be ignored).
WECHATPAY_EXPORT StatusOr<KeySet> LoadKeySet(MerchantConfig const& config,
                                             std::chrono::system_clock::time_point now);

/// A verifier holding the keys of LoadKeySet(): in public-key mode wxPayPublicKey under
/// wxPayPublicKeyId (when wxPayPublicKey is a certificate and no id is set, under the
/// certificate's serial); in the other modes also the local platformCertificates. It downloads
/// nothing: in platform-certificate mode without local certificates it fails (field
/// platformCertificates), and a verifier that downloads comes from PlatformKeys
/// (wechatpay/channel/platform_keys.hpp).
/// Errors: kConfiguration naming the missing or invalid setting.
WECHATPAY_EXPORT StatusOr<SignatureVerifier> MakeSignatureVerifier(MerchantConfig const& config);

/// The AEAD_AES_256_GCM cipher keyed with apiV3Key.
/// Errors: kConfiguration when apiV3Key is missing or not exactly 32 bytes.
WECHATPAY_EXPORT StatusOr<AesGcmCipher> MakeAesGcmCipher(MerchantConfig const& config);

}  // namespace wechatpay
