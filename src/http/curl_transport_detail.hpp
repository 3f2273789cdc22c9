// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Pieces of the curl transport that need no network, split out so unit tests can reach them.

#include <curl/curl.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wechatpay/http/types.hpp"
#include "wechatpay/status.hpp"

namespace wechatpay::internal {

/// The CURLcode curl_easy_perform() reports for a multi-interface failure (the blocking and the
/// asynchronous transfers report it the same way).
inline CURLcode FromMultiCode(CURLMcode code) {
  return code == CURLM_OUT_OF_MEMORY ? CURLE_OUT_OF_MEMORY : CURLE_BAD_FUNCTION_ARGUMENT;
}

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
/// is kTransport. ErrorInfo::transport_code is the CURLcode. `body_not_sent_whole`: the
/// request's body provably did not leave whole, so outcome_unknown is false whatever the code.
Status CurlErrorStatus(CURLcode code, bool request_may_have_been_sent, std::string_view host,
                       std::string_view curl_text, bool body_not_sent_whole = false);

/// The status code of a status line ("HTTP/1.1 200 OK", "HTTP/2 204"; CRLF optional), 0 when
/// `line` is not one.
int StatusLineCode(std::string_view line);

/// The body length that a complete response header block (`fields`, as AddResponseHeaderLine
/// collected them, of a block whose status line carried `status_code`) announces: its
/// Content-Length, or -1 when it announces none. -1 as well when the block has no body of that
/// length (RFC 9112 §6.3): an interim 1xx block, a 204 or 304, any answer to a HEAD request, a
/// Transfer-Encoding (which overrides Content-Length), or a Content-Length that is not a
/// decimal number (libcurl deals with that one).
std::int64_t AnnouncedBodyLength(std::vector<HttpHeaders::Field> const& fields, int status_code,
                                 bool head_request);

/// Appends `chunk` to `body` unless the result would be longer than `limit`: then returns false
/// and leaves `body` untouched. The capacity never grows past `limit` either (std::string's own
/// doubling could reserve almost twice the bytes kept), so a body at the limit occupies at most
/// `limit` bytes. May throw std::bad_alloc.
bool AppendWithinLimit(std::string& body, std::string_view chunk, std::size_t limit);

/// The Status for a response body over `limit` bytes: kMalformedResponse, ErrorInfo::field
/// "body", outcome_unknown set (the server was answering, so the request arrived). `announced`
/// is the Content-Length when the announcement was what exceeded the limit, -1 when the bytes
/// received did. `http_status` is the answer's status (0 when unknown), `code` the CURLcode that
/// ended the transfer. The message names the limit and the options that set it.
Status BodyTooLargeStatus(std::string_view host, std::size_t limit, std::int64_t announced,
                          int http_status, CURLcode code);

/// The Status for response headers over `limit` bytes: kMalformedResponse, ErrorInfo::field
/// "headers", outcome_unknown set. `libcurl_refused_line` says that libcurl, not the transport's
/// count, stopped the transfer (a single header line over its own 100 KiB limit), which the
/// message then mentions.
Status HeadersTooLargeStatus(std::string_view host, std::size_t limit, bool libcurl_refused_line,
                             int http_status, CURLcode code);
/// libcurl's error text as a message may carry it: `curl_text`, or "" (CurlErrorStatus() then
/// uses curl_easy_strerror()) when it repeats the user info of `proxy` or its password part.
/// libcurl quotes a proxy setting it cannot parse in full, credentials included ("Unsupported
/// proxy syntax in 'http://user:password@...'"), and a proxy password is a secret.
std::string_view WithoutProxyCredentials(std::string_view curl_text, std::string_view proxy);

}  // namespace wechatpay::internal
