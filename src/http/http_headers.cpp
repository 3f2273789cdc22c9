// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include <algorithm>

#include "common/text.hpp"
#include "wechatpay/http/types.hpp"

namespace wechatpay {

std::string const* HttpHeaders::Find(std::string_view name) const {
  for (auto const& field : fields_) {
    if (internal::EqualsIgnoreCase(field.first, name)) return &field.second;
  }
  return nullptr;
}

std::string_view HttpHeaders::Get(std::string_view name) const {
  auto const* value = Find(name);
  return value ? std::string_view(*value) : std::string_view();
}

void HttpHeaders::Set(std::string name, std::string value) {
  Remove(name);
  fields_.emplace_back(std::move(name), std::move(value));
}

void HttpHeaders::Add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

void HttpHeaders::Remove(std::string_view name) {
  fields_.erase(
      std::remove_if(fields_.begin(), fields_.end(),
                     [&](Field const& f) { return internal::EqualsIgnoreCase(f.first, name); }),
      fields_.end());
}

}  // namespace wechatpay
