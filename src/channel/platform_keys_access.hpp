// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// What the library reads of a PlatformKeys beyond its public interface.

#include <memory>

#include "wechatpay/channel/platform_keys.hpp"
#include "wechatpay/http/transport.hpp"

namespace wechatpay {

/// Friend of PlatformKeys.
struct PlatformKeysAccess {
  /// The transport the downloads use, so that a client built on these keys sends its calls
  /// through the same connections instead of building a second transport.
  static std::shared_ptr<HttpTransport> Transport(PlatformKeys const& keys);
};

}  // namespace wechatpay
