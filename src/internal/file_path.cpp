// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "internal/file_path.hpp"

#include <fstream>
#include <iterator>

namespace wechatpay::internal {

std::string ParentDirectory(std::string const& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string JoinPath(std::string const& base_dir, std::string const& relative) {
  if (relative.empty() || relative.front() == '/' || base_dir.empty() || base_dir == ".")
    return relative;
  if (base_dir.back() == '/') return base_dir + relative;
  return base_dir + "/" + relative;
}

std::optional<std::string> ReadWholeFile(std::string const& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return contents;
}

}  // namespace wechatpay::internal
