// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "async_bench.hpp"

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "harness.hpp"
#include "http/async_transport.hpp"
#include "wechatpay/http/curl_stats.hpp"
#include "wechatpay/http/curl_transport.hpp"

namespace wechatpay::bench {
namespace {

// User + system CPU of the whole process, in nanoseconds.
std::int64_t ProcessCpuNanos() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto const nanos = [](timeval const& t) {
    return static_cast<std::int64_t>(t.tv_sec) * 1000000000 +
           static_cast<std::int64_t>(t.tv_usec) * 1000;
  };
  return nanos(usage.ru_utime) + nanos(usage.ru_stime);
}

// The CPU clock of the process's thread named `name` (its /proc/self/task/*/comm), or the
// calling thread's when there is none. Linux builds a thread's CPU clock id from its thread id
// this way (include/linux/posix-timers.h, CPUCLOCK_SCHED | CPUCLOCK_PERTHREAD_MASK); glibc's
// pthread_getcpuclockid() does the same, but needs a pthread_t the transport does not expose.
clockid_t ThreadCpuClock(std::string const& name) {
  for (auto const& entry : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(entry.path() / "comm");
    std::string thread_name;
    std::getline(comm, thread_name);
    if (thread_name != name) continue;
    auto const tid = static_cast<unsigned>(std::stoul(entry.path().filename().string()));
    return static_cast<clockid_t>((~tid << 3) | 6u);
  }
  return CLOCK_THREAD_CPUTIME_ID;
}

std::int64_t ClockNanos(clockid_t clock) {
  timespec now{};
  clock_gettime(clock, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1000000000 + now.tv_nsec;
}

struct Batch {
  double cpu_ns_per_operation = 0;          // the client's: this thread (+ the I/O thread)
  double process_cpu_ns_per_operation = 0;  // everything, the in-process server included
  double per_second = 0;
};

// The CPU and the wall-clock time of `run`, which does `operations` operations; `io_thread`:
// count the transport's I/O thread too.
template <typename Run>
Batch Time(int operations, bool io_thread, Run const& run) {
  clockid_t const io = io_thread ? ThreadCpuClock("wechatpay-io") : CLOCK_THREAD_CPUTIME_ID;
  auto const client = [&] {
    return ClockNanos(CLOCK_THREAD_CPUTIME_ID) + (io_thread ? ClockNanos(io) : 0);
  };
  auto const cpu = client();
  auto const process = ProcessCpuNanos();
  auto const wall = WallNanos();
  run();
  Batch batch;
  batch.cpu_ns_per_operation = static_cast<double>(client() - cpu) / operations;
  batch.process_cpu_ns_per_operation =
      static_cast<double>(ProcessCpuNanos() - process) / operations;
  batch.per_second = operations * 1e9 / static_cast<double>(WallNanos() - wall);
  return batch;
}

HttpRequest Get(std::string const& url) {
  HttpRequest request;
  request.method = "GET";
  request.url = url;
  request.timeout = std::chrono::seconds(30);
  return request;
}

}  // namespace

AsyncResult MeasureAsyncVsBlocking(RunBlocking const& blocking, RunAsync const& async,
                                   int in_flight, int operations, int rounds) {
  blocking(20);
  async(4 * in_flight, in_flight);  // opens the connections
  std::vector<double> ratios;
  std::vector<double> process_ratios;
  std::vector<double> blocking_cpu;
  std::vector<double> async_cpu;
  std::vector<double> blocking_rate;
  std::vector<double> async_rate;
  for (int round = 0; round < rounds; ++round) {
    Batch const b = Time(operations, false, [&] { blocking(operations); });
    Batch const a = Time(operations, true, [&] { async(operations, in_flight); });
    ratios.push_back(a.cpu_ns_per_operation / b.cpu_ns_per_operation);
    process_ratios.push_back(a.process_cpu_ns_per_operation / b.process_cpu_ns_per_operation);
    blocking_cpu.push_back(b.cpu_ns_per_operation / 1000);
    async_cpu.push_back(a.cpu_ns_per_operation / 1000);
    blocking_rate.push_back(b.per_second);
    async_rate.push_back(a.per_second);
  }
  AsyncResult r;
  r.in_flight = in_flight;
  r.operations = operations;
  r.rounds = rounds;
  r.blocking_cpu_us = Median(blocking_cpu);
  r.async_cpu_us = Median(async_cpu);
  r.ratio = Median(ratios);
  r.process_ratio = Median(process_ratios);
  r.blocking_per_s = Median(blocking_rate);
  r.async_per_s = Median(async_rate);
  return r;
}

void RunInFlight(int count, int in_flight, std::function<void(Done)> const& start,
                 char const* what) {
  std::mutex mu;
  std::condition_variable cv;
  int started = 0;
  int ended = 0;
  int failed = 0;
  // Each end starts the next operation, outside the lock: a `done` called inside `start` (on
  // the calling thread) takes it again.
  Done done = [&](bool ok) {
    bool next = false;
    {
      std::lock_guard<std::mutex> lock(mu);
      if (!ok) ++failed;
      ++ended;
      if (started < count) {
        ++started;
        next = true;
      } else if (ended == count) {
        cv.notify_one();
      }
    }
    if (next) start(done);
  };
  int const first = std::min(count, in_flight);
  {
    std::lock_guard<std::mutex> lock(mu);
    started = first;
  }
  for (int i = 0; i < first; ++i) start(done);
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return ended == count; });
  if (failed != 0) Check(Status(StatusCode::kInternal, "an asynchronous operation failed"), what);
}

std::vector<AsyncResult> MeasureTransportAsync(std::string const& url, int requests, int rounds,
                                               std::vector<int> const& in_flight) {
  std::vector<AsyncResult> results;
  auto const blocking_transport = MakeCurlTransport();
  RunBlocking const blocking = [&](int count) {
    HttpRequest const request = Get(url);
    for (int i = 0; i < count; ++i) Check(blocking_transport->Send(request).status(), "Send");
  };
  for (int const n : in_flight) {
    CurlTransportOptions options;
    options.max_concurrent_transfers = static_cast<std::size_t>(n);
    options.max_idle_handles = static_cast<std::size_t>(n);
    auto const transport = MakeCurlTransport(options);
    auto* async_side = internal::AsAsync(*transport);
    if (async_side == nullptr) Check(Status(StatusCode::kInternal, "no async side"), "AsAsync");
    auto const send = [&](Done done) {
      async_side->SendAsync(
          Get(url), [done = std::move(done)](StatusOr<HttpResponse> result) { done(result.ok()); });
    };
    // Every request queued at once: the transport's bound keeps `n` on the wire.
    RunAsync const async = [&](int count, int) { RunInFlight(count, count, send, "SendAsync"); };
    AsyncResult r = MeasureAsyncVsBlocking(blocking, async, n, requests, rounds);
    r.new_connections =
        static_cast<unsigned long>(GetCurlTransportStats(*transport).new_connections);
    results.push_back(r);
  }
  return results;
}

std::vector<AsyncResult> MeasureRequestAsync(Keys const& keys, std::string const& base_url,
                                             int calls, int rounds,
                                             std::vector<int> const& in_flight) {
  // The request row's client, with its transport's bound spelled out.
  CurlTransportOptions transport_options;
  transport_options.max_concurrent_transfers = 64;
  auto const transport = MakeCurlTransport(transport_options);
  ClientOptions client_options;
  client_options.transport = transport;
  client_options.retry.max_retries = 0;
  auto const client =
      Must(NativePayClient::Create(BenchConfig(keys, base_url), client_options), "client");
  auto const order = NativeOrder("1217752501201407033233368018");
  RunBlocking const blocking = [&](int count) {
    for (int i = 0; i < count; ++i) CheckResult(client.NativePrepay(order), "NativePrepay");
  };
  auto const prepay = [&](Done done) {
    client.NativePrepayAsync(
        order, {},
        [done = std::move(done)](StatusOr<NativePrepayResponse> result) { done(result.ok()); });
  };
  // `in_flight` calls started at once, each completion starting the next.
  RunAsync const async = [&](int count, int n) {
    RunInFlight(count, n, prepay, "NativePrepayAsync");
  };
  std::vector<AsyncResult> results;
  for (int const n : in_flight) {
    AsyncResult r = MeasureAsyncVsBlocking(blocking, async, n, calls, rounds);
    r.new_connections =
        static_cast<unsigned long>(GetCurlTransportStats(*transport).new_connections);
    results.push_back(r);
  }
  return results;
}

}  // namespace wechatpay::bench
