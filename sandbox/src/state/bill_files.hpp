// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The bill files behind the download URLs the sandbox hands out
// (`GET /v3/billdownload/file?token=…`): each token names one generated file, belongs to the
// merchant that applied for it and expires on the sandbox clock. Memory only: a download URL
// does not outlive the sandbox, as WeChat's live for 30 seconds.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "state/clock.hpp"

namespace wechatpay::sandbox::internal {

/// One generated bill, as it is served.
struct BillFile {
  /// The merchant that applied for it; nobody else may download it.
  std::string mchid;
  /// The uncompressed file, exactly as it was when its digest was computed, except that the
  /// corrupt-bill fault may have changed one byte.
  std::string content;
  /// Serve it gzip-compressed (tar_type=GZIP).
  bool gzip = false;
  /// When the token stops being valid (sandbox clock).
  SystemClock::time_point expires;
};

/// The issued download tokens.
///
/// @par Thread Safety
/// Safe from many threads.
class BillFiles {
 public:
  /// The most files kept at once; issuing another forgets the oldest (its token then answers
  /// like an unknown one), so that a client applying in a loop cannot exhaust memory.
  static constexpr std::size_t kMaxFiles = 32;

  /// Keeps `file` and returns its new token (32 characters of [0-9A-Za-z]). Forgets files
  /// expired at `now` first.
  std::string Issue(BillFile file, SystemClock::time_point now);

  /// What a token names.
  enum class Verdict { kValid, kUnknown, kExpired };
  /// The file of `token` when valid at `now` (sandbox clock), with the verdict.
  std::shared_ptr<BillFile const> Find(std::string const& token, SystemClock::time_point now,
                                       Verdict& verdict) const;

 private:
  struct Entry {
    std::uint64_t sequence = 0;
    std::shared_ptr<BillFile const> file;
  };
  mutable std::mutex mu_;
  std::map<std::string, Entry> files_;
  std::uint64_t next_sequence_ = 0;
};

}  // namespace wechatpay::sandbox::internal
