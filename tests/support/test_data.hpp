// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

namespace wechatpay::testing {

/// Absolute path of a file under tests/data.
std::string DataPath(std::string const& relative);

/// Contents of a file under tests/data (throws std::runtime_error when missing).
std::string ReadData(std::string const& relative);

/// Contents of any file (throws std::runtime_error when missing).
std::string ReadFile(std::string const& path);

}  // namespace wechatpay::testing
