// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Nonces for request signing (and random ids in the tools), from OpenSSL's CSPRNG.

#include <string>

namespace wechatpay::internal {

/// 32 characters of [0-9A-Za-z], each equally likely. Aborts the process if the CSPRNG fails
/// (a predictable nonce must never be used). A forked child never repeats its parent's.
std::string GenerateNonce();

}  // namespace wechatpay::internal
