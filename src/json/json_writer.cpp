// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "json/json_writer.hpp"

namespace wechatpay::internal {
namespace {

char const* DataOf(std::string_view s) { return s.empty() ? "" : s.data(); }

rapidjson::SizeType SizeOf(std::string_view s) {
  return static_cast<rapidjson::SizeType>(s.size());
}

}  // namespace

JsonWriter::JsonWriter(std::size_t capacity) : buffer_(nullptr, capacity), writer_(buffer_) {}

void JsonWriter::Key(std::string_view key) { writer_.Key(DataOf(key), SizeOf(key)); }

void JsonWriter::String(std::string_view value) { writer_.String(DataOf(value), SizeOf(value)); }

// Its own loop rather than the RapidJSON writer: callers' answers are pinned byte for byte
// (the notification answer's FAIL body writes a line feed as \u000a, RapidJSON as \n).
std::string JsonQuote(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (char const c : text) {
    auto const u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 0x0f];
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

std::string SerializeJson(rapidjson::Value const& value) {
  JsonWriter writer;
  return writer.Value(value) ? writer.Text() : std::string();
}

}  // namespace wechatpay::internal
