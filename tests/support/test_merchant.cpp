// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "support/test_merchant.hpp"

#include <stdexcept>
#include <utility>

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

MerchantKey TestMerchant::Key() {
  return MerchantKey{kMerchantId, kSerial,
                     PublicKey::FromPem(ReadData("keys/official_doc_test_pub.pem")).value()};
}

WeChatPaySigner const& TestWeChat() {
  static WeChatPaySigner const kSigner =
      WeChatPaySigner::Create(ReadData("keys/java_wechat_pay_private_key.pem"),
                              TestMerchant::kPublicKeyId, TestMerchant::kApiV3Key)
          .value();
  return kSigner;
}

std::string CheckTestAuthorization(HttpRequest const& request, std::string const& target) {
  static MerchantKey const kKey = TestMerchant::Key();
  auto status = CheckAuthorization(request, target, kKey);
  return status.ok() ? "" : status.message();
}

std::string NotificationBody(NotificationSpec const& spec) {
  auto body = TestWeChat().NotificationBody(spec);
  if (!body) throw std::runtime_error(body.status().ToString());
  return *std::move(body);
}

SignedNotification SignNotification(std::string body, std::int64_t timestamp, std::string serial) {
  return TestWeChat().SignNotification(std::move(body), timestamp, std::move(serial));
}

SignedNotification MakeNotification(NotificationSpec spec) {
  if (!spec.timestamp) spec.timestamp = kNotifyNow;
  auto built = TestWeChat().MakeNotification(spec);
  if (!built) throw std::runtime_error(built.status().ToString());
  return *std::move(built);
}

SignedNotification MakeNotification(std::string event_type, std::string plaintext,
                                    std::int64_t timestamp) {
  NotificationSpec spec;
  spec.event_type = std::move(event_type);
  spec.plaintext = std::move(plaintext);
  spec.timestamp = timestamp;
  return MakeNotification(std::move(spec));
}

}  // namespace wechatpay::testing
