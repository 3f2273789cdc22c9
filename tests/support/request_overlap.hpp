// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// How many requests of one operation were on the wire at once, from a client's per-request
// events (ClientOptions::on_request): each sent attempt's end and latency give its span. The
// hook runs on the client's I/O thread; read the result once the calls have ended.

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "wechatpay/channel/request_event.hpp"

namespace wechatpay::testing {

class RequestOverlap {
 public:
  /// Records the attempts of `operation` (RequestEvent::operation, e.g.
  /// "query_order_by_out_trade_no").
  explicit RequestOverlap(std::string operation) : operation_(std::move(operation)) {}
  RequestOverlap(RequestOverlap const&) = delete;
  RequestOverlap& operator=(RequestOverlap const&) = delete;

  /// The hook to put in ClientOptions::on_request; this object must outlive the client's calls.
  std::function<void(RequestEvent const&)> Hook();
  /// Attempts recorded.
  std::size_t attempts() const;
  /// The most attempts on the wire at one moment.
  std::size_t MostAtOnce() const;

 private:
  struct Span {
    std::chrono::steady_clock::time_point end;
    std::chrono::microseconds took;
  };
  std::string const operation_;
  mutable std::mutex mu_;
  std::vector<Span> spans_;
};

}  // namespace wechatpay::testing
