// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "transport_async_bench.hpp"

#include <sys/resource.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>

#include "fixtures.hpp"
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

HttpRequest Get(std::string const& url) {
  HttpRequest request;
  request.method = "GET";
  request.url = url;
  request.timeout = std::chrono::seconds(30);
  return request;
}

struct Batch {
  double cpu_ns_per_request = 0;
  double per_second = 0;
};

Batch Blocking(HttpTransport& transport, std::string const& url, int requests) {
  HttpRequest const request = Get(url);
  auto const cpu = ProcessCpuNanos();
  auto const wall = WallNanos();
  for (int i = 0; i < requests; ++i) Check(transport.Send(request).status(), "Send");
  Batch batch;
  batch.cpu_ns_per_request = static_cast<double>(ProcessCpuNanos() - cpu) / requests;
  batch.per_second = requests * 1e9 / static_cast<double>(WallNanos() - wall);
  return batch;
}

// Queues every request at once: the transport's bound keeps `in_flight` on the wire.
Batch Async(internal::AsyncHttpTransport& async, std::string const& url, int requests) {
  std::mutex mu;
  std::condition_variable cv;
  int done = 0;
  int failed = 0;
  auto const cpu = ProcessCpuNanos();
  auto const wall = WallNanos();
  for (int i = 0; i < requests; ++i) {
    async.SendAsync(Get(url), [&](StatusOr<HttpResponse> result) {
      std::lock_guard<std::mutex> lock(mu);
      if (!result.ok()) ++failed;
      if (++done == requests) cv.notify_one();
    });
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return done == requests; });
  }
  Batch batch;
  batch.cpu_ns_per_request = static_cast<double>(ProcessCpuNanos() - cpu) / requests;
  batch.per_second = requests * 1e9 / static_cast<double>(WallNanos() - wall);
  if (failed != 0)
    Check(Status(StatusCode::kTransport, "an asynchronous request failed"), "SendAsync");
  return batch;
}

}  // namespace

std::vector<TransportAsyncResult> MeasureTransportAsync(std::string const& url, int requests,
                                                        int rounds,
                                                        std::vector<int> const& in_flight) {
  std::vector<TransportAsyncResult> results;
  auto const blocking = MakeCurlTransport();
  for (int i = 0; i < 20; ++i) Check(blocking->Send(Get(url)).status(), "warm-up");
  for (int const n : in_flight) {
    CurlTransportOptions options;
    options.max_concurrent_transfers = static_cast<std::size_t>(n);
    options.max_idle_handles = static_cast<std::size_t>(n);
    auto const transport = MakeCurlTransport(options);
    auto* async = internal::AsAsync(*transport);
    if (async == nullptr) Check(Status(StatusCode::kInternal, "no async side"), "AsAsync");
    Async(*async, url, 4 * n);  // opens the connections
    std::vector<double> ratios;
    std::vector<double> blocking_cpu;
    std::vector<double> async_cpu;
    std::vector<double> blocking_rate;
    std::vector<double> async_rate;
    for (int round = 0; round < rounds; ++round) {
      Batch const b = Blocking(*blocking, url, requests);
      Batch const a = Async(*async, url, requests);
      ratios.push_back(a.cpu_ns_per_request / b.cpu_ns_per_request);
      blocking_cpu.push_back(b.cpu_ns_per_request / 1000);
      async_cpu.push_back(a.cpu_ns_per_request / 1000);
      blocking_rate.push_back(b.per_second);
      async_rate.push_back(a.per_second);
    }
    TransportAsyncResult r;
    r.in_flight = n;
    r.requests = requests;
    r.rounds = rounds;
    r.blocking_cpu_us = Median(blocking_cpu);
    r.async_cpu_us = Median(async_cpu);
    r.ratio = Median(ratios);
    r.blocking_per_s = Median(blocking_rate);
    r.async_per_s = Median(async_rate);
    r.new_connections =
        static_cast<unsigned long>(GetCurlTransportStats(*transport).new_connections);
    results.push_back(r);
  }
  return results;
}

}  // namespace wechatpay::bench
