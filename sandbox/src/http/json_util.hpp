// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Small JSON helpers over RapidJSON: compact objects built member by member (in the order
// written, as WeChat documents its fields), parsing that validates UTF-8, typed member access.

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wechatpay::sandbox::internal {

/// `text` as a JSON string literal: quoted, with `"`, `\` and control characters escaped;
/// UTF-8 passes through unchanged.
std::string Quote(std::string_view text);

/// A compact JSON object built member by member, in order.
class JsonObject {
 public:
  /// A string member.
  JsonObject& Str(std::string_view key, std::string_view value);
  /// A string member, only when `value` is set.
  JsonObject& OptStr(std::string_view key, std::optional<std::string> const& value);
  /// An integer member.
  JsonObject& Int(std::string_view key, std::int64_t value);
  /// A boolean member.
  JsonObject& Bool(std::string_view key, bool value);
  /// A member whose value is already JSON text.
  JsonObject& Raw(std::string_view key, std::string_view json);
  /// The object's text.
  std::string Build() const { return "{" + members_ + "}"; }

 private:
  JsonObject& Key(std::string_view key);
  std::string members_;
};

/// A JSON array of values that are already JSON text.
std::string JsonArray(std::vector<std::string> const& items);

/// Parses `text` as JSON, rejecting ill-formed UTF-8. False when it is not JSON.
bool ParseJson(std::string_view text, rapidjson::Document& doc);

/// Compact text of `value`.
std::string ToJson(rapidjson::Value const& value);

/// Indented text of `value` (for files people read).
std::string ToPrettyJson(rapidjson::Value const& value);

/// The member `key` of an object, or nullptr (also when `object` is not an object).
rapidjson::Value const* Member(rapidjson::Value const& object, char const* key);

/// A string member; nullopt when absent or not a string.
std::optional<std::string> GetString(rapidjson::Value const& object, char const* key);

/// An integer member; nullopt when absent or not an integer.
std::optional<std::int64_t> GetInt(rapidjson::Value const& object, char const* key);

/// A boolean member; nullopt when absent or not a boolean.
std::optional<bool> GetBool(rapidjson::Value const& object, char const* key);

}  // namespace wechatpay::sandbox::internal
