// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Shorthands for the two "nothing was sent" error kinds, which always name a field.

#include <string>
#include <string_view>

#include "wechatpay/status.hpp"

namespace wechatpay::internal {

/// An error of category `code` naming `field`.
inline Status ErrorWithField(StatusCode code, std::string_view field, std::string message) {
  ErrorInfo info;
  info.field = std::string(field);
  return Status(code, std::move(message), std::move(info));
}

/// kConfiguration naming `setting`; `message` should say the rule that failed.
inline Status ConfigError(std::string_view setting, std::string message) {
  return ErrorWithField(StatusCode::kConfiguration, setting, std::move(message));
}

/// kInvalidArgument naming `field`; `message` should say the rule that failed.
inline Status InvalidArgument(std::string_view field, std::string message) {
  return ErrorWithField(StatusCode::kInvalidArgument, field, std::move(message));
}

}  // namespace wechatpay::internal
