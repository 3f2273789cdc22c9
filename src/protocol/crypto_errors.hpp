// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The errors of the key and cipher operations (keys.cpp, aes_gcm.cpp). Each clears the OpenSSL
// error queue, which the failed call may have left entries on.

#include <string>
#include <utility>

#include "common/openssl.hpp"
#include "wechatpay/status.hpp"

namespace wechatpay::internal {

/// kDecryptionFailed with `message`.
inline Status CryptoDecryptionError(std::string message) {
  ClearOpenSslErrors();
  return Status(StatusCode::kDecryptionFailed, std::move(message));
}

/// kInternal with `message`: OpenSSL failed where valid input cannot make it fail.
inline Status CryptoInternalError(std::string message) {
  ClearOpenSslErrors();
  return Status(StatusCode::kInternal, std::move(message));
}

}  // namespace wechatpay::internal
