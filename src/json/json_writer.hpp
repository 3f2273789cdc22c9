// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The one JSON writer of the library, over RapidJSON's Writer: request bodies (json_codec) and
// re-serialised values (the gateway's payload, an error's detail). JSON written by hand (the
// notification answers) quotes its strings with common/json_text.hpp's JsonQuote, the one
// quoting helper of the project.
//
// The writer: UTF-8 in, UTF-8 out, no \uXXXX for non-ASCII, so Chinese text goes out as raw UTF-8
// (what WeChat expects); '"', '\\' and the control characters U+0000-U+001F are escaped (\b \f \n
// \r \t, the others as \u00XX); '/' is written as is. Bytes are not validated: input text is
// checked by validation.cpp before it gets here.

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace wechatpay::internal {

/// Builds one JSON text. Keys and values are string_views (RapidJSON asserts on a null pointer
/// even for length 0, which an empty string_view may carry; this class never passes one).
class JsonWriter {
 public:
  /// `capacity`: bytes reserved up front (a whole request body, so the buffer never grows).
  explicit JsonWriter(std::size_t capacity = 256);

  void StartObject() { writer_.StartObject(); }
  void EndObject() { writer_.EndObject(); }
  void StartArray() { writer_.StartArray(); }
  void EndArray() { writer_.EndArray(); }
  void Key(std::string_view key);
  void String(std::string_view value);
  void Int64(std::int64_t value) { writer_.Int64(value); }
  void Bool(bool value) { writer_.Bool(value); }
  /// A parsed value, re-serialised compactly; false when it holds something JSON cannot write
  /// (a NaN or infinite double, which the library's reader never produces).
  bool Value(rapidjson::Value const& value) { return value.Accept(writer_); }

  /// The text written so far.
  std::string Text() const { return std::string(buffer_.GetString(), buffer_.GetSize()); }

 private:
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

/// `value` as compact JSON ("" in the case JsonWriter::Value() describes).
std::string SerializeJson(rapidjson::Value const& value);

}  // namespace wechatpay::internal
