// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file http/curl_transport.hpp
/// The default HttpTransport, on libcurl: its options and its factory.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include "wechatpay/export.hpp"

#include "wechatpay/http/transport.hpp"

namespace wechatpay {

/// Options of the libcurl transport.
struct WECHATPAY_EXPORT CurlTransportOptions {
  /// Extra CA bundle (PEM file) trusted in addition to the system store; empty for none.
  /// TLS peer and host verification are always on and cannot be turned off.
  std::string ca_file;
  /// Default connect timeout (CURLOPT_CONNECTTIMEOUT_MS).
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
  /// Default whole-request timeout (CURLOPT_TIMEOUT_MS).
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
  /// How many idle curl handles (each keeping its keep-alive connections) are kept for reuse.
  std::size_t max_idle_handles = 16;
  /// Optional proxy URL (CURLOPT_PROXY) for every non-loopback host; empty for none. The
  /// http_proxy, https_proxy and no_proxy environment variables are ignored either way (a
  /// client reads them only when told to: MerchantConfig::proxy_from_environment).
  std::string proxy;
  /// Hosts reached without the proxy, in the no_proxy syntax libcurl takes (CURLOPT_NOPROXY):
  /// comma-separated host names (a name also matches its subdomains), IP addresses, or "*" for
  /// every host. Empty: every non-loopback host goes through `proxy`.
  std::string no_proxy;
  /// The most response body bytes a request accepts unless it sets its own
  /// HttpRequest::max_response_body_bytes; zero means kDefaultMaxResponseBodyBytes (4 MiB).
  /// A larger answer fails with kMalformedResponse (field "body") once the limit is passed, or
  /// at once when its Content-Length announces more; at most the limit is ever buffered.
  std::size_t max_response_body_bytes = kDefaultMaxResponseBodyBytes;
  /// The most asynchronous requests on the wire at once (the transport's I/O thread, used by
  /// the asynchronous calls); further ones wait in its queue, in submission order, until a
  /// transfer ends, and can be cancelled while they wait. Zero is taken as 1. Blocking Send()
  /// calls are not counted: each runs on its caller's thread.
  std::size_t max_concurrent_transfers = 64;
};

/// Initialises libcurl's global state once (thread-safe). MakeCurlTransport() calls it; host
/// applications may call it early in main(), before starting threads.
WECHATPAY_EXPORT void GlobalInit();

/// The default transport: libcurl with a bounded pool of easy handles, so keep-alive
/// connections are reused across calls and threads (a handle is used by one thread at a time).
/// Plain `http://` is refused except for loopback hosts (127.0.0.0/8, ::1, localhost).
///
/// @par Thread Safety
/// The returned transport is safe to use from many threads at once.
WECHATPAY_EXPORT std::shared_ptr<HttpTransport> MakeCurlTransport(
    CurlTransportOptions options = {});

}  // namespace wechatpay
