// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Duplicate member names in a JSON object. RFC 8259 leaves their meaning open: the SDK's
// readers take the first value, while other tools (jq, JavaScript, Python) take the last, so an
// answer with a duplicated name means one thing to the SDK and another to whatever reads its
// raw JSON. Objects the SDK maps are refused when a name occurs twice.
//
// A template over the value type, because the notification reader compiles RapidJSON in a
// namespace of its own (notification_codec.cpp).

#include <algorithm>
#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

namespace wechatpay::internal {

/// The first member name of `object` (a RapidJSON object value) that occurs more than once, or
/// nullopt. Linear for the usual small objects, sorted for large ones.
template <typename Value>
std::optional<std::string_view> DuplicateMemberName(Value const& object) {
  auto const count = object.MemberCount();
  auto name_of = [](auto const& member) {
    return std::string_view(member.name.GetString(), member.name.GetStringLength());
  };
  // WeChat's objects have at most ~20 members: comparing every pair (length first) is cheaper
  // than building and sorting a vector.
  constexpr decltype(count) kPairwiseLimit = 32;
  if (count <= kPairwiseLimit) {
    for (auto a = object.MemberBegin(); a != object.MemberEnd(); ++a) {
      for (auto b = a + 1; b != object.MemberEnd(); ++b) {
        if (a->name.GetStringLength() == b->name.GetStringLength() && name_of(*a) == name_of(*b)) {
          return name_of(*a);
        }
      }
    }
    return std::nullopt;
  }
  std::vector<std::string_view> names;
  names.reserve(count);
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it)
    names.push_back(name_of(*it));
  std::sort(names.begin(), names.end());
  auto const duplicate = std::adjacent_find(names.begin(), names.end());
  if (duplicate == names.end()) return std::nullopt;
  return *duplicate;
}

}  // namespace wechatpay::internal
