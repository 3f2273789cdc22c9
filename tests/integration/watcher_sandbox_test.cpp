// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// PaymentWatcher against the sandbox (time-scaled, real HTTPS): the callback push path through a
// NotificationHandler, polling while callbacks fail, the close after the timeout, a payment that
// races the close, and query errors retried during the watch. The assertions are about how a
// watch ends and what was sent, never about time.

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <future>
#include <mutex>
#include <string>
#include <vector>

#include "catch.hpp"
#include "support/loopback_server.hpp"
#include "support/request_overlap.hpp"
#include "support/sandbox_fixture.hpp"

namespace wechatpay {
namespace {

using namespace std::chrono_literals;
using testing::Eventually;
using testing::LoopbackServer;
using testing::SandboxFixture;

constexpr char kQueryPath[] = "^/v3/pay/transactions/out-trade-no/";

// A merchant's callback route: the raw body and headers go to a NotificationHandler whose
// application callback hands the verified transaction to the watcher, or fails (a database that
// is down) when told to.
class CallbackReceiver {
 public:
  CallbackReceiver(SandboxFixture const& f, PaymentWatcher& watcher, bool fail)
      : handler_(MakeNotificationParser(f.Config()).value(), {kEventTransactionSuccess},
                 [this, &watcher, fail](Notification const& n) -> Status {
                   ++calls_;
                   if (fail) return Status(StatusCode::kInternal, "the database is down");
                   if (n.transaction) watcher.Push(*n.transaction);
                   return Status();
                 }) {
    server_.http().Post("/notify", [this](httplib::Request const& req, httplib::Response& res) {
      HttpHeaders headers;
      for (auto const& [name, value] : req.headers) headers.Add(name, value);
      auto result = handler_.Handle(headers, req.body);
      res.status = result.answer.status_code;
      if (!result.answer.body.empty()) {
        res.set_content(result.answer.body, result.answer.content_type.c_str());
      }
      std::lock_guard<std::mutex> lock(mu_);
      answers_.push_back(result.answer.status_code);
    });
    server_.Start();
  }

  std::string Url() const { return server_.BaseUrl() + "/notify"; }
  int calls() const { return calls_.load(); }
  std::vector<int> answers() const {
    std::lock_guard<std::mutex> lock(mu_);
    return answers_;
  }

 private:
  NotificationHandler handler_;
  std::atomic<int> calls_{0};
  mutable std::mutex mu_;
  std::vector<int> answers_;
  LoopbackServer server_;  // last: stopped first, before the handler goes away
};

NativePrepayRequest OrderRequest(std::string const& out_trade_no, std::string const& notify_url) {
  NativePrepayRequest request;
  request.out_trade_no = out_trade_no;
  request.description = "收银台-可乐";
  request.amount.total = 300;
  if (!notify_url.empty()) request.notify_url = notify_url;
  return request;
}

ClientOptions NoRetries() {
  ClientOptions options;
  options.retry.max_retries = 0;
  return options;
}

TEST_CASE("watcher + sandbox: the verified callback ends the watch at once (push)") {
  SandboxFixture f;
  auto client = f.Client();
  PaymentWatcher watcher(client);
  CallbackReceiver receiver(f, watcher, /*fail=*/false);
  REQUIRE(client.NativePrepay(OrderRequest("WATCHPUSH0001", receiver.Url())).ok());

  std::atomic<bool> queried{false};
  WatchOptions options;
  options.interval = 1h;  // after the first query, only a push can end this watch
  options.created_at = std::chrono::system_clock::now();
  options.on_event = [&](WatchEvent const& event) {
    if (event.kind == WatchEventKind::kQueried) queried = true;
  };
  auto watch = watcher.Watch("WATCHPUSH0001", options);
  // The first query has answered NOTPAY before the payer pays.
  REQUIRE(Eventually([&] { return queried.load(); }));
  REQUIRE(f.sandbox().Pay("WATCHPUSH0001").ok());

  auto result = watch.get();
  CHECK(result.end == WatchEnd::kPushed);
  REQUIRE(result.paid());
  CHECK(result.status.ok());
  CHECK(result.queries == 1);
  CHECK(result.transaction->out_trade_no == "WATCHPUSH0001");
  CHECK(result.transaction->transaction_id.has_value());
  CHECK(result.transaction->amount->total == 300);
  CHECK(receiver.calls() == 1);
  REQUIRE(Eventually([&] { return !receiver.answers().empty(); }));
  CHECK(receiver.answers().front() == 204);
  CHECK(watcher.active_watches() == 0);
}

TEST_CASE("watcher + sandbox: polling finds the payment while every callback fails") {
  SandboxFixture f;
  auto client = f.Client();
  PaymentWatcher watcher(client);
  CallbackReceiver receiver(f, watcher, /*fail=*/true);
  REQUIRE(client.NativePrepay(OrderRequest("WATCHPOLL0001", receiver.Url())).ok());

  WatchOptions options;
  options.interval = 20ms;
  auto watch = watcher.Watch("WATCHPOLL0001", options);
  REQUIRE(f.sandbox().Pay("WATCHPOLL0001").ok());

  auto result = watch.get();
  CHECK(result.end == WatchEnd::kPolled);
  REQUIRE(result.paid());
  CHECK(result.transaction->transaction_id.has_value());
  // The receiver was reached, verified the callback, and failed it: WeChat (the sandbox) then
  // redelivers on its (scaled) schedule, and every answer was 500.
  REQUIRE(Eventually([&] { return receiver.answers().size() >= 2; }));
  for (int answer : receiver.answers()) CHECK(answer == 500);
  CHECK(receiver.calls() >= 2);
  CHECK(Eventually([&] { return f.sandbox().GetStats().callback_answers[500] >= 2; }));
}

TEST_CASE("watcher + sandbox: an order unpaid at the timeout is closed and reported CLOSED") {
  SandboxFixture f;
  auto client = f.Client();
  REQUIRE(client.NativePrepay(OrderRequest("WATCHCLOSE001", "")).ok());
  PaymentWatcher watcher(client);
  std::atomic<int> closing_events{0};
  WatchOptions options;
  options.interval = 20ms;
  options.timeout = 150ms;
  options.on_event = [&](WatchEvent const& event) {
    if (event.kind == WatchEventKind::kClosing) ++closing_events;
  };

  auto result = watcher.Watch("WATCHCLOSE001", options).get();
  CHECK(result.end == WatchEnd::kClosed);
  CHECK(result.status.ok());
  REQUIRE(result.transaction);
  CHECK(result.transaction->trade_state == "CLOSED");
  CHECK_FALSE(result.paid());
  CHECK(closing_events == 1);
  CHECK(client.QueryOrderByOutTradeNo("WATCHCLOSE001")->trade_state == "CLOSED");
  // A closed order cannot be paid any more.
  CHECK_FALSE(f.sandbox().Pay("WATCHCLOSE001").ok());
}

TEST_CASE("watcher + sandbox: a payment at the last moment beats the close and is SUCCESS") {
  SandboxFixture f;
  auto client = f.Client();
  REQUIRE(client.NativePrepay(OrderRequest("WATCHRACE0001", "")).ok());
  PaymentWatcher watcher(client);
  Status paid_at_close;
  WatchOptions options;
  options.interval = 20ms;
  options.timeout = 100ms;
  // The payer pays just as the watcher decides to close: after the timeout, before the close
  // request reaches WeChat. The close then fails (ORDER_PAID) and the query says SUCCESS.
  options.on_event = [&](WatchEvent const& event) {
    if (event.kind == WatchEventKind::kClosing) {
      paid_at_close = f.sandbox().Pay("WATCHRACE0001").status();
    }
  };

  auto result = watcher.Watch("WATCHRACE0001", options).get();
  REQUIRE(paid_at_close.ok());
  CHECK(result.end == WatchEnd::kPaidAtClose);
  CHECK(result.status.ok());
  REQUIRE(result.paid());
  CHECK(result.transaction->transaction_id.has_value());
  CHECK(client.QueryOrderByOutTradeNo("WATCHRACE0001")->trade_state == "SUCCESS");
}

TEST_CASE("watcher + sandbox: USERPAYING keeps the watch polling until the payer pays") {
  SandboxFixture f;
  auto client = f.Client();
  REQUIRE(client.NativePrepay(OrderRequest("WATCHPAYING01", "")).ok());
  REQUIRE(f.sandbox().Scan("WATCHPAYING01").ok());
  PaymentWatcher watcher(client);
  std::atomic<int> paying{0};
  Status paid;
  WatchOptions options;
  options.interval = 10ms;
  // The payer enters the password after the watcher has seen USERPAYING three times.
  options.on_event = [&](WatchEvent const& event) {
    if (event.kind == WatchEventKind::kQueried && event.transaction &&
        event.transaction->trade_state == "USERPAYING" && ++paying == 3) {
      paid = f.sandbox().Pay("WATCHPAYING01").status();
    }
  };

  auto result = watcher.Watch("WATCHPAYING01", options).get();
  REQUIRE(paid.ok());
  CHECK(paying >= 3);
  CHECK(result.end == WatchEnd::kPolled);
  REQUIRE(result.paid());
  CHECK(result.transaction->trade_state == "SUCCESS");
}

TEST_CASE("watcher + sandbox: PAYERROR after USERPAYING ends the watch, unpaid") {
  SandboxFixture f;
  auto client = f.Client();
  REQUIRE(client.NativePrepay(OrderRequest("WATCHPAYERR01", "")).ok());
  REQUIRE(f.sandbox().Scan("WATCHPAYERR01").ok());
  PaymentWatcher watcher(client);
  std::atomic<bool> failing{false};
  Status failed;
  WatchOptions options;
  options.interval = 10ms;
  // The payment fails once the watcher has seen the payer entering the password.
  options.on_event = [&](WatchEvent const& event) {
    if (event.kind == WatchEventKind::kQueried && event.transaction &&
        event.transaction->trade_state == "USERPAYING" && !failing.exchange(true)) {
      failed = f.sandbox().Fail("WATCHPAYERR01").status();
    }
  };

  auto result = watcher.Watch("WATCHPAYERR01", options).get();
  REQUIRE(failing);
  CHECK(failed.ok());
  CHECK(result.end == WatchEnd::kPolled);
  CHECK(result.status.ok());
  CHECK_FALSE(result.paid());
  REQUIRE(result.transaction.has_value());
  CHECK(result.transaction->trade_state == "PAYERROR");
  CHECK(result.transaction->trade_state_desc == "支付失败，请重新下单支付");
}

TEST_CASE("watcher + sandbox: a close refused with 202 USER_PAYING is retried; the payer wins") {
  SandboxFixture f;
  auto client = f.Client(NoRetries());  // the 202 reaches the watcher
  REQUIRE(client.NativePrepay(OrderRequest("WATCHUSERPAY1", "")).ok());
  REQUIRE(f.sandbox().Scan("WATCHUSERPAY1").ok());
  PaymentWatcher watcher(client);
  std::mutex mu;
  std::vector<Status> close_failures;
  Status paid;
  WatchOptions options;
  options.interval = 20ms;
  options.timeout = 100ms;
  // The payer is still typing the password when the watcher closes: WeChat refuses the close
  // (202 USER_PAYING); the payer then finishes, and the next close attempt meets a paid order.
  options.on_event = [&](WatchEvent const& event) {
    if (event.kind != WatchEventKind::kCloseFailed) return;
    std::lock_guard<std::mutex> lock(mu);
    close_failures.push_back(event.status);
    if (close_failures.size() == 1) paid = f.sandbox().Pay("WATCHUSERPAY1").status();
  };

  auto result = watcher.Watch("WATCHUSERPAY1", options).get();
  REQUIRE(paid.ok());
  CHECK(result.end == WatchEnd::kPaidAtClose);
  REQUIRE(result.paid());
  std::lock_guard<std::mutex> lock(mu);
  REQUIRE_FALSE(close_failures.empty());
  CHECK(close_failures[0].info().http_status == 202);
  CHECK(close_failures[0].info().service_code == "USER_PAYING");
}

TEST_CASE("watcher + sandbox: query errors during the watch are retried, not fatal") {
  SandboxFixture f;
  auto client = f.Client(NoRetries());  // each failure reaches the watcher
  REQUIRE(client.NativePrepay(OrderRequest("WATCHFAULT001", "")).ok());
  REQUIRE(f.sandbox().Pay("WATCHFAULT001").ok());
  // WeChat's transient failures on the query path: two 500s (SYSTEM_ERROR), an answer cut off
  // mid-body, a SIGNTEST probe. (Not `drop`: libcurl silently resends a request whose reused
  // connection closed before any answer, so the watcher would never see that one.)
  auto fault = [&](std::string action, int count) {
    sandbox::Fault spec;
    spec.method = "GET";
    spec.path = kQueryPath;
    spec.action = std::move(action);
    spec.count = count;
    REQUIRE(f.sandbox().AddFault(spec).ok());
  };
  fault("status:500", 2);
  fault("truncate", 1);
  fault("signtest", 1);

  PaymentWatcher watcher(client);
  std::mutex mu;
  std::vector<Status> failures;
  WatchOptions options;
  options.interval = 10ms;
  options.on_event = [&](WatchEvent const& event) {
    std::lock_guard<std::mutex> lock(mu);
    if (event.kind == WatchEventKind::kQueryFailed) failures.push_back(event.status);
  };

  auto result = watcher.Watch("WATCHFAULT001", options).get();
  CHECK(result.end == WatchEnd::kPolled);
  REQUIRE(result.paid());
  CHECK(result.queries == 5);
  std::lock_guard<std::mutex> lock(mu);
  REQUIRE(failures.size() == 4);
  CHECK(f.sandbox().GetStats().faults_applied == 4);
  int server_errors = 0;
  int transport = 0;
  int probes = 0;
  for (auto const& status : failures) {
    INFO(status.ToString());
    if (status.code() == StatusCode::kServiceError && status.info().http_status == 500) {
      ++server_errors;
    } else if (status.code() == StatusCode::kTransport) {
      ++transport;
    } else if (status.info().verification_failure == VerificationFailure::kSignTestProbe) {
      ++probes;
    }
  }
  CHECK(server_errors == 2);
  CHECK(transport == 1);
  CHECK(probes == 1);
}

}  // namespace
}  // namespace wechatpay

namespace wechatpay {
namespace {

TEST_CASE("watcher + sandbox: one watcher queries many orders at once, none waiting on another",
          "[async]") {
  SandboxFixture f;
  testing::RequestOverlap overlap("query_order_by_out_trade_no");
  ClientOptions options;
  options.on_request = overlap.Hook();
  auto const client = f.Client(options);
  constexpr int kOrders = 40;
  for (int i = 0; i < kOrders; ++i) {
    auto const no = "WATCHMANY" + std::to_string(1000 + i);
    f.Order(client, no);
    REQUIRE(f.sandbox().Pay(no).ok());
  }
  // Every first query takes 400 ms: a watcher that waited for each answer would need 16 s for
  // one round; one that keeps them all in flight needs about one delay.
  sandbox::Fault slow;
  slow.method = "GET";
  slow.path = "^/v3/pay/transactions/out-trade-no/WATCHMANY";
  slow.action = "delay:400";
  slow.count = kOrders;
  REQUIRE(f.sandbox().AddFault(slow).ok());

  PaymentWatcher watcher(client);
  WatchOptions watch;
  watch.interval = 50ms;
  std::vector<std::shared_future<WatchResult>> results;
  for (int i = 0; i < kOrders; ++i) {
    results.push_back(watcher.Watch("WATCHMANY" + std::to_string(1000 + i), watch));
  }
  int polled = 0;
  for (auto& result : results) {
    if (result.get().end == WatchEnd::kPolled && result.get().paid()) ++polled;
  }
  CHECK(polled == kOrders);

  auto const most = overlap.MostAtOnce();
  std::printf("watcher: %d orders, %zu queries, at most %zu at once\n", kOrders, overlap.attempts(),
              most);
  CHECK(most >= kOrders / 2);
}

}  // namespace
}  // namespace wechatpay
