// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// JSON as text, for the few places that build or read a small JSON document by hand: error
// bodies, the sandbox's answers, the CLI's output. The API models have their own codec
// (src/json); this is the one JSON string quoting of the project.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wechatpay::internal {

/// `text` as a JSON string literal, quotes included: '"' and '\\' escaped, control characters as
/// \u00XX, every other byte (UTF-8 included) as is.
std::string JsonQuote(std::string_view text);

/// A compact JSON object built member by member, in the order written (as WeChat documents its
/// fields). Keys and string values are quoted with JsonQuote().
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
  /// A member whose value is already JSON text (written as is: the caller vouches for it).
  JsonObject& Raw(std::string_view key, std::string_view json);
  /// The object's text.
  std::string Build() const { return "{" + members_ + "}"; }

 private:
  JsonObject& Key(std::string_view key);
  std::string members_;
};

/// A JSON array of values that are already JSON text.
std::string JsonArray(std::vector<std::string> const& items);

/// The string member `name` of the JSON object `json`; nullopt when `json` is not a JSON
/// object (or not UTF-8), has no such member, or its value is not a string. Parses without
/// recursion, so any nesting depth is safe.
std::optional<std::string> JsonStringMember(std::string_view json, std::string_view name);

}  // namespace wechatpay::internal
