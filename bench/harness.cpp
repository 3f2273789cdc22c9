// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "harness.hpp"

#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <utility>

namespace wechatpay::bench {
namespace {

std::int64_t ClockNanos(clockid_t clock) {
  timespec ts{};
  if (clock_gettime(clock, &ts) != 0) {
    std::perror("wechatpay_bench: clock_gettime");
    std::exit(2);
  }
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// CPU nanoseconds per operation over a batch of `count`.
double TimeBatch(Operation const& op, std::size_t count) {
  auto const start = ThreadCpuNanos();
  for (std::size_t i = 0; i < count; ++i) op();
  return static_cast<double>(ThreadCpuNanos() - start) / static_cast<double>(count);
}

// Warms caches, lazily initialised OpenSSL state and the allocator, then sizes a batch so
// that it takes about `target` of CPU time: long enough that the clock's cost and resolution
// vanish, short enough that a round sees one machine state.
std::size_t CalibrateBatch(Operation const& op, std::chrono::milliseconds target) {
  for (int i = 0; i < 3; ++i) op();
  std::size_t count = 1;
  double per_op = TimeBatch(op, count);
  // Grow until one batch is long enough to trust the estimate (>= 2 ms).
  while (per_op * static_cast<double>(count) < 2e6 && count < (1u << 24)) {
    count *= 4;
    per_op = TimeBatch(op, count);
  }
  double const wanted = static_cast<double>(target.count()) * 1e6 / std::max(per_op, 1.0);
  return std::max<std::size_t>(1, static_cast<std::size_t>(wanted));
}

}  // namespace

std::int64_t ThreadCpuNanos() { return ClockNanos(CLOCK_THREAD_CPUTIME_ID); }

std::int64_t WallNanos() { return ClockNanos(CLOCK_MONOTONIC); }

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  std::size_t const mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

PairResult MeasurePair(std::string name, Operation const& ours, Operation const& floor,
                       PairOptions const& options, double target) {
  PairResult result;
  result.name = std::move(name);
  result.target = target;
  result.rounds = options.rounds;
  result.batch = CalibrateBatch(ours, options.batch_time);
  result.floor_batch = CalibrateBatch(floor, options.batch_time);

  std::vector<double> ours_ns;
  std::vector<double> floor_ns;
  std::vector<double> ratios;
  for (int round = 0; round < options.rounds; ++round) {
    // Alternate which side goes first, so neither always runs right after the other's
    // cache footprint.
    double a = 0;
    double b = 0;
    if (round % 2 == 0) {
      a = TimeBatch(ours, result.batch);
      b = TimeBatch(floor, result.floor_batch);
    } else {
      b = TimeBatch(floor, result.floor_batch);
      a = TimeBatch(ours, result.batch);
    }
    ours_ns.push_back(a);
    floor_ns.push_back(b);
    ratios.push_back(a / b);
  }
  result.ns_per_op = Median(ours_ns);
  result.floor_ns_per_op = Median(floor_ns);
  result.ratio = Median(ratios);
  return result;
}

long StatusKib(char const* key) {
  std::ifstream in("/proc/self/status");
  std::string line;
  std::size_t const n = std::strlen(key);
  while (std::getline(in, line)) {
    if (line.compare(0, n, key) == 0) return std::strtol(line.c_str() + n, nullptr, 10);
  }
  return -1;
}

bool ResetPeakRss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

}  // namespace wechatpay::bench
