// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The one JSON reader of the library: every JSON text from the network (answers, the gateway's
// three layers, notification envelopes and resources) is parsed by JsonDocument under one
// policy, and every object the SDK maps is read through JsonObjectReader.
//
// The policy, in one place:
//  - RFC 8259 grammar, parsed iteratively (RapidJSON's kParseIterativeFlag: no recursion per
//    level, so no input exhausts the stack);
//  - strings must be well-formed UTF-8 and hold no raw control character (RapidJSON's encoding
//    validation, in the same pass);
//  - no NUL byte anywhere (RapidJSON reads NUL as the end of the input, so "{}\0junk" would
//    otherwise pass);
//  - at most kMaxJsonNesting levels of objects and arrays (the document is re-serialised and
//    walked recursively in places, and nothing WeChat sends comes near it);
//  - objects the SDK maps refuse a member name that occurs twice (json_duplicates.hpp).

#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wechatpay/status.hpp"

namespace wechatpay::internal {

/// The nesting bound of every JSON text the library reads. WeChat's deepest documented object
/// nests 5 levels, pay-common's answers about 7.
constexpr int kMaxJsonNesting = 64;

/// A JSON text parsed under the library's policy (above). The document's strings point into a
/// copy of the text (in-situ parsing: no allocation per string), and its values live in a
/// buffer inside this object (a whole transaction or envelope fits) instead of a 64 KiB heap
/// chunk per parse; larger documents continue on the heap. Neither copied nor moved: the
/// document points at the allocator, which points at the buffer.
class JsonDocument {
 public:
  JsonDocument() = default;
  JsonDocument(JsonDocument const&) = delete;
  JsonDocument& operator=(JsonDocument const&) = delete;

  /// Parses `text`. "" on success, else what is wrong, worded to follow "the JSON text ":
  /// "contains a NUL byte", "nests deeper than 64 levels" (the first of those two in text
  /// order), or "is not valid JSON at offset N: <RapidJSON's reason>" (invalid UTF-8 and raw
  /// control characters in strings included).
  std::string Parse(std::string_view text);

  /// Parse(), and the value must be an object: else "is not an object".
  std::string ParseObject(std::string_view text);

  /// The parsed value (JSON null before a successful Parse()).
  rapidjson::Value const& root() const noexcept { return doc_; }

 private:
  std::string text_;
  alignas(std::max_align_t) char pool_buffer_[4096];
  rapidjson::MemoryPoolAllocator<> allocator_{pool_buffer_, sizeof pool_buffer_};
  rapidjson::Document doc_{&allocator_};
};

/// The member `name` of `object`: the first one of that name, or nullptr when `object` is not an
/// object, the member is absent or it is JSON null (older WeChat docs allow null for "no
/// value"; every model has "absent" anyway).
rapidjson::Value const* JsonMember(rapidjson::Value const* object, std::string_view name) noexcept;

/// The string of a RapidJSON string value.
inline std::string_view StringValue(rapidjson::Value const& value) noexcept {
  return {value.GetString(), value.GetStringLength()};
}

/// How a reader names a member in its errors.
struct JsonErrorStyle {
  enum class Path {
    kPointer,  // JSON Pointer: /amount/from/0/amount
    kDotted,   // plaintext.amount.from[0].amount (ErrorInfo::field style)
  };
  Path path = Path::kPointer;
  /// Put in front of "<path> <rule>", e.g. "malformed transaction: " (static text: a style is
  /// made once, not per parse).
  std::string_view message_prefix;
  /// Whether the error's ErrorInfo::field is the member's path.
  bool path_is_field = false;
};

/// Reads the mapped members of one JSON object into a model. Every accessor checks the JSON
/// type before touching the value (RapidJSON only asserts). The first error is kept in *error
/// (kMalformedResponse, naming the member's path and the rule it broke) and makes every later
/// call a no-op, so a mapping reads like a list of fields with one check at the end. Absent
/// members and JSON null leave the output untouched. Paths are built only for an error.
class JsonObjectReader {
 public:
  /// Reads the root object; `root` names it in dotted paths ("plaintext"), "" for none.
  JsonObjectReader(rapidjson::Value const& object, JsonErrorStyle const& style,
                   std::string_view root, Status* error);

  /// Reads `object`, the member `name` of `parent`'s object or, with `index` >= 0, element
  /// `index` of that member (an array). `name` must outlive this reader.
  JsonObjectReader(rapidjson::Value const& object, JsonObjectReader const& parent,
                   std::string_view name, long index = -1);

  /// This object's path.
  std::string Path() const;
  /// The path of this object's member `name`.
  std::string PathOf(std::string_view name) const;

  /// An optional string member.
  void Read(std::string_view name, std::optional<std::string>& out);
  /// An optional string member into a plain string (left untouched when absent).
  void Read(std::string_view name, std::string& out);
  /// An optional integer member (int64: 1.5, 1.0, 1e2, "1" and out-of-range numbers refused).
  void Read(std::string_view name, std::optional<std::int64_t>& out);
  /// An optional integer member into a plain int64 (left untouched when absent).
  void Read(std::string_view name, std::int64_t& out);
  /// A mandatory non-empty string member.
  void ReadRequired(std::string_view name, std::string& out);
  /// A mandatory integer member.
  void ReadRequired(std::string_view name, std::int64_t& out);

  /// The member as an object, or nullptr when absent/null or after an error.
  rapidjson::Value const* Object(std::string_view name);
  /// The member as an object; absent or null is an error.
  rapidjson::Value const* RequiredObject(std::string_view name);
  /// The member as an array, or nullptr when absent/null or after an error.
  rapidjson::Value const* Array(std::string_view name);

  /// Calls parse(JsonObjectReader&, T&) for every element of the array member `name`,
  /// appending the results to `out`; every element must be an object.
  template <typename T, typename Parse>
  void ReadObjects(std::string_view name, std::vector<T>& out, Parse parse) {
    auto const* array = Array(name);
    if (array == nullptr) return;
    for (rapidjson::SizeType i = 0; i < array->Size() && ok(); ++i) {
      auto const& element = (*array)[i];
      JsonObjectReader reader(element, *this, name, static_cast<long>(i));
      if (!element.IsObject()) return reader.FailAt(reader.Path(), "must be an object");
      T item;
      parse(reader, item);
      out.push_back(std::move(item));
    }
  }

  /// Calls parse(JsonObjectReader&, T&) on the object member `name` when present.
  template <typename T, typename Parse>
  void ReadObject(std::string_view name, std::optional<T>& out, Parse parse) {
    auto const* object = Object(name);
    if (object == nullptr) return;
    JsonObjectReader reader(*object, *this, name);
    T item;
    parse(reader, item);
    out = std::move(item);
  }

  /// True while no error has been recorded.
  bool ok() const noexcept { return error_->ok(); }

 private:
  rapidjson::Value const* Find(std::string_view name) const noexcept;
  void Fail(std::string_view name, std::string_view rule) { FailAt(PathOf(name), rule); }
  void FailAt(std::string const& path, std::string_view rule);
  void RefuseDuplicateNames();

  rapidjson::Value const& object_;
  JsonErrorStyle const& style_;
  JsonObjectReader const* parent_ = nullptr;  // nullptr for the root
  std::string_view name_;  // the root's name, or this object's member name in the parent
  long index_ = -1;        // this object's index in that member, or -1
  Status* error_;
};

}  // namespace wechatpay::internal
