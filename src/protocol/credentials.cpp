// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/protocol/credentials.hpp"

#include "common/config_error.hpp"
#include "common/file_path.hpp"
#include "common/wipe.hpp"

namespace wechatpay {
namespace {

using internal::ConfigError;

Status Require(std::string const& value, std::string_view setting, std::string_view env) {
  if (!value.empty()) return Status();
  return ConfigError(setting, std::string(setting) + " is required (configuration key " +
                                  std::string(setting) + " or environment variable " +
                                  std::string(env) + ")");
}

}  // namespace

StatusOr<std::string> LoadPem(std::string_view value, std::string_view setting) {
  if (value.empty()) return ConfigError(setting, std::string(setting) + " is empty");
  if (value.find("-----BEGIN") != std::string_view::npos) {
    std::string pem;
    pem.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (value[i] == '\\' && i + 1 < value.size() && value[i + 1] == 'n') {
        pem.push_back('\n');
        ++i;
      } else {
        pem.push_back(value[i]);
      }
    }
    return pem;
  }
  auto file = internal::ReadWholeFile(std::string(value));
  switch (file.problem) {
    case internal::FileProblem::kNone:
      return std::move(file.text);
    case internal::FileProblem::kInvalidPath:
    case internal::FileProblem::kNotFound:
      // Most likely key material that lost its header (a bare Base64 body, "----BEGIN" with
      // four dashes) and was taken for a path: never quoted, not even in part.
      return ConfigError(setting, std::string(setting) +
                                      " is neither PEM text (no \"-----BEGIN\" line) nor the "
                                      "path of a readable file");
    default:
      // A path to something real: the value is a path, but a path may still not be quoted
      // (the value of this setting can be key material).
      return ConfigError(setting, std::string(setting) + " names a path that " +
                                      std::string(internal::DescribeFileProblem(file.problem)) +
                                      "; expected PEM text or the path of a PEM file");
  }
}

StatusOr<RequestSigner> MakeRequestSigner(MerchantConfig const& config) {
  for (auto [value, setting, env] :
       {std::tuple<std::string const&, char const*, char const*>{config.merchant_id, "merchantId",
                                                                 "WECHATPAY_MERCHANT_ID"},
        {config.merchant_serial_number, "merchantSerialNumber", "WECHATPAY_MERCHANT_SERIAL_NUMBER"},
        {config.private_key, "privateKey", "WECHATPAY_PRIVATE_KEY"}}) {
    auto status = Require(value, setting, env);
    if (!status.ok()) return status;
  }
  auto pem = LoadPem(config.private_key, "privateKey");
  if (!pem) return pem.status();
  internal::WipedString const text(*std::move(pem));  // key material, wiped when released
  auto key = PrivateKey::FromPem(text.value);
  if (!key) return ConfigError("privateKey", "privateKey: " + key.status().message());
  return RequestSigner::Create(config.merchant_id, config.merchant_serial_number, *std::move(key));
}

StatusOr<WxPayPublicKey> LoadWxPayPublicKey(MerchantConfig const& config) {
  auto status = Require(config.wx_pay_public_key, "wxPayPublicKey", "WECHATPAY_PUBLIC_KEY");
  if (!status.ok()) return status;
  auto pem = LoadPem(config.wx_pay_public_key, "wxPayPublicKey");
  if (!pem) return pem.status();
  auto key = PublicKey::FromPem(*pem);
  if (!key) return ConfigError("wxPayPublicKey", "wxPayPublicKey: " + key.status().message());
  std::string id = config.wx_pay_public_key_id;
  if (id.empty()) id = key->certificate_serial();
  if (id.empty()) {
    return ConfigError(
        "wxPayPublicKeyId",
        "wxPayPublicKeyId is required (configuration key wxPayPublicKeyId or environment "
        "variable WECHATPAY_PUBLIC_KEY_ID), e.g. PUB_KEY_ID_0112...");
  }
  if (id.size() > 64)
    return ConfigError("wxPayPublicKeyId", "wxPayPublicKeyId must be at most 64 characters");
  for (char c : id) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '"') {
      return ConfigError("wxPayPublicKeyId",
                         "wxPayPublicKeyId must be printable ASCII without spaces or quotes");
    }
  }
  return WxPayPublicKey{std::move(id), *std::move(key)};
}

StatusOr<SignatureVerifier> MakeSignatureVerifier(MerchantConfig const& config) {
  auto loaded = LoadWxPayPublicKey(config);
  if (!loaded) return loaded.status();
  SignatureVerifier verifier;
  auto status = verifier.AddKey(loaded->id, loaded->key);
  if (!status.ok()) return status;
  return verifier;
}

StatusOr<AesGcmCipher> MakeAesGcmCipher(MerchantConfig const& config) {
  auto status = Require(config.api_v3_key, "apiV3Key", "WECHATPAY_API_V3_KEY");
  if (!status.ok()) return status;
  return AesGcmCipher::Create(config.api_v3_key);
}

}  // namespace wechatpay
