// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Pieces of the curl transport that need no network, split out so unit tests can reach them.

#include <curl/curl.h>

#include <string_view>
#include <vector>

#include "wechatpay/http.hpp"
#include "wechatpay/status.hpp"

namespace wechatpay::internal {

/// Folds one raw header line, as libcurl hands it to CURLOPT_HEADERFUNCTION (CRLF included),
/// into `fields`:
/// - a status line ("HTTP/1.1 200 OK", "HTTP/2 200") starts a new response block and clears
///   what was collected, so only the final response's headers remain (not those of an interim
///   "100 Continue" or of a proxy's CONNECT reply);
/// - a line starting with a space or tab continues the previous field (obsolete folding);
/// - "Name: value" appends a field with surrounding whitespace trimmed from the value;
/// - blank lines and lines without a colon are ignored.
void AddResponseHeaderLine(std::string_view line, std::vector<HttpHeaders::Field>& fields);

/// The Status for a failed transfer.
///
/// `request_may_have_been_sent` says whether libcurl got as far as sending the request (the
/// connection was established or reused); it becomes ErrorInfo::outcome_unknown, which is also
/// forced on for errors that only happen once the request is on the wire (nothing or a
/// truncated answer received, send/receive failure). `host` names the peer in the message;
/// `curl_text` is libcurl's error buffer (curl_easy_strerror() is used when it is empty). The
/// message never includes request headers or bodies.
///
/// Codes: CURLE_OPERATION_TIMEDOUT is kDeadlineExceeded; libcurl misuse or memory exhaustion
/// (CURLE_FAILED_INIT, CURLE_OUT_OF_MEMORY, CURLE_BAD_FUNCTION_ARGUMENT, CURLE_UNKNOWN_OPTION,
/// CURLE_NOT_BUILT_IN) is kInternal; everything else (DNS, connect, TLS, dropped connection, ...)
/// is kTransport. ErrorInfo::transport_code is the CURLcode.
Status CurlErrorStatus(CURLcode code, bool request_may_have_been_sent, std::string_view host,
                       std::string_view curl_text);

/// libcurl's error text as a message may carry it: `curl_text`, or "" (CurlErrorStatus() then
/// uses curl_easy_strerror()) when it repeats the user info of `proxy` or its password part.
/// libcurl quotes a proxy setting it cannot parse in full, credentials included ("Unsupported
/// proxy syntax in 'http://user:password@...'"), and a proxy password is a secret.
std::string_view WithoutProxyCredentials(std::string_view curl_text, std::string_view proxy);

}  // namespace wechatpay::internal
