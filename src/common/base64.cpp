// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "common/base64.hpp"

#include <array>
#include <cstdint>

namespace wechatpay::internal {
namespace {

// The Base64 alphabet (RFC 4648 §4) and its inverse; -1 marks bytes outside the alphabet.
constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<signed char, 256> MakeBase64Inverse() {
  std::array<signed char, 256> table{};
  for (auto& v : table) v = -1;
  for (int i = 0; i < 64; ++i) {
    table[static_cast<unsigned char>(kBase64Alphabet[i])] = static_cast<signed char>(i);
  }
  return table;
}
constexpr std::array<signed char, 256> kBase64Inverse = MakeBase64Inverse();

Status Base64Error(std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message));
}

unsigned char const* Bytes(std::string_view s) noexcept {
  return reinterpret_cast<unsigned char const*>(s.data());
}

// The error for the first character outside the alphabet in the four at `block`.
Status Base64CharacterError(std::string_view text, std::size_t block) {
  for (std::size_t j = 0; j < 4; ++j) {
    auto const c = static_cast<unsigned char>(text[block + j]);
    if (kBase64Inverse[c] >= 0) continue;
    return Base64Error(c == '=' ? "Base64 text has '=' before its end"
                                : "Base64 text has a character outside the alphabet at offset " +
                                      std::to_string(block + j));
  }
  return Base64Error("Base64 text is malformed");  // not reached: the caller saw a bad one
}

}  // namespace

std::string Base64Encode(std::string_view bytes) {
  // Written through a pointer into a pre-sized string: one allocation, no per-character
  // capacity checks (a signature and a notification resource are encoded on every call).
  std::string out((bytes.size() + 2) / 3 * 4, '\0');
  char* o = out.data();
  auto const* in = Bytes(bytes);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    std::uint32_t const v =
        (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8) | in[i + 2];
    *o++ = kBase64Alphabet[(v >> 18) & 0x3f];
    *o++ = kBase64Alphabet[(v >> 12) & 0x3f];
    *o++ = kBase64Alphabet[(v >> 6) & 0x3f];
    *o++ = kBase64Alphabet[v & 0x3f];
  }
  std::size_t const rest = bytes.size() - i;
  if (rest == 1) {
    std::uint32_t const v = std::uint32_t{in[i]} << 16;
    *o++ = kBase64Alphabet[(v >> 18) & 0x3f];
    *o++ = kBase64Alphabet[(v >> 12) & 0x3f];
    *o++ = '=';
    *o++ = '=';
  } else if (rest == 2) {
    std::uint32_t const v = (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8);
    *o++ = kBase64Alphabet[(v >> 18) & 0x3f];
    *o++ = kBase64Alphabet[(v >> 12) & 0x3f];
    *o++ = kBase64Alphabet[(v >> 6) & 0x3f];
    *o++ = '=';
  }
  return out;
}

StatusOr<std::string> Base64Decode(std::string_view text) {
  // Strict on purpose: signatures and ciphertexts arrive from the network, and one canonical
  // spelling per byte string leaves no room for ambiguity about what was checked.
  if (text.size() % 4 != 0) {
    return Base64Error("Base64 text length " + std::to_string(text.size()) +
                       " is not a multiple of 4 (padding is required)");
  }
  if (text.empty()) return std::string();
  std::size_t padding = 0;
  if (text.back() == '=') padding = text.size() >= 2 && text[text.size() - 2] == '=' ? 2 : 1;
  // Pre-sized and written through a pointer: this runs over every signature and notification
  // resource, and appending byte by byte cost more than the AES-GCM decryption behind it.
  std::string out(text.size() / 4 * 3 - padding, '\0');
  char* o = out.data();
  auto const* in = Bytes(text);
  std::size_t const last = text.size() - 4;
  // Every block but the last has no padding: four alphabet characters, checked together.
  for (std::size_t i = 0; i < last; i += 4) {
    int const a = kBase64Inverse[in[i]];
    int const b = kBase64Inverse[in[i + 1]];
    int const c = kBase64Inverse[in[i + 2]];
    int const d = kBase64Inverse[in[i + 3]];
    if ((a | b | c | d) < 0) return Base64CharacterError(text, i);
    std::uint32_t const v = (static_cast<std::uint32_t>(a) << 18) |
                            (static_cast<std::uint32_t>(b) << 12) |
                            (static_cast<std::uint32_t>(c) << 6) | static_cast<std::uint32_t>(d);
    *o++ = static_cast<char>((v >> 16) & 0xff);
    *o++ = static_cast<char>((v >> 8) & 0xff);
    *o++ = static_cast<char>(v & 0xff);
  }
  // The last block, with its padding.
  std::uint32_t v = 0;
  for (std::size_t j = 0; j < 4; ++j) {
    if (j >= 4 - padding) {
      v <<= 6;
      continue;  // A '=' in its place, checked by the padding count above.
    }
    int const d = kBase64Inverse[in[last + j]];
    if (d < 0) return Base64CharacterError(text, last);
    v = (v << 6) | static_cast<std::uint32_t>(d);
  }
  *o++ = static_cast<char>((v >> 16) & 0xff);
  if (padding < 2) *o++ = static_cast<char>((v >> 8) & 0xff);
  if (padding < 1) *o++ = static_cast<char>(v & 0xff);
  // The bits under the padding must be zero, as every conforming encoder writes them.
  if ((padding == 1 && (v & 0xff) != 0) || (padding == 2 && (v & 0xffff) != 0)) {
    return Base64Error("Base64 text has non-zero bits before its padding");
  }
  return out;
}

}  // namespace wechatpay::internal
