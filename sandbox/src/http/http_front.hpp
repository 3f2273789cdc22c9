// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The sandbox's HTTP(S) server on cpp-httplib, and the only file that knows cpp-httplib: it
// turns requests into Inbound values and answers back into HTTP, counts TCP connections and
// TLS handshakes, and carries out the faults that happen below HTTP (drop, truncate,
// endless-body).
//
// Lessons from cpp-httplib 0.11.4 (also in tests/support/loopback_server.cpp): the default
// keep-alive limit of 5 requests per connection would defeat connection reuse; without
// TCP_NODELAY every answer waits ~40 ms for the client's delayed ACK; its socket-options hook
// sees only the listening socket, so accepted connections are counted where the accept loop
// hands each socket to the task queue. And every connection holds a thread while it lasts, idle
// or slow: the thread pool grows on demand (worker_pool.hpp), reads time out, a connection
// yields its thread after keep_alive_max_count requests, and request bodies are bounded.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "http/exchange.hpp"
#include "http/stats.hpp"
#include "wechatpay/status.hpp"

namespace httplib {
class Server;
}  // namespace httplib

namespace wechatpay::sandbox::internal {

/// The HTTP server.
///
/// @par Thread Safety
/// Start() and Stop() belong to the owner; the handler runs on the worker threads.
class HttpFront {
 public:
  /// Where and how to listen.
  struct Options {
    std::string host = "127.0.0.1";
    int port = 0;
    /// HTTPS when both are set.
    std::string cert_file;
    std::string key_file;
    std::chrono::seconds keep_alive_timeout{5};
    /// Requests on one connection before it is closed (a busy client then queues behind the
    /// connections waiting for a thread).
    std::size_t keep_alive_max_count = 1000;
    /// Connections served at once (a thread each, started when needed).
    std::size_t worker_threads = 128;
    /// The longest pause while a request is read.
    std::chrono::milliseconds read_timeout{2000};
    /// Larger request bodies are answered 413 without being kept; bodies without a
    /// Content-Length (chunked) are answered 411 before they are read.
    std::size_t max_body_bytes = 1024 * 1024;
  };

  /// How the answer leaves.
  enum class Delivery {
    /// Normally.
    kNormal,
    /// Not at all: the connection is shut down without a byte of answer.
    kDrop,
    /// Headers announcing more body than is sent, then the connection is closed.
    kTruncate,
    /// A chunked body that never ends: the answer's body, then spaces until the client hangs
    /// up (at most kEndlessBodyMaxBytes, then the connection is closed without the last chunk).
    kEndlessBody,
  };

  /// Where an endless body gives up on a client that never hangs up: 1 GiB.
  static constexpr std::size_t kEndlessBodyMaxBytes = std::size_t{1} << 30;

  /// An answer and how to deliver it.
  struct Reply {
    Answer answer;
    Delivery delivery = Delivery::kNormal;
  };

  /// Computes the reply to a request (runs on worker threads).
  using Handler = std::function<Reply(Inbound const&)>;

  HttpFront(Options options, StatsCounters& stats, Handler handler);
  ~HttpFront();
  HttpFront(HttpFront const&) = delete;
  HttpFront& operator=(HttpFront const&) = delete;

  /// Binds and starts listening on a background thread; returns once connections are
  /// accepted. Errors: kConfiguration (bad certificate or key), kTransport (cannot bind).
  Status Start();

  /// Stops listening and joins the server thread (idle keep-alive connections are released
  /// within keep_alive_timeout). Idempotent.
  void Stop();

  /// The bound port.
  int port() const { return port_; }

 private:
  Options options_;
  StatsCounters& stats_;
  Handler handler_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace wechatpay::sandbox::internal
