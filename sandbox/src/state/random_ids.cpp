// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "state/random_ids.hpp"

#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

namespace wechatpay::sandbox::internal {

std::string RandomChars(std::size_t length, std::string_view alphabet) {
  // Rejection sampling keeps every character equally likely for any alphabet size.
  std::size_t const n = alphabet.size();
  std::size_t const limit = 256 - (256 % n);
  std::string out;
  out.reserve(length);
  std::vector<unsigned char> buffer(length + 16);
  while (out.size() < length) {
    if (RAND_bytes(buffer.data(), static_cast<int>(buffer.size())) != 1) {
      throw std::runtime_error("RAND_bytes failed");
    }
    for (unsigned char byte : buffer) {
      if (byte >= limit) continue;
      out.push_back(alphabet[byte % n]);
      if (out.size() == length) break;
    }
  }
  return out;
}

std::string RandomDigits(std::size_t length) { return RandomChars(length, "0123456789"); }

std::string RandomHex(std::size_t length) { return RandomChars(length, "0123456789abcdef"); }

std::string RandomUpperHex(std::size_t length) { return RandomChars(length, "0123456789ABCDEF"); }

std::string RandomAlnum(std::size_t length) {
  return RandomChars(length, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
}

std::string RandomUuid() {
  std::string hex = RandomHex(32);
  hex[12] = '4';                  // version 4
  hex[16] = "89ab"[hex[16] % 4];  // RFC 4122 variant
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

}  // namespace wechatpay::sandbox::internal
