// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/testing/recording_transport.hpp"

#include <string>
#include <string_view>
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
  auto answer = next(request);
  if (!answer || !request.body_sink || answer->status_code < 200 || answer->status_code >= 300) {
    return answer;
  }
  return Stream(request, *std::move(answer));
}

StatusOr<HttpResponse> RecordingTransport::Stream(HttpRequest const& request, HttpResponse answer) {
  // As the curl transport does: the 2xx body goes to the sink (in pieces, so a sink sees more
  // than one call), bounded by the request's limit when it sets one, and is not kept.
  std::string body = std::move(answer.body);
  answer.body.clear();
  if (request.max_response_body_bytes != 0 && body.size() > request.max_response_body_bytes) {
    ErrorInfo info;
    info.field = "body";
    info.http_status = answer.status_code;
    info.outcome_unknown = true;
    return Status(StatusCode::kMalformedResponse,
                  "RecordingTransport: the scripted body exceeds the request's limit of " +
                      std::to_string(request.max_response_body_bytes) + " bytes",
                  std::move(info));
  }
  for (std::size_t offset = 0; offset < body.size(); offset += kStreamChunkBytes) {
    auto status = request.body_sink(std::string_view(body).substr(offset, kStreamChunkBytes));
    if (!status.ok()) return status;
  }
  return answer;
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
