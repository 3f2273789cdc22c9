// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Wipe-on-destroy for memory that held a secret (keys, tokens, decrypted plaintext), so that
// it does not linger in freed heap blocks. OPENSSL_cleanse() is used because a plain memset
// before a free may be removed by the optimiser.

#include <cstddef>
#include <string>
#include <vector>

namespace wechatpay::internal {

/// Overwrites `size` bytes at `data` with zeros; the compiler cannot elide it.
void WipeBytes(void* data, std::size_t size) noexcept;

/// Wipes the characters of `secret` and leaves it empty.
void Wipe(std::string& secret) noexcept;

/// A string that is wiped when destroyed. Not copyable: a copy would be a second, unwiped or
/// separately wiped, home of the secret.
struct WipedString {
  WipedString() = default;
  explicit WipedString(std::string text) : value(std::move(text)) {}
  WipedString(WipedString const&) = delete;
  WipedString& operator=(WipedString const&) = delete;
  ~WipedString() { Wipe(value); }

  /// Wipes the old value before taking `text`.
  void Reset(std::string text) {
    Wipe(value);
    value = std::move(text);
  }

  std::string value;
};

/// A fixed-size byte buffer that is wiped when freed, e.g. for decrypted plaintext that may
/// yet be rejected.
class WipedBuffer {
 public:
  /// `size` zero bytes.
  explicit WipedBuffer(std::size_t size) : bytes_(size) {}
  WipedBuffer(WipedBuffer const&) = delete;
  WipedBuffer& operator=(WipedBuffer const&) = delete;
  ~WipedBuffer() { WipeBytes(bytes_.data(), bytes_.size()); }

  /// The bytes, writable.
  unsigned char* data() noexcept { return bytes_.data(); }
  /// The number of bytes.
  std::size_t size() const noexcept { return bytes_.size(); }
  /// A copy of the first `length` bytes (the caller then owns a secret).
  std::string ToString(std::size_t length) const {
    return std::string(reinterpret_cast<char const*>(bytes_.data()), length);
  }

 private:
  std::vector<unsigned char> bytes_;
};

}  // namespace wechatpay::internal
