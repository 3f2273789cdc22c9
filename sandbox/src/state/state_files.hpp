// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The state folder: whole-file reads, atomic writes (temporary file + rename, so a crash never
// leaves half a JSON file), owner-only permissions for secrets, temporary folders.

#include <string>

#include "wechatpay/status_or.hpp"

namespace wechatpay::sandbox::internal {

/// The contents of `path`. Errors: kConfiguration naming the file.
StatusOr<std::string> ReadTextFile(std::string const& path);

/// Replaces `path` with `contents` atomically; `secret` files are readable by the owner only.
/// Errors: kConfiguration naming the file.
Status WriteFileAtomic(std::string const& path, std::string const& contents, bool secret);

/// True when `path` names an existing regular file.
bool IsFile(std::string const& path);

/// Creates `path` (and its parents) if missing, owner-only. Errors: kConfiguration.
Status EnsureDirectory(std::string const& path);

/// A new empty folder under the system temporary folder. Errors: kConfiguration.
StatusOr<std::string> MakeTempDirectory(std::string const& prefix);

/// Removes `path` and everything below it, ignoring errors.
void RemoveTree(std::string const& path);

/// `path` made absolute against the working directory.
std::string AbsolutePath(std::string const& path);

}  // namespace wechatpay::sandbox::internal
