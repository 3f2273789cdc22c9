// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// A bounded pool of libcurl easy handles.
//
// libcurl keeps its connection cache (and DNS cache and TLS session cache) inside each easy
// handle, and curl_easy_reset() keeps them while clearing every option. Reusing reset handles
// is therefore what makes keep-alive work with the easy API. A handle must never be used by two
// threads at once, so each request takes one handle out of the pool exclusively and puts it
// back when done (the google-cloud-cpp PooledCurlHandleFactory pattern).

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

/// A mutex-protected stack of idle easy handles, at most `max_idle` of them.
///
/// @par Thread Safety
/// Acquire() and Release() may be called from any thread. The pool must outlive every handle
/// lease taken from it. curl_global_init() must have run before the first Acquire().
class CurlHandlePool {
 public:
  /// A handle taken from the pool; goes back to the pool when destroyed.
  class Lease {
   public:
    Lease(CurlHandlePool* pool, CurlEasyPtr handle) noexcept
        : pool_(pool), handle_(std::move(handle)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(Lease const&) = delete;
    Lease& operator=(Lease const&) = delete;
    ~Lease() {
      if (handle_) pool_->Release(std::move(handle_));
    }

    /// The handle, or nullptr when curl_easy_init() failed.
    CURL* get() const noexcept { return handle_.get(); }

   private:
    CurlHandlePool* pool_;
    CurlEasyPtr handle_;
  };

  explicit CurlHandlePool(std::size_t max_idle) : max_idle_(max_idle) {}
  CurlHandlePool(CurlHandlePool const&) = delete;
  CurlHandlePool& operator=(CurlHandlePool const&) = delete;

  /// The most recently used idle handle, curl_easy_reset() so no option of the previous request
  /// survives; or a new handle when none is idle. Lease::get() is nullptr when curl could not
  /// allocate one.
  Lease Acquire();

  /// Returns a handle. When the pool already holds `max_idle` handles the oldest idle one (the
  /// one whose connections are likeliest to have been closed by the server) is cleaned up.
  void Release(CurlEasyPtr handle);

  /// Idle handles currently held (for tests).
  std::size_t idle_count() const;

 private:
  std::size_t const max_idle_;
  mutable std::mutex mu_;
  // Back = most recently released. LIFO reuse keeps the warmest connections busy.
  std::vector<CurlEasyPtr> idle_;
};

}  // namespace wechatpay::internal
