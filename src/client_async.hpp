// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The two forms of NativePayClient's asynchronous calls: the completion form is the call; the
// future form is the completion form with a completion that fulfils a promise.

#include <future>
#include <memory>
#include <utility>

#include "wechatpay/channel/channel.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay::internal {

/// Starts `start(done)` with a `done` that fulfils the returned future.
template <typename T, typename Start>
std::future<StatusOr<T>> FutureOf(Start&& start) {
  auto promise = std::make_shared<std::promise<StatusOr<T>>>();
  auto future = promise->get_future();
  std::forward<Start>(start)(
      Completion<T>([promise](StatusOr<T> result) { promise->set_value(std::move(result)); }));
  return future;
}

/// Validation first, as in the blocking calls: a refused request completes `done` at once, on
/// the calling thread, and nothing is sent.
template <typename T, typename Start>
void ValidateThenStart(Status const& validation, Completion<T>& done, Start&& start) {
  if (!validation.ok()) return done(validation);
  std::forward<Start>(start)();
}

}  // namespace wechatpay::internal
