// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "common/wipe.hpp"

#include <openssl/crypto.h>

namespace wechatpay::internal {

void WipeBytes(void* data, std::size_t size) noexcept {
  if (data != nullptr && size != 0) OPENSSL_cleanse(data, size);
}

void Wipe(std::string& secret) noexcept {
  WipeBytes(secret.data(), secret.size());
  secret.clear();
}

}  // namespace wechatpay::internal
