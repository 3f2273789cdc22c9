// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file http.hpp
/// The transport seam: HTTP requests and responses as plain values, the HttpTransport
/// interface, and the default libcurl implementation.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
#include "wechatpay/export.hpp"

#include "wechatpay/status_or.hpp"

namespace wechatpay {

/// An ordered list of HTTP header fields with case-insensitive name lookup.
class WECHATPAY_EXPORT HttpHeaders {
 public:
  /// One header field.
  using Field = std::pair<std::string, std::string>;

  HttpHeaders() = default;
  /// Builds from `{name, value}` pairs, keeping their order.
  HttpHeaders(std::initializer_list<Field> fields) : fields_(fields) {}

  /// The value of the first field named `name` (any case), or nullptr.
  std::string const* Find(std::string_view name) const;
  /// The value of the first field named `name` (any case), or "" when absent.
  std::string_view Get(std::string_view name) const;
  /// True when a field named `name` exists.
  bool Has(std::string_view name) const { return Find(name) != nullptr; }
  /// Replaces every field named `name` with one field holding `value`.
  void Set(std::string name, std::string value);
  /// Appends a field, keeping any existing one with the same name.
  void Add(std::string name, std::string value);
  /// Removes every field named `name`.
  void Remove(std::string_view name);

  /// The fields in order.
  std::vector<Field> const& fields() const noexcept { return fields_; }
  /// Iteration over the fields.
  std::vector<Field>::const_iterator begin() const noexcept { return fields_.begin(); }
  /// Iteration over the fields.
  std::vector<Field>::const_iterator end() const noexcept { return fields_.end(); }
  /// Number of fields.
  std::size_t size() const noexcept { return fields_.size(); }
  /// True when there are no fields.
  bool empty() const noexcept { return fields_.empty(); }

 private:
  std::vector<Field> fields_;
};

/// The response body limit of a curl transport unless configured otherwise
/// (CurlTransportOptions::max_response_body_bytes): 4 MiB. Real WeChat Pay answers are JSON of
/// a few KB (an order or refund query is about 1 KB); 4 MiB leaves three orders of magnitude
/// of headroom for them while bounding what a broken or hostile server (or anything on the path
/// to it) can make the client buffer. Downloads that are legitimately larger (bill files) raise
/// the limit for their own request: HttpRequest::max_response_body_bytes.
inline constexpr std::size_t kDefaultMaxResponseBodyBytes = std::size_t{4} * 1024 * 1024;

/// The limit on the response headers the curl transport accepts: 64 KiB, counting every header
/// line of the answer with its CRLF (status lines, the final blank line and any interim
/// "100 Continue" or proxy CONNECT block included). WeChat Pay's headers are well under 2 KB.
/// Not configurable: no legitimate answer comes near it (libcurl itself refuses any single
/// header line over 100 KiB; the transport reports that as exceeding this limit too).
inline constexpr std::size_t kMaxResponseHeaderBytes = std::size_t{64} * 1024;

/// An HTTP request as the transport sends it.
struct WECHATPAY_EXPORT HttpRequest {
  /// Upper-case method: "GET", "POST", ...
  std::string method;
  /// Absolute URL: scheme, host, optional port, path and query.
  std::string url;
  /// Header fields sent as given (the transport adds only Host, Content-Length and Expect-less
  /// framing).
  HttpHeaders headers;
  /// The exact body bytes (empty for GET).
  std::string body;
  /// Whole-request timeout; zero means the transport's default.
  std::chrono::milliseconds timeout{0};
  /// Connect timeout; zero means the transport's default.
  std::chrono::milliseconds connect_timeout{0};
  /// The most body bytes this request accepts in its response; zero means the transport's
  /// default (CurlTransportOptions::max_response_body_bytes). A request that expects more than
  /// an API answer (say, a bill download) raises the limit for itself only, up to
  /// `std::numeric_limits<std::size_t>::max()` for none. A larger body ends the transfer as
  /// soon as it is detected; see HttpTransport.
  std::size_t max_response_body_bytes{0};
};

/// An HTTP response: any status code, the headers and the raw body bytes.
struct WECHATPAY_EXPORT HttpResponse {
  /// HTTP status code.
  int status_code = 0;
  /// Response header fields.
  HttpHeaders headers;
  /// The raw body bytes exactly as received.
  std::string body;
};

/// Sends HTTP requests. Implementations must be thread-safe.
///
/// An HTTP error status (4xx, 5xx) is a successful Send(); an error Status means no complete
/// response arrived: kTransport (DNS, connect, TLS, dropped connection), kDeadlineExceeded, or
/// kMalformedResponse when the answer broke the transport's size limits (a body over
/// HttpRequest::max_response_body_bytes, announced by Content-Length or received, with
/// ErrorInfo::field "body"; headers over kMaxResponseHeaderBytes, field "headers"). The transfer
/// is abandoned as soon as a limit is exceeded, so no more than the limit is ever buffered.
/// Resending would only fetch the same oversized answer again, hence a code that the clients
/// never retry. Such a Status sets ErrorInfo::outcome_unknown when the request bytes may have
/// reached the server (always, for a size limit: the server was answering), so the caller can
/// decide whether resending is safe.
class WECHATPAY_EXPORT HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  /// Sends one request and waits for the complete response.
  virtual StatusOr<HttpResponse> Send(HttpRequest const& request) = 0;
};

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
  /// http_proxy, https_proxy and no_proxy environment variables are ignored either way.
  std::string proxy;
  /// The most response body bytes a request accepts unless it sets its own
  /// HttpRequest::max_response_body_bytes; zero means kDefaultMaxResponseBodyBytes (4 MiB).
  /// A larger answer fails with kMalformedResponse (field "body") once the limit is passed, or
  /// at once when its Content-Length announces more; at most the limit is ever buffered.
  std::size_t max_response_body_bytes = kDefaultMaxResponseBodyBytes;
};

/// Connection statistics of a curl transport, for tests and benchmarks.
struct WECHATPAY_EXPORT CurlTransportStats {
  /// Requests performed.
  std::size_t requests = 0;
  /// New connections libcurl had to open (CURLINFO_NUM_CONNECTS summed).
  std::size_t new_connections = 0;
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

/// The statistics of a transport made by MakeCurlTransport(); zeros for any other transport.
WECHATPAY_EXPORT CurlTransportStats GetCurlTransportStats(HttpTransport const& transport);

}  // namespace wechatpay
