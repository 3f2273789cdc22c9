// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// WeChat Pay's side of the protocol for tests: a merchant identity built from the published
// test keys in tests/data/keys, responses signed with the "WeChat Pay" key, and a check of a
// request's Authorization against the merchant's public key.

#include <chrono>
#include <cstdint>
#include <string>

#include "common/test_merchant.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay::testing {

/// The test merchant (common/test_merchant.hpp): ids, keys and a configuration pointing at
/// `base_url`.
struct TestMerchant {
  static constexpr auto& kAppId = internal::test_merchant::kAppId;
  static constexpr auto& kMerchantId = internal::test_merchant::kMerchantId;
  static constexpr auto& kSerial = internal::test_merchant::kMerchantSerial;
  static constexpr auto& kPublicKeyId = internal::test_merchant::kPublicKeyId;
  static constexpr auto& kApiV3Key = internal::test_merchant::kApiV3Key;
  static constexpr auto& kNotifyUrl = internal::test_merchant::kNotifyUrl;

  /// A configuration with every credential (keys given as file paths under tests/data).
  static MerchantConfig Config(std::string base_url = "https://api.mch.weixin.qq.com");
};

/// Signs answers the way WeChat Pay does (with keys/java_wechat_pay_private_key.pem).
class WeChatSide {
 public:
  WeChatSide();

  /// A 2xx/4xx answer with `body`, signed over `timestamp` (defaults to `now`), with Request-ID.
  HttpResponse Signed(int status, std::string body, std::int64_t timestamp,
                      std::string serial = TestMerchant::kPublicKeyId) const;

  /// An answer without any Wechatpay-* header.
  static HttpResponse Unsigned(int status, std::string body);

  /// Checks `request`'s Authorization against the merchant's public key: scheme, mchid, serial,
  /// signature over method, target, timestamp, nonce and body. Returns "" or what is wrong.
  static std::string CheckAuthorization(HttpRequest const& request, std::string const& target);

 private:
  PrivateKey key_;
};

/// A fixed clock for tests.
inline std::chrono::system_clock::time_point FixedTime(std::int64_t seconds) {
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

}  // namespace wechatpay::testing
