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

/// Writes `contents` to `path` (throws std::runtime_error on failure).
void WriteFile(std::string const& path, std::string const& contents);

/// A fresh temporary folder, removed with its files when the object is destroyed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(TempDir const&) = delete;
  TempDir& operator=(TempDir const&) = delete;
  /// The folder's absolute path.
  std::string const& path() const { return path_; }
  /// `path()/name`.
  std::string File(std::string const& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace wechatpay::testing
