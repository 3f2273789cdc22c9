// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "json/json_duplicates.hpp"

#include <algorithm>
#include <vector>

namespace wechatpay::internal {

std::optional<std::string_view> DuplicateMemberName(rapidjson::Value const& object) {
  if (!object.IsObject()) return std::nullopt;
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
