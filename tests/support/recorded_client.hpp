// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The fixture of the unit tests that check one operation's exact request and the mapping of its
// answers: a NativePayClient for TestMerchant over a RecordingTransport at a fixed time, whose
// retry sleeps and log lines are recorded (ClientRecorder) instead of slept and written.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "support/test_merchant.hpp"
#include "wechatpay/native_pay_client.hpp"
#include "wechatpay/testing/client_recorder.hpp"
#include "wechatpay/testing/recording_transport.hpp"

namespace wechatpay::testing {

struct RecordedClient : ClientRecorder {
  /// The client's clock stands at `now` (Unix seconds); it retries at most `max_retries` times.
  explicit RecordedClient(std::int64_t now, int max_retries = 2);

  /// Another client on the same transport, clock and recorder, with `adjust` applied to its
  /// options last (e.g. a calendar_clock).
  NativePayClient MakeClient(std::function<void(ClientOptions&)> const& adjust);

  /// Queues a WeChat answer signed (at the fixture's time) when the request arrives.
  void Answer(int status, std::string body);
  /// The last request sent.
  HttpRequest Last() const { return transport->requests().back(); }

  std::int64_t now;
  std::shared_ptr<RecordingTransport> transport = std::make_shared<RecordingTransport>();
  WeChatPaySigner wechat = TestWeChat();
  int max_retries;
  NativePayClient client;
};

}  // namespace wechatpay::testing
