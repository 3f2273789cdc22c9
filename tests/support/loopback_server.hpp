// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// A real HTTP(S) server on 127.0.0.1 and an ephemeral port for integration tests (curl
// transport, CLI against a fake WeChat Pay server, ...), built on cpp-httplib.
//
//   wechatpay::testing::LoopbackServer server;
//   server.http().Post("/v3/pay/transactions/native",
//                      [](httplib::Request const& req, httplib::Response& res) {
//                        res.status = 200;
//                        res.set_content(R"({"code_url":"weixin://..."})", "application/json");
//                      });
//   server.Start();                          // throws std::runtime_error when it cannot
//   std::string base = server.BaseUrl();     // "http://127.0.0.1:<port>"
//   ...                                      // the destructor stops the server
//
// Rules that keep tests correct and fast:
// - Register every handler before Start(): cpp-httplib's routing tables are not synchronized.
// - Handlers run on the server's worker threads: guard what they share with the test.
// - Stop() (and the destructor) waits for connection threads, and an idle keep-alive connection
//   holds one until Options::keep_alive_timeout passes. Destroy clients (transports, which keep
//   connections in their handle pools) before the server, and stopping is immediate.
// - A handler that must outlast a client's timeout should wait with WaitForStop() instead of
//   sleeping, so stopping the server releases it at once.

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace wechatpay::testing {

/// A cpp-httplib server bound to 127.0.0.1 on an ephemeral port, listening on its own thread.
///
/// @par Thread Safety
/// Start(), Stop() and the destructor belong to the owning test thread; the accessors and
/// WaitForStop() may be called from any thread, handlers included.
class LoopbackServer {
 public:
  /// How the server behaves. The defaults suit transport tests.
  struct Options {
    /// Requests served on one connection before the server closes it. cpp-httplib's default of
    /// 5 would make clients reconnect and hide whether they reuse connections.
    std::size_t keep_alive_max_count = 10000;
    /// How long an idle keep-alive connection stays open (whole seconds, cpp-httplib's unit).
    std::chrono::seconds keep_alive_timeout{2};
    /// Worker threads; each open connection occupies one while it lives.
    std::size_t worker_threads = 8;
    /// Serve HTTPS with this PEM certificate (chain) and private key when both are set
    /// (see test_tls.hpp for a generated loopback certificate). Needs cpp-httplib built with
    /// OpenSSL support; Start() throws otherwise.
    std::string tls_cert_file;
    std::string tls_key_file;
  };

  LoopbackServer();
  explicit LoopbackServer(Options options);
  /// Stops the server.
  ~LoopbackServer();
  LoopbackServer(LoopbackServer const&) = delete;
  LoopbackServer& operator=(LoopbackServer const&) = delete;

  /// The underlying server, to register handlers (before Start()) or tune it further.
  httplib::Server& http() { return *http_; }

  /// Binds 127.0.0.1:0, starts listening on a background thread and returns once the server
  /// accepts connections. Throws std::runtime_error when binding or starting fails.
  void Start();

  /// Wakes handlers blocked in WaitForStop(), stops listening and joins the server thread.
  /// Idempotent.
  void Stop();

  /// True once Start() succeeded and until Stop().
  bool running() const { return running_.load(); }

  /// The bound port (0 before Start()).
  int port() const { return port_; }

  /// "127.0.0.1".
  static std::string host() { return "127.0.0.1"; }

  /// "http://127.0.0.1:<port>" (or "https://..." with TLS), without a trailing slash.
  std::string BaseUrl() const;

  /// TCP connections accepted so far. Counted where cpp-httplib hands each accepted socket to
  /// its worker queue, so it is exact: a client that reuses one keep-alive connection for many
  /// requests counts once.
  std::size_t accepted_connections() const { return accepted_->load(); }

  /// Blocks until Stop() begins or `timeout` passes; true when the server is stopping. For
  /// handlers that simulate a slow server.
  bool WaitForStop(std::chrono::milliseconds timeout) const;

 private:
  Options options_;
  std::unique_ptr<httplib::Server> http_;
  // Shared with the task queues cpp-httplib creates, which may be destroyed on its thread.
  std::shared_ptr<std::atomic<std::size_t>> accepted_;
  std::thread thread_;
  int port_ = 0;
  int listen_fd_ = -1;  // set by the socket-options callback inside Start()
  std::atomic<bool> running_{false};

  mutable std::mutex stop_mu_;
  mutable std::condition_variable stop_cv_;
  bool stopping_ = false;
};

}  // namespace wechatpay::testing
