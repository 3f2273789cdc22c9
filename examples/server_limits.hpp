// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Connection limits for the example servers (callback_server, cashier) on cpp-httplib.
//
// cpp-httplib serves each connection on one thread of a fixed pool for as long as the
// connection lasts, and its read timeout bounds each pause between two reads, not a whole
// request. Its defaults (8 threads on a small machine, 5 s per read, 5 s of idle keep-alive)
// let eight clients that connect and then send a byte every 2 s, or say nothing, take every
// thread, and WeChat's callback then waits past its 5 s. These limits drop such clients within
// a second and leave room for more of them than the defaults do; a client that sends just fast
// enough still holds its thread while it keeps sending, so a crowd of them is for a reverse
// proxy to stop (docs/security.md, "The example servers").

#include <httplib.h>

#include <chrono>
#include <cstddef>

#include "wechatpay/wechatpay.hpp"

namespace examples {

/// What ApplyServerLimits() sets.
struct ServerLimits {
  /// Connections served at once (a thread each); more wait for one to end.
  std::size_t worker_threads = 32;
  /// The longest pause while a request (head or body) is read before the connection is dropped.
  /// Callbacks arrive whole within milliseconds, from WeChat or from a proxy on the same host.
  std::chrono::milliseconds read_timeout{1000};
  /// The longest wait for a client to take the next part of an answer (one that stopped
  /// reading, e.g. an event stream nobody reads any more).
  std::chrono::milliseconds write_timeout{5000};
  /// How long an idle connection is kept, before its first request and between two (whole
  /// seconds: cpp-httplib counts seconds).
  std::chrono::seconds keep_alive_timeout{2};
  /// Requests on one connection before it is closed: a busy connection then gives its thread
  /// to those waiting.
  std::size_t keep_alive_max_count = 100;
  /// The largest request body: cpp-httplib reads a longer one announced by its Content-Length
  /// through without keeping it, and answers 413.
  std::size_t payload_max_length = 64 * 1024;
};

/// Sets `limits` on `server`, and a pre-routing handler that refuses a request body without a
/// Content-Length (Transfer-Encoding: chunked) with 411 before reading it: cpp-httplib 0.11
/// applies payload_max_length to Content-Length bodies only and would keep a chunked body
/// whole, however long. Neither WeChat's callbacks nor browsers' forms are sent chunked. The
/// 411 carries a FAIL body, the failure answer of a callback route (docs/notifications.md).
/// Call before the server listens.
inline void ApplyServerLimits(httplib::Server& server, ServerLimits const& limits) {
  auto const threads = limits.worker_threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_read_timeout(limits.read_timeout);
  server.set_write_timeout(limits.write_timeout);
  server.set_keep_alive_timeout(static_cast<time_t>(limits.keep_alive_timeout.count()));
  server.set_keep_alive_max_count(limits.keep_alive_max_count);
  server.set_payload_max_length(limits.payload_max_length);
  server.set_pre_routing_handler([](httplib::Request const& req, httplib::Response& res) {
    if (!req.has_header("Transfer-Encoding")) return httplib::Server::HandlerResponse::Unhandled;
    auto const answer = wechatpay::FailureAnswer(411, "a request body needs a Content-Length");
    res.status = answer.status_code;
    res.set_content(answer.body, answer.content_type.c_str());
    return httplib::Server::HandlerResponse::Handled;
  });
}

}  // namespace examples
