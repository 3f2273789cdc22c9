// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "json/time_expire.hpp"

#include <cstddef>

namespace wechatpay::internal {

std::string TimeExpireOnWire(std::string_view time_expire) {
  // "YYYY-MM-DDTHH:MM:SS" is 19 characters; a fraction starts right after it.
  constexpr std::size_t kSecondsEnd = 19;
  if (time_expire.size() <= kSecondsEnd || time_expire[kSecondsEnd] != '.') {
    return std::string(time_expire);
  }
  std::size_t end = kSecondsEnd + 1;
  while (end < time_expire.size() && time_expire[end] >= '0' && time_expire[end] <= '9') ++end;
  std::string out(time_expire.substr(0, kSecondsEnd));
  out.append(time_expire.substr(end));
  return out;
}

}  // namespace wechatpay::internal
