// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "protocol/bill_columns.hpp"

namespace wechatpay::internal {

std::string NormalizeBillColumnName(std::string_view name) {
  // U+FF08 and U+FF09 in UTF-8. The official pages write "收支金额(元)" with ASCII parentheses;
  // the same names typed in Chinese text commonly get the full-width ones, and reading both
  // costs nothing (docs/bills.md).
  constexpr std::string_view kOpen = "\xEF\xBC\x88";
  constexpr std::string_view kClose = "\xEF\xBC\x89";
  std::string out;
  out.reserve(name.size());
  for (std::size_t i = 0; i < name.size();) {
    std::string_view const rest = name.substr(i);
    if (rest.substr(0, kOpen.size()) == kOpen) {
      out.push_back('(');
      i += kOpen.size();
    } else if (rest.substr(0, kClose.size()) == kClose) {
      out.push_back(')');
      i += kClose.size();
    } else {
      out.push_back(name[i++]);
    }
  }
  return out;
}

}  // namespace wechatpay::internal
