// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "http/json_util.hpp"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace wechatpay::sandbox::internal {

namespace {

// RapidJSON's parser recurses once per nesting level, and so do the walks over a parsed body
// (v3_validation.cpp, the writers): a request body of a megabyte of '[' crashed the sandbox
// (fuzz/regressions/sandbox_api). WeChat's bodies nest a few levels; refuse deeper ones before
// parsing, as the SDK's own readers do.
constexpr int kMaxNesting = 64;

bool NestsTooDeep(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxNesting) return true;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return false;
}

}  // namespace

bool ParseJson(std::string_view text, rapidjson::Document& doc) {
  if (NestsTooDeep(text)) return false;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
  return !doc.HasParseError();
}

std::string ToJson(rapidjson::Value const& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string ToPrettyJson(rapidjson::Value const& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  writer.SetIndent(' ', 2);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

rapidjson::Value const* Member(rapidjson::Value const& object, char const* key) {
  if (!object.IsObject()) return nullptr;
  auto it = object.FindMember(key);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

std::optional<std::string> GetString(rapidjson::Value const& object, char const* key) {
  auto const* value = Member(object, key);
  if (value == nullptr || !value->IsString()) return std::nullopt;
  return std::string(value->GetString(), value->GetStringLength());
}

std::optional<std::int64_t> GetInt(rapidjson::Value const& object, char const* key) {
  auto const* value = Member(object, key);
  if (value == nullptr || !value->IsInt64()) return std::nullopt;
  return value->GetInt64();
}

std::optional<bool> GetBool(rapidjson::Value const& object, char const* key) {
  auto const* value = Member(object, key);
  if (value == nullptr || !value->IsBool()) return std::nullopt;
  return value->GetBool();
}

}  // namespace wechatpay::sandbox::internal
