// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "state/state_files.hpp"

#include <fcntl.h>
#include <stdlib.h>  // mkdtemp
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <vector>

namespace wechatpay::sandbox::internal {
namespace {

Status FileError(std::string const& what, std::string const& path) {
  return Status(StatusCode::kConfiguration,
                "sandbox: cannot " + what + " " + path + ": " + std::strerror(errno));
}

}  // namespace

StatusOr<std::string> ReadTextFile(std::string const& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return FileError("read", path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Status WriteFileAtomic(std::string const& path, std::string const& contents, bool secret) {
  std::string const temp = path + ".tmp";
  int const fd =
      ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, secret ? 0600 : 0644);
  if (fd < 0) return FileError("write", temp);
  std::size_t written = 0;
  while (written < contents.size()) {
    auto const n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      auto status = FileError("write", temp);
      ::close(fd);
      return status;
    }
    written += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) return FileError("write", temp);
  if (std::rename(temp.c_str(), path.c_str()) != 0) return FileError("replace", path);
  return Status();
}

bool IsFile(std::string const& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

Status EnsureDirectory(std::string const& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Status();
  std::filesystem::create_directories(path, ec);
  if (ec) {
    return Status(StatusCode::kConfiguration,
                  "sandbox: cannot create the state folder " + path + ": " + ec.message());
  }
  std::filesystem::permissions(path, std::filesystem::perms::owner_all, ec);
  return Status();
}

StatusOr<std::string> MakeTempDirectory(std::string const& prefix) {
  std::error_code ec;
  auto base = std::filesystem::temp_directory_path(ec);
  if (ec) base = "/tmp";
  std::string pattern = (base / (prefix + "-XXXXXX")).string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) return FileError("create a folder like", pattern);
  return std::string(buffer.data());
}

void RemoveTree(std::string const& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

std::string AbsolutePath(std::string const& path) {
  std::error_code ec;
  auto absolute = std::filesystem::absolute(path, ec);
  return ec ? path : absolute.lexically_normal().string();
}

}  // namespace wechatpay::sandbox::internal
