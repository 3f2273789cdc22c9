// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// NativePayClient's asynchronous calls against the sandbox over HTTPS: many calls in flight on
// one client (one I/O thread), completions chaining the next call from the I/O thread, the
// future form, cancellation (queued, waiting for a retry, before the start), validation before
// anything is queued, and calls that outlive their client. The fault matrix reruns the same
// cells through the asynchronous path (fault_matrix_test.cpp).
//
// Catch is not thread-safe: completions only record what they saw; the test checks it after.

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "support/sandbox_fixture.hpp"
#include "wechatpay/http/curl_transport.hpp"

namespace wechatpay {
namespace {

using testing::Eventually;
using testing::SandboxFixture;

constexpr char kNotifyUrl[] = "https://127.0.0.1:9/wechatpay/notify";

NativePrepayRequest Order(std::string const& out_trade_no, std::int64_t total) {
  NativePrepayRequest request;
  request.out_trade_no = out_trade_no;
  request.description = "异步";
  request.amount.total = total;
  request.notify_url = kNotifyUrl;
  return request;
}

// A client on its own curl transport, so the test chooses the transfer bound.
NativePayClient ClientWith(SandboxFixture const& f, std::size_t max_concurrent,
                           RetryOptions retry = {},
                           std::function<void(RequestEvent const&)> on_request = {}) {
  CurlTransportOptions transport;
  transport.ca_file = f.Config().ca_file;
  transport.max_concurrent_transfers = max_concurrent;
  ClientOptions options;
  options.transport = MakeCurlTransport(transport);
  options.retry = retry;
  options.on_request = std::move(on_request);
  return NativePayClient::Create(f.Config(), options).value();
}

// Arms `action` (delay:N, status:N) on the next `count` order queries by out_trade_no.
void FaultQueries(SandboxFixture const& f, char const* action, int count) {
  sandbox::Fault fault;
  fault.method = "GET";
  fault.path = "^/v3/pay/transactions/out-trade-no/";
  fault.action = action;
  fault.count = count;
  REQUIRE(f.sandbox().AddFault(fault).ok());
}

// Orders `no`, then starts a query of it that the sandbox holds for `delay` and waits until
// the sandbox has it: with a one-slot client, the next call waits in the transport's queue.
std::future<StatusOr<Transaction>> OccupyTheSlot(SandboxFixture const& f,
                                                 NativePayClient const& client,
                                                 std::string const& no, char const* delay) {
  f.Order(client, no);
  FaultQueries(f, delay, 1);
  f.sandbox().ResetStats();
  auto first = client.QueryOrderByOutTradeNoAsync(no);
  REQUIRE(Eventually([&] { return f.sandbox().GetStats().requests == 1; }));
  return first;
}

// What completions saw, written on the I/O thread and read by the test after the calls ended.
class Findings {
 public:
  void Add(std::string problem) {
    std::lock_guard<std::mutex> lock(mutex_);
    problems_.push_back(std::move(problem));
  }
  void Done() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++done_;
    changed_.notify_all();
  }
  bool WaitFor(int count, std::chrono::seconds limit) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, limit, [&] { return done_ >= count; });
  }
  std::vector<std::string> problems() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return problems_;
  }
  int done() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return done_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> problems_;
  int done_ = 0;
};

TEST_CASE("async client: 1000 mixed operations, 64 in flight on one client, every result right",
          "[async]") {
  SandboxFixture f;
  auto const client = ClientWith(f, 64);
  constexpr int kOrders = 250;  // each: order, query, close, query again = 1000 operations
  constexpr int kInFlight = 64;
  Findings findings;
  std::atomic<int> in_flight{0};
  std::atomic<int> most_in_flight{0};
  std::atomic<int> next_order{0};
  std::thread::id const test_thread = std::this_thread::get_id();
  std::atomic<int> on_caller_thread{0};

  // One order's four steps, each started by the previous one's completion (on the I/O thread);
  // when the last one ends, the next order starts: kInFlight chains run at once.
  std::function<void()> start_next;
  auto note_thread = [&] {
    if (std::this_thread::get_id() == test_thread) ++on_caller_thread;
  };
  auto finish_step = [&] {
    --in_flight;
    findings.Done();
  };
  auto begin_step = [&] {
    int const now = ++in_flight;
    int seen = most_in_flight.load();
    while (now > seen && !most_in_flight.compare_exchange_weak(seen, now)) {
    }
  };
  start_next = [&] {
    int const k = next_order++;
    if (k >= kOrders) return;
    std::string const no = "ASYNC" + std::to_string(100000 + k);
    std::int64_t const total = 1 + k;
    begin_step();
    client.NativePrepayAsync(Order(no, total), {}, [&, no, total](auto prepay) {
      note_thread();
      if (!prepay || prepay->code_url.rfind("weixin://", 0) != 0) {
        findings.Add(no + " order: " + prepay.status().ToString());
      }
      finish_step();
      begin_step();
      client.QueryOrderByOutTradeNoAsync(no, {}, [&, no, total](auto queried) {
        note_thread();
        if (!queried || queried->out_trade_no != no || queried->trade_state != "NOTPAY" ||
            !queried->amount || queried->amount->total != total) {
          findings.Add(no + " query: " + queried.status().ToString());
        }
        finish_step();
        begin_step();
        client.CloseOrderAsync(no, {}, [&, no](auto closed) {
          note_thread();
          if (!closed || closed->meta.http_status != 204) {
            findings.Add(no + " close: " + closed.status().ToString());
          }
          finish_step();
          begin_step();
          client.QueryOrderByOutTradeNoAsync(no, {}, [&, no](auto after) {
            note_thread();
            if (!after || after->trade_state != "CLOSED") {
              findings.Add(no + " after close: " + after.status().ToString());
            }
            // The next order starts before this step counts as done: once the last one is
            // counted, no completion touches the test's state any more.
            --in_flight;
            start_next();
            findings.Done();
          });
        });
      });
    });
  };
  f.sandbox().ResetStats();
  auto const started = std::chrono::steady_clock::now();
  for (int i = 0; i < kInFlight; ++i) start_next();
  bool const all_done = findings.WaitFor(4 * kOrders, std::chrono::seconds(120));
  auto const took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  std::printf("async client: %d operations, at most %d in flight, %lld ms\n", findings.done(),
              most_in_flight.load(), static_cast<long long>(took.count()));
  REQUIRE(all_done);
  for (auto const& problem : findings.problems()) UNSCOPED_INFO(problem);
  CHECK(findings.problems().empty());
  CHECK(most_in_flight <= kInFlight);
  CHECK(most_in_flight > 8);  // the chains did overlap
  // Completions run on the I/O thread, never on the thread that started the first calls.
  CHECK(on_caller_thread == 0);
  // Exactly one request per operation: nothing repeated, nothing lost.
  CHECK(f.sandbox().GetStats().requests == 4 * kOrders);
}

TEST_CASE("async client: the future form returns the blocking call's result", "[async]") {
  SandboxFixture f;
  auto const client = f.Client();
  auto ordered = client.NativePrepayAsync(Order("ASYNCF1", 7)).get();
  REQUIRE(ordered.ok());
  auto const blocking = client.QueryOrderByOutTradeNo("ASYNCF1");
  auto const async = client.QueryOrderByOutTradeNoAsync("ASYNCF1").get();
  REQUIRE(blocking.ok());
  REQUIRE(async.ok());
  CHECK(async->out_trade_no == blocking->out_trade_no);
  CHECK(async->trade_state == blocking->trade_state);
  REQUIRE(async->amount);
  CHECK(async->amount->total == 7);

  REQUIRE(f.sandbox().Pay("ASYNCF1").ok());
  auto paid = client.QueryOrderByOutTradeNoAsync("ASYNCF1").get();
  REQUIRE(paid.ok());
  REQUIRE(paid->transaction_id);
  auto by_id = client.QueryOrderByIdAsync(*paid->transaction_id).get();
  REQUIRE(by_id.ok());
  CHECK(by_id->out_trade_no == "ASYNCF1");

  CreateRefundRequest refund;
  refund.out_trade_no = "ASYNCF1";
  refund.out_refund_no = "ASYNCF1R";
  refund.amount.refund = 3;
  refund.amount.total = 7;
  refund.notify_url = kNotifyUrl;
  auto refunded = client.CreateRefundAsync(refund).get();
  REQUIRE(refunded.ok());
  CHECK(refunded->out_refund_no == "ASYNCF1R");
  auto queried = client.QueryRefundAsync("ASYNCF1R").get();
  REQUIRE(queried.ok());
  REQUIRE(queried->amount);
  CHECK(queried->amount->refund == 3);

  // The generic request, asynchronously: the same answer as the typed query.
  ApiRequest generic{
      "GET", "/v3/pay/transactions/out-trade-no/ASYNCF1?mchid=" + f.Config().merchant_id, ""};
  auto raw = client.RequestAsync(generic).get();
  REQUIRE(raw.ok());
  CHECK(raw->meta.http_status == 200);
  CHECK(raw->body.find("\"ASYNCF1\"") != std::string::npos);
}

TEST_CASE("async client: a request refused by validation completes at once, nothing queued",
          "[async]") {
  SandboxFixture f;
  auto const client = f.Client();
  f.sandbox().ResetStats();
  std::thread::id ran_on;
  Status status;
  client.QueryOrderByOutTradeNoAsync("", {}, [&](StatusOr<Transaction> result) {
    ran_on = std::this_thread::get_id();
    status = result.status();
  });
  // Validation completes on the calling thread, before the call returns.
  CHECK(ran_on == std::this_thread::get_id());
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(status.info().field == "out_trade_no");
  auto bad_order = client.NativePrepayAsync(Order("ASYNCV1", 0)).get();
  CHECK(bad_order.status().code() == StatusCode::kInvalidArgument);
  CHECK(f.sandbox().GetStats().requests == 0);
}

TEST_CASE("async client: a queued call is cancelled before it is sent", "[async]") {
  SandboxFixture f;
  // One transfer at a time: while the slow query is on the wire, the second one waits.
  auto const client = ClientWith(f, 1);
  auto first = OccupyTheSlot(f, client, "ASYNCC1", "delay:800");
  CallOptions cancellable;
  cancellable.cancellation = std::make_shared<CallCancellation>();
  auto second = client.QueryOrderByOutTradeNoAsync("ASYNCC1", cancellable);
  cancellable.cancellation->Cancel();
  auto const cancelled = second.get();
  CHECK(cancelled.status().code() == StatusCode::kCancelled);
  CHECK_FALSE(cancelled.status().info().outcome_unknown);
  CHECK(cancelled.status().message().find("nothing was sent") != std::string::npos);
  auto const answered = first.get();
  CHECK(answered.ok());
  CHECK(f.sandbox().GetStats().requests == 1);

  // A call started with a cancelled cancellation ends at once; so does a blocking one.
  auto late = client.QueryOrderByOutTradeNoAsync("ASYNCC1", cancellable).get();
  CHECK(late.status().code() == StatusCode::kCancelled);
  auto blocking = client.QueryOrderByOutTradeNo("ASYNCC1", cancellable);
  CHECK(blocking.status().code() == StatusCode::kCancelled);
  CHECK(f.sandbox().GetStats().requests == 1);
}

TEST_CASE("async client: a call waiting for a retry is cancelled without another request",
          "[async]") {
  SandboxFixture f;
  RetryOptions retry;
  retry.max_retries = 3;
  retry.initial_backoff = std::chrono::seconds(3);  // a long wait to cancel in
  retry.max_backoff = std::chrono::seconds(3);
  // The first attempt's event says "retrying": the call is then in its wait (the answer was
  // handled; a cancellation before that would end the call with the 503 itself).
  std::atomic<bool> waiting{false};
  auto const client = ClientWith(f, 8, retry, [&](RequestEvent const& event) {
    if (event.retry == RetryDecision::kRetrying) waiting = true;
  });
  f.Order(client, "ASYNCR1");
  FaultQueries(f, "status:503", 4);
  f.sandbox().ResetStats();

  CallOptions options;
  options.cancellation = std::make_shared<CallCancellation>();
  auto const started = std::chrono::steady_clock::now();
  auto query = client.QueryOrderByOutTradeNoAsync("ASYNCR1", options);
  REQUIRE(Eventually([&] { return waiting.load(); }));
  options.cancellation->Cancel();
  auto const result = query.get();
  auto const took = std::chrono::steady_clock::now() - started;
  INFO(result.status().ToString());
  CHECK(result.status().code() == StatusCode::kCancelled);
  CHECK(result.status().message().find("retry 1") != std::string::npos);
  CHECK(result.status().message().find("503") != std::string::npos);
  // Ended by the cancellation, not by the 3 s wait running out.
  CHECK(took < std::chrono::milliseconds(2500));
  CHECK(f.sandbox().GetStats().requests == 1);
  f.sandbox().ClearFaults();
}

TEST_CASE("async client: a call's deadline counts its time in the transport's queue", "[async]") {
  SandboxFixture f;
  auto const client = ClientWith(f, 1);
  auto first = OccupyTheSlot(f, client, "ASYNCQ1", "delay:1500");
  // Queued behind the slow one for longer than its whole bound: it ends unsent.
  CallOptions bounded;
  bounded.timeout = std::chrono::milliseconds(400);
  auto const queued = client.QueryOrderByOutTradeNoAsync("ASYNCQ1", bounded).get();
  INFO(queued.status().ToString());
  CHECK(queued.status().code() == StatusCode::kDeadlineExceeded);
  CHECK_FALSE(queued.status().info().outcome_unknown);
  CHECK(queued.status().message().find("nothing was sent") != std::string::npos);
  CHECK(first.get().ok());
  CHECK(f.sandbox().GetStats().requests == 1);
}

TEST_CASE("async client: a call cancelled while on the wire ends with its own outcome, unretried",
          "[async]") {
  SandboxFixture f;
  RetryOptions retry;
  retry.max_retries = 3;
  retry.initial_backoff = std::chrono::milliseconds(1);
  auto config = f.Config();
  config.timeouts.attempt = std::chrono::milliseconds(1500);
  CurlTransportOptions transport;
  transport.ca_file = config.ca_file;
  ClientOptions options;
  options.transport = MakeCurlTransport(transport);
  options.retry = retry;
  auto const client = NativePayClient::Create(config, options).value();
  f.Order(client, "ASYNCW2");
  FaultQueries(f, "delay:3000", 4);
  f.sandbox().ResetStats();
  CallOptions cancellable;
  cancellable.cancellation = std::make_shared<CallCancellation>();
  auto query = client.QueryOrderByOutTradeNoAsync("ASYNCW2", cancellable);
  REQUIRE(Eventually([&] { return f.sandbox().GetStats().requests == 1; }));
  cancellable.cancellation->Cancel();  // too late to take back: the attempt runs its course
  auto const result = query.get();
  INFO(result.status().ToString());
  // The attempt's own failure (it timed out), not a retry: a GET would have been retried.
  CHECK(result.status().code() == StatusCode::kDeadlineExceeded);
  CHECK(f.sandbox().GetStats().requests == 1);
  f.sandbox().ClearFaults();
}

TEST_CASE("async client: calls in flight complete after their client is gone", "[async]") {
  SandboxFixture f;
  std::vector<std::future<StatusOr<NativePrepayResponse>>> orders;
  {
    auto const client = f.Client();
    for (int i = 0; i < 16; ++i) {
      orders.push_back(client.NativePrepayAsync(Order("ASYNCG" + std::to_string(i), 5)));
    }
  }
  int ok = 0;
  for (auto& order : orders) {
    auto result = order.get();
    if (result.ok() && !result->code_url.empty()) ++ok;
  }
  CHECK(ok == 16);
}

TEST_CASE("async client: the gateway backend runs the blocking call and completes at once",
          "[async]") {
  SandboxFixture f;
  auto const direct = f.Client();
  f.Order(direct, "ASYNCW1");
  auto gateway_config = f.sandbox().GatewayClientConfig();
  REQUIRE(gateway_config.ok());
  auto const gateway = NativePayClient::Create(*gateway_config).value();
  std::thread::id ran_on;
  StatusOr<Transaction> result = Status(StatusCode::kInternal, "not run");
  gateway.QueryOrderByOutTradeNoAsync("ASYNCW1", {}, [&](StatusOr<Transaction> queried) {
    ran_on = std::this_thread::get_id();
    result = std::move(queried);
  });
  CHECK(ran_on == std::this_thread::get_id());
  REQUIRE(result.ok());
  CHECK(result->out_trade_no == "ASYNCW1");
}

}  // namespace
}  // namespace wechatpay
