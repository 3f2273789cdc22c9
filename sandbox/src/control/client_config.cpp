// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "control/client_config.hpp"

#include "http/json_util.hpp"

namespace wechatpay::sandbox::internal {

std::string ClientConfigJson(MerchantConfig const& config) {
  JsonObject json;
  json.Str("appId", config.app_id)
      .Str("merchantId", config.merchant_id)
      .Str("apiV3Key", config.api_v3_key)
      .Str("merchantSerialNumber", config.merchant_serial_number)
      .Str("privateKey", config.private_key);
  // A certificate-only merchant has no public key (the sandbox's certificate key mode).
  if (!config.wx_pay_public_key.empty()) json.Str("wxPayPublicKey", config.wx_pay_public_key);
  if (!config.wx_pay_public_key_id.empty()) {
    json.Str("wxPayPublicKeyId", config.wx_pay_public_key_id);
  }
  json.Str("notifyUrl", config.notify_url).Str("baseUrl", config.base_url);
  if (!config.ca_file.empty()) json.Str("caFile", config.ca_file);
  // The key mode, so that a certificate-mode configuration loads and verifies as written.
  switch (config.verification_keys) {
    case VerificationKeys::kPublicKey:
      break;
    case VerificationKeys::kPlatformCertificates:
      json.Str("keyMode", "platform-certificate");
      break;
    case VerificationKeys::kBoth:
      json.Str("keyMode", "both");
      break;
  }
  if (!config.platform_certificate_ca.empty()) {
    json.Str("platformCertificateCa", config.platform_certificate_ca);
  }
  if (config.gateway) {
    json.Raw("gateway", JsonObject()
                            .Str("envId", config.gateway->env_id)
                            .Str("functionName", config.gateway->function_name)
                            .Str("accessToken", config.gateway->access_token)
                            .Str("url", config.gateway->url)
                            .Build());
  }
  rapidjson::Document doc;
  ParseJson(json.Build(), doc);
  return ToPrettyJson(doc);
}

std::string PublicIdentityJson(Identity const& identity) {
  return JsonObject()
      .Str("appId", identity.app_id)
      .Str("serviceAppId", identity.service_app_id)
      .Str("merchantId", identity.merchant_id)
      .Str("merchantSerialNumber", identity.merchant_serial_number)
      .Str("wxPayPublicKeyId", identity.wechatpay_public_key_id)
      .Str("wxPayPublicKey", identity.wechatpay_public_key_file)
      .Str("caFile", identity.ca_file)
      .Str("envId", identity.env_id)
      .Str("functionName", identity.function_name)
      .Build();
}

}  // namespace wechatpay::sandbox::internal
