// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file testing/recording_transport.hpp
/// RecordingTransport: an HttpTransport that records every request and answers from a queue or
/// a handler, so a test sees the exact bytes a client sends and feeds it any answer. Pair it
/// with WeChatPaySigner for answers that pass the client's signature check.

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "wechatpay/http/transport.hpp"
#include "wechatpay/http/types.hpp"
#include "wechatpay/testing/export.hpp"

namespace wechatpay::testing {

/// An HttpTransport for tests. Each Send() is recorded, then answered by the first queued
/// responder if any (each is used once, in order), else by the handler if one is set, else
/// with kInternal saying that no answer was scripted (a status the clients never retry).
/// A request with an HttpRequest::body_sink gets a 2xx answer's body through the sink, in
/// pieces of kStreamChunkBytes, and an empty HttpResponse::body, as from the curl transport.
///
/// @code
/// auto transport = std::make_shared<wechatpay::testing::RecordingTransport>();
/// transport->Push([&](wechatpay::HttpRequest const&) {
///   return wechatpay::StatusOr<wechatpay::HttpResponse>(
///       wechat.Signed(200, R"({"code_url":"weixin://wxpay/bizpayurl?pr=test"})"));
/// });
/// wechatpay::ClientOptions options;
/// options.transport = transport;
/// @endcode
///
/// @par Thread Safety
/// All member functions are safe to call from any thread. Responders run without any lock
/// held, so they may block or push further answers.
class WECHATPAY_TESTING_EXPORT RecordingTransport : public HttpTransport {
 public:
  /// Computes an answer from the request, so that a signature can cover fresh values (a
  /// timestamp, the request's own data).
  using Responder = std::function<StatusOr<HttpResponse>(HttpRequest const&)>;

  RecordingTransport() = default;
  RecordingTransport(RecordingTransport const&) = delete;
  RecordingTransport& operator=(RecordingTransport const&) = delete;

  /// Queues one answer, used by one request (after the answers queued before it).
  void Push(Responder responder);
  /// Queues a fixed answer: a response, or an error Status such as kTransport.
  void PushResult(StatusOr<HttpResponse> result);
  /// Answers every request once the queue is empty; replaces any earlier handler.
  void SetHandler(Responder handler);

  /// Records `request` and answers it as described above.
  StatusOr<HttpResponse> Send(HttpRequest const& request) override;

  /// Every request sent so far, oldest first.
  std::vector<HttpRequest> requests() const;
  /// The number of requests sent so far.
  std::size_t count() const;
  /// The number of queued answers not used yet.
  std::size_t pending() const;

  /// The size of the pieces a streamed (body_sink) answer is handed on in.
  static constexpr std::size_t kStreamChunkBytes = 16 * 1024;

 private:
  static StatusOr<HttpResponse> Stream(HttpRequest const& request, HttpResponse answer);

  mutable std::mutex mu_;  // guards everything below
  std::deque<Responder> queue_;
  Responder handler_;
  std::vector<HttpRequest> requests_;
};

}  // namespace wechatpay::testing
