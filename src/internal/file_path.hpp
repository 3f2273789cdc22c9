// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Path helpers without <filesystem> (keeps old toolchains and static builds simple).

#include <optional>
#include <string>

namespace wechatpay::internal {

/// The folder part of `path` ("." when it has none).
std::string ParentDirectory(std::string const& path);

/// `relative` resolved against `base_dir`; absolute paths are returned unchanged.
std::string JoinPath(std::string const& base_dir, std::string const& relative);

/// The whole file, or nullopt when it cannot be read.
std::optional<std::string> ReadWholeFile(std::string const& path);

}  // namespace wechatpay::internal
