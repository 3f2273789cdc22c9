// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// A bounded pool of libcurl handles: an easy handle and the multi handle that runs it.
//
// libcurl keeps its connection cache (and DNS cache) in the multi handle and the TLS session
// cache in the easy handle, so reusing the pair is what makes keep-alive work. (This is what
// curl_easy_perform() does with the multi handle it creates inside each easy handle; the
// transport drives the multi handle itself, see curl_transport.cpp.) A pair must never be used
// by two threads at once, so each request takes one out of the pool exclusively and puts it
// back when done (the google-cloud-cpp PooledCurlHandleFactory pattern).
//
// Handles come back with the options of their previous request still set: the pool does not
// curl_easy_reset() them. Resetting and re-applying a dozen options that never change cost
// about a microsecond per request; instead the user (CurlTransport) sets its constant options
// once, on a fresh handle (Lease::fresh()), and every per-request option on every request.

#include <curl/curl.h>

#include <cstddef>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace wechatpay::internal {

/// Calls curl_easy_cleanup(), which also closes the handle's cached connections.
struct CurlEasyDeleter {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};

/// An owned easy handle.
using CurlEasyPtr = std::unique_ptr<CURL, CurlEasyDeleter>;

/// Calls curl_multi_cleanup(), which closes the connections in the multi handle's cache.
struct CurlMultiDeleter {
  void operator()(CURLM* handle) const noexcept { curl_multi_cleanup(handle); }
};

/// An owned multi handle.
using CurlMultiPtr = std::unique_ptr<CURLM, CurlMultiDeleter>;

/// One pooled pair. The easy handle is attached to the multi handle only during a transfer.
/// Members are destroyed in reverse order: the easy handle first, then the multi handle (and
/// with it the cached connections).
struct PooledCurl {
  CurlMultiPtr multi;
  CurlEasyPtr easy;
};

/// A mutex-protected stack of idle handle pairs, at most `max_idle` of them.
///
/// @par Thread Safety
/// Acquire() and Release() may be called from any thread. The pool must outlive every handle
/// lease taken from it. curl_global_init() must have run before the first Acquire().
class CurlHandlePool {
 public:
  /// A handle taken from the pool; goes back to the pool when destroyed.
  class Lease {
   public:
    Lease(CurlHandlePool* pool, PooledCurl handles, bool fresh) noexcept
        : pool_(pool), handles_(std::move(handles)), fresh_(fresh) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(Lease const&) = delete;
    Lease& operator=(Lease const&) = delete;
    ~Lease() {
      if (handles_.easy && handles_.multi) pool_->Release(std::move(handles_));
    }

    /// The easy handle, or nullptr when curl_easy_init() or curl_multi_init() failed.
    CURL* get() const noexcept { return handles_.multi ? handles_.easy.get() : nullptr; }

    /// The multi handle to run get() on; nullptr exactly when get() is.
    CURLM* multi() const noexcept { return handles_.easy ? handles_.multi.get() : nullptr; }

    /// True for a handle created by this Acquire(), false for one that served earlier requests.
    bool fresh() const noexcept { return fresh_; }

    /// Cleans the handle up instead of returning it to the pool (say, because configuring it
    /// failed half-way).
    void Discard() noexcept {
      handles_.easy.reset();
      handles_.multi.reset();
    }

   private:
    CurlHandlePool* pool_;
    PooledCurl handles_;
    bool fresh_;
  };

  explicit CurlHandlePool(std::size_t max_idle) : max_idle_(max_idle) {}
  CurlHandlePool(CurlHandlePool const&) = delete;
  CurlHandlePool& operator=(CurlHandlePool const&) = delete;

  /// The most recently used idle pair, as its last request left it (options included), or a
  /// new pair when none is idle (Lease::fresh()). Lease::get() is nullptr when curl could not
  /// allocate one.
  Lease Acquire();

  /// Returns a pair. When the pool already holds `max_idle` pairs the oldest idle one (the one
  /// whose connections are likeliest to have been closed by the server) is cleaned up.
  void Release(PooledCurl handles);

  /// Idle pairs currently held (for tests).
  std::size_t idle_count() const;

 private:
  std::size_t const max_idle_;
  mutable std::mutex mu_;
  // Back = most recently released. LIFO reuse keeps the warmest connections busy.
  std::vector<PooledCurl> idle_;
};

}  // namespace wechatpay::internal
