// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The I/O thread behind the curl transport's asynchronous side (async_transport.hpp): one thread
// that runs one libcurl multi handle (so keep-alive connections are shared by every
// asynchronous request of the transport), a queue of requests waiting for a free transfer slot,
// and a timer list for RunAfter().
//
// The loop knows nothing about HTTP: a request is a CurlIoJob, which the transport implements
// with the same preparation and completion code its blocking Send() uses. That is what keeps a
// single implementation of validation, limits and error statuses.
//
// Rules the implementation relies on (curl_io_loop.cpp says why):
// - Jobs, completions and timer functions run on the I/O thread only, completions and timers
//   outside the loop's lock, so they may call Submit(), RunAfter() and Cancel() again.
// - A completion or timer function that throws does not end the thread: the exception is
//   caught and dropped (there is nobody to report it to), as CallPipeline::Report() does for
//   hooks. Callers that care catch inside their own function.
// - Destroying the loop cancels everything: queued requests complete with kCancelled (nothing
//   sent), transfers on the wire are removed from the multi handle and complete with what
//   CurlIoJob::Abandon() says, and pending timers are dropped (their functions never run).
//   Every job is destroyed before the destructor returns, so the jobs may reference their
//   transport. The destructor may run on the I/O thread itself (the last reference to a client
//   dropped inside a completion or a timer): it then cancels inline and detaches the thread,
//   which finishes running the completions already decided and exits on its own. It must not
//   run inside a libcurl callback (an HttpRequest::body_sink): libcurl forbids removing handles
//   from there.

#include <curl/curl.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>

#include "http/async_transport.hpp"
#include "wechatpay/http/types.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay::internal {

/// One asynchronous request as its transport runs it. Every member is called on the I/O thread,
/// at most once each, in the order Start(), then Finish() or Abandon() when Start() returned a
/// handle. A job that never starts (cancelled while queued, or the loop stopped first) is just
/// destroyed.
class CurlIoJob {
 public:
  virtual ~CurlIoJob() = default;

  /// Prepares the transfer once a slot is free: the configured easy handle to add to the loop's
  /// multi handle, or the error the request ends with, nothing sent.
  virtual StatusOr<CURL*> Start() = 0;

  /// What the request ends with once its transfer ended with `result`; the handle has been
  /// removed from the multi handle already.
  virtual StatusOr<HttpResponse> Finish(CURLcode result) = 0;

  /// What a transfer removed from the multi handle before its end (the loop is stopping) ends
  /// with: kCancelled, with outcome_unknown when the request may have been sent.
  virtual Status Abandon() = 0;
};

/// The I/O thread: started by the first Submit() or RunAfter(), stopped and joined by the
/// destructor (see the file comment).
///
/// @par Thread Safety
/// Submit(), RunAfter(), Cancel() and InFlight() may be called from any thread, the I/O thread
/// included. The destructor must not race with them.
class CurlIoLoop {
 public:
  /// `max_concurrent`: the most transfers in the multi handle at once (0 is taken as 1).
  explicit CurlIoLoop(std::size_t max_concurrent);
  ~CurlIoLoop();
  CurlIoLoop(CurlIoLoop const&) = delete;
  CurlIoLoop& operator=(CurlIoLoop const&) = delete;

  /// Queues `job`; `done` runs once with its outcome, on the I/O thread. Once the loop is
  /// stopping the job is cancelled (kCancelled, nothing sent) by the I/O thread as well; only
  /// after that thread has ended (which a caller can see only by misusing a destroyed loop's
  /// state) does `done` run on the calling thread.
  AsyncTicket Submit(std::unique_ptr<CurlIoJob> job, HttpCompletion done);

  /// Runs `fn` on the I/O thread once `delay` has passed; timers due at the same moment run in
  /// the order they were set. Dropped (never run) once the loop is stopping.
  AsyncTicket RunAfter(std::chrono::milliseconds delay, std::function<void()> fn);

  /// Cancels a queued job (its completion runs with kCancelled, nothing sent) or a pending
  /// timer. False for a job already started, finished, or unknown.
  bool Cancel(AsyncTicket ticket);

  /// Jobs submitted whose completion has not started to run yet.
  std::size_t InFlight() const;

  /// The loop's state, defined in curl_io_loop.cpp (named here only so that file's helpers can
  /// take it).
  struct State;

 private:
  // Shared with the I/O thread, which keeps it alive on its own when detached.
  std::shared_ptr<State> state_;
};

}  // namespace wechatpay::internal
