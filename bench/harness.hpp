// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The measuring core of wechatpay_bench: each of our operations is timed next to its OpenSSL
// floor in alternating batches, round after round, so that both see the same machine state (a
// compiler starting on the other core slows both, and their ratio stays put). A shared 2-core
// box drifts by more than the 5 % a target allows between two runs taken minutes apart; it
// drifts far less within one round of a few tens of milliseconds.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace wechatpay::bench {

/// CPU time consumed by the calling thread (CLOCK_THREAD_CPUTIME_ID), in nanoseconds. Time
/// spent waiting (for the other core, for a socket) is not counted.
std::int64_t ThreadCpuNanos();

/// Monotonic wall-clock time in nanoseconds.
std::int64_t WallNanos();

/// The median of `values` (the mean of the two middle ones for an even count); 0 when empty.
double Median(std::vector<double> values);

/// One timed operation. It must do the whole work each call; failures abort the program
/// (a benchmark of an error path would measure the wrong thing).
using Operation = std::function<void()>;

/// How pairs are measured.
struct PairOptions {
  /// Rounds; each times one batch of ours and one batch of the floor.
  int rounds = 21;
  /// CPU time one batch should take; the batch size is calibrated to it.
  std::chrono::milliseconds batch_time{20};
};

/// One measured pair.
struct PairResult {
  std::string name;
  /// Median over rounds of our CPU time per operation.
  double ns_per_op = 0;
  /// Median over rounds of the floor's CPU time per operation.
  double floor_ns_per_op = 0;
  /// Median over rounds of (ours / floor) within the round.
  double ratio = 0;
  /// The target for the ratio; 0 when it sets none.
  double target = 0;
  /// Operations per batch (ours, floor).
  std::size_t batch = 0;
  std::size_t floor_batch = 0;
  int rounds = 0;
};

/// Measures `ours` against `floor` (thread CPU time; both run on the calling thread).
PairResult MeasurePair(std::string name, Operation const& ours, Operation const& floor,
                       PairOptions const& options, double target = 0);

/// A "VmHWM:" / "VmRSS:" line of /proc/self/status, in KiB; -1 when absent.
long StatusKib(char const* key);

/// Resets VmHWM to the current RSS (writing 5 to /proc/self/clear_refs, Linux >= 4.0), so the
/// peak that follows belongs to the measured phase alone. False when the kernel refused.
bool ResetPeakRss();

}  // namespace wechatpay::bench
