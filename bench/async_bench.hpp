// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The asynchronous rows of wechatpay_bench (docs/performance.md), each an asynchronous form
// with 1, 8 and 64 in flight next to its blocking form in one thread, against the plain-HTTP
// loopback server on keep-alive connections:
// - transport_async: GETs through the curl transport's SendAsync vs its blocking Send();
// - request_async: NativePayClient::NativePrepayAsync() vs the blocking NativePrepay().
// Measured: the client's CPU time per operation — the calling thread's, plus the transport's
// I/O thread's on the asynchronous side (thread CPU clocks: the in-process server's threads,
// whose idle keep-alive polling varies with the number of open connections, are left out) —
// the whole process's CPU per operation for context (getrusage, server included), and the
// wall-clock throughput. Blocking and asynchronous batches alternate, round after round, and
// the ratio is the median of the per-round ratios, as in harness.hpp.

#include <functional>
#include <string>
#include <vector>

#include "fixtures.hpp"

namespace wechatpay::bench {

struct AsyncResult {
  int in_flight = 0;
  int operations = 0;  // per batch
  int rounds = 0;
  double blocking_cpu_us = 0;  // median client CPU per operation, microseconds
  double async_cpu_us = 0;
  double ratio = 0;           // median over rounds of async / blocking client CPU per operation
  double process_ratio = 0;   // the same with the whole process's CPU (server included)
  double blocking_per_s = 0;  // median wall-clock throughput
  double async_per_s = 0;
  // Opened so far, warm-up included: by the level's asynchronous transport (transport_async),
  // by the client's one transport, both sides and the earlier levels included (request_async).
  unsigned long new_connections = 0;
};

/// Runs `count` operations one after the other on the calling thread.
using RunBlocking = std::function<void(int count)>;
/// Runs `count` operations with `in_flight` at a time; returns when all have completed.
using RunAsync = std::function<void(int count, int in_flight)>;

/// The shared measuring core of the asynchronous rows: warms both sides up, then times
/// `rounds` alternating batches of `operations` through `blocking` and through `async` with
/// `in_flight` at a time. `new_connections` is left for the caller.
AsyncResult MeasureAsyncVsBlocking(RunBlocking const& blocking, RunAsync const& async,
                                   int in_flight, int operations, int rounds);

/// Ends one asynchronous operation: true when it succeeded.
using Done = std::function<void(bool ok)>;

/// Starts `count` operations with at most `in_flight` of them started and not yet ended:
/// `start(done)` begins one and has `done` called once when it ends, on any thread (the
/// calling one included); each `done` starts the next one until `count` have started.
/// Returns when all have ended; aborts the program when any failed.
void RunInFlight(int count, int in_flight, std::function<void(Done)> const& start,
                 char const* what);

/// transport_async: for each of `in_flight`, `requests` GETs to `url` per batch.
std::vector<AsyncResult> MeasureTransportAsync(std::string const& url, int requests, int rounds,
                                               std::vector<int> const& in_flight);

/// request_async: for each of `in_flight`, `calls` Native orders per batch to the loopback
/// server at `base_url`, through one client configured as the request row's.
std::vector<AsyncResult> MeasureRequestAsync(Keys const& keys, std::string const& base_url,
                                             int calls, int rounds,
                                             std::vector<int> const& in_flight);

}  // namespace wechatpay::bench
