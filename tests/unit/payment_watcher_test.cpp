// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// PaymentWatcher over a hand-written order book behind the public FakeNativePayChannel: the
// push path, the polling path, many orders on one thread, timeout and close (and the close that
// races a payment), retried and fatal query errors, cancellation and destruction. Time is a
// FakeClock: intervals and timeouts pass without sleeping (FakeClock::RunUntil), so the tests
// check outcomes, counts and the fake times at which things happened. One test keeps the real
// clock, the default.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "catch.hpp"
#include "wechatpay/testing/fake_channel.hpp"
#include "wechatpay/testing/fake_clock.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay {
namespace {

using std::chrono::milliseconds;
using testing::FakeClock;
using testing::FakeNativePayChannel;

Status ServiceError(int http_status, std::string code) {
  ErrorInfo info;
  info.http_status = http_status;
  info.service_code = code;
  info.request_id = "08DEADBEEF-" + std::to_string(http_status);
  return Status(StatusCode::kServiceError, code + " from the fake", std::move(info));
}

Status VerificationError(VerificationFailure failure) {
  ErrorInfo info;
  info.verification_failure = failure;
  return Status(StatusCode::kVerificationFailed, "bad signature from the fake", std::move(info));
}

Transaction MakeTransaction(std::string const& out_trade_no, std::string const& state) {
  Transaction transaction;
  transaction.out_trade_no = out_trade_no;
  transaction.trade_state = state;
  transaction.raw_json =
      R"({"out_trade_no":")" + out_trade_no + R"(","trade_state":")" + state + R"("})";
  return transaction;
}

// A thread-safe order book with scripted failures: what WeChat Pay would answer for each order,
// answering the watcher's queries and closes through a FakeNativePayChannel.
class FakeOrders {
 public:
  struct Order {
    std::string state = "NOTPAY";
    int pay_after_queries = -1;  // the order becomes SUCCESS once this many queries were answered
    std::deque<Status> query_errors;
    std::deque<Status> close_errors;
    std::optional<Status> pay_when_closed;  // the payer pays as the close arrives: it fails so
    int queries = 0;
    int closes = 0;
  };

  void Add(std::string const& out_trade_no, std::string state = "NOTPAY") {
    std::lock_guard<std::mutex> lock(mu_);
    orders_[out_trade_no].state = std::move(state);
  }
  template <typename F>
  void With(std::string const& out_trade_no, F&& change) {
    std::lock_guard<std::mutex> lock(mu_);
    change(orders_[out_trade_no]);
  }
  int queries(std::string const& out_trade_no) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = orders_.find(out_trade_no);
    return it == orders_.end() ? 0 : it->second.queries;
  }
  int closes(std::string const& out_trade_no) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = orders_.find(out_trade_no);
    return it == orders_.end() ? 0 : it->second.closes;
  }
  int total_queries() const {
    return static_cast<int>(channel_->query_order_by_out_trade_no().calls());
  }

  // Makes queries wait until Release(); WaitForBlockedQuery() returns once one is waiting.
  void BlockQueries() {
    std::lock_guard<std::mutex> lock(mu_);
    blocked_ = true;
  }
  bool WaitForBlockedQuery() {
    std::unique_lock<std::mutex> lock(mu_);
    // A hang guard, not a timing assertion.
    return cv_.wait_for(lock, std::chrono::seconds(30), [this] { return waiting_ > 0; });
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu_);
    blocked_ = false;
    cv_.notify_all();
  }

  FakeOrders() {
    channel_->query_order_by_out_trade_no().SetHandler(
        [this](QueryOrderByOutTradeNoRequest const& request) { return Query(request); });
    channel_->close_order().SetHandler(
        [this](CloseOrderRequest const& request) { return Close(request); });
  }
  FakeOrders(FakeOrders const&) = delete;
  FakeOrders& operator=(FakeOrders const&) = delete;

  // The channel to put under the watcher's client; it outlives this book only in tests that
  // keep both alive together.
  std::shared_ptr<FakeNativePayChannel> channel() const { return channel_; }

  StatusOr<Transaction> Query(QueryOrderByOutTradeNoRequest const& request) {
    std::unique_lock<std::mutex> lock(mu_);
    if (blocked_) {
      ++waiting_;
      cv_.notify_all();
      cv_.wait(lock, [this] { return !blocked_; });
      --waiting_;
    }
    auto it = orders_.find(request.out_trade_no);
    if (it == orders_.end()) return ServiceError(404, "ORDER_NOT_EXIST");
    auto& order = it->second;
    ++order.queries;
    if (!order.query_errors.empty()) {
      auto error = order.query_errors.front();
      order.query_errors.pop_front();
      return error;
    }
    if (order.pay_after_queries >= 0 && order.queries > order.pay_after_queries &&
        order.state == "NOTPAY") {
      order.state = "SUCCESS";
    }
    return MakeTransaction(request.out_trade_no, order.state);
  }

  StatusOr<CloseOrderResponse> Close(CloseOrderRequest const& request) {
    std::lock_guard<std::mutex> lock(mu_);
    auto& order = orders_[request.out_trade_no];
    ++order.closes;
    if (!order.close_errors.empty()) {
      auto error = order.close_errors.front();
      order.close_errors.pop_front();
      return error;
    }
    if (order.pay_when_closed) {
      order.state = "SUCCESS";
      return *order.pay_when_closed;
    }
    if (order.state == "SUCCESS") return ServiceError(403, "ORDER_PAID");
    order.state = "CLOSED";
    return CloseOrderResponse{{204, "08DEADBEEF-0"}};
  }

 private:
  std::shared_ptr<FakeNativePayChannel> channel_ = std::make_shared<FakeNativePayChannel>();
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Order> orders_;
  bool blocked_ = false;
  int waiting_ = 0;
};

// Options for a watch that polls quickly and never times out in a test's lifetime.
WatchOptions Quick() {
  WatchOptions options;
  options.interval = milliseconds(2);
  options.timeout = std::chrono::hours(1);
  return options;
}

// Options for a watch that makes its first query and then waits (for a push or a cancel).
WatchOptions Idle() {
  WatchOptions options;
  options.interval = std::chrono::hours(1);
  options.timeout = std::chrono::hours(2);
  return options;
}

// Options for a watch that times out after a few queries.
WatchOptions Expiring(bool close) {
  WatchOptions options;
  options.interval = milliseconds(2);
  options.timeout = milliseconds(30);
  options.close_on_timeout = close;
  return options;
}

// Collects a watch's progress events; thread-safe.
struct Events {
  std::mutex mu;
  std::vector<WatchEvent> events;
  std::set<std::thread::id> threads;

  std::function<void(WatchEvent const&)> Sink() {
    return [this](WatchEvent const& event) {
      std::lock_guard<std::mutex> lock(mu);
      events.push_back(event);
      threads.insert(std::this_thread::get_id());
    };
  }
  int Count(WatchEventKind kind) {
    std::lock_guard<std::mutex> lock(mu);
    int n = 0;
    for (auto const& event : events) n += event.kind == kind ? 1 : 0;
    return n;
  }
};

bool Ready(std::shared_future<WatchResult> const& future) {
  return future.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

PaymentWatcherOptions On(std::shared_ptr<FakeClock> const& clock) {
  PaymentWatcherOptions options;
  options.clock = clock;
  return options;
}

struct Fixture {
  std::shared_ptr<FakeOrders> orders = std::make_shared<FakeOrders>();
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  PaymentWatcher watcher{NativePayClient(orders->channel()), On(clock)};

  // The outcome of a watch, letting fake time run until it ends.
  WatchResult Finish(std::shared_future<WatchResult> const& future) {
    REQUIRE(clock->RunUntil([&] { return Ready(future); }));
    return future.get();
  }
  // As Finish(), for a watch started now.
  WatchResult Run(std::string const& out_trade_no, WatchOptions options) {
    return Finish(watcher.Watch(out_trade_no, std::move(options)));
  }
};

TEST_CASE("PaymentWatcher: a pushed terminal transaction ends the watch at once") {
  Fixture f;
  f.orders->Add("ORDER000001");
  std::atomic<int> called{0};
  auto future = f.watcher.Watch("ORDER000001", Idle(), [&](WatchResult const& result) {
    CHECK(result.end == WatchEnd::kPushed);
    ++called;
  });
  CHECK(f.watcher.active_watches() == 1);
  CHECK(f.watcher.IsWatching("ORDER000001"));
  CHECK_FALSE(f.watcher.IsWatching("ORDER999999"));

  CHECK_FALSE(f.watcher.Push(MakeTransaction("ORDER000001", "NOTPAY")));   // not terminal
  CHECK_FALSE(f.watcher.Push(MakeTransaction("ORDER999999", "SUCCESS")));  // not watched
  CHECK_FALSE(Ready(future));

  auto paid = MakeTransaction("ORDER000001", "SUCCESS");
  paid.transaction_id = "4200000001202611260000000001";
  CHECK(f.watcher.Push(paid));
  // Push fulfils the future on the calling thread, before it returns.
  REQUIRE(Ready(future));
  auto const& result = future.get();
  CHECK(result.end == WatchEnd::kPushed);
  CHECK(result.status.ok());
  CHECK(result.paid());
  CHECK(result.out_trade_no == "ORDER000001");
  CHECK(result.transaction->transaction_id == paid.transaction_id);
  CHECK(result.queries <= 1);
  CHECK(called == 1);
  CHECK(f.watcher.active_watches() == 0);
  CHECK_FALSE(f.watcher.IsWatching("ORDER000001"));
  CHECK_FALSE(f.watcher.Push(paid));  // already ended
  CHECK(f.orders->closes("ORDER000001") == 0);
}

TEST_CASE("PaymentWatcher: a push wins over a query in flight") {
  Fixture f;
  f.orders->Add("ORDER000002");
  f.orders->BlockQueries();
  auto future = f.watcher.Watch("ORDER000002", Quick());
  REQUIRE(f.orders->WaitForBlockedQuery());
  CHECK(f.watcher.Push(MakeTransaction("ORDER000002", "SUCCESS")));
  REQUIRE(Ready(future));
  f.orders->Release();  // the query answers NOTPAY, too late to matter
  CHECK(future.get().end == WatchEnd::kPushed);
  CHECK(future.get().paid());
}

TEST_CASE("PaymentWatcher: polling reaches SUCCESS") {
  Fixture f;
  f.orders->Add("ORDER000003");
  f.orders->With("ORDER000003", [](FakeOrders::Order& o) { o.pay_after_queries = 3; });
  Events events;
  auto options = Quick();
  options.on_event = events.Sink();
  auto result = f.Run("ORDER000003", options);
  CHECK(result.end == WatchEnd::kPolled);
  CHECK(result.status.ok());
  CHECK(result.paid());
  CHECK(result.transaction->raw_json ==
        R"({"out_trade_no":"ORDER000003","trade_state":"SUCCESS"})");
  CHECK(result.queries == 4);
  CHECK(f.orders->queries("ORDER000003") == 4);
  CHECK(events.Count(WatchEventKind::kQueried) == 3);
  CHECK(f.orders->closes("ORDER000003") == 0);
}

TEST_CASE("PaymentWatcher: every terminal state ends a watch, whatever it is") {
  Fixture f;
  for (std::string state : {"SUCCESS", "REFUND", "CLOSED", "REVOKED", "PAYERROR"}) {
    std::string const no = "ORDER_" + state;
    f.orders->Add(no, state);
    auto result = f.Run(no, Quick());
    CHECK(result.end == WatchEnd::kPolled);
    CHECK(result.transaction->trade_state == state);
    CHECK(result.paid() == (state == "SUCCESS"));
    CHECK(result.queries == 1);
  }
}

TEST_CASE("PaymentWatcher: one thread serves many orders") {
  Fixture f;
  constexpr int kOrders = 40;
  Events events;
  std::vector<std::shared_future<WatchResult>> futures;
  for (int i = 0; i < kOrders; ++i) {
    std::string const no = "ORDER1000" + std::to_string(10 + i);
    f.orders->Add(no);
    // Half are paid after a few queries; the other half is paid by a callback push below.
    if (i % 2 == 0) f.orders->With(no, [i](FakeOrders::Order& o) { o.pay_after_queries = i % 5; });
    auto options = Quick();
    options.on_event = events.Sink();
    futures.push_back(f.watcher.Watch(no, options));
  }
  CHECK(f.watcher.active_watches() >= kOrders / 2);
  for (int i = 1; i < kOrders; i += 2) {
    CHECK(f.watcher.Push(MakeTransaction("ORDER1000" + std::to_string(10 + i), "SUCCESS")));
  }
  for (int i = 0; i < kOrders; ++i) {
    auto const result = f.Finish(futures[static_cast<std::size_t>(i)]);
    CAPTURE(i);
    CHECK(result.paid());
    CHECK(result.end == (i % 2 == 0 ? WatchEnd::kPolled : WatchEnd::kPushed));
    if (i % 2 == 0) CHECK(result.queries == i % 5 + 1);
  }
  CHECK(f.watcher.active_watches() == 0);
  std::lock_guard<std::mutex> lock(events.mu);
  CHECK(events.threads.size() == 1);  // every query ran on the watcher's one thread
  CHECK(events.threads.count(std::this_thread::get_id()) == 0);
}

TEST_CASE("PaymentWatcher: the timeout closes the order and reports CLOSED") {
  Fixture f;
  f.orders->Add("ORDER000004");
  Events events;
  auto options = Expiring(true);
  options.on_event = events.Sink();
  auto result = f.Run("ORDER000004", options);
  CHECK(result.end == WatchEnd::kClosed);
  CHECK(result.status.ok());
  CHECK_FALSE(result.paid());
  REQUIRE(result.transaction);
  CHECK(result.transaction->trade_state == "CLOSED");
  // The transaction comes from the query after the close.
  CHECK(result.transaction->raw_json == R"({"out_trade_no":"ORDER000004","trade_state":"CLOSED"})");
  CHECK(f.orders->closes("ORDER000004") == 1);
  CHECK(result.queries == f.orders->queries("ORDER000004"));
  CHECK(events.Count(WatchEventKind::kClosing) == 1);
}

TEST_CASE("PaymentWatcher: queries follow the interval, the close the timeout, on its clock") {
  Fixture f;
  f.orders->Add("ORDER000019");
  auto const start = f.clock->Now();
  std::mutex mu;
  std::vector<std::chrono::seconds> queried;
  std::optional<std::chrono::seconds> closing;
  auto since_start = [&] {
    return std::chrono::duration_cast<std::chrono::seconds>(f.clock->Now() - start);
  };
  WatchOptions options;
  options.interval = std::chrono::seconds(2);
  options.timeout = std::chrono::seconds(10);
  options.on_event = [&](WatchEvent const& event) {
    std::lock_guard<std::mutex> lock(mu);
    if (event.kind == WatchEventKind::kQueried) queried.push_back(since_start());
    if (event.kind == WatchEventKind::kClosing) closing = since_start();
  };
  auto future = f.watcher.Watch("ORDER000019", options);
  // The first query at once, then the watcher waits for the clock: 2 s.
  auto const hang_guard = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!(f.orders->queries("ORDER000019") == 1 && f.clock->NextDeadline())) {
    REQUIRE(std::chrono::steady_clock::now() < hang_guard);
    std::this_thread::yield();
  }
  CHECK(f.clock->NextDeadline() == start + std::chrono::seconds(2));
  f.clock->Advance(std::chrono::milliseconds(1999));
  CHECK(f.orders->queries("ORDER000019") == 1);
  CHECK(f.clock->waiters() == 1);

  auto result = f.Finish(future);
  CHECK(result.end == WatchEnd::kClosed);
  CHECK(f.orders->closes("ORDER000019") == 1);
  std::lock_guard<std::mutex> lock(mu);
  using std::chrono::seconds;
  CHECK(queried ==
        std::vector<seconds>{seconds(0), seconds(2), seconds(4), seconds(6), seconds(8)});
  CHECK(closing == seconds(10));
}

TEST_CASE("PaymentWatcher: without close_on_timeout the order is left open") {
  Fixture f;
  f.orders->Add("ORDER000005");
  auto result = f.Run("ORDER000005", Expiring(false));
  CHECK(result.end == WatchEnd::kTimedOut);
  CHECK(result.status.code() == StatusCode::kDeadlineExceeded);
  CHECK(result.status.message().find("not closed") != std::string::npos);
  REQUIRE(result.transaction);
  CHECK(result.transaction->trade_state == "NOTPAY");
  CHECK(f.orders->closes("ORDER000005") == 0);
}

TEST_CASE("PaymentWatcher: a close that races the payment reports SUCCESS") {
  Fixture f;
  for (auto const& refusal : {ServiceError(403, "ORDER_PAID"), ServiceError(403, "ORDERPAID"),
                              ServiceError(429, "FREQUENCY_LIMITED")}) {
    std::string const no = "ORDER_RACE_" + refusal.info().service_code;
    f.orders->Add(no);
    f.orders->With(no, [&](FakeOrders::Order& o) { o.pay_when_closed = refusal; });
    auto result = f.Run(no, Expiring(true));
    CAPTURE(no);
    CHECK(result.end == WatchEnd::kPaidAtClose);
    CHECK(result.status.ok());
    CHECK(result.paid());
    CHECK(f.orders->closes(no) == 1);
  }
}

TEST_CASE("PaymentWatcher: a close that fails is retried, then reported") {
  Fixture f;
  SECTION("a transient failure is retried and the second close succeeds") {
    f.orders->Add("ORDER000006");
    f.orders->With("ORDER000006", [](FakeOrders::Order& o) {
      o.close_errors = {Status(StatusCode::kTransport, "connection reset")};
    });
    Events events;
    auto options = Expiring(true);
    options.on_event = events.Sink();
    auto result = f.Run("ORDER000006", options);
    CHECK(result.end == WatchEnd::kClosed);
    CHECK(result.transaction->trade_state == "CLOSED");
    CHECK(f.orders->closes("ORDER000006") == 2);
    CHECK(events.Count(WatchEventKind::kCloseFailed) == 1);
  }
  SECTION("a permanent failure ends the watch unclosed") {
    f.orders->Add("ORDER000007");
    f.orders->With("ORDER000007",
                   [](FakeOrders::Order& o) { o.close_errors = {ServiceError(403, "NO_AUTH")}; });
    auto result = f.Run("ORDER000007", Expiring(true));
    CHECK(result.end == WatchEnd::kTimedOut);
    CHECK(result.status.code() == StatusCode::kServiceError);
    CHECK(result.status.info().service_code == "NO_AUTH");
    CHECK(result.transaction->trade_state == "NOTPAY");
    CHECK(f.orders->closes("ORDER000007") == 1);
  }
  SECTION("transient failures stop after max_close_attempts") {
    f.orders->Add("ORDER000008");
    f.orders->With("ORDER000008", [](FakeOrders::Order& o) {
      o.close_errors.assign(10, ServiceError(500, "SYSTEM_ERROR"));
    });
    auto options = Expiring(true);
    options.max_close_attempts = 2;
    auto result = f.Run("ORDER000008", options);
    CHECK(result.end == WatchEnd::kTimedOut);
    CHECK(result.status.info().service_code == "SYSTEM_ERROR");
    CHECK(f.orders->closes("ORDER000008") == 2);
  }
  // Issue 14, finding 10: ORDER_CLOSED is an unsigned error answer; the verified query after it
  // decides.
  SECTION("ORDER_CLOSED is not taken for closed while the verified query says NOTPAY") {
    f.orders->Add("ORDER000009");
    f.orders->With("ORDER000009", [](FakeOrders::Order& o) {
      o.close_errors.assign(10, ServiceError(400, "ORDER_CLOSED"));
    });
    auto options = Expiring(true);
    options.max_close_attempts = 2;
    auto result = f.Run("ORDER000009", options);
    CHECK(result.end == WatchEnd::kTimedOut);
    CHECK(result.status.info().service_code == "ORDER_CLOSED");
    REQUIRE(result.transaction);
    CHECK(result.transaction->trade_state == "NOTPAY");
    CHECK(f.orders->closes("ORDER000009") == 2);
  }
  SECTION("ORDER_CLOSED, then a close that succeeds: closed") {
    f.orders->Add("ORDER000010");
    f.orders->With("ORDER000010", [](FakeOrders::Order& o) {
      o.close_errors = {ServiceError(400, "ORDER_CLOSED")};
    });
    auto result = f.Run("ORDER000010", Expiring(true));
    CHECK(result.end == WatchEnd::kClosed);
    CHECK(result.transaction->trade_state == "CLOSED");
    CHECK(f.orders->closes("ORDER000010") == 2);
  }
}

TEST_CASE("PaymentWatcher: transient query errors are retried without ending the watch") {
  Fixture f;
  f.orders->Add("ORDER000010");
  f.orders->With("ORDER000010", [](FakeOrders::Order& o) {
    o.query_errors = {Status(StatusCode::kTransport, "connection refused"),
                      Status(StatusCode::kDeadlineExceeded, "timed out"),
                      ServiceError(500, "SYSTEM_ERROR"),
                      ServiceError(503, "SERVICE_UNAVAILABLE"),
                      ServiceError(429, "FREQUENCY_LIMITED"),
                      VerificationError(VerificationFailure::kSignTestProbe),
                      ServiceError(404, "ORDER_NOT_EXIST")};
    o.pay_after_queries = 8;
  });
  Events events;
  auto options = Quick();
  options.on_event = events.Sink();
  auto result = f.Run("ORDER000010", options);
  CHECK(result.end == WatchEnd::kPolled);
  CHECK(result.paid());
  CHECK(result.queries == 9);
  CHECK(events.Count(WatchEventKind::kQueryFailed) == 7);
  CHECK(events.Count(WatchEventKind::kQueried) == 1);
}

TEST_CASE("PaymentWatcher: errors that retrying cannot fix end the watch") {
  Fixture f;
  struct Case {
    Status error;
    std::chrono::milliseconds grace;
  };
  std::vector<Case> const cases = {
      {ServiceError(403, "NO_AUTH"), milliseconds(30000)},
      {ServiceError(400, "PARAM_ERROR"), milliseconds(30000)},
      {ServiceError(401, "SIGN_ERROR"), milliseconds(30000)},
      {VerificationError(VerificationFailure::kSignatureMismatch), milliseconds(30000)},
      {VerificationError(VerificationFailure::kUnknownSerial), milliseconds(30000)},
      {Status(StatusCode::kMalformedResponse, "no trade_state"), milliseconds(30000)},
      // After the grace period an order that does not exist is an error.
      {ServiceError(404, "ORDER_NOT_EXIST"), milliseconds(0)},
  };
  int n = 0;
  for (auto const& c : cases) {
    std::string const no = "ORDER_FATAL_" + std::to_string(n++);
    f.orders->Add(no);
    f.orders->With(no, [&](FakeOrders::Order& o) { o.query_errors = {c.error}; });
    auto options = Quick();
    options.not_found_grace = c.grace;
    auto result = f.Run(no, options);
    CAPTURE(c.error.message());
    CHECK(result.end == WatchEnd::kFailed);
    CHECK(result.status.code() == c.error.code());
    CHECK(result.status.info().service_code == c.error.info().service_code);
    CHECK(result.queries == 1);
    CHECK(f.orders->closes(no) == 0);
  }
}

TEST_CASE("PaymentWatcher: an order created elsewhere is found once it exists") {
  Fixture f;
  Events events;
  auto options = Quick();
  options.on_event = events.Sink();
  // Nothing is known about the order yet: 404 until it is added.
  auto future = f.watcher.Watch("ORDER000011", options);
  REQUIRE(f.clock->RunUntil([&] { return events.Count(WatchEventKind::kQueryFailed) >= 2; }));
  f.orders->Add("ORDER000011", "SUCCESS");
  auto result = f.Finish(future);
  CHECK(result.end == WatchEnd::kPolled);
  CHECK(result.paid());
}

TEST_CASE("PaymentWatcher: Cancel ends a watch without closing the order") {
  Fixture f;
  f.orders->Add("ORDER000012");
  auto future = f.watcher.Watch("ORDER000012", Idle());
  CHECK(f.watcher.Cancel("ORDER000012"));
  REQUIRE(Ready(future));
  CHECK(future.get().end == WatchEnd::kCancelled);
  CHECK(future.get().status.code() == StatusCode::kCancelled);
  CHECK_FALSE(f.watcher.Cancel("ORDER000012"));
  CHECK_FALSE(f.watcher.Cancel("ORDER_UNKNOWN"));
  CHECK(f.orders->closes("ORDER000012") == 0);
  CHECK(f.watcher.active_watches() == 0);
}

// On the real clock (the default), which this watch never has to wait for.
TEST_CASE("PaymentWatcher: destruction cancels every active watch") {
  auto orders = std::make_shared<FakeOrders>();
  std::vector<std::shared_future<WatchResult>> futures;
  std::atomic<int> cancelled{0};
  auto watcher = std::make_unique<PaymentWatcher>(NativePayClient(orders->channel()));
  for (int i = 0; i < 5; ++i) {
    std::string const no = "ORDER20000" + std::to_string(i);
    orders->Add(no);
    futures.push_back(watcher->Watch(no, Idle(), [&](WatchResult const& result) {
      if (result.end == WatchEnd::kCancelled) ++cancelled;
    }));
  }
  // A watch is in the middle of a query when the watcher goes away.
  orders->BlockQueries();
  orders->Add("ORDER300000");
  futures.push_back(watcher->Watch("ORDER300000", Idle()));
  REQUIRE(orders->WaitForBlockedQuery());
  // The destructor ends the watches first (ORDER300000, the last key, last), then waits for the
  // query in flight, which this thread lets go once it sees that.
  std::thread release([&orders, last = futures.back()] {
    while (!Ready(last)) std::this_thread::yield();
    orders->Release();
  });
  watcher.reset();
  release.join();
  for (auto const& future : futures) {
    REQUIRE(Ready(future));
    CHECK(future.get().end == WatchEnd::kCancelled);
    CHECK(future.get().status.code() == StatusCode::kCancelled);
  }
  CHECK(cancelled == 5);
  for (int i = 0; i < 5; ++i) CHECK(orders->closes("ORDER20000" + std::to_string(i)) == 0);
}

TEST_CASE("PaymentWatcher: watching a watched order joins the watch") {
  Fixture f;
  f.orders->Add("ORDER000013");
  std::atomic<int> calls{0};
  auto first = f.watcher.Watch("ORDER000013", Idle(), [&](WatchResult const&) { ++calls; });
  auto second = f.watcher.Watch("ORDER000013", Quick(), [&](WatchResult const&) { ++calls; });
  CHECK(f.watcher.active_watches() == 1);
  CHECK(f.watcher.Push(MakeTransaction("ORDER000013", "SUCCESS")));
  CHECK(first.get().end == WatchEnd::kPushed);
  CHECK(second.get().end == WatchEnd::kPushed);
  CHECK(calls == 2);
}

TEST_CASE("PaymentWatcher: callbacks may call back into the watcher") {
  Fixture f;
  f.orders->Add("ORDER000014", "SUCCESS");
  f.orders->Add("ORDER000015", "CLOSED");
  std::promise<WatchResult> chained;
  f.watcher.Watch("ORDER000014", Quick(), [&](WatchResult const&) {
    // From the watcher's own thread: start another watch and finish it by its callback.
    f.watcher.Watch("ORDER000015", Quick(),
                    [&](WatchResult const& result) { chained.set_value(result); });
  });
  auto result = chained.get_future().get();
  CHECK(result.end == WatchEnd::kPolled);
  CHECK(result.transaction->trade_state == "CLOSED");
}

TEST_CASE("PaymentWatcher: invalid options end the watch with kInvalidArgument") {
  Fixture f;
  f.orders->Add("ORDER000016");
  auto options = Quick();
  options.interval = milliseconds(0);
  auto result = f.Run("ORDER000016", options);
  CHECK(result.end == WatchEnd::kFailed);
  CHECK(result.status.code() == StatusCode::kInvalidArgument);
  CHECK(result.status.info().field == "interval");
  CHECK(f.orders->queries("ORDER000016") == 0);

  options = Quick();
  options.max_close_attempts = 0;
  CHECK(f.Run("ORDER000016", options).status.info().field == "max_close_attempts");

  // An invalid out_trade_no is the client's validation error, and final. (A short one such as
  // "bad" is valid for a query: orders from API v2 may have 1-5 characters.)
  auto invalid = f.Run("bad/no", Quick());
  CHECK(invalid.end == WatchEnd::kFailed);
  CHECK(invalid.status.code() == StatusCode::kInvalidArgument);
  CHECK(f.orders->total_queries() == 0);
}

TEST_CASE("PaymentWatcher: created_at counts the timeout and raises the code_url expiry") {
  Fixture f;
  auto const now = f.clock->WallNow();
  SECTION("an order older than its timeout is closed at once") {
    f.orders->Add("ORDER000017");
    auto options = Quick();
    options.timeout = std::chrono::minutes(10);
    options.created_at = now - std::chrono::minutes(11);
    auto result = f.Run("ORDER000017", options);
    CHECK(result.end == WatchEnd::kClosed);
    CHECK(f.orders->closes("ORDER000017") == 1);
    CHECK(f.orders->queries("ORDER000017") == 1);  // only the query after the close
  }
  SECTION("a code_url older than 2 hours raises kCodeUrlExpired once") {
    f.orders->Add("ORDER000018");
    f.orders->With("ORDER000018", [](FakeOrders::Order& o) { o.pay_after_queries = 3; });
    Events events;
    auto options = Quick();
    options.timeout = std::chrono::hours(3);
    options.created_at = now - std::chrono::hours(2) - std::chrono::seconds(1);
    options.on_event = events.Sink();
    auto result = f.Run("ORDER000018", options);
    CHECK(result.end == WatchEnd::kPolled);
    CHECK(events.Count(WatchEventKind::kCodeUrlExpired) == 1);
  }
}

TEST_CASE("code_url validity: 2 hours") {
  auto const created = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));
  CHECK(CodeUrlExpiresAt(created) == created + std::chrono::hours(2));
  CHECK_FALSE(IsCodeUrlExpired(created, created));
  CHECK_FALSE(IsCodeUrlExpired(created, created + std::chrono::minutes(119)));
  CHECK(IsCodeUrlExpired(created, created + std::chrono::hours(2)));
  CHECK(IsCodeUrlExpired(created, created + std::chrono::hours(3)));
  CHECK(IsCodeUrlExpired(created, created + std::chrono::minutes(115), std::chrono::minutes(5)));
  CHECK_FALSE(
      IsCodeUrlExpired(created, created + std::chrono::minutes(114), std::chrono::minutes(5)));
}

TEST_CASE("WatchEndName") {
  CHECK(std::string(WatchEndName(WatchEnd::kPaidAtClose)) == "PAID_AT_CLOSE");
  CHECK(std::string(WatchEndName(WatchEnd::kClosed)) == "CLOSED");
  CHECK(std::string(WatchEndName(WatchEnd::kTimedOut)) == "TIMED_OUT");
}

}  // namespace
}  // namespace wechatpay
