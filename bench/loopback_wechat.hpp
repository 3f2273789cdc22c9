// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// A minimal WeChat Pay stand-in for the full-request benchmark: plain HTTP/1.1 on 127.0.0.1
// over POSIX sockets with keep-alive, answering every request (the benchmark sends Native
// orders) with a validly signed 200 in one send(). The answer is signed once and re-signed every 30
// s (well inside the 300 s window), so the server spends almost no CPU and the client's CPU time is
// what the benchmark sees. It does not check the request's signature: that is the sandbox's job,
// and the numbers here are the client's.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "fixtures.hpp"

namespace wechatpay::bench {

class LoopbackWeChat {
 public:
  /// The body of every Native order answer.
  static constexpr char kAnswerBody[] = R"({"code_url":"weixin://wxpay/bizpayurl?pr=p4lpSuKzz"})";

  explicit LoopbackWeChat(PrivateKey wechat_key);
  ~LoopbackWeChat();
  LoopbackWeChat(LoopbackWeChat const&) = delete;
  LoopbackWeChat& operator=(LoopbackWeChat const&) = delete;

  /// Binds an ephemeral port and serves on background threads; aborts when it cannot.
  void Start();

  /// "http://127.0.0.1:PORT".
  std::string BaseUrl() const;

  /// TCP connections accepted so far.
  std::size_t connections() const { return connections_->load(); }

  /// The answer currently served (for the floor to verify the same bytes).
  SignedMessage CurrentAnswer();

 private:
  void AcceptLoop();
  void Serve(int fd);

  PrivateKey wechat_key_;
  std::shared_ptr<std::atomic<std::size_t>> connections_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread accept_thread_;
  std::mutex mu_;  // guards open_, connection_threads_, answer_ and signed_at_
  std::vector<int> open_;
  std::vector<std::thread> connection_threads_;
  SignedMessage answer_;
  std::int64_t signed_at_ = 0;
};

}  // namespace wechatpay::bench
