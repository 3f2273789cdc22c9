// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file channel/cancellation.hpp
/// CallCancellation: stops calls that have not been sent yet, from any thread.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include "wechatpay/export.hpp"

namespace wechatpay {

/// Cancels the calls that carry it in CallOptions::cancellation, from any thread (a completion
/// included). Share one between calls to cancel them together (all the queries of a checkout
/// page that was closed, say).
///
/// What a cancelled call does: a call whose request has not been handed to the network yet (an
/// asynchronous call queued behind CurlTransportOptions::max_concurrent_transfers, or any call
/// waiting for a retry) ends with StatusCode::kCancelled and sends nothing more; a request
/// already on the wire ends as it would have, but is not repeated after a failure. A call
/// started after Cancel() ends at once with kCancelled, nothing sent. For a write whose earlier
/// attempt may have reached WeChat, the kCancelled status keeps ErrorInfo::outcome_unknown.
///
/// @par Thread Safety
/// Every member may be called from any thread at once.
class WECHATPAY_EXPORT CallCancellation {
 public:
  /// Not cancelled.
  CallCancellation() = default;
  CallCancellation(CallCancellation const&) = delete;
  CallCancellation& operator=(CallCancellation const&) = delete;

  /// Cancels every call that carries this object, now and later. Runs the functions registered
  /// with OnCancel() on this thread, each once. Calling it again does nothing.
  void Cancel();
  /// True once Cancel() was called.
  bool cancelled() const;

  /// Registers `fn` to run once at Cancel() — at once, on this thread, when Cancel() was
  /// already called (the id returned is then 0). Returns an id for Forget(). `fn` must not
  /// call OnCancel() of this object. (The SDK's calls register here; applications may too.)
  std::uint64_t OnCancel(std::function<void()> fn);
  /// Removes the function registered under `id` (nothing when it ran already). After Forget()
  /// returns, that function is not running (unless Forget() is called from inside it) and
  /// never will: when Cancel() is running that very function on another thread, Forget()
  /// waits for it to return (and for nothing else).
  void Forget(std::uint64_t id);

 private:
  mutable std::mutex mutex_;
  std::condition_variable ran_;  // a function that Cancel() ran has returned
  bool cancelled_ = false;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, std::function<void()>> on_cancel_;
  // The function Cancel() is running (outside mutex_: it takes other locks), and where.
  std::uint64_t running_id_ = 0;
  std::thread::id running_thread_;
};

}  // namespace wechatpay
