// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Bill files for the download tests: a trade bill in WeChat's CSV form, its gzip form and the
// digest the signed answer carries, made here with zlib and OpenSSL directly (independent of
// the library's BillDigestCheck, which the tests check against them).

#include <cstddef>
#include <string>
#include <string_view>

namespace wechatpay::testing {

/// A trade bill (bill_type ALL) with `rows` detail rows, then the summary header and row.
std::string SampleTradeBill(std::size_t rows);

/// `data` as one gzip stream. Throws std::runtime_error when zlib fails.
std::string Gzip(std::string_view data);

/// The SHA-1 of `data` as lower-case hex.
std::string Sha1Hex(std::string_view data);

}  // namespace wechatpay::testing
