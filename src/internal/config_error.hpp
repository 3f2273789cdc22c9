// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Shorthands for the two "nothing was sent" error kinds, which always name a field.

#include <string>
#include <string_view>

#include "wechatpay/status.hpp"

namespace wechatpay::internal {

/// kConfiguration naming `setting`; `message` should say the rule that failed.
inline Status ConfigError(std::string_view setting, std::string message) {
  ErrorInfo info;
  info.field = std::string(setting);
  return Status(StatusCode::kConfiguration, std::move(message), std::move(info));
}

/// kInvalidArgument naming `field`; `message` should say the rule that failed.
inline Status InvalidArgument(std::string_view field, std::string message) {
  ErrorInfo info;
  info.field = std::string(field);
  return Status(StatusCode::kInvalidArgument, std::move(message), std::move(info));
}

}  // namespace wechatpay::internal
