// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The ledger end to end against the embedded sandbox: LedgerClient records the calls, the
// sandbox's payer pays, its callback reaches a NotificationHandler applying through the ledger
// (a real SQLite file), and the ledger says PAID once. Redeliveries, mismatches, orders created
// elsewhere and a prepay whose answer is lost.

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "ledger_fixture.hpp"
#include "support/loopback_server.hpp"
#include "support/sandbox_fixture.hpp"
#include "wechatpay/ledger/ledger_client.hpp"
#include "wechatpay/ledger/notification_applier.hpp"

namespace wechatpay {
namespace {

using testing::Eventually;
using testing::LedgerFixture;
using testing::LoopbackServer;
using testing::OrderRequest;
using testing::SandboxFixture;

struct Delivery {
  HttpHeaders headers;
  std::string body;
  NotificationResult result;
};

// The merchant's notify route: the SDK's handler with the ledger's applier. Declared before the
// sandbox so that it outlives it (the sandbox's connections to it close first).
class Receiver {
 public:
  Receiver() {
    server_.http().Post("/notify",
                        [this](httplib::Request const& request, httplib::Response& response) {
                          Delivery delivery;
                          for (auto const& [name, value] : request.headers)
                            delivery.headers.Add(name, value);
                          delivery.body = request.body;
                          std::shared_ptr<NotificationHandler> handler;
                          {
                            std::lock_guard<std::mutex> lock(mu_);
                            handler = handler_;
                          }
                          if (!handler) {
                            response.status = 503;
                            return;
                          }
                          delivery.result = handler->Handle(delivery.headers, request.body);
                          response.status = delivery.result.answer.status_code;
                          if (!delivery.result.answer.body.empty()) {
                            response.set_content(delivery.result.answer.body,
                                                 delivery.result.answer.content_type.c_str());
                          }
                          std::lock_guard<std::mutex> lock(mu_);
                          deliveries_.push_back(std::move(delivery));
                        });
    server_.Start();
  }

  void Attach(NotificationHandler handler) {
    std::lock_guard<std::mutex> lock(mu_);
    handler_ = std::make_shared<NotificationHandler>(std::move(handler));
  }
  std::shared_ptr<NotificationHandler> Handler() const {
    std::lock_guard<std::mutex> lock(mu_);
    return handler_;
  }
  std::string Url() const { return server_.BaseUrl() + "/notify"; }
  std::vector<Delivery> Deliveries() const {
    std::lock_guard<std::mutex> lock(mu_);
    return deliveries_;
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<NotificationHandler> handler_;
  std::vector<Delivery> deliveries_;
  LoopbackServer server_;  // last: stops before the members above go
};

// A shop: the sandbox, a ledger on SQLite, a LedgerClient and the notify route.
struct Shop {
  Shop() : client(sandbox.Client(), f.ledger) {
    auto parser = client.MakeNotificationParser();
    INFO(parser.status().ToString());
    REQUIRE(parser.ok());
    receiver.Attach(MakeLedgerNotificationHandler(
        *std::move(parser),
        {kEventTransactionSuccess, kEventRefundSuccess, kEventRefundAbnormal, kEventRefundClosed},
        f.ledger));
  }

  NativePrepayRequest Order(std::string const& no, std::int64_t total) const {
    auto request = OrderRequest(no, total);
    request.notify_url = receiver.Url();
    return request;
  }

  Receiver receiver;
  SandboxFixture sandbox;
  LedgerFixture f;
  LedgerClient client;
};

// The number of requests that reached the sandbox while `call` ran (its stats request, which the
// sandbox counts too, subtracted).
std::size_t RequestsDuring(SandboxFixture const& sandbox, std::function<void()> const& call) {
  auto const s0 = sandbox.sandbox().GetStats().requests;
  auto const s1 = sandbox.sandbox().GetStats().requests;
  call();
  auto const s2 = sandbox.sandbox().GetStats().requests;
  return (s2 - s1) - (s1 - s0);
}

std::size_t PaidEntries(LedgerFixture const& f, std::string const& no) {
  auto history = f.ledger->History(no);
  REQUIRE(history.ok());
  std::size_t paid = 0;
  for (auto const& entry : *history) {
    if (entry.to_state == "PAID" && entry.from_state != "PAID") ++paid;
  }
  return paid;
}

TEST_CASE("Ledger + sandbox: order, pay, callback through the handler: PAID once") {
  Shop shop;
  auto prepay = shop.client.NativePrepay(shop.Order("LEDGER-SBX-PAY-1", 9));
  INFO(prepay.status().ToString());
  REQUIRE(prepay.ok());
  auto order = shop.f.Order("LEDGER-SBX-PAY-1");
  CHECK(order.state == LedgerOrderState::kNotPaid);
  CHECK(order.code_url == prepay->code_url);

  REQUIRE(shop.sandbox.sandbox().Pay("LEDGER-SBX-PAY-1").ok());
  REQUIRE(Eventually([&] { return shop.receiver.Deliveries().size() == 1; }));
  auto const delivery = shop.receiver.Deliveries()[0];
  CHECK(delivery.result.outcome == NotificationOutcome::kProcessed);
  CHECK(delivery.result.answer.success());
  order = shop.f.Order("LEDGER-SBX-PAY-1");
  CHECK(order.state == LedgerOrderState::kPaid);
  CHECK(order.review_reason.empty());
  CHECK_FALSE(order.transaction_id.empty());
  CHECK(order.payer_total_fen == 9);

  // WeChat's redelivery of the same notification: a duplicate, answered success.
  auto redelivered = shop.receiver.Handler()->Handle(delivery.headers, delivery.body);
  CHECK(redelivered.outcome == NotificationOutcome::kDuplicate);
  CHECK(redelivered.answer.success());
  // A query through the client agrees, and changes nothing.
  auto queried = shop.client.QueryOrderByOutTradeNo("LEDGER-SBX-PAY-1");
  REQUIRE(queried.ok());
  CHECK(shop.f.Order("LEDGER-SBX-PAY-1").version == order.version);
  CHECK(PaidEntries(shop.f, "LEDGER-SBX-PAY-1") == 1);

  SECTION("a refund: recorded, PROCESSING, then the REFUND.SUCCESS callback") {
    CreateRefundRequest refund;
    refund.out_trade_no = "LEDGER-SBX-PAY-1";
    refund.out_refund_no = "LEDGER-SBX-RF-1";
    refund.amount.refund = 4;
    refund.amount.total = 9;
    refund.notify_url = shop.receiver.Url();
    auto created = shop.client.CreateRefund(refund);
    INFO(created.status().ToString());
    REQUIRE(created.ok());
    REQUIRE(Eventually([&] {
      auto refunds = shop.f.ledger->Refunds("LEDGER-SBX-PAY-1");
      return refunds.ok() && refunds->size() == 1 &&
             (*refunds)[0].state == LedgerRefundState::kSuccess;
    }));
    auto refunds = shop.f.ledger->Refunds("LEDGER-SBX-PAY-1");
    REQUIRE(refunds.ok());
    CHECK((*refunds)[0].refund_fen == 4);
    CHECK((*refunds)[0].review_reason.empty());
  }
}

TEST_CASE("Ledger + sandbox: an amount mismatch and an order created elsewhere are flagged") {
  Shop shop;
  auto plain = shop.sandbox.Client();  // a client that records nothing: "another system"

  SECTION("an order the ledger never recorded: recorded as paid, flagged, answered 2xx") {
    REQUIRE(plain.NativePrepay(shop.Order("LEDGER-SBX-ELSE-1", 5)).ok());
    REQUIRE(shop.sandbox.sandbox().Pay("LEDGER-SBX-ELSE-1").ok());
    REQUIRE(Eventually([&] { return shop.receiver.Deliveries().size() == 1; }));
    auto const delivery = shop.receiver.Deliveries()[0];
    CHECK(delivery.result.answer.success());
    CHECK(delivery.result.note.find("did not create") != std::string::npos);
    auto order = shop.f.Order("LEDGER-SBX-ELSE-1");
    CHECK(order.state == LedgerOrderState::kPaid);
    CHECK(order.total_fen == 5);
    CHECK_FALSE(order.review_reason.empty());
  }
  SECTION("the ledger's amount is not the paid one: flagged, never applied") {
    // The ledger recorded 5 fen; the order WeChat has (created by another path) is for 7.
    REQUIRE(shop.f.ledger->RecordOrderCreating(OrderRequest("LEDGER-SBX-MISMATCH-1", 5)).ok());
    auto placed = plain.NativePrepay(shop.Order("LEDGER-SBX-MISMATCH-1", 7));
    REQUIRE(placed.ok());
    REQUIRE(shop.f.ledger->RecordPrepayResult("LEDGER-SBX-MISMATCH-1", placed).ok());
    REQUIRE(shop.sandbox.sandbox().Pay("LEDGER-SBX-MISMATCH-1").ok());
    REQUIRE(Eventually([&] { return shop.receiver.Deliveries().size() == 1; }));
    auto const delivery = shop.receiver.Deliveries()[0];
    CHECK(delivery.result.answer.success());
    CHECK(delivery.result.note.find("amount.total") != std::string::npos);
    auto order = shop.f.Order("LEDGER-SBX-MISMATCH-1");
    CHECK(order.state == LedgerOrderState::kNotPaid);
    CHECK(order.transaction_id.empty());
    CHECK(order.review_reason.find("7 fen") != std::string::npos);
  }
}

TEST_CASE("Ledger + sandbox: a prepay whose answer is lost leaves the outcome unknown") {
  Shop shop;
  sandbox::Fault fault;
  fault.method = "POST";
  fault.path = "/v3/pay/transactions/native";
  fault.action = "drop";  // processed by "WeChat", then the connection closes unanswered
  REQUIRE(shop.sandbox.sandbox().AddFault(fault).ok());
  auto prepay = shop.client.NativePrepay(shop.Order("LEDGER-SBX-LOST-1", 3));
  REQUIRE_FALSE(prepay.ok());
  INFO(prepay.status().ToString());
  CHECK(prepay.status().info().outcome_unknown);
  auto order = shop.f.Order("LEDGER-SBX-LOST-1");
  CHECK(order.state == LedgerOrderState::kCreating);
  CHECK(order.outcome_unknown);
  CHECK(order.next_check_at > 0);
  CHECK_FALSE(order.last_error.empty());

  // What the Reconciler does: query. The sandbox did create it: NOTPAY, the outcome resolved.
  auto queried = shop.client.QueryOrderByOutTradeNo("LEDGER-SBX-LOST-1");
  REQUIRE(queried.ok());
  order = shop.f.Order("LEDGER-SBX-LOST-1");
  CHECK(order.state == LedgerOrderState::kNotPaid);
  CHECK_FALSE(order.outcome_unknown);

  // Ordering again with the same terms is allowed (WeChat answers the same order); with other
  // terms it is refused before anything is sent.
  auto again = shop.client.NativePrepay(shop.Order("LEDGER-SBX-LOST-1", 3));
  REQUIRE(again.ok());
  CHECK(shop.f.Order("LEDGER-SBX-LOST-1").code_url == again->code_url);
  StatusOr<NativePrepayResponse> other = Status(StatusCode::kInternal, "not sent");
  CHECK(RequestsDuring(shop.sandbox, [&] {
          other = shop.client.NativePrepay(shop.Order("LEDGER-SBX-LOST-1", 4));
        }) == 0);
  REQUIRE_FALSE(other.ok());
  CHECK(other.status().code() == StatusCode::kAlreadyExists);
  CHECK(other.status().info().field == "amount.total");
}

TEST_CASE("Ledger + sandbox: a close through the client is recorded") {
  Shop shop;
  REQUIRE(shop.client.NativePrepay(shop.Order("LEDGER-SBX-CLOSE-1", 3)).ok());
  auto closed = shop.client.CloseOrder("LEDGER-SBX-CLOSE-1");
  INFO(closed.status().ToString());
  REQUIRE(closed.ok());
  auto order = shop.f.Order("LEDGER-SBX-CLOSE-1");
  CHECK(order.state == LedgerOrderState::kClosed);
  CHECK(order.next_check_at == 0);
  // An order the ledger has as ended is not sent to WeChat again.
  StatusOr<NativePrepayResponse> reorder = Status(StatusCode::kInternal, "not sent");
  CHECK(RequestsDuring(shop.sandbox, [&] {
          reorder = shop.client.NativePrepay(shop.Order("LEDGER-SBX-CLOSE-1", 3));
        }) == 0);
  REQUIRE_FALSE(reorder.ok());
  CHECK(reorder.status().code() == StatusCode::kAlreadyExists);

  // A refund through the LedgerClient is recorded under its order: without out_trade_no it is
  // refused before anything is sent.
  CreateRefundRequest by_id;
  by_id.transaction_id = "4200000001202612070000000001";
  by_id.out_refund_no = "LEDGER-SBX-RF-9";
  by_id.amount.refund = 1;
  by_id.amount.total = 3;
  StatusOr<Refund> refused = Status(StatusCode::kInternal, "not sent");
  CHECK(RequestsDuring(shop.sandbox, [&] { refused = shop.client.CreateRefund(by_id); }) == 0);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().info().field == "out_trade_no");
}

}  // namespace
}  // namespace wechatpay
