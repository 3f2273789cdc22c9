// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/protocol/credentials.hpp"

#include "common/config_error.hpp"
#include "common/file_path.hpp"
#include "common/wipe.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

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

namespace {

constexpr std::string_view kBeginCertificate = "-----BEGIN CERTIFICATE-----";
constexpr std::string_view kEndCertificate = "-----END CERTIFICATE-----";

// Appends the certificates of one PEM text (`what` names its file in errors, never its text).
Status AddCertificatesFromPem(std::string_view text, std::string const& what,
                              std::vector<PlatformCertificate>& out) {
  std::size_t found = 0;
  for (std::size_t at = text.find(kBeginCertificate); at != std::string_view::npos;
       at = text.find(kBeginCertificate, at)) {
    auto const end = text.find(kEndCertificate, at);
    if (end == std::string_view::npos) {
      return ConfigError("platformCertificates", "platformCertificates: " + what +
                                                     " has a certificate without its END line");
    }
    auto const stop = end + kEndCertificate.size();
    auto certificate = PlatformCertificate::FromPem(text.substr(at, stop - at));
    if (!certificate) {
      return ConfigError("platformCertificates", "platformCertificates: certificate " +
                                                     std::to_string(found + 1) + " of " + what +
                                                     ": " + certificate.status().message());
    }
    if (out.size() == KeySet::kMaxCertificates) {
      return ConfigError("platformCertificates", "platformCertificates holds more than " +
                                                     std::to_string(KeySet::kMaxCertificates) +
                                                     " certificates");
    }
    out.push_back(*std::move(certificate));
    ++found;
    at = stop;
  }
  if (found == 0) {
    return ConfigError("platformCertificates",
                       "platformCertificates: " + what + " holds no PEM certificate");
  }
  return Status();
}

}  // namespace

StatusOr<std::vector<PlatformCertificate>> LoadPlatformCertificates(MerchantConfig const& config) {
  std::vector<PlatformCertificate> out;
  std::string const& setting = config.platform_certificates;
  if (setting.empty()) return out;
  if (setting.find("-----BEGIN") != std::string::npos) {
    auto pem = LoadPem(setting, "platformCertificates");
    if (!pem) return pem.status();
    auto status = AddCertificatesFromPem(*pem, "the PEM text", out);
    if (!status.ok()) return status;
    return out;
  }
  std::error_code error;
  namespace fs = std::filesystem;
  if (!fs::is_directory(setting, error)) {
    auto pem = LoadPem(setting, "platformCertificates");
    if (!pem) return pem.status();
    auto status = AddCertificatesFromPem(*pem, "the file", out);
    if (!status.ok()) return status;
    return out;
  }
  // A folder: its *.pem files in name order, so that errors name the same file every run.
  std::vector<std::string> files;
  for (fs::directory_iterator it(setting, error), end; !error && it != end; it.increment(error)) {
    if (it->path().extension() == ".pem") files.push_back(it->path().string());
    if (files.size() > 4 * KeySet::kMaxCertificates) break;  // bounded: the check below refuses
  }
  if (error) {
    return ConfigError("platformCertificates",
                       "platformCertificates names a folder that cannot be listed");
  }
  std::sort(files.begin(), files.end());
  for (auto const& file : files) {
    auto pem = LoadPem(file, "platformCertificates");
    if (!pem) return pem.status();
    auto const name = fs::path(file).filename().string();
    auto status = AddCertificatesFromPem(*pem, "the file " + name + " of the folder", out);
    if (!status.ok()) return status;
  }
  if (out.empty()) {
    return ConfigError("platformCertificates",
                       "platformCertificates names a folder without *.pem files");
  }
  return out;
}

StatusOr<std::string> LoadPlatformCertificateCa(MerchantConfig const& config) {
  if (config.platform_certificate_ca.empty()) return std::string();
  auto pem = LoadPem(config.platform_certificate_ca, "platformCertificateCa");
  if (!pem) return pem.status();
  if (pem->find(kBeginCertificate) == std::string::npos) {
    return ConfigError("platformCertificateCa",
                       "platformCertificateCa holds no PEM certificate (BEGIN CERTIFICATE)");
  }
  return pem;
}

StatusOr<KeySet> LoadKeySet(MerchantConfig const& config,
                            std::chrono::system_clock::time_point now) {
  KeySet keys;
  auto const mode = config.verification_keys;
  if (mode != VerificationKeys::kPlatformCertificates) {
    auto loaded = LoadWxPayPublicKey(config);
    if (!loaded) return loaded.status();
    auto status = keys.AddKey(loaded->id, loaded->key);
    if (!status.ok()) return status;
  }
  if (mode == VerificationKeys::kPublicKey) {
    for (auto [value, setting] : {std::pair<std::string const&, char const*>{
                                      config.platform_certificates, "platformCertificates"},
                                  {config.platform_certificate_ca, "platformCertificateCa"}}) {
      if (!value.empty()) {
        return ConfigError(setting, std::string(setting) +
                                        " is only used with keyMode \"platform-certificate\" "
                                        "or \"both\" (keyMode is \"public-key\")");
      }
    }
    return keys;
  }
  auto local = LoadPlatformCertificates(config);
  if (!local) return local.status();
  return keys.MergedWith(*local, now);
}

StatusOr<SignatureVerifier> MakeSignatureVerifier(MerchantConfig const& config) {
  auto keys = LoadKeySet(config, std::chrono::system_clock::now());
  if (!keys) return keys.status();
  if (keys->size() == 0) {
    return ConfigError("platformCertificates",
                       "keyMode \"platform-certificate\" without platformCertificates has no key "
                       "before certificates are downloaded: verify with the keys of a client "
                       "(NativePayClient::MakeNotificationParser()) or a PlatformKeys");
  }
  return SignatureVerifier(*std::move(keys));
}

StatusOr<AesGcmCipher> MakeAesGcmCipher(MerchantConfig const& config) {
  auto status = Require(config.api_v3_key, "apiV3Key", "WECHATPAY_API_V3_KEY");
  if (!status.ok()) return status;
  return AesGcmCipher::Create(config.api_v3_key);
}

}  // namespace wechatpay
