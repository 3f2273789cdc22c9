// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "support/recorded_client.hpp"

#include <utility>

namespace wechatpay::testing {
namespace {

NativePayClient MakeClient(ClientRecorder& recorder, std::shared_ptr<RecordingTransport> transport,
                           std::int64_t now, int max_retries) {
  ClientOptions options;
  options.transport = std::move(transport);
  options.clock = [now] { return FixedTime(now); };
  recorder.Attach(options);
  options.retry.max_retries = max_retries;
  return NativePayClient::Create(TestMerchant::Config(), options).value();
}

}  // namespace

RecordedClient::RecordedClient(std::int64_t now_seconds, int max_retries)
    : now(now_seconds), client(MakeClient(*this, transport, now_seconds, max_retries)) {}

void RecordedClient::Answer(int status, std::string body) {
  transport->Push([this, status, body = std::move(body)](HttpRequest const&) {
    return StatusOr<HttpResponse>(wechat.Signed(status, body, now));
  });
}

}  // namespace wechatpay::testing
