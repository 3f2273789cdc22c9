// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/testing/recording_transport.hpp"

#include <utility>

namespace wechatpay::testing {

void RecordingTransport::Push(Responder responder) {
  std::lock_guard<std::mutex> lock(mu_);
  queue_.push_back(std::move(responder));
}

void RecordingTransport::PushResult(StatusOr<HttpResponse> result) {
  Push([result = std::move(result)](HttpRequest const&) { return result; });
}

void RecordingTransport::SetHandler(Responder handler) {
  std::lock_guard<std::mutex> lock(mu_);
  handler_ = std::move(handler);
}

StatusOr<HttpResponse> RecordingTransport::Send(HttpRequest const& request) {
  Responder next;
  {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(request);
    if (!queue_.empty()) {
      next = std::move(queue_.front());
      queue_.pop_front();
    } else {
      next = handler_;
    }
  }
  if (!next) {
    return Status(StatusCode::kInternal, "RecordingTransport: no answer scripted for " +
                                             request.method + " request number " +
                                             std::to_string(count()));
  }
  return next(request);
}

std::vector<HttpRequest> RecordingTransport::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

std::size_t RecordingTransport::count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_.size();
}

std::size_t RecordingTransport::pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

}  // namespace wechatpay::testing
