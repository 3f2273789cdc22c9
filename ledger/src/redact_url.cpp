// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// RedactPostgresUrl: compiled with or without libpq, so that any tool can print a ledger URL.
#include <string>
#include <string_view>

#include "wechatpay/ledger/postgres_store.hpp"

namespace wechatpay {

std::string RedactPostgresUrl(std::string_view url) {
  std::string out(url);
  // userinfo: scheme://user:password@host... (the authority ends at the first '/', '?' or '#').
  auto const scheme_end = out.find("://");
  if (scheme_end != std::string::npos) {
    auto const authority_begin = scheme_end + 3;
    auto authority_end = out.find_first_of("/?#", authority_begin);
    if (authority_end == std::string::npos) authority_end = out.size();
    auto const at = out.rfind('@', authority_end == 0 ? 0 : authority_end - 1);
    if (at != std::string::npos && at >= authority_begin) {
      auto const colon = out.find(':', authority_begin);
      if (colon != std::string::npos && colon < at) {
        out.replace(colon + 1, at - colon - 1, "***");
      }
    }
  }
  // password=... among the query parameters (libpq accepts every connection keyword there).
  auto const query = out.find('?');
  if (query != std::string::npos) {
    std::size_t begin = query + 1;
    while (begin <= out.size()) {
      auto end = out.find('&', begin);
      if (end == std::string::npos) end = out.size();
      std::string_view const parameter(out.data() + begin, end - begin);
      if (parameter.rfind("password=", 0) == 0) {
        auto const value_begin = begin + std::string_view("password=").size();
        out.replace(value_begin, end - value_begin, "***");
        end = value_begin + 3;
      }
      begin = end + 1;
    }
  }
  return out;
}

}  // namespace wechatpay
