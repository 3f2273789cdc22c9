// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Reading PEM text (RFC 7468) for the key parsers: the blocks one by one, their DER parsed
// whole, and error messages that say what was found without quoting any of the text (a
// setting that holds PEM may hold a private key).

#include <openssl/crypto.h>
#include <openssl/pem.h>

#include <string>
#include <string_view>
#include <vector>

#include "common/openssl.hpp"
#include "wechatpay/status.hpp"

namespace wechatpay::internal {

/// The length type of PEM_read_bio() and the d2i_*() parsers.
using DerLength = long;  // NOLINT(runtime/int)

/// One block as returned by PEM_read_bio(). The DER is wiped when freed because it may be a
/// private key.
struct PemBlock {
  PemBlock() = default;
  PemBlock(PemBlock const&) = delete;
  PemBlock& operator=(PemBlock const&) = delete;
  ~PemBlock() {
    OPENSSL_free(name);
    OPENSSL_free(header);
    if (data != nullptr) OPENSSL_clear_free(data, static_cast<std::size_t>(length));
  }

  /// The label of the BEGIN line ("PRIVATE KEY").
  std::string_view label() const { return name == nullptr ? std::string_view() : name; }
  /// True when the block has RFC 1421 headers: legacy encrypted PEM ("Proc-Type:
  /// 4,ENCRYPTED") is their only use.
  bool has_headers() const { return header != nullptr && header[0] != '\0'; }

  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  DerLength length = 0;
};

/// Reads PEM blocks from text that the caller owns and keeps alive; the BIO does not copy it.
/// Clears the OpenSSL error queue when destroyed.
class PemReader {
 public:
  /// A reader over `pem`; not ok() when the text is too large for a memory BIO.
  explicit PemReader(std::string_view pem);
  ~PemReader();
  PemReader(PemReader const&) = delete;
  PemReader& operator=(PemReader const&) = delete;

  /// False when the reader could not be created.
  bool ok() const { return bio_ != nullptr; }
  /// The next block into `block`; false at the end of the text or at a block that does not
  /// decode.
  bool Next(PemBlock& block);

 private:
  BioPtr bio_;
};

/// Runs a d2i-style parser over the whole block and insists that it consumed every byte: a
/// block with trailing bytes is not the structure its label claims. The result is owned by
/// `Ptr` (a pointer type of common/openssl.hpp) from the start, so a structure refused for its
/// trailing bytes is freed too (it leaked: fuzz/regressions/pem_load).
template <typename Ptr, typename Parse>
Ptr ParseWholeDer(PemBlock const& block, Parse parse) {
  unsigned char const* p = block.data;
  Ptr result(parse(&p, block.length));
  if (result && p != block.data + block.length) return nullptr;
  return result;
}

/// A PEM label as an error message may name it: quoted when it is one of the labels of RFC
/// 7468 and common tools, otherwise "(a non-standard label, not shown)".
std::string PemLabelForMessage(std::string_view label);

/// kConfiguration naming `field`: why no acceptable block was found in `pem` (empty, not PEM,
/// malformed, or only blocks with other labels), without quoting any of the text. `seen`
/// holds the other blocks' labels as PemLabelForMessage() gives them; `wanted` names the
/// labels that would have been accepted.
Status NoUsablePemBlock(std::string_view field, std::string_view pem, std::string_view wanted,
                        std::vector<std::string> const& seen);

}  // namespace wechatpay::internal
