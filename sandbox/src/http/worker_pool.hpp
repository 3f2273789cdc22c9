// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The threads that serve the sandbox's connections. cpp-httplib gives each connection one
// thread for as long as it lasts, idle keep-alive time included, and its own pool starts a
// fixed number up front: sixteen keep-alive clients took all sixteen, and every other client
// waited. This pool starts a thread when a connection arrives and none is idle, up to a
// bound far above what a test or a demo opens, and keeps it for the next connection.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace wechatpay::sandbox::internal {

/// Runs tasks on up to `max_threads` threads, started on demand; tasks beyond wait, first in
/// first out.
///
/// @par Thread Safety
/// Submit() may be called from any thread; Shutdown() and the destructor belong to the owner.
class WorkerPool {
 public:
  /// A pool of at most `max_threads` (at least 1) threads; none is started yet. Threads inherit
  /// the signal mask of the thread that calls Submit().
  explicit WorkerPool(std::size_t max_threads);
  /// Calls Shutdown().
  ~WorkerPool();
  WorkerPool(WorkerPool const&) = delete;
  WorkerPool& operator=(WorkerPool const&) = delete;

  /// Runs `task` on an idle thread, on a new one while fewer than max_threads exist, or once a
  /// thread is free.
  void Submit(std::function<void()> task);

  /// Runs the tasks already submitted, then joins the threads; later Submit() calls are
  /// ignored. Idempotent.
  void Shutdown();

  /// Threads started so far.
  std::size_t threads() const;

 private:
  void Work();

  std::size_t const max_threads_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;  // threads waiting for a task
  bool stopping_ = false;
};

}  // namespace wechatpay::sandbox::internal
