// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The counters behind GET /sandbox/v1/stats: enough to prove connection reuse (requests vs TCP
// connections vs TLS handshakes), callback retries, platform certificate and bill downloads.

#include <atomic>
#include <cstddef>
#include <map>
#include <mutex>

#include "wechatpay/sandbox/sandbox.hpp"

namespace wechatpay::sandbox::internal {

/// Thread-safe counters. The hot ones (requests, connections, handshakes) are atomics, so
/// counting never takes a lock on the request path beyond the per-status map.
class StatsCounters {
 public:
  void CountRequest() { requests_.fetch_add(1, std::memory_order_relaxed); }
  void CountConnection() { connections_.fetch_add(1, std::memory_order_relaxed); }
  void CountHandshake() { handshakes_.fetch_add(1, std::memory_order_relaxed); }
  void CountFault() { faults_.fetch_add(1, std::memory_order_relaxed); }
  void CountCertificateDownload() { downloads_.fetch_add(1, std::memory_order_relaxed); }
  void CountBillDownload() { bill_downloads_.fetch_add(1, std::memory_order_relaxed); }
  /// An answer with `status`.
  void CountResponse(int status);
  /// A callback delivery and its answer (0: none).
  void CountCallback(int status);
  /// A copy of every counter.
  Stats Snapshot() const;
  /// Every counter back to zero.
  void Reset();

 private:
  std::atomic<std::size_t> requests_{0};
  std::atomic<std::size_t> connections_{0};
  std::atomic<std::size_t> handshakes_{0};
  std::atomic<std::size_t> faults_{0};
  std::atomic<std::size_t> downloads_{0};
  std::atomic<std::size_t> bill_downloads_{0};
  mutable std::mutex mu_;
  std::map<int, std::size_t> responses_;
  std::size_t callbacks_ = 0;
  std::map<int, std::size_t> callback_answers_;
};

/// Stats as JSON.
std::string StatsJson(Stats const& stats);

}  // namespace wechatpay::sandbox::internal
