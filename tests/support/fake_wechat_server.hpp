// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// A WeChat-compatible HTTP server on loopback for CLI tests: records every request exactly as
// it arrived and answers with a scripted reply, signed the way WeChat signs (or forged, unsigned
// or stale on request).

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "support/loopback_server.hpp"
#include "support/test_merchant.hpp"

namespace wechatpay::testing {

/// Writes a CLI configuration file for TestMerchant with `base_url` as baseUrl into `dir`;
/// returns its path.
std::string WriteTestConfig(std::string const& dir, std::string const& base_url);

class FakeWeChatServer {
 public:
  /// How the reply is authenticated.
  enum class Signing { kSigned, kUnsigned, kTamperedBody, kStale };

  /// The answer to every request until changed.
  struct Reply {
    int status = 200;
    std::string body;
    Signing signing = Signing::kSigned;
    /// Waits this long (or until the server stops) before answering.
    std::chrono::milliseconds delay{0};
  };

  /// Starts listening on 127.0.0.1 with an ephemeral port.
  FakeWeChatServer();
  /// The same with the server's options, e.g. HTTPS with a test certificate
  /// (LoopbackServer::Options::tls_cert_file, tls_key_file).
  explicit FakeWeChatServer(LoopbackServer::Options options);

  /// Sets the reply.
  void SetReply(Reply reply);

  /// Every request received: method, target (path and query, as sent) in `url`, headers, body.
  std::vector<HttpRequest> requests() const;

  /// "http://127.0.0.1:<port>" ("https://" with TLS).
  std::string BaseUrl() const { return server_.BaseUrl(); }
  /// The port it listens on.
  int port() const { return server_.port(); }

  /// A CLI configuration file for TestMerchant pointing at this server, written into `dir`.
  std::string WriteConfig(std::string const& dir) const;

 private:
  void Handle(httplib::Request const& request, httplib::Response& response);

  WeChatPaySigner wechat_ = TestWeChat();
  mutable std::mutex mu_;
  Reply reply_;
  std::vector<HttpRequest> requests_;
  LoopbackServer server_;
};

}  // namespace wechatpay::testing
