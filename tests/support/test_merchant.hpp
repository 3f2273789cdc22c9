// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The project's test merchant and its WeChat Pay: the published test keys in tests/data/keys
// bound to the public test doubles (wechatpay/testing/), with the fixed clock of the
// notification tests as the default timestamp.

#include <chrono>
#include <cstdint>
#include <string>

#include "common/test_merchant.hpp"
#include "wechatpay/testing/wechatpay_signer.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay::testing {

/// The test merchant: ids, keys and a configuration pointing at `base_url`.
struct TestMerchant {
  // The ids and keys are the project's one test merchant (src/common/test_merchant.hpp).
  static constexpr char const* kAppId = internal::test_merchant::kAppId;
  static constexpr char const* kMerchantId = internal::test_merchant::kMerchantId;
  static constexpr char const* kSerial = internal::test_merchant::kMerchantSerial;
  static constexpr char const* kPublicKeyId = internal::test_merchant::kPublicKeyId;
  static constexpr char const* kApiV3Key = internal::test_merchant::kApiV3Key;
  static constexpr char const* kNotifyUrl = internal::test_merchant::kNotifyUrl;

  /// A configuration with every credential (keys given as file paths under tests/data).
  static MerchantConfig Config(std::string base_url = "https://api.mch.weixin.qq.com");
  /// What WeChat Pay knows of the merchant: mchid, serial and public key.
  static MerchantKey Key();
};

/// WeChat Pay's side for TestMerchant (keys/java_wechat_pay_private_key.pem, kPublicKeyId,
/// kApiV3Key).
WeChatPaySigner const& TestWeChat();

/// Checks `request`'s Authorization against TestMerchant. Returns "" or what is wrong.
std::string CheckTestAuthorization(HttpRequest const& request, std::string const& target);

/// A fixed clock for tests.
inline std::chrono::system_clock::time_point FixedTime(std::int64_t seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

/// The clock of notification tests; notifications are stamped with it unless told otherwise.
inline constexpr std::int64_t kNotifyNow = 1700000000;

/// TestWeChat().NotificationBody(spec); throws on a spec it cannot encrypt.
std::string NotificationBody(NotificationSpec const& spec);
/// TestWeChat().SignNotification(body, timestamp, serial).
SignedNotification SignNotification(std::string body, std::int64_t timestamp = kNotifyNow,
                                    std::string serial = TestMerchant::kPublicKeyId);
/// TestWeChat().MakeNotification(spec), stamped kNotifyNow unless the spec says otherwise.
SignedNotification MakeNotification(NotificationSpec spec);
/// A notification of `event_type` carrying `plaintext`.
SignedNotification MakeNotification(std::string event_type, std::string plaintext,
                                    std::int64_t timestamp = kNotifyNow);

}  // namespace wechatpay::testing
