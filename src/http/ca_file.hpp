// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The caFile setting, checked when a backend builds its curl transport on it, so that a wrong
// path is a configuration error at creation rather than a TLS failure on the first request.

#include <string>

#include "wechatpay/status.hpp"

namespace wechatpay::internal {

/// OK when `ca_file` is empty (no extra CA) or names a regular file this process can read.
/// Errors: kConfiguration naming caFile and what is wrong with the path.
Status CheckCaFile(std::string const& ca_file);

}  // namespace wechatpay::internal
