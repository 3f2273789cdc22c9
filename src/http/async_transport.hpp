// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The asynchronous side of a transport: requests queued on one I/O thread that runs many
// transfers at once (the curl transport: one libcurl multi handle), and timers on the same
// thread for the waits between attempts. The call pipeline's asynchronous run is built on it;
// a blocking HttpTransport::Send() of the same transport behaves exactly like a SendAsync()
// whose caller waits (same validation, limits, error statuses and outcome_unknown rule).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>

#include "wechatpay/http/transport.hpp"
#include "wechatpay/http/types.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay::internal {

/// What a queued request ends with, run exactly once on the I/O thread (never inside
/// SendAsync()). It must not block: the I/O thread runs every other transfer too.
using HttpCompletion = std::function<void(StatusOr<HttpResponse>)>;

/// Identifies a queued request or a timer for Cancel(); never 0.
using AsyncTicket = std::uint64_t;

/// Sends requests without blocking the caller.
///
/// @par Thread Safety
/// Every member may be called from any thread, the I/O thread (inside a completion or a timer)
/// included.
class AsyncHttpTransport {
 public:
  virtual ~AsyncHttpTransport() = default;

  /// Queues `request` (it is moved in and kept alive until `done` runs) and returns at once.
  /// `done` receives what HttpTransport::Send() would have returned for it. A request refused
  /// before anything is sent (a bad URL, a header with CR/LF, ...) still completes through
  /// `done`, on the I/O thread. Once the transport is being destroyed, queued and running
  /// requests complete with kCancelled (outcome_unknown set for a request libcurl may have
  /// sent), and new ones at once, with kCancelled and nothing sent.
  virtual AsyncTicket SendAsync(HttpRequest request, HttpCompletion done) = 0;

  /// Runs `fn` on the I/O thread once `delay` has passed (zero: at the next turn of the loop).
  /// `fn` must not block.
  virtual AsyncTicket RunAfter(std::chrono::milliseconds delay, std::function<void()> fn) = 0;

  /// Cancels a queued request whose bytes libcurl has not started to send — its completion
  /// then runs with kCancelled, nothing sent — or a timer that has not fired (its function
  /// never runs). True when cancelled; false when it was too late (the request is on the wire
  /// or done, the timer fired): then it ends as it would have.
  virtual bool Cancel(AsyncTicket ticket) = 0;

  /// Requests queued or on the wire now (for tests and metrics).
  virtual std::size_t InFlight() const = 0;
};

/// The asynchronous side of `transport`, or nullptr when it has none (an application's own
/// HttpTransport). The curl transport made by MakeCurlTransport() has one; its I/O thread is
/// started by the first SendAsync() or RunAfter() and joined when the transport is destroyed.
AsyncHttpTransport* AsAsync(HttpTransport& transport);

}  // namespace wechatpay::internal
