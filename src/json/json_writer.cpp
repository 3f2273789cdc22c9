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

std::string SerializeJson(rapidjson::Value const& value) {
  JsonWriter writer;
  return writer.Value(value) ? writer.Text() : std::string();
}

}  // namespace wechatpay::internal
