// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "support/wechat_side.hpp"

#include <map>

#include "common/nonce.hpp"
#include "support/test_data.hpp"

namespace wechatpay::testing {

MerchantConfig TestMerchant::Config(std::string base_url) {
  MerchantConfig config;
  config.app_id = kAppId;
  config.merchant_id = kMerchantId;
  config.api_v3_key = kApiV3Key;
  config.merchant_serial_number = kSerial;
  config.private_key = DataPath("keys/official_doc_test_key.pem");
  config.wx_pay_public_key = DataPath("keys/java_wechat_pay_public_key.pem");
  config.wx_pay_public_key_id = kPublicKeyId;
  config.notify_url = kNotifyUrl;
  config.base_url = std::move(base_url);
  return config;
}

WeChatSide::WeChatSide()
    : key_(PrivateKey::FromPem(ReadData("keys/java_wechat_pay_private_key.pem")).value()) {}

HttpResponse WeChatSide::Signed(int status, std::string body, std::int64_t timestamp,
                                std::string serial) const {
  HttpResponse response;
  response.status_code = status;
  std::string const nonce = internal::GenerateNonce();
  std::string const ts = std::to_string(timestamp);
  response.headers.Add("Request-ID", "08DEADBEEF-" + std::to_string(status));
  response.headers.Add("Wechatpay-Timestamp", ts);
  response.headers.Add("Wechatpay-Nonce", nonce);
  response.headers.Add("Wechatpay-Serial", std::move(serial));
  response.headers.Add("Wechatpay-Signature",
                       key_.SignSha256(BuildResponseSignMessage(ts, nonce, body)).value());
  response.headers.Add("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048");
  if (!body.empty()) response.headers.Add("Content-Type", "application/json");
  response.body = std::move(body);
  return response;
}

HttpResponse WeChatSide::Unsigned(int status, std::string body) {
  HttpResponse response;
  response.status_code = status;
  response.headers.Add("Request-ID", "08UNSIGNED-" + std::to_string(status));
  response.body = std::move(body);
  return response;
}

std::string WeChatSide::CheckAuthorization(HttpRequest const& request, std::string const& target) {
  std::string const header(request.headers.Get("Authorization"));
  std::string const scheme = "WECHATPAY2-SHA256-RSA2048 ";
  if (header.compare(0, scheme.size(), scheme) != 0) return "bad scheme: " + header.substr(0, 30);
  // Parse key="value" pairs separated by commas, no spaces.
  std::map<std::string, std::string> fields;
  std::size_t pos = scheme.size();
  while (pos < header.size()) {
    auto eq = header.find("=\"", pos);
    if (eq == std::string::npos) return "malformed parameters";
    auto end = header.find('"', eq + 2);
    if (end == std::string::npos) return "unterminated value";
    fields[header.substr(pos, eq - pos)] = header.substr(eq + 2, end - eq - 2);
    pos = end + 1;
    if (pos < header.size()) {
      if (header[pos] != ',') return "parameters must be separated by ',' without spaces";
      ++pos;
    }
  }
  if (fields.size() != 5) return "expected 5 parameters";
  if (fields["mchid"] != TestMerchant::kMerchantId) return "wrong mchid";
  if (fields["serial_no"] != TestMerchant::kSerial) return "wrong serial_no";
  if (fields["nonce_str"].size() != 32) return "nonce must be 32 characters";
  auto timestamp = fields["timestamp"];
  std::string const message = request.method + "\n" + target + "\n" + timestamp + "\n" +
                              fields["nonce_str"] + "\n" + request.body + "\n";
  auto key = PublicKey::FromPem(ReadData("keys/official_doc_test_pub.pem")).value();
  auto status = key.VerifySha256(message, fields["signature"]);
  if (!status.ok()) return "signature does not verify: " + status.message();
  return "";
}

}  // namespace wechatpay::testing
