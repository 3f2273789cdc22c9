// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "json/json_reader.hpp"

#include <rapidjson/error/en.h>

#include <cstring>

#include "common/printable.hpp"
#include "json/json_duplicates.hpp"

namespace wechatpay::internal {
namespace {

// Iterative: RapidJSON's default parser recurses once per nesting level, so 100 000 '[' would
// exhaust the stack before any limit could be checked. Encoding validation: strings handed to
// the application (and printed by the CLI) are well-formed UTF-8; RapidJSON checks it while it
// copies each string, and refuses raw control characters in the same loop.
constexpr unsigned kParseFlags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;

// True when `value` holds an object or array more than `levels_left` levels below it (the root
// itself counts as one). Recurses at most kMaxJsonNesting + 1 frames, whatever the document.
bool NestsDeeper(rapidjson::Value const& value, int levels_left) noexcept {
  if (value.IsObject()) {
    if (levels_left == 0) return true;
    for (auto const& member : value.GetObject()) {
      if (NestsDeeper(member.value, levels_left - 1)) return true;
    }
  } else if (value.IsArray()) {
    if (levels_left == 0) return true;
    for (auto const& element : value.GetArray()) {
      if (NestsDeeper(element, levels_left - 1)) return true;
    }
  }
  return false;
}

// The NUL and nesting rules as a plain byte loop, for naming what is wrong with a text that
// failed: the first of the two problems in text order, "" when neither occurs (then the
// parser's own error stands). Only ever run on the error path.
std::string NulOrNesting(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char const c : text) {
    if (c == '\0') return "contains a NUL byte";
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
      if (++depth > kMaxJsonNesting) {
        return "nests deeper than " + std::to_string(kMaxJsonNesting) + " levels";
      }
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return {};
}

}  // namespace

std::string JsonDocument::Parse(std::string_view text) {
  // A NUL-terminated copy: in-situ parsing writes the decoded strings into it, and the
  // terminating NUL is where the parser stops. Three more NULs after it: RapidJSON's UTF-8
  // validation takes a multi-byte sequence's continuation bytes without looking for the end, so
  // a text that ends inside one (found by fuzz/gateway_unwrap and fuzz/json_models,
  // regressions/*/truncated-utf8-at-end) would make it read up to three bytes past the
  // terminator; here it reads NULs, which are no continuation bytes, and refuses the text.
  text_.reserve(text.size() + 3);
  text_.assign(text);
  text_.append(3, '\0');
  doc_.ParseInsitu<kParseFlags>(text_.data());
  // A NUL outside a string ends RapidJSON's input early (inside one it is an error), and the
  // depth is checked on the parsed values: neither needs a pass of its own on the text.
  bool const has_nul = !text.empty() && std::memchr(text.data(), '\0', text.size()) != nullptr;
  if (!doc_.HasParseError() && !has_nul && !NestsDeeper(doc_, kMaxJsonNesting)) return {};
  if (auto problem = NulOrNesting(text); !problem.empty()) {
    doc_.SetNull();
    return problem;
  }
  return "is not valid JSON at offset " + std::to_string(doc_.GetErrorOffset()) + ": " +
         rapidjson::GetParseError_En(doc_.GetParseError());
}

std::string JsonDocument::ParseObject(std::string_view text) {
  auto problem = Parse(text);
  if (problem.empty() && !doc_.IsObject()) problem = "is not an object";
  return problem;
}

rapidjson::Value const* JsonMember(rapidjson::Value const* object, std::string_view name) noexcept {
  if (object == nullptr || !object->IsObject()) return nullptr;
  // A loop of its own rather than FindMember(): it runs for every field of every answer, and
  // comparing the length and the first byte before memcmp() skips most of the work.
  for (auto it = object->MemberBegin(); it != object->MemberEnd(); ++it) {
    auto const& key = it->name;
    if (key.GetStringLength() != name.size()) continue;
    char const* const chars = key.GetString();
    if (!name.empty() &&
        (chars[0] != name[0] || std::memcmp(chars, name.data(), name.size()) != 0)) {
      continue;
    }
    return it->value.IsNull() ? nullptr : &it->value;
  }
  return nullptr;
}

JsonObjectReader::JsonObjectReader(rapidjson::Value const& object, JsonErrorStyle const& style,
                                   std::string_view root, Status* error)
    : object_(object), style_(style), name_(root), error_(error) {
  RefuseDuplicateNames();
}

JsonObjectReader::JsonObjectReader(rapidjson::Value const& object, JsonObjectReader const& parent,
                                   std::string_view name, long index)
    : object_(object),
      style_(parent.style_),
      parent_(&parent),
      name_(name),
      index_(index),
      error_(parent.error_) {
  RefuseDuplicateNames();
}

std::string JsonObjectReader::Path() const {
  if (parent_ == nullptr) {
    return style_.path == JsonErrorStyle::Path::kPointer ? std::string() : std::string(name_);
  }
  std::string path = parent_->PathOf(name_);
  if (index_ >= 0) {
    path += style_.path == JsonErrorStyle::Path::kPointer ? "/" + std::to_string(index_)
                                                          : "[" + std::to_string(index_) + "]";
  }
  return path;
}

std::string JsonObjectReader::PathOf(std::string_view name) const {
  std::string path = Path();
  if (style_.path == JsonErrorStyle::Path::kPointer) {
    path += '/';
  } else if (!path.empty()) {
    path += '.';
  }
  return path.append(name);
}

void JsonObjectReader::Read(std::string_view name, std::optional<std::string>& out) {
  if (auto const* v = Find(name)) {
    if (v->IsString()) {
      out.emplace(v->GetString(), v->GetStringLength());
    } else {
      Fail(name, "must be a string");
    }
  }
}

void JsonObjectReader::Read(std::string_view name, std::string& out) {
  if (auto const* v = Find(name)) {
    if (v->IsString()) {
      out.assign(v->GetString(), v->GetStringLength());
    } else {
      Fail(name, "must be a string");
    }
  }
}

void JsonObjectReader::Read(std::string_view name, std::optional<std::int64_t>& out) {
  if (auto const* v = Find(name)) {
    // IsInt64 is false for 1.5, 1.0, 1e2 (parsed as double), "1" and integers beyond int64.
    if (v->IsInt64()) {
      out = v->GetInt64();
    } else {
      Fail(name, "must be an integer");
    }
  }
}

void JsonObjectReader::Read(std::string_view name, std::int64_t& out) {
  std::optional<std::int64_t> value;
  Read(name, value);
  if (value) out = *value;
}

void JsonObjectReader::ReadRequired(std::string_view name, std::string& out) {
  if (!ok()) return;
  if (Find(name) == nullptr) return Fail(name, "is missing (must be a non-empty string)");
  Read(name, out);
  if (ok() && out.empty()) Fail(name, "must not be empty");
}

void JsonObjectReader::ReadRequired(std::string_view name, std::int64_t& out) {
  if (!ok()) return;
  if (Find(name) == nullptr) return Fail(name, "is missing (must be an integer)");
  Read(name, out);
}

rapidjson::Value const* JsonObjectReader::Object(std::string_view name) {
  auto const* v = Find(name);
  if (v == nullptr) return nullptr;
  if (!v->IsObject()) {
    Fail(name, "must be an object");
    return nullptr;
  }
  return v;
}

rapidjson::Value const* JsonObjectReader::RequiredObject(std::string_view name) {
  if (!ok()) return nullptr;
  if (Find(name) == nullptr) {
    Fail(name, "is missing (must be an object)");
    return nullptr;
  }
  return Object(name);
}

rapidjson::Value const* JsonObjectReader::Array(std::string_view name) {
  auto const* v = Find(name);
  if (v == nullptr) return nullptr;
  if (!v->IsArray()) {
    Fail(name, "must be an array");
    return nullptr;
  }
  return v;
}

rapidjson::Value const* JsonObjectReader::Find(std::string_view name) const noexcept {
  return ok() ? JsonMember(&object_, name) : nullptr;
}

void JsonObjectReader::FailAt(std::string const& path, std::string_view rule) {
  if (!ok()) return;
  ErrorInfo info;
  if (style_.path_is_field) info.field = path;
  std::string message(style_.message_prefix);
  message.append(path).append(" ").append(rule);
  *error_ = Status(StatusCode::kMalformedResponse, std::move(message), std::move(info));
}

// Every object the SDK maps is checked once, when its reader is made (json_duplicates.hpp).
void JsonObjectReader::RefuseDuplicateNames() {
  if (!ok() || !object_.IsObject()) return;
  if (auto name = DuplicateMemberName(object_)) {
    FailAt(PathOf(PrintableUntrusted(*name, 64)),
           "occurs twice (an object with a duplicated member name is refused)");
  }
}

}  // namespace wechatpay::internal
