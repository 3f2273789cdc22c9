// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/config.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <cstdlib>

#include "common/config_error.hpp"
#include "common/file_path.hpp"
#include "common/printable.hpp"
#include "common/text.hpp"
#include "config_parse.hpp"

namespace wechatpay {
namespace {

using internal::ConfigError;

// Settings that name files: relative paths are resolved against the configuration file's folder
// (or the working directory for environment variables). PEM text is left as is.
bool LooksLikePem(std::string_view value) {
  return value.find("-----BEGIN") != std::string_view::npos;
}

std::string ResolvePath(std::string const& value, std::string const& base_dir) {
  if (value.empty() || LooksLikePem(value)) return value;
  return internal::JoinPath(base_dir, value);
}

// `ledger`: a SQLite file (`sqlite:PATH` or a bare PATH) is a path like the others, so a
// configuration file can name a ledger next to itself; a URL with a scheme (postgresql://) is
// left as is. The value is never parsed further here: OpenLedgerStore() judges it.
std::string ResolveLedger(std::string const& value, std::string const& base_dir) {
  constexpr std::string_view kSqlite = "sqlite:";
  if (value.rfind(kSqlite, 0) == 0) {
    return std::string(kSqlite) + ResolvePath(value.substr(kSqlite.size()), base_dir);
  }
  if (value.find("://") != std::string::npos) return value;
  return ResolvePath(value, base_dir);
}

StatusOr<std::chrono::milliseconds> ParseMilliseconds(std::string_view text,
                                                      std::string_view setting) {
  auto value = internal::ParseInt64(internal::Trim(text));
  if (!value || *value <= 0 || *value > 3600 * 1000) {
    return ConfigError(
        setting, std::string(setting) + " must be a whole number of milliseconds in 1-3600000");
  }
  return std::chrono::milliseconds(*value);
}

// keyMode / WECHATPAY_KEY_MODE: the three names, nothing else (a typo is reported).
StatusOr<VerificationKeys> ParseKeyMode(std::string_view text, std::string_view setting) {
  auto const value = internal::Trim(text);
  if (value == "public-key") return VerificationKeys::kPublicKey;
  if (value == "platform-certificate") return VerificationKeys::kPlatformCertificates;
  if (value == "both") return VerificationKeys::kBoth;
  return ConfigError(setting, std::string(setting) +
                                  " must be \"public-key\", \"platform-certificate\" or \"both\"");
}

// certificateRefreshSeconds: a minute (the on-demand throttle) to a week.
StatusOr<std::chrono::seconds> ParseRefreshSeconds(std::string_view text,
                                                   std::string_view setting) {
  auto value = internal::ParseInt64(internal::Trim(text));
  if (!value || *value < 60 || *value > 7 * 24 * 3600) {
    return ConfigError(setting,
                       std::string(setting) + " must be a whole number of seconds in 60-604800");
  }
  return std::chrono::seconds(*value);
}

// Reads one string member into `out`; a non-string value is an error naming the key.
Status ReadString(rapidjson::Value const& object, char const* key, std::string const& prefix,
                  std::string& out) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd()) return Status();
  if (!it->value.IsString()) return ConfigError(prefix + key, prefix + key + " must be a string");
  out.assign(it->value.GetString(), it->value.GetStringLength());
  return Status();
}

// Reads one boolean member into `out`; anything but true/false is an error naming the key.
Status ReadBool(rapidjson::Value const& object, char const* key, bool& out) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd()) return Status();
  if (!it->value.IsBool()) return ConfigError(key, std::string(key) + " must be true or false");
  out = it->value.GetBool();
  return Status();
}

// A boolean environment variable: true/false/1/0 (case-insensitive), nothing else, so that a
// typo such as "ture" is reported instead of read as false.
StatusOr<bool> ParseBool(std::string_view text, std::string_view setting) {
  auto value = internal::ToLower(internal::Trim(text));
  if (value == "true" || value == "1") return true;
  if (value == "false" || value == "0") return false;
  return ConfigError(setting, std::string(setting) + " must be true, false, 1 or 0");
}

Status ReadMilliseconds(rapidjson::Value const& object, char const* key,
                        std::chrono::milliseconds& out) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd()) return Status();
  if (!it->value.IsInt64())
    return ConfigError(key, std::string(key) + " must be a whole number of milliseconds");
  auto parsed = ParseMilliseconds(std::to_string(it->value.GetInt64()), key);
  if (!parsed) return parsed.status();
  out = *parsed;
  return Status();
}

// Unknown keys are refused so that a misspelt setting is reported instead of silently ignored.
// Keys starting with '_' are free for comments.
Status CheckKnownKeys(rapidjson::Value const& object, std::initializer_list<std::string_view> known,
                      std::string const& prefix) {
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    std::string_view key(it->name.GetString(), it->name.GetStringLength());
    if (!key.empty() && key.front() == '_') continue;
    bool found = false;
    for (auto k : known) found = found || k == key;
    if (!found) {
      return ConfigError(
          prefix + std::string(key),
          "unknown configuration key " + internal::QuoteForMessage(prefix + std::string(key)));
    }
  }
  return Status();
}

Status ParseGateway(rapidjson::Value const& value, GatewayConfig& gateway) {
  if (!value.IsObject()) return ConfigError("gateway", "gateway must be an object");
  auto status = CheckKnownKeys(value, {"envId", "functionName", "accessToken", "url"}, "gateway.");
  if (!status.ok()) return status;
  for (auto [key, out] : {std::pair<char const*, std::string*>{"envId", &gateway.env_id},
                          {"functionName", &gateway.function_name},
                          {"accessToken", &gateway.access_token},
                          {"url", &gateway.url}}) {
    status = ReadString(value, key, "gateway.", *out);
    if (!status.ok()) return status;
  }
  return Status();
}

Status ParseConfigObject(rapidjson::Value const& root, std::string const& base_dir,
                         MerchantConfig& config) {
  auto status = CheckKnownKeys(root,
                               {"appId",
                                "merchantId",
                                "apiV3Key",
                                "merchantSerialNumber",
                                "privateKey",
                                "wxPayPublicKey",
                                "wxPayPublicKeyId",
                                "notifyUrl",
                                "allowHttpNotifyUrl",
                                "baseUrl",
                                "backupBaseUrl",
                                "caFile",
                                "gateway",
                                "connectTimeoutMs",
                                "timeoutMs",
                                "attemptTimeoutMs",
                                "keyMode",
                                "platformCertificates",
                                "platformCertificateCa",
                                "certificateRefreshSeconds",
                                "ledger",
                                "proxy",
                                "proxyFromEnvironment"},
                               "");
  if (!status.ok()) return status;
  for (auto [key, out] : {std::pair<char const*, std::string*>{"appId", &config.app_id},
                          {"merchantId", &config.merchant_id},
                          {"apiV3Key", &config.api_v3_key},
                          {"merchantSerialNumber", &config.merchant_serial_number},
                          {"privateKey", &config.private_key},
                          {"wxPayPublicKey", &config.wx_pay_public_key},
                          {"wxPayPublicKeyId", &config.wx_pay_public_key_id},
                          {"notifyUrl", &config.notify_url},
                          {"baseUrl", &config.base_url},
                          {"backupBaseUrl", &config.backup_base_url},
                          {"caFile", &config.ca_file},
                          {"platformCertificates", &config.platform_certificates},
                          {"platformCertificateCa", &config.platform_certificate_ca},
                          {"ledger", &config.ledger},
                          {"proxy", &config.proxy}}) {
    status = ReadString(root, key, "", *out);
    if (!status.ok()) return status;
  }
  status = ReadBool(root, "allowHttpNotifyUrl", config.allow_http_notify_url);
  if (!status.ok()) return status;
  status = ReadBool(root, "proxyFromEnvironment", config.proxy_from_environment);
  if (!status.ok()) return status;
  config.private_key = ResolvePath(config.private_key, base_dir);
  config.wx_pay_public_key = ResolvePath(config.wx_pay_public_key, base_dir);
  config.ca_file = ResolvePath(config.ca_file, base_dir);
  config.platform_certificates = ResolvePath(config.platform_certificates, base_dir);
  config.platform_certificate_ca = ResolvePath(config.platform_certificate_ca, base_dir);
  config.ledger = ResolveLedger(config.ledger, base_dir);
  std::string key_mode;
  status = ReadString(root, "keyMode", "", key_mode);
  if (!status.ok()) return status;
  if (root.HasMember("keyMode")) {
    auto mode = ParseKeyMode(key_mode, "keyMode");
    if (!mode) return mode.status();
    config.verification_keys = *mode;
  }
  if (auto it = root.FindMember("certificateRefreshSeconds"); it != root.MemberEnd()) {
    if (!it->value.IsInt64()) {
      return ConfigError(
          "certificateRefreshSeconds",
          "certificateRefreshSeconds must be a whole number of seconds in 60-604800");
    }
    auto seconds =
        ParseRefreshSeconds(std::to_string(it->value.GetInt64()), "certificateRefreshSeconds");
    if (!seconds) return seconds.status();
    config.certificate_refresh = *seconds;
  }
  status = ReadMilliseconds(root, "connectTimeoutMs", config.timeouts.connect);
  if (!status.ok()) return status;
  status = ReadMilliseconds(root, "timeoutMs", config.timeouts.total);
  if (!status.ok()) return status;
  status = ReadMilliseconds(root, "attemptTimeoutMs", config.timeouts.attempt);
  if (!status.ok()) return status;
  auto gateway = root.FindMember("gateway");
  if (gateway != root.MemberEnd()) {
    GatewayConfig parsed;
    status = ParseGateway(gateway->value, parsed);
    if (!status.ok()) return status;
    config.gateway = std::move(parsed);
  }
  return Status();
}

}  // namespace

StatusOr<MerchantConfig> internal::ParseMerchantConfig(std::string_view text,
                                                       std::string const& path) {
  rapidjson::Document doc;
  // Iterative: the default parser recurses once per nesting level, and a file of a few hundred
  // kilobytes of '[' exhausted the stack (fuzz/regressions/config_load). Nothing below recurses
  // into values, and the document's pool allocator frees without recursing.
  doc.Parse<rapidjson::kParseIterativeFlag>(text.empty() ? "" : text.data(), text.size());
  if (doc.HasParseError()) {
    return ConfigError(
        "config", "configuration file " + internal::QuoteForMessage(path) +
                      " is not valid JSON: " + rapidjson::GetParseError_En(doc.GetParseError()) +
                      " at offset " + std::to_string(doc.GetErrorOffset()));
  }
  if (!doc.IsObject()) {
    return ConfigError("config", "configuration file " + internal::QuoteForMessage(path) +
                                     " must hold a JSON object");
  }
  MerchantConfig config;
  auto status = ParseConfigObject(doc, internal::ParentDirectory(path), config);
  if (!status.ok()) {
    return Status(status.code(), internal::QuoteForMessage(path) + ": " + status.message(),
                  status.info());
  }
  return config;
}

StatusOr<MerchantConfig> LoadMerchantConfigFile(std::string const& path) {
  auto const contents = internal::ReadWholeFile(path);
  if (contents.problem != internal::FileProblem::kNone) {
    return ConfigError("config", "configuration file " + internal::QuoteForMessage(path) + " " +
                                     std::string(internal::DescribeFileProblem(contents.problem)));
  }
  return internal::ParseMerchantConfig(contents.text, path);
}

Status ApplyEnvironment(MerchantConfig& config) {
  auto env = [](char const* name) -> std::optional<std::string> {
    char const* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
  };
  for (auto [name, out] : {std::pair<char const*, std::string*>{"WECHATPAY_APP_ID", &config.app_id},
                           {"WECHATPAY_MERCHANT_ID", &config.merchant_id},
                           {"WECHATPAY_API_V3_KEY", &config.api_v3_key},
                           {"WECHATPAY_MERCHANT_SERIAL_NUMBER", &config.merchant_serial_number},
                           {"WECHATPAY_PRIVATE_KEY", &config.private_key},
                           {"WECHATPAY_PUBLIC_KEY", &config.wx_pay_public_key},
                           {"WECHATPAY_PUBLIC_KEY_ID", &config.wx_pay_public_key_id},
                           {"WECHATPAY_NOTIFY_URL", &config.notify_url},
                           {"WECHATPAY_BASE_URL", &config.base_url},
                           {"WECHATPAY_BACKUP_BASE_URL", &config.backup_base_url},
                           {"WECHATPAY_CA_FILE", &config.ca_file},
                           {"WECHATPAY_PLATFORM_CERTIFICATES", &config.platform_certificates},
                           {"WECHATPAY_PLATFORM_CERTIFICATE_CA", &config.platform_certificate_ca},
                           {"WECHATPAY_LEDGER", &config.ledger},
                           {"WECHATPAY_PROXY", &config.proxy}}) {
    if (auto value = env(name)) *out = std::move(*value);
  }
  if (auto value = env("WECHATPAY_ALLOW_HTTP_NOTIFY_URL")) {
    auto parsed = ParseBool(*value, "WECHATPAY_ALLOW_HTTP_NOTIFY_URL");
    if (!parsed) return parsed.status();
    config.allow_http_notify_url = *parsed;
  }
  if (auto value = env("WECHATPAY_PROXY_FROM_ENVIRONMENT")) {
    auto parsed = ParseBool(*value, "WECHATPAY_PROXY_FROM_ENVIRONMENT");
    if (!parsed) return parsed.status();
    config.proxy_from_environment = *parsed;
  }
  if (auto value = env("WECHATPAY_KEY_MODE")) {
    auto mode = ParseKeyMode(*value, "WECHATPAY_KEY_MODE");
    if (!mode) return mode.status();
    config.verification_keys = *mode;
  }
  if (auto value = env("WECHATPAY_CERTIFICATE_REFRESH_SECONDS")) {
    auto seconds = ParseRefreshSeconds(*value, "WECHATPAY_CERTIFICATE_REFRESH_SECONDS");
    if (!seconds) return seconds.status();
    config.certificate_refresh = *seconds;
  }
  bool any_gateway = false;
  GatewayConfig gateway = config.gateway.value_or(GatewayConfig{});
  for (auto [name, out] :
       {std::pair<char const*, std::string*>{"WECHATPAY_GATEWAY_ENV_ID", &gateway.env_id},
        {"WECHATPAY_GATEWAY_FUNCTION", &gateway.function_name},
        {"WECHATPAY_ACCESS_TOKEN", &gateway.access_token},
        {"WECHATPAY_GATEWAY_URL", &gateway.url}}) {
    if (auto value = env(name)) {
      *out = std::move(*value);
      any_gateway = true;
    }
  }
  if (any_gateway) config.gateway = std::move(gateway);
  for (auto [name, out] : {std::pair<char const*, std::chrono::milliseconds*>{
                               "WECHATPAY_CONNECT_TIMEOUT_MS", &config.timeouts.connect},
                           {"WECHATPAY_TIMEOUT_MS", &config.timeouts.total},
                           {"WECHATPAY_ATTEMPT_TIMEOUT_MS", &config.timeouts.attempt}}) {
    if (auto value = env(name)) {
      auto parsed = ParseMilliseconds(*value, name);
      if (!parsed) return parsed.status();
      *out = *parsed;
    }
  }
  return Status();
}

StatusOr<MerchantConfig> LoadMerchantConfig(std::optional<std::string> const& path) {
  MerchantConfig config;
  if (path) {
    auto loaded = LoadMerchantConfigFile(*path);
    if (!loaded) return loaded.status();
    config = std::move(*loaded);
  }
  auto status = ApplyEnvironment(config);
  if (!status.ok()) return status;
  return config;
}

}  // namespace wechatpay
