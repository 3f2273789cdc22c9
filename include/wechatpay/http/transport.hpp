// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file http/transport.hpp
/// The transport seam: the HttpTransport interface the clients send every request through.

#include "wechatpay/export.hpp"

#include "wechatpay/http/types.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay {

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

}  // namespace wechatpay
