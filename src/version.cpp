// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/version.hpp"

namespace wechatpay {

std::string_view VersionString() { return WECHATPAY_VERSION_STRING; }

}  // namespace wechatpay
