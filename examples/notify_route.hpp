// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The callback route of the example servers: a cpp-httplib POST route that hands the raw body
// and the headers to a wechatpay::NotificationHandler and sends back its answer. Every answer,
// an oversized body's included, is the one docs/notifications.md documents (a FAIL body for
// every failure), never cpp-httplib's own empty one.

#include <httplib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <string>
#include <utility>

#include "wechatpay/wechatpay.hpp"

namespace examples {

/// The request's header fields, as NotificationHandler::Handle() takes them.
inline wechatpay::HttpHeaders ToHeaders(httplib::Request const& req) {
  wechatpay::HttpHeaders headers;
  for (auto const& [name, value] : req.headers) headers.Add(name, value);
  return headers;
}

/// The Content-Length the request announced (0 when absent or not a number).
inline std::uint64_t DeclaredLength(httplib::Request const& req) {
  std::string const value = req.get_header_value("Content-Length");
  char* end = nullptr;
  unsigned long long const length = std::strtoull(value.c_str(), &end, 10);
  return end != value.c_str() && *end == '\0' ? length : 0;
}

/// Called after each answer, e.g. to log the outcome.
using NotifyLog =
    std::function<void(httplib::Request const&, wechatpay::NotificationResult const&)>;

/// A route for `handler` (which must outlive the server). Register it with the server's
/// Post(pattern, HandlerWithContentReader) overload, and set the server's payload_max_length
/// (ServerLimits) to the parser's max_body_bytes(): a longer body is then read through without
/// being kept, and answered like the parser answers it.
inline httplib::Server::HandlerWithContentReader NotifyRoute(
    wechatpay::NotificationHandler const& handler, NotifyLog log) {
  return [&handler, log = std::move(log)](httplib::Request const& req, httplib::Response& res,
                                          httplib::ContentReader const& read) {
    wechatpay::NotificationParser const& parser = handler.parser();
    std::size_t const limit = parser.max_body_bytes();
    std::string body;
    std::uint64_t received = 0;
    // The raw bytes as received (the signature covers them; WeChat does not compress
    // callbacks). Only what the parser may accept is kept, whatever the server's own limits:
    // the rest of a longer body is read and dropped, so that the connection's next request
    // starts where it should.
    bool const complete = read([&](char const* data, std::size_t size) {
      received += size;
      if (body.size() < limit) body.append(data, std::min(size, limit - body.size()));
      return true;
    });
    wechatpay::NotificationResult result;
    if (complete && received <= limit) {
      result = handler.Handle(ToHeaders(req), body);
    } else {
      // Refused by its size, which the parser's own check words and AnswerFor() answers (413,
      // the FAIL body): read through, or announced by a Content-Length over payload_max_length
      // (then cpp-httplib skipped the bytes without passing them on). Otherwise the body broke
      // off before its end.
      result.outcome = wechatpay::NotificationOutcome::kRejected;
      result.status = parser.CheckBodySize(complete ? received : DeclaredLength(req));
      if (result.status.ok()) {
        result.status = wechatpay::Status(wechatpay::StatusCode::kMalformedResponse,
                                          "the request body ended before it was complete");
      }
      result.answer = wechatpay::AnswerFor(result.status);
    }
    res.status = result.answer.status_code;
    if (!result.answer.body.empty()) {
      res.set_content(result.answer.body, result.answer.content_type.c_str());
    }
    if (log) log(req, result);
  };
}

/// Makes the server log a POST to a route it does not have (answered 404): a notify_url with
/// the wrong path is otherwise silent — WeChat only keeps redelivering. The line is
/// `UNKNOWN_ROUTE POST <path> -> 404`; the path comes from the network, so it is cut to 200
/// bytes and anything but printable ASCII becomes '?' (no line can be forged into the log).
/// `otherwise` (optional) handles every other error answer, e.g. a readable page for a GET of
/// an unknown page (cpp-httplib has one error handler per server).
inline void LogUnknownRoutes(
    httplib::Server& server, std::function<void(std::string const&)> print,
    std::function<void(httplib::Request const&, httplib::Response&)> otherwise = {}) {
  server.set_error_handler([print = std::move(print), otherwise = std::move(otherwise)](
                               httplib::Request const& req, httplib::Response& res) {
    // cpp-httplib calls this for every error status, also one a route answered itself (an
    // unknown order's 404 page, a JSON error): an answer with a body is the route's, left alone.
    if (!res.body.empty()) return;
    if (res.status != 404 || req.method != "POST") {
      if (otherwise) otherwise(req, res);
      return;
    }
    std::string path = req.path.substr(0, 200);
    for (char& c : path) {
      if (c < 0x20 || c > 0x7e) c = '?';
    }
    print("UNKNOWN_ROUTE POST " + path + " -> 404");
  });
}

}  // namespace examples
