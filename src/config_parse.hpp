// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The configuration file's text to a MerchantConfig, without reading any file: what
// LoadMerchantConfigFile() does once it has the contents, kept separate so that it can be
// fuzzed.

#include <string>
#include <string_view>

#include "wechatpay/config.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay::internal {

/// Parses `text`, the contents of the configuration file at `path` (used to name the file in
/// errors and to resolve relative key paths). Errors: kConfiguration naming the file and key.
StatusOr<MerchantConfig> ParseMerchantConfig(std::string_view text, std::string const& path);

}  // namespace wechatpay::internal
