// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "common/openssl.hpp"

#include <openssl/err.h>

namespace wechatpay::internal {

std::string MemoryBioText(BIO* bio) {
  char* data = nullptr;
  long const size = BIO_get_mem_data(bio, &data);  // NOLINT(runtime/int): OpenSSL's type
  return size > 0 && data != nullptr ? std::string(data, static_cast<std::size_t>(size))
                                     : std::string();
}

void ClearOpenSslErrors() noexcept { ERR_clear_error(); }

}  // namespace wechatpay::internal
