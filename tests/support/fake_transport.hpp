// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// A scripted HttpTransport: records every request and answers from a queue of canned results,
// so channel tests can assert the exact bytes sent and feed every answer shape.

#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "wechatpay/http/transport.hpp"
#include "wechatpay/http/types.hpp"

namespace wechatpay::testing {

class FakeTransport : public HttpTransport {
 public:
  /// A canned answer: computed from the request, so signatures can cover fresh values.
  using Responder = std::function<StatusOr<HttpResponse>(HttpRequest const&)>;

  /// Queues one answer.
  void Push(Responder responder) {
    std::lock_guard<std::mutex> lock(mu_);
    script_.push_back(std::move(responder));
  }
  /// Queues a fixed answer.
  void PushResult(StatusOr<HttpResponse> result) {
    Push([result](HttpRequest const&) { return result; });
  }

  StatusOr<HttpResponse> Send(HttpRequest const& request) override {
    Responder next;
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(request);
      if (script_.empty())
        return Status(StatusCode::kInternal, "FakeTransport: no scripted answer left");
      next = std::move(script_.front());
      script_.pop_front();
    }
    return next(request);
  }

  /// Every request sent so far.
  std::vector<HttpRequest> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  /// Number of requests sent so far.
  std::size_t count() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_.size();
  }

 private:
  mutable std::mutex mu_;
  std::deque<Responder> script_;
  std::vector<HttpRequest> requests_;
};

}  // namespace wechatpay::testing
