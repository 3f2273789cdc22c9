// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The transport_async row of wechatpay_bench (docs/performance.md): GETs against the plain-HTTP
// loopback server through the curl transport's asynchronous side (SendAsync, 1, 8 and 64 in
// flight) next to its blocking Send() in one thread, on keep-alive connections. Measured: the
// process's CPU time per request (getrusage RUSAGE_SELF, user + sys: the I/O thread, the
// caller and the in-process server alike, the same server work on both sides) and the
// wall-clock throughput. Blocking and asynchronous batches alternate, round after round, and
// the ratio is the median of the per-round ratios, as in harness.hpp.

#include <string>
#include <vector>

namespace wechatpay::bench {

struct TransportAsyncResult {
  int in_flight = 0;
  int requests = 0;  // per batch
  int rounds = 0;
  double blocking_cpu_us = 0;  // median CPU per request, microseconds
  double async_cpu_us = 0;
  double ratio = 0;           // median over rounds of async / blocking CPU per request
  double blocking_per_s = 0;  // median wall-clock throughput
  double async_per_s = 0;
  unsigned long new_connections = 0;  // by the asynchronous transport, warm-up included
};

/// Runs `rounds` alternating batches of `requests` GETs to `url` for each of `in_flight`.
std::vector<TransportAsyncResult> MeasureTransportAsync(std::string const& url, int requests,
                                                        int rounds,
                                                        std::vector<int> const& in_flight);

}  // namespace wechatpay::bench
