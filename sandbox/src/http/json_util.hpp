// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Small JSON helpers over RapidJSON: parsing that validates UTF-8 and bounds nesting, typed
// member access, compact and indented text of a parsed value. Objects are built with
// JsonObject (common/json_text.hpp).

#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json_text.hpp"

namespace wechatpay::sandbox::internal {

// Building JSON text: the project's one quoting and object writer (src/common/json_text.hpp).
using wechatpay::internal::JsonArray;
using wechatpay::internal::JsonObject;
using wechatpay::internal::JsonQuote;

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
