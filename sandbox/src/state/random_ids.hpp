// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Random identifiers in the shapes WeChat Pay uses, all from OpenSSL's CSPRNG: keys and tokens
// are secrets, and ids must not collide across restarts of a persisted sandbox.

#include <cstddef>
#include <string>
#include <string_view>

namespace wechatpay::sandbox::internal {

/// `length` characters drawn uniformly from `alphabet` (at most 256 characters).
std::string RandomChars(std::size_t length, std::string_view alphabet);

/// `length` decimal digits.
std::string RandomDigits(std::size_t length);

/// `length` lower-case hex digits.
std::string RandomHex(std::size_t length);

/// `length` upper-case hex digits.
std::string RandomUpperHex(std::size_t length);

/// `length` characters of [0-9A-Za-z].
std::string RandomAlnum(std::size_t length);

/// A random (version 4) UUID, e.g. "3f1c…-…".
std::string RandomUuid();

}  // namespace wechatpay::sandbox::internal
