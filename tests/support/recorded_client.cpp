// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "support/recorded_client.hpp"

#include <utility>

namespace wechatpay::testing {
namespace {

NativePayClient MakeClient(ClientRecorder& recorder, std::shared_ptr<RecordingTransport> transport,
                           std::int64_t now, int max_retries,
                           std::function<void(ClientOptions&)> const& adjust = {}) {
  ClientOptions options;
  options.transport = std::move(transport);
  options.clock = [now] { return FixedTime(now); };
  recorder.Attach(options);
  options.retry.max_retries = max_retries;
  if (adjust) adjust(options);
  return NativePayClient::Create(TestMerchant::Config(), options).value();
}

}  // namespace

RecordedClient::RecordedClient(std::int64_t now_seconds, int retries)
    : now(now_seconds),
      max_retries(retries),
      client(wechatpay::testing::MakeClient(*this, transport, now_seconds, retries)) {}

NativePayClient RecordedClient::MakeClient(std::function<void(ClientOptions&)> const& adjust) {
  return wechatpay::testing::MakeClient(*this, transport, now, max_retries, adjust);
}

void RecordedClient::Answer(int status, std::string body) {
  transport->Push([this, status, body = std::move(body)](HttpRequest const&) {
    return StatusOr<HttpResponse>(wechat.Signed(status, body, now));
  });
}

}  // namespace wechatpay::testing
