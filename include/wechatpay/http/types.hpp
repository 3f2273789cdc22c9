// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file http/types.hpp
/// HTTP requests and responses as plain values, and the response size limits. Everything that
/// builds or reads HTTP messages (signing, verification, notifications) uses these; only the
/// transport sends them.

#include <chrono>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>
#include "wechatpay/export.hpp"
#include "wechatpay/status.hpp"

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

/// Receives the body of a 2xx answer piece by piece, as it arrives (HttpRequest::body_sink).
/// Returning an error ends the transfer at once.
using HttpBodySink = std::function<Status(std::string_view chunk)>;

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
  /// Streams the answer instead of buffering it. When set and the final answer is a 2xx, its
  /// body is handed to this sink in order as it arrives and HttpResponse::body stays empty, so
  /// a download of any size takes bounded memory; max_response_body_bytes still bounds the
  /// total handed on (then kMalformedResponse, field "body", as for a buffered body). Any other
  /// answer (an error body) is read into HttpResponse::body as usual, bounded by the
  /// transport's default limit (or max_response_body_bytes when smaller), so it can be read
  /// like any error. The first error the sink returns ends the transfer and is what
  /// HttpTransport::Send() returns. Not called for an empty body.
  HttpBodySink body_sink{};
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

}  // namespace wechatpay
