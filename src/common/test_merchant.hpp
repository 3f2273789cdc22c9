// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The test merchant of the tests, the benchmark and the fuzz targets: the example merchant of
// WeChat Pay's signing guide, whose published test key (tests/data/keys) signs the guide's
// official request. Public test values, never a real merchant's; nothing in the library uses
// them.

namespace wechatpay::internal::test_merchant {

/// The appid of the signing guide's examples.
inline constexpr char kAppId[] = "wxd678efh567hg6787";
/// The mchid of the signing guide's examples.
inline constexpr char kMerchantId[] = "1900007291";
/// The serial of the merchant certificate of the published test key.
inline constexpr char kMerchantSerial[] = "408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB";
/// A WeChat Pay public key id in the documented form.
inline constexpr char kPublicKeyId[] = "PUB_KEY_ID_0114232134912410000000000000";
/// A 32-byte APIv3 key.
inline constexpr char kApiV3Key[] = "a7cde1ZJB1kG2e7VfTs3jQzaWizur8Gb";
/// A notify URL on a reserved example domain.
inline constexpr char kNotifyUrl[] = "https://merchant.example.com/wechatpay/notify";

}  // namespace wechatpay::internal::test_merchant
