// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file http/curl_stats.hpp
/// Connection statistics of a curl transport: a hook for tests and benchmarks that check
/// connection reuse.

#include <cstddef>
#include "wechatpay/export.hpp"

#include "wechatpay/http/transport.hpp"

namespace wechatpay {

/// Connection statistics of a curl transport, for tests and benchmarks.
struct WECHATPAY_EXPORT CurlTransportStats {
  /// Requests performed.
  std::size_t requests = 0;
  /// New connections libcurl had to open (CURLINFO_NUM_CONNECTS summed).
  std::size_t new_connections = 0;
};

/// The statistics of a transport made by MakeCurlTransport(); zeros for any other transport.
WECHATPAY_EXPORT CurlTransportStats GetCurlTransportStats(HttpTransport const& transport);

}  // namespace wechatpay
