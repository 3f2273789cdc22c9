// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file bill_digest.hpp
/// The integrity check of a downloaded bill file. The file answer (`GET /v3/billdownload/file`)
/// is the one WeChat Pay answer that carries no signature; what vouches for it is the digest in
/// the signed, verified answer that gave its download URL: `hash_type` SHA1 and `hash_value`, the
/// SHA-1 of the **decompressed** file (docs/bills.md). BillDigestCheck decompresses (gzip) and
/// hashes the bytes as they arrive and passes the decompressed bytes on, so a bill is never held
/// in memory; Finish() says whether they were the bill WeChat described. Until Finish() returns
/// OK nothing that was passed on may be trusted.

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "wechatpay/export.hpp"
#include "wechatpay/status.hpp"

namespace wechatpay {

/// How a bill file is compressed: the request's `tar_type`.
enum class BillCompression {
  kNone,  ///< plain text (no tar_type)
  kGzip,  ///< tar_type GZIP: one gzip stream
};

/// The most decompressed bytes a BillDigestCheck accepts unless told otherwise: 4 GiB, far above
/// any real daily bill, so a hostile gzip stream cannot expand without bound.
inline constexpr std::uint64_t kDefaultMaxBillBytes = std::uint64_t{4} * 1024 * 1024 * 1024;

/// Decompresses and hashes one bill file as it arrives. Not thread-safe; one per download.
class WECHATPAY_EXPORT BillDigestCheck {
 public:
  /// Receives the decompressed bytes in order; an error it returns stops the check and is
  /// returned by the Write() that produced them.
  using Sink = std::function<Status(std::string_view decompressed)>;
  /// A check of a file compressed as `compression`, passing the decompressed bytes to `sink`
  /// (may be empty: hash only), refusing more than `max_bytes` decompressed bytes.
  BillDigestCheck(BillCompression compression, Sink sink,
                  std::uint64_t max_bytes = kDefaultMaxBillBytes);
  ~BillDigestCheck();
  /// Moves the state; a moved-from check answers Write() and Finish() with kInternal.
  BillDigestCheck(BillDigestCheck&&) noexcept;
  /// Moves the state; a moved-from check answers Write() and Finish() with kInternal.
  BillDigestCheck& operator=(BillDigestCheck&&) noexcept;

  /// Consumes the next downloaded (compressed) bytes. Errors: kMalformedResponse for a corrupt
  /// gzip stream, bytes after its end, or more than max_bytes; the sink's error. After an error
  /// every call fails.
  Status Write(std::string_view downloaded);

  /// Ends the file and compares its digest with the signed answer's `hash_type` (must be SHA1)
  /// and `hash_value` (hex, compared case-insensitively). Errors: kMalformedResponse for a gzip
  /// stream cut short; kVerificationFailed for an unknown hash_type or a digest that differs
  /// ("no row of the file is trusted"); neither quotes file content.
  Status Finish(std::string_view hash_type, std::string_view hash_value);

  /// The decompressed bytes passed on so far.
  std::uint64_t decompressed_bytes() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wechatpay
