// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The cpp-httplib header adapter: header fields between cpp-httplib's multimap and HttpHeaders,
// for the programs that run a cpp-httplib server or client next to the library (the sandbox,
// the CLI's demo receiver, the tests). Header-only, with no source in the library, which never
// needs cpp-httplib: include it only from targets that link wechatpay_httplib.

#include <httplib.h>

#include "wechatpay/http/types.hpp"

namespace wechatpay::internal {

/// cpp-httplib's header fields (of a request it received) as HttpHeaders, every field kept.
inline HttpHeaders FromHttplibHeaders(httplib::Headers const& headers) {
  HttpHeaders out;
  for (auto const& [name, value] : headers) out.Add(name, value);
  return out;
}

/// HttpHeaders as cpp-httplib's header fields (of a request it is to send).
inline httplib::Headers ToHttplibHeaders(HttpHeaders const& headers) {
  httplib::Headers out;
  for (auto const& [name, value] : headers) out.emplace(name, value);
  return out;
}

}  // namespace wechatpay::internal
