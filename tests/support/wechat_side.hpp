// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// WeChat Pay's side of the protocol for tests: a merchant identity built from the published
// test keys in tests/data/keys, responses signed with the "WeChat Pay" key, and a check of a
// request's Authorization against the merchant's public key.

#include <chrono>
#include <cstdint>
#include <string>

#include "wechatpay/wechatpay.hpp"

namespace wechatpay::testing {

/// The test merchant: ids, keys and a configuration pointing at `base_url`.
struct TestMerchant {
  static constexpr char kAppId[] = "wxd678efh567hg6787";
  static constexpr char kMerchantId[] = "1900007291";
  static constexpr char kSerial[] = "408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB";
  static constexpr char kPublicKeyId[] = "PUB_KEY_ID_0114232134912410000000000000";
  static constexpr char kApiV3Key[] = "a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb";
  static constexpr char kNotifyUrl[] = "https://merchant.example.com/wechatpay/notify";

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
