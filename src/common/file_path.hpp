// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Path helpers, and reading the small files a configuration names (the configuration file, PEM
// keys, the CA bundle) without ever throwing: every way a path can be wrong is a FileProblem
// that the caller turns into an error naming its setting.

#include <cstddef>
#include <string>
#include <string_view>

namespace wechatpay::internal {

/// The folder part of `path` ("." when it has none).
std::string ParentDirectory(std::string const& path);

/// `relative` resolved against `base_dir`; absolute paths are returned unchanged.
std::string JoinPath(std::string const& base_dir, std::string const& relative);

/// The largest configuration or PEM file read: 1 MiB. Such files are a few kilobytes; anything
/// bigger is the wrong file, and the bound keeps a mistake (a log file, a disk image) from
/// being read into memory.
inline constexpr std::size_t kMaxConfigFileBytes = std::size_t{1} << 20;

/// Why a path cannot be used as a readable file.
enum class FileProblem {
  kNone,
  /// Empty, or holding a NUL byte (no file system path does).
  kInvalidPath,
  /// Nothing exists there (or a folder on the way is missing or not searchable).
  kNotFound,
  /// A directory.
  kDirectory,
  /// Neither a regular file nor a directory: a FIFO, socket or device.
  kNotRegularFile,
  /// Exists but cannot be opened or read (permissions, I/O error).
  kUnreadable,
  /// Larger than the bound.
  kTooLarge,
};

/// What the problem says about the path, completing a sentence whose subject is the path
/// ("is a directory", "does not exist", ...). Never contains the path.
std::string_view DescribeFileProblem(FileProblem problem);

/// A file's contents, or why it could not be read.
struct FileContents {
  /// The whole file when `problem` is kNone.
  std::string text;
  FileProblem problem = FileProblem::kNone;
};

/// Reads the whole regular file at `path`, at most `max_bytes` of it (a bigger one is
/// kTooLarge). Never blocks on a FIFO and never throws.
FileContents ReadWholeFile(std::string const& path, std::size_t max_bytes = kMaxConfigFileBytes);

/// Checks that `path` is a regular file this process can open for reading, without reading it.
FileProblem CheckReadableFile(std::string const& path);

}  // namespace wechatpay::internal
