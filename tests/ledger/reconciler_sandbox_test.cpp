// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The Reconciler against the embedded sandbox over HTTPS, on real SQLite files: an unknown
// prepay outcome resolved, an unpaid order closed at its deadline (the ledger's FakeClock moves
// the deadline; the sandbox's time scale runs WeChat's side), a payment that races the close,
// a refund in PROCESSING followed to SUCCESS, a rate limit that pauses it, a failed query that
// keeps the order due, and the background mode stopping promptly.

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "support/request_overlap.hpp"
#include "support/sandbox_fixture.hpp"
#include "support/test_data.hpp"
#include "wechatpay/http/curl_transport.hpp"
#include "wechatpay/ledger/ledger.hpp"
#include "wechatpay/ledger/ledger_client.hpp"
#include "wechatpay/ledger/open.hpp"
#include "wechatpay/ledger/reconciler.hpp"
#include "wechatpay/testing/fake_clock.hpp"

namespace wechatpay {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using testing::Eventually;
using testing::FakeClock;
using testing::SandboxFixture;

// A sandbox, a ledger on a SQLite file with a FakeClock, a plain client (no retries within a
// call, so one injected fault is one failed call) and a LedgerClient over it.
struct Setup {
  SandboxFixture fixture;
  testing::TempDir dir;
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  std::shared_ptr<Ledger> ledger;
  NativePayClient client;

  Setup() : client(PlainClient(fixture)) {
    auto store = OpenLedgerStore("sqlite:" + dir.File("ledger.db"));
    REQUIRE(store.ok());
    LedgerOptions options;
    options.clock = clock;
    ledger = std::make_shared<Ledger>(std::shared_ptr<LedgerStore>(*std::move(store)), options);
  }

  static NativePayClient PlainClient(SandboxFixture const& fixture) {
    ClientOptions options;
    options.retry.max_retries = 0;
    return fixture.Client(std::move(options));
  }

  LedgerClient Recorded() const { return LedgerClient(client, ledger); }

  Reconciler MakeReconciler(ReconcilerOptions options = {}) const {
    return Reconciler(ledger, client, std::move(options));
  }

  OrderRecord Order(std::string const& no) const {
    auto order = ledger->GetOrder(no);
    REQUIRE(order.ok());
    REQUIRE(order->has_value());
    return **order;
  }

  std::string SandboxState(std::string const& no) const {
    auto view = fixture.sandbox().OrderView(no);
    REQUIRE(view.ok());
    return *view;
  }
};

NativePrepayRequest Request(std::string const& no, std::int64_t total = 3) {
  NativePrepayRequest request;
  request.out_trade_no = no;
  request.description = "对账测试";
  request.amount.total = total;
  return request;
}

sandbox::Fault MakeFault(std::string method, std::string path, std::string action, int count = 1) {
  sandbox::Fault fault;
  fault.method = std::move(method);
  fault.path = std::move(path);
  fault.action = std::move(action);
  fault.count = count;
  return fault;
}

bool HasReconcilerEntry(Ledger const& ledger, std::string const& no) {
  auto history = ledger.History(no);
  REQUIRE(history.ok());
  for (auto const& entry : *history) {
    if (entry.source == LedgerSource::kReconciler) return true;
  }
  return false;
}

TEST_CASE("Reconciler: a prepay whose outcome is unknown after a fault is resolved by a pass",
          "[ledger][reconciler]") {
  Setup s;
  REQUIRE(s.fixture.sandbox().AddFault(MakeFault("POST", "/native$", "drop")).ok());
  auto prepay = s.Recorded().NativePrepay(Request("RECON-UNKNOWN-1"));
  REQUIRE_FALSE(prepay.ok());
  REQUIRE(prepay.status().info().outcome_unknown);
  auto const before = s.Order("RECON-UNKNOWN-1");
  REQUIRE(before.state == LedgerOrderState::kCreating);
  REQUIRE(before.outcome_unknown);

  auto reconciler = s.MakeReconciler();
  // Not due yet: the Ledger scheduled it recheck_after from now.
  auto early = reconciler.RunOnce();
  REQUIRE(early.ok());
  CHECK(early->leased == 0);

  s.clock->Advance(s.ledger->options().recheck_after);
  auto pass = reconciler.RunOnce();
  REQUIRE(pass.ok());
  CHECK(pass->leased == 1);
  CHECK(pass->queried == 1);
  CHECK(pass->resolved == 1);
  CHECK(pass->errors == 0);
  auto const after = s.Order("RECON-UNKNOWN-1");
  CHECK(after.state == LedgerOrderState::kNotPaid);  // the dropped answer's order exists
  CHECK_FALSE(after.outcome_unknown);
  CHECK(after.trade_state == "NOTPAY");
  CHECK(after.next_check_at == after.close_deadline);
  CHECK(HasReconcilerEntry(*s.ledger, "RECON-UNKNOWN-1"));
}

TEST_CASE("Reconciler: an unpaid order is closed at its close deadline, not before",
          "[ledger][reconciler]") {
  Setup s;
  REQUIRE(s.Recorded().NativePrepay(Request("RECON-CLOSE-1")).ok());
  auto reconciler = s.MakeReconciler();

  s.clock->Advance(minutes(9));
  auto early = reconciler.RunOnce();
  REQUIRE(early.ok());
  CHECK(early->leased == 0);
  CHECK(s.Order("RECON-CLOSE-1").state == LedgerOrderState::kNotPaid);

  s.clock->Advance(minutes(1));  // 10 minutes after creation: the default deadline
  auto pass = reconciler.RunOnce();
  REQUIRE(pass.ok());
  CHECK(pass->leased == 1);
  CHECK(pass->closed == 1);
  CHECK(pass->resolved == 1);
  CHECK(pass->errors == 0);
  auto const order = s.Order("RECON-CLOSE-1");
  CHECK(order.state == LedgerOrderState::kClosed);
  CHECK(order.next_check_at == 0);
  CHECK(s.SandboxState("RECON-CLOSE-1").find("\"CLOSED\"") != std::string::npos);
  CHECK(HasReconcilerEntry(*s.ledger, "RECON-CLOSE-1"));

  // Nothing left to do.
  auto again = reconciler.RunOnce();
  REQUIRE(again.ok());
  CHECK(again->leased == 0);
}

TEST_CASE("Reconciler: an order paid just before its close ends PAID", "[ledger][reconciler]") {
  Setup s;
  REQUIRE(s.Recorded().NativePrepay(Request("RECON-RACE-1")).ok());
  // The payer pays; its callback goes to the sandbox's sink, so the ledger still says unpaid.
  REQUIRE(s.fixture.sandbox().Pay("RECON-RACE-1").ok());
  REQUIRE(s.Order("RECON-RACE-1").state == LedgerOrderState::kNotPaid);

  s.clock->Advance(s.ledger->options().close_after);
  auto reconciler = s.MakeReconciler();
  auto pass = reconciler.RunOnce();
  REQUIRE(pass.ok());
  CHECK(pass->closed == 0);  // WeChat refused: ORDER_PAID
  CHECK(pass->queried == 1);
  CHECK(pass->resolved == 1);
  CHECK(pass->errors == 0);
  auto const order = s.Order("RECON-RACE-1");
  CHECK(order.state == LedgerOrderState::kPaid);
  CHECK_FALSE(order.outcome_unknown);
  CHECK_FALSE(order.transaction_id.empty());
  CHECK(order.review_reason.empty());
  CHECK(order.next_check_at == 0);
}

TEST_CASE("Reconciler: a refund in PROCESSING becomes SUCCESS", "[ledger][reconciler]") {
  Setup s;
  auto recorded = s.Recorded();
  REQUIRE(recorded.NativePrepay(Request("RECON-REFUND-1", 5)).ok());
  REQUIRE(s.fixture.sandbox().Pay("RECON-REFUND-1").ok());
  REQUIRE(recorded.QueryOrderByOutTradeNo("RECON-REFUND-1").ok());  // the ledger learns it
  REQUIRE(s.Order("RECON-REFUND-1").state == LedgerOrderState::kPaid);

  CreateRefundRequest refund;
  refund.out_trade_no = "RECON-REFUND-1";
  refund.out_refund_no = "RECON-REFUND-1-R1";
  refund.amount.refund = 2;
  refund.amount.total = 5;
  auto created = recorded.CreateRefund(refund);
  REQUIRE(created.ok());
  REQUIRE(created->status == "PROCESSING");
  auto refunds = s.ledger->Refunds("RECON-REFUND-1");
  REQUIRE(refunds.ok());
  REQUIRE(refunds->size() == 1);
  REQUIRE(refunds->front().state == LedgerRefundState::kProcessing);

  // The sandbox completes refunds after 5 s of WeChat time (5 ms here).
  REQUIRE(Eventually([&] {
    auto status = s.client.QueryRefund("RECON-REFUND-1-R1");  // not recorded: plain client
    return status.ok() && status->status == "SUCCESS";
  }));
  s.clock->Advance(s.ledger->options().recheck_after);
  auto reconciler = s.MakeReconciler();
  auto pass = reconciler.RunOnce();
  REQUIRE(pass.ok());
  CHECK(pass->leased == 1);
  CHECK(pass->queried == 1);  // the refund; the paid order needs no query
  CHECK(pass->resolved == 1);
  CHECK(pass->errors == 0);
  refunds = s.ledger->Refunds("RECON-REFUND-1");
  REQUIRE(refunds.ok());
  CHECK(refunds->front().state == LedgerRefundState::kSuccess);
  CHECK(s.Order("RECON-REFUND-1").next_check_at == 0);
}

// Records an order before its prepay call and creates it at the sandbox without recording the
// answer: the ledger has it in CREATING, as after a crash between the call and its record.
void CreateUnrecorded(Setup& s, std::string const& no) {
  REQUIRE(s.ledger->RecordOrderCreating(Request(no)).ok());
  REQUIRE(s.client.NativePrepay(Request(no)).ok());
}

TEST_CASE("Reconciler: FREQUENCY_LIMITED pauses every call and puts the order off",
          "[ledger][reconciler]") {
  Setup s;
  CreateUnrecorded(s, "RECON-LIMIT-1");
  CreateUnrecorded(s, "RECON-LIMIT-2");
  s.clock->Advance(s.ledger->options().recheck_after);

  ReconcilerOptions options;
  options.rate_limit_backoff = minutes(2);
  options.max_in_flight = 1;  // one order at a time: the second is never begun
  auto reconciler = s.MakeReconciler(options);
  // Every order query is limited: the first one ends the pass.
  REQUIRE(s.fixture.sandbox().AddFault(MakeFault("GET", "/out-trade-no/", "status:429", 10)).ok());
  auto const requests_before = s.fixture.sandbox().GetStats().requests;
  auto limited = reconciler.RunOnce();
  REQUIRE(limited.ok());
  CHECK(limited->leased == 2);
  CHECK(limited->queried == 1);
  CHECK(limited->errors == 1);
  CHECK(limited->rate_limited);
  CHECK(s.fixture.sandbox().GetStats().requests == requests_before + 1);
  s.fixture.sandbox().ClearFaults();

  // The limited order is put off by the pause, keeps its state and says why.
  auto const now = s.ledger->Now();
  int put_off = 0;
  for (auto const* no : {"RECON-LIMIT-1", "RECON-LIMIT-2"}) {
    auto const order = s.Order(no);
    CHECK(order.state == LedgerOrderState::kCreating);
    if (order.next_check_at >= now + 2 * 60 * 1000) {
      ++put_off;
      CHECK(order.last_error.find("FREQUENCY_LIMITED") != std::string::npos);
    }
  }
  CHECK(put_off == 1);

  // During the pause no call is made at all.
  s.clock->Advance(minutes(1));
  auto const requests_paused = s.fixture.sandbox().GetStats().requests;
  auto paused = reconciler.RunOnce();
  REQUIRE(paused.ok());
  CHECK(paused->rate_limited);
  CHECK(paused->leased == 0);
  CHECK(s.fixture.sandbox().GetStats().requests == requests_paused);

  // After it both are resolved.
  s.clock->Advance(minutes(1));
  auto resumed = reconciler.RunOnce();
  REQUIRE(resumed.ok());
  CHECK_FALSE(resumed->rate_limited);
  CHECK(resumed->resolved == 2);
  CHECK(s.Order("RECON-LIMIT-1").state == LedgerOrderState::kNotPaid);
  CHECK(s.Order("RECON-LIMIT-2").state == LedgerOrderState::kNotPaid);
}

TEST_CASE("Reconciler: orders limited together pause the reconciler once, not once per order",
          "[ledger][reconciler]") {
  Setup s;
  std::vector<std::string> const orders = {"RECON-LIMITS-1", "RECON-LIMITS-2", "RECON-LIMITS-3"};
  for (auto const& no : orders) CreateUnrecorded(s, no);
  s.clock->Advance(s.ledger->options().recheck_after);
  ReconcilerOptions options;
  options.rate_limit_backoff = minutes(2);
  auto reconciler = s.MakeReconciler(options);
  REQUIRE(s.fixture.sandbox()
              .AddFault(MakeFault("GET", "/out-trade-no/RECON-LIMITS-", "status:429", 6))
              .ok());

  // All three queries are on the wire before the first answer: all three are limited.
  auto first = reconciler.RunOnce();
  REQUIRE(first.ok());
  CHECK(first->queried == 3);
  CHECK(first->errors == 3);
  CHECK(first->rate_limited);
  for (auto const& no : orders) {
    CHECK(s.Order(no).next_check_at == s.ledger->Now() + 2 * 60 * 1000);
  }

  // Limited again after the pause: the pause doubled once (4 minutes), not once per answer.
  s.clock->Advance(minutes(2));
  auto second = reconciler.RunOnce();
  REQUIRE(second.ok());
  CHECK(second->rate_limited);
  CHECK(second->errors == 3);
  for (auto const& no : orders) {
    CHECK(s.Order(no).next_check_at == s.ledger->Now() + 4 * 60 * 1000);
  }
}

TEST_CASE("Reconciler: after a rate limit, an order under way makes no further call",
          "[ledger][reconciler]") {
  Setup s;
  // The first order's query is limited at once; the second order's close (the payer paid it,
  // so WeChat refuses: ORDER_PAID) answers later, when the pass is already limited: the query
  // that would follow the close is not sent, and the order waits for the pause to end.
  CreateUnrecorded(s, "RECON-CUT-A");
  REQUIRE(s.Recorded().NativePrepay(Request("RECON-CUT-B")).ok());
  REQUIRE(s.fixture.sandbox().Pay("RECON-CUT-B").ok());
  s.clock->Advance(s.ledger->options().close_after);
  REQUIRE(s.fixture.sandbox().AddFault(MakeFault("GET", "/RECON-CUT-A", "status:429")).ok());
  // Long enough for RECON-CUT-A's 429 to be handled first on a loaded machine.
  REQUIRE(
      s.fixture.sandbox().AddFault(MakeFault("POST", "/RECON-CUT-B/close$", "delay:2500")).ok());
  ReconcilerOptions options;
  options.rate_limit_backoff = minutes(2);
  auto reconciler = s.MakeReconciler(options);
  s.fixture.sandbox().ResetStats();

  auto limited = reconciler.RunOnce();
  REQUIRE(limited.ok());
  CHECK(limited->rate_limited);
  CHECK(limited->queried == 1);  // RECON-CUT-A's; none for RECON-CUT-B
  CHECK(limited->closed == 0);
  CHECK(limited->errors == 1);
  // WeChat answered the limited query (429) and the refused close (400), and nothing else:
  // no query of RECON-CUT-B was answered (the sandbox's own callback sink counts too, so the
  // request total says nothing).
  auto stats = s.fixture.sandbox().GetStats();
  CHECK(stats.responses[429] == 1);
  CHECK(stats.responses[400] == 1);
  CHECK(stats.responses[200] == 0);
  auto const cut = s.Order("RECON-CUT-B");
  CHECK(cut.state == LedgerOrderState::kNotPaid);
  CHECK(cut.next_check_at == s.ledger->Now() + 2 * 60 * 1000);
  CHECK(cut.last_error.find("429") != std::string::npos);

  // After the pause the query is made and records the payment.
  s.clock->Advance(minutes(2));
  auto resumed = reconciler.RunOnce();
  REQUIRE(resumed.ok());
  CHECK_FALSE(resumed->rate_limited);
  CHECK(s.Order("RECON-CUT-B").state == LedgerOrderState::kPaid);
  CHECK(s.Order("RECON-CUT-A").state == LedgerOrderState::kNotPaid);
}

// An application's own transport (over the curl one): its client has no asynchronous side, so
// the asynchronous calls the Reconciler makes complete on the calling thread.
class OwnTransport final : public HttpTransport {
 public:
  explicit OwnTransport(std::shared_ptr<HttpTransport> inner) : inner_(std::move(inner)) {}
  StatusOr<HttpResponse> Send(HttpRequest const& request) override { return inner_->Send(request); }

 private:
  std::shared_ptr<HttpTransport> inner_;
};

TEST_CASE(
    "Reconciler: with a client that answers inline, a rate limit still stops the pass at once",
    "[ledger][reconciler]") {
  Setup s;
  for (auto const* no : {"RECON-INLINE-1", "RECON-INLINE-2", "RECON-INLINE-3"}) {
    CreateUnrecorded(s, no);
  }
  s.clock->Advance(s.ledger->options().recheck_after);
  CurlTransportOptions transport;
  transport.ca_file = s.fixture.Config().ca_file;
  ClientOptions options;
  options.retry.max_retries = 0;
  options.transport = std::make_shared<OwnTransport>(MakeCurlTransport(transport));
  auto const client = s.fixture.Client(options);
  REQUIRE(s.fixture.sandbox()
              .AddFault(MakeFault("GET", "/out-trade-no/RECON-INLINE-", "status:429", 10))
              .ok());
  auto const requests_before = s.fixture.sandbox().GetStats().responses[429];

  Reconciler reconciler(s.ledger, client);  // max_in_flight 16
  auto limited = reconciler.RunOnce();
  REQUIRE(limited.ok());
  CHECK(limited->leased == 3);
  CHECK(limited->queried == 1);  // the first answer stopped the pass before a second order
  CHECK(limited->errors == 1);
  CHECK(limited->rate_limited);
  CHECK(s.fixture.sandbox().GetStats().responses[429] == requests_before + 1);
}

TEST_CASE(
    "Reconciler: an order that failed, then was limited, waits for the pause, not the backoff",
    "[ledger][reconciler]") {
  Setup s;
  REQUIRE(s.Recorded().NativePrepay(Request("RECON-FAIL-LIMIT")).ok());
  s.clock->Advance(s.ledger->options().close_after);
  // The close fails (500), the query that follows it is limited (429).
  REQUIRE(s.fixture.sandbox()
              .AddFault(MakeFault("POST", "/RECON-FAIL-LIMIT/close$", "status:500"))
              .ok());
  REQUIRE(s.fixture.sandbox().AddFault(MakeFault("GET", "/RECON-FAIL-LIMIT", "status:429")).ok());
  ReconcilerOptions options;
  options.retry_backoff = std::chrono::seconds(30);
  options.rate_limit_backoff = minutes(3);
  auto reconciler = s.MakeReconciler(options);
  auto pass = reconciler.RunOnce();
  REQUIRE(pass.ok());
  CHECK(pass->rate_limited);
  CHECK(pass->errors == 1);
  auto const order = s.Order("RECON-FAIL-LIMIT");
  CHECK(order.next_check_at == s.ledger->Now() + 3 * 60 * 1000);
  CHECK(order.last_error.find("500") != std::string::npos);  // the first failure is kept
}

TEST_CASE("Reconciler: a pass has many orders' calls on the wire at once, up to max_in_flight",
          "[ledger][reconciler][async]") {
  Setup s;
  testing::RequestOverlap overlap("query_order_by_out_trade_no");
  ClientOptions client_options;
  client_options.retry.max_retries = 0;
  client_options.on_request = overlap.Hook();
  auto const client = s.fixture.Client(client_options);
  constexpr int kOrders = 12;
  for (int i = 0; i < kOrders; ++i) CreateUnrecorded(s, "RECON-MANY-" + std::to_string(i));
  s.clock->Advance(s.ledger->options().recheck_after);
  // Every query takes 400 ms: worked one by one the pass would need about 5 s; with the
  // orders' calls on the wire together, about one delay per max_in_flight orders.
  REQUIRE(s.fixture.sandbox()
              .AddFault(MakeFault("GET", "/out-trade-no/RECON-MANY-", "delay:400", kOrders))
              .ok());

  SECTION("all at once") {
    Reconciler reconciler(s.ledger, client);
    auto pass = reconciler.RunOnce();
    REQUIRE(pass.ok());
    CHECK(pass->leased == kOrders);
    CHECK(pass->queried == kOrders);
    CHECK(pass->resolved == kOrders);
    CHECK(pass->errors == 0);
    std::printf("reconciler: %zu queries, at most %zu at once\n", overlap.attempts(),
                overlap.MostAtOnce());
    CHECK(overlap.MostAtOnce() >= kOrders / 2);
  }
  SECTION("bounded") {
    ReconcilerOptions options;
    options.max_in_flight = 3;
    Reconciler reconciler(s.ledger, client, options);
    auto pass = reconciler.RunOnce();
    REQUIRE(pass.ok());
    CHECK(pass->resolved == kOrders);
    CHECK(overlap.MostAtOnce() <= 3);
    CHECK(overlap.MostAtOnce() >= 2);
  }
  for (int i = 0; i < kOrders; ++i) {
    CHECK(s.Order("RECON-MANY-" + std::to_string(i)).state == LedgerOrderState::kNotPaid);
  }
}

TEST_CASE("Reconciler: a failed query keeps the order due, with a doubling backoff",
          "[ledger][reconciler]") {
  Setup s;
  CreateUnrecorded(s, "RECON-FAIL-1");
  s.clock->Advance(s.ledger->options().recheck_after);
  ReconcilerOptions options;
  options.retry_backoff = std::chrono::seconds(30);
  auto reconciler = s.MakeReconciler(options);

  REQUIRE(s.fixture.sandbox().AddFault(MakeFault("GET", "/out-trade-no/", "status:500", 2)).ok());
  auto first = reconciler.RunOnce();
  REQUIRE(first.ok());
  CHECK(first->errors == 1);
  CHECK_FALSE(first->rate_limited);
  auto order = s.Order("RECON-FAIL-1");
  CHECK(order.state == LedgerOrderState::kCreating);
  CHECK(order.next_check_at == s.ledger->Now() + 30 * 1000);
  CHECK(order.lease_owner.empty());

  s.clock->Advance(std::chrono::seconds(30));
  auto second = reconciler.RunOnce();
  REQUIRE(second.ok());
  CHECK(second->errors == 1);
  CHECK(s.Order("RECON-FAIL-1").next_check_at == s.ledger->Now() + 60 * 1000);

  s.clock->Advance(std::chrono::seconds(60));
  auto third = reconciler.RunOnce();
  REQUIRE(third.ok());
  CHECK(third->errors == 0);
  CHECK(third->resolved == 1);
  CHECK(s.Order("RECON-FAIL-1").state == LedgerOrderState::kNotPaid);
}

TEST_CASE("Reconciler: an order WeChat does not know is asked again, then flagged at its deadline",
          "[ledger][reconciler]") {
  Setup s;
  // Recorded, but the prepay never reached WeChat (the process died before sending it).
  REQUIRE(s.ledger->RecordOrderCreating(Request("RECON-NEVER-1")).ok());
  s.clock->Advance(s.ledger->options().recheck_after);
  auto reconciler = s.MakeReconciler();

  auto before_deadline = reconciler.RunOnce();
  REQUIRE(before_deadline.ok());
  CHECK(before_deadline->queried == 1);
  CHECK(before_deadline->flagged == 0);
  CHECK(before_deadline->errors == 1);  // not settled: asked again later
  auto order = s.Order("RECON-NEVER-1");
  CHECK(order.state == LedgerOrderState::kCreating);
  CHECK(order.review_reason.empty());
  CHECK(order.next_check_at > s.ledger->Now());
  CHECK(order.last_error.find("ORDER_NOT_EXIST") != std::string::npos);

  s.clock->Advance(s.ledger->options().close_after);
  auto after_deadline = reconciler.RunOnce();
  REQUIRE(after_deadline.ok());
  CHECK(after_deadline->queried == 1);
  CHECK(after_deadline->flagged == 1);
  CHECK(after_deadline->errors == 0);
  order = s.Order("RECON-NEVER-1");
  CHECK(order.state == LedgerOrderState::kCreating);
  CHECK(order.review_reason.find("WeChat has no such order") != std::string::npos);
  CHECK(order.next_check_at == 0);
  CHECK(HasReconcilerEntry(*s.ledger, "RECON-NEVER-1"));
}

TEST_CASE("Reconciler: the background mode works passes and stops promptly",
          "[ledger][reconciler]") {
  Setup s;
  CreateUnrecorded(s, "RECON-BG-1");
  s.clock->Advance(s.ledger->options().recheck_after);
  ReconcilerOptions options;
  options.interval = minutes(5);  // on the FakeClock: the thread waits until Stop()
  auto reconciler = s.MakeReconciler(options);
  REQUIRE(reconciler.Start().ok());
  CHECK(reconciler.running());
  CHECK_FALSE(reconciler.Start().ok());
  REQUIRE(Eventually([&] { return s.Order("RECON-BG-1").state == LedgerOrderState::kNotPaid; }));
  REQUIRE(s.clock->AwaitWaiter());
  auto const started = std::chrono::steady_clock::now();
  reconciler.Stop();
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
  CHECK_FALSE(reconciler.running());
  // One pass after Stop() still works.
  auto pass = reconciler.RunOnce();
  REQUIRE(pass.ok());
}

}  // namespace
}  // namespace wechatpay
