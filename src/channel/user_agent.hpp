// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

namespace wechatpay::internal {

/// `wechatpay-cpp/<version> (<os>; <arch>) C++/<__cplusplus>`: WeChat refuses requests without
/// a User-Agent, and support uses it to tell SDKs apart.
std::string const& UserAgent();

}  // namespace wechatpay::internal
