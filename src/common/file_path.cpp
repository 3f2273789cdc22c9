// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "common/file_path.hpp"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace wechatpay::internal {
namespace {

namespace fs = std::filesystem;

// What stands at `path`, following symbolic links. Looked at before the file is opened: opening
// a FIFO for reading would wait for a writer, and std::ifstream throws when it reads a
// directory. (A file swapped for a FIFO between this look and the open is not defended
// against: whoever can do that controls the configuration anyway.)
FileProblem Inspect(std::string const& path, std::uintmax_t* size) {
  if (path.empty() || path.find('\0') != std::string::npos) return FileProblem::kInvalidPath;
  std::error_code ec;
  fs::file_status const status = fs::status(path, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory)
      return FileProblem::kNotFound;
    if (ec == std::errc::filename_too_long || ec == std::errc::too_many_symbolic_link_levels ||
        ec == std::errc::invalid_argument)
      return FileProblem::kInvalidPath;
    return FileProblem::kUnreadable;
  }
  switch (status.type()) {
    case fs::file_type::regular:
      break;
    case fs::file_type::not_found:
      return FileProblem::kNotFound;
    case fs::file_type::directory:
      return FileProblem::kDirectory;
    default:
      return FileProblem::kNotRegularFile;
  }
  if (size != nullptr) {
    *size = fs::file_size(path, ec);
    if (ec) return FileProblem::kUnreadable;
  }
  return FileProblem::kNone;
}

}  // namespace

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

std::string_view DescribeFileProblem(FileProblem problem) {
  switch (problem) {
    case FileProblem::kNone:
      return "is readable";
    case FileProblem::kInvalidPath:
      return "is not a valid path (empty, too long, or holding a NUL byte)";
    case FileProblem::kNotFound:
      return "does not exist";
    case FileProblem::kDirectory:
      return "is a directory, not a file";
    case FileProblem::kNotRegularFile:
      return "is not a regular file (a FIFO, socket or device)";
    case FileProblem::kUnreadable:
      return "cannot be read (permission denied or I/O error)";
    case FileProblem::kTooLarge:
      return "is larger than 1 MiB, the limit for configuration and key files";
  }
  return "cannot be used";
}

FileContents ReadWholeFile(std::string const& path, std::size_t max_bytes) {
  FileContents out;
  std::uintmax_t size = 0;
  out.problem = Inspect(path, &size);
  if (out.problem != FileProblem::kNone) return out;
  if (size > max_bytes) {
    out.problem = FileProblem::kTooLarge;
    return out;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out.problem = FileProblem::kUnreadable;
    return out;
  }
  // Read until the end of the file, but never more than one byte past the bound: the size
  // above may be stale (a growing file) or meaningless (files under /proc report 0).
  // istream::read() turns a failing read into badbit; the istreambuf_iterator loop used before
  // let the exception out (a directory threw through LoadMerchantConfigFile()).
  std::size_t capacity = static_cast<std::size_t>(size) + 1;
  std::size_t used = 0;
  for (;;) {
    out.text.resize(capacity);
    in.read(out.text.data() + used, static_cast<std::streamsize>(capacity - used));
    used += static_cast<std::size_t>(in.gcount());
    if (in.bad()) {
      out.text.clear();
      out.problem = FileProblem::kUnreadable;
      return out;
    }
    if (used < capacity) break;  // the end of the file
    if (used > max_bytes) {
      out.text.clear();
      out.problem = FileProblem::kTooLarge;
      return out;
    }
    capacity = std::min(max_bytes + 1, capacity * 2);
  }
  out.text.resize(used);
  return out;
}

FileProblem CheckReadableFile(std::string const& path) {
  FileProblem const problem = Inspect(path, nullptr);
  if (problem != FileProblem::kNone) return problem;
  std::ifstream in(path, std::ios::binary);
  return in ? FileProblem::kNone : FileProblem::kUnreadable;
}

}  // namespace wechatpay::internal
