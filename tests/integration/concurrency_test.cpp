// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Concurrency (issue 9, item 4): one NativePayClient shared by 8 threads, each doing a mix of
// order, query, close, refund and refund query on its own out_trade_no values against the
// sandbox. Every answer must belong to the thread that asked and be correct; run under
// ThreadSanitizer this also proves there is no data race in the client.
//
// Operations per thread: WECHATPAY_STRESS_OPS, 1000 by default (the issue's 8 x 1000): about
// 20 s in a normal build and 2 minutes under ThreadSanitizer on the 2-core CI machine. Lower it
// for a quick local run.

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "support/sandbox_fixture.hpp"

namespace wechatpay {
namespace {

using testing::SandboxFixture;

int OpsPerThread() {
  char const* value = std::getenv("WECHATPAY_STRESS_OPS");
  if (value == nullptr || *value == '\0') return 1000;
  int const ops = std::atoi(value);
  return ops > 0 ? ops : 1000;
}

TEST_CASE("concurrency: one client, 8 threads, mixed operations, every result correct",
          "[concurrency]") {
  constexpr int kThreads = 8;
  int const ops_per_thread = OpsPerThread();
  SandboxFixture f;
  auto const client = f.Client();

  // Catch2 assertions are not thread-safe: threads record failures, the main thread asserts.
  std::mutex failures_mu;
  std::vector<std::string> failures;
  std::atomic<long> ops_done{0};
  auto fail = [&](std::string what) {
    std::lock_guard<std::mutex> lock(failures_mu);
    if (failures.size() < 20) failures.push_back(std::move(what));
  };

  auto worker = [&](int t) {
    int ops = 0;
    for (int round = 0; ops < ops_per_thread; ++round) {
      std::string const no = "CC" + std::to_string(t) + "T" + std::to_string(100000 + round);
      std::int64_t const total = 1 + (t * 7 + round) % 50;
      auto count = [&] {
        ++ops;
        ++ops_done;
      };

      NativePrepayRequest order;
      order.out_trade_no = no;
      order.description = "并发";
      order.amount.total = total + 1;  // refunds below take 1 fen of it
      auto prepay = client.NativePrepay(order);
      count();
      if (!prepay.ok() || prepay.value().code_url.empty()) {
        fail(no + " order: " + prepay.status().ToString());
        continue;
      }
      if (ops >= ops_per_thread) break;

      auto query = client.QueryOrderByOutTradeNo(no);
      count();
      if (!query.ok() || query.value().out_trade_no != no ||
          query.value().trade_state != "NOTPAY" || !query.value().amount ||
          query.value().amount->total != total + 1) {
        fail(no + " query: " + query.status().ToString());
        continue;
      }
      if (ops >= ops_per_thread) break;

      if (round % 2 == 0) {
        auto closed = client.CloseOrder(no);
        count();
        if (!closed.ok()) fail(no + " close: " + closed.status().ToString());
        if (ops >= ops_per_thread) break;
        auto after = client.QueryOrderByOutTradeNo(no);
        count();
        if (!after.ok() || after.value().trade_state != "CLOSED") {
          fail(no + " query after close: " + after.status().ToString());
        }
        continue;
      }

      // The payer pays (control API, not counted), then a refund and its query.
      if (!f.sandbox().Pay(no).ok()) {
        fail(no + " pay");
        continue;
      }
      CreateRefundRequest refund;
      refund.out_trade_no = no;
      refund.out_refund_no = "R" + no;
      refund.amount.refund = 1;
      refund.amount.total = total + 1;
      auto refunded = client.CreateRefund(refund);
      count();
      if (!refunded.ok() || refunded.value().out_refund_no != refund.out_refund_no) {
        fail(no + " refund: " + refunded.status().ToString());
        continue;
      }
      if (ops >= ops_per_thread) break;
      auto refund_query = client.QueryRefund(refund.out_refund_no);
      count();
      if (!refund_query.ok() || refund_query.value().out_refund_no != refund.out_refund_no ||
          refund_query.value().out_trade_no != no || !refund_query.value().amount ||
          refund_query.value().amount->refund != 1) {
        fail(no + " refund query: " + refund_query.status().ToString());
      }
    }
  };

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back(worker, t);
  for (auto& thread : threads) thread.join();

  auto const stats = f.sandbox().GetStats();
  std::cout << "concurrency: " << kThreads << " threads x " << ops_per_thread
            << " operations = " << ops_done.load() << " operations, " << failures.size()
            << " failures, " << stats.tcp_connections << " TCP connections, "
            << stats.tls_handshakes << " TLS handshakes\n";
  for (auto const& failure : failures) UNSCOPED_INFO(failure);
  CHECK(failures.empty());
  CHECK(ops_done.load() == static_cast<long>(kThreads) * ops_per_thread);
}

}  // namespace
}  // namespace wechatpay
