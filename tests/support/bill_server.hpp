// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// WeChat Pay's bill endpoints on loopback (cpp-httplib), for the bill download and CLI tests:
// GET /v3/bill/tradebill and /v3/bill/fundflowbill answer, signed, with the digest and a
// download URL on this server; GET /v3/billdownload/file serves the file of the URL's token
// (unsigned, as WeChat does) after checking the request's signature over path and query.

#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "support/loopback_server.hpp"
#include "support/test_merchant.hpp"

namespace wechatpay::testing {

/// What the server serves for one download token.
struct BillFile {
  std::string bytes;          ///< the answer body (compressed for gzip)
  std::string digest_source;  ///< the bytes the signed answer's hash is taken over
  int status = 200;           ///< anything else: 400 INVALID_REQUEST (an expired URL)
  /// Nonzero: the connection is dropped once this many bytes (rounded up to the 64 KiB
  /// pieces) were sent, although the Content-Length announced all of them.
  std::size_t cut_after = 0;
};

class BillServer {
 public:
  BillServer();

  /// Registers a file; every file is registered before Start() (the handlers read the map
  /// without a lock).
  void AddFile(std::string token, BillFile file) { files_[std::move(token)] = std::move(file); }
  /// Starts listening on 127.0.0.1 with an ephemeral port.
  void Start() { server_.Start(); }
  /// The token the next bill answer names.
  void NextToken(std::string token);
  /// "http://127.0.0.1:<port>".
  std::string BaseUrl() const { return server_.BaseUrl(); }
  int port() const { return server_.port(); }
  /// Every request received: method, target (path and query) in `url`, headers.
  std::vector<HttpRequest> requests() const;

 private:
  void AnswerBill(httplib::Request const& request, httplib::Response& response);
  void ServeFile(httplib::Request const& request, httplib::Response& response);
  HttpRequest Record(httplib::Request const& request);

  WeChatPaySigner wechat_ = TestWeChat();
  std::map<std::string, BillFile> files_;
  mutable std::mutex mu_;  // guards next_token_ and requests_
  std::string next_token_;
  std::vector<HttpRequest> requests_;
  LoopbackServer server_;
};

}  // namespace wechatpay::testing
