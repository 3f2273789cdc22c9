// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// End to end for callbacks (issue 4): the sandbox pays and refunds, delivers to a receiver the
// test runs, and that receiver is the SDK's own NotificationHandler, not a hand-rolled verifier.
// The assertions are about order, content and count, never about time.

#include <rapidjson/document.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "support/loopback_server.hpp"
#include "support/run_process.hpp"
#include "support/sandbox_fixture.hpp"
#include "support/test_data.hpp"

namespace wechatpay {
namespace {

using testing::Eventually;
using testing::LoopbackServer;
using testing::RunCli;
using testing::SandboxFixture;
using testing::TempDir;
using testing::WriteFile;

// One delivery as the receiver saw it, and what the handler answered.
struct Delivery {
  HttpHeaders headers;
  std::string body;
  std::string id;  // the envelope's id, read from the raw body independently of the SDK
  int answered = 0;
  NotificationOutcome outcome = NotificationOutcome::kRejected;
};

// A merchant's notify route backed by NotificationHandler. The application callback fails the
// first `failures` calls (say, the database is down) and otherwise "applies" the event.
//
// Declared before the sandbox in each test so it outlives it: the sandbox's keep-alive
// connections to the receiver then close first and stopping the receiver is immediate. The
// handler needs the started sandbox's configuration, hence Attach() after the fixture starts.
class Receiver {
 public:
  explicit Receiver(int failures = 0) : failures_(failures) {
    server_.http().Post(
        "/notify", [this](httplib::Request const& request, httplib::Response& response) {
          Delivery delivery;
          for (auto const& [name, value] : request.headers) delivery.headers.Add(name, value);
          delivery.body = request.body;
          rapidjson::Document envelope;
          envelope.Parse(request.body.c_str());
          if (envelope.IsObject() && envelope.HasMember("id") && envelope["id"].IsString()) {
            delivery.id = envelope["id"].GetString();
          }
          std::shared_ptr<NotificationHandler> handler;
          {
            std::lock_guard<std::mutex> lock(mu_);
            handler = handler_;
          }
          if (!handler) {
            response.status = 503;
            return;
          }
          auto result = handler->Handle(delivery.headers, request.body);
          response.status = result.answer.status_code;
          if (!result.answer.body.empty()) {
            response.set_content(result.answer.body, result.answer.content_type.c_str());
          }
          delivery.answered = result.answer.status_code;
          delivery.outcome = result.outcome;
          std::lock_guard<std::mutex> lock(mu_);
          deliveries_.push_back(std::move(delivery));
        });
    server_.Start();
  }

  void Attach(MerchantConfig const& config) {
    auto parser = MakeNotificationParser(config);
    INFO(parser.status().ToString());
    REQUIRE(parser.ok());
    auto handler = std::make_shared<NotificationHandler>(
        // One notify_url for payments and refunds alike: the handler accepts all four types.
        std::move(*parser),
        std::vector<std::string_view>{kEventTransactionSuccess, kEventRefundSuccess,
                                      kEventRefundAbnormal, kEventRefundClosed},
        [this](Notification const& notification) {
          std::lock_guard<std::mutex> lock(mu_);
          if (++calls_ <= failures_) {
            return Status(StatusCode::kInternal, "database unavailable");
          }
          applied_.push_back(notification);
          return Status();
        });
    std::lock_guard<std::mutex> lock(mu_);
    handler_ = std::move(handler);
  }

  std::string Url() const { return server_.BaseUrl() + "/notify"; }

  std::vector<Delivery> Deliveries() const {
    std::lock_guard<std::mutex> lock(mu_);
    return deliveries_;
  }
  std::size_t Count() const {
    std::lock_guard<std::mutex> lock(mu_);
    return deliveries_.size();
  }
  std::vector<Notification> Applied() const {
    std::lock_guard<std::mutex> lock(mu_);
    return applied_;
  }
  int Calls() const {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }

 private:
  int const failures_;
  mutable std::mutex mu_;
  std::shared_ptr<NotificationHandler> handler_;
  std::vector<Delivery> deliveries_;
  std::vector<Notification> applied_;
  int calls_ = 0;
  LoopbackServer server_;  // last: stops (and joins its handlers) before the members above go
};

void PlaceOrder(NativePayClient const& client, std::string const& out_trade_no, std::int64_t total,
                std::string const& notify_url) {
  NativePrepayRequest order;
  order.out_trade_no = out_trade_no;
  order.description = "端到端回调";
  order.amount.total = total;
  order.notify_url = notify_url;
  auto placed = client.NativePrepay(order);
  INFO(placed.status().ToString());
  REQUIRE(placed.ok());
}

TEST_CASE("sandbox notify e2e: NotificationHandler parses the sandbox's TRANSACTION.SUCCESS") {
  Receiver receiver;
  SandboxFixture f;
  receiver.Attach(f.Config());
  auto client = f.Client();
  PlaceOrder(client, "SBXE2EPAY0001", 7, receiver.Url());
  REQUIRE(f.sandbox().Pay("SBXE2EPAY0001").ok());

  REQUIRE(Eventually([&] { return receiver.Applied().size() == 1; }));
  auto const paid = receiver.Applied()[0];
  CHECK(paid.event_type == "TRANSACTION.SUCCESS");
  CHECK(paid.original_type == "transaction");
  REQUIRE(paid.transaction.has_value());
  auto queried = client.QueryOrderByOutTradeNo("SBXE2EPAY0001");
  REQUIRE(queried.ok());
  CHECK(paid.transaction->trade_state == "SUCCESS");
  CHECK(paid.transaction->out_trade_no == queried->out_trade_no);
  REQUIRE(queried->transaction_id.has_value());
  CHECK(paid.transaction->transaction_id == queried->transaction_id);
  REQUIRE(paid.transaction->amount.has_value());
  REQUIRE(queried->amount.has_value());
  CHECK(paid.transaction->amount->total == queried->amount->total);
  CHECK(paid.transaction->amount->total == 7);
  CHECK(CheckAmount(*paid.transaction, 7).ok());
  REQUIRE(Eventually([&] { return receiver.Count() == 1; }));
  CHECK(receiver.Deliveries()[0].answered == 204);
  CHECK(receiver.Deliveries()[0].id == paid.id);

  SECTION("a refund delivers REFUND.SUCCESS once it has been processed") {
    CreateRefundRequest refund;
    refund.out_trade_no = "SBXE2EPAY0001";
    refund.out_refund_no = "SBXE2EREF0001";
    refund.amount.refund = 3;
    refund.amount.total = 7;
    refund.notify_url = receiver.Url();  // WeChat sends a refund's result to its own URL
    auto created = client.CreateRefund(refund);
    INFO(created.status().ToString());
    REQUIRE(created.ok());

    // The refund is PROCESSING until the (scaled) processing delay passes; only then is
    // REFUND.SUCCESS sent, so waiting for it also waits for the delay.
    REQUIRE(Eventually([&] { return receiver.Applied().size() == 2; }));
    auto const refunded = receiver.Applied()[1];
    CHECK(refunded.event_type == "REFUND.SUCCESS");
    CHECK(refunded.original_type == "refund");
    CHECK(refunded.id != paid.id);
    REQUIRE(refunded.refund.has_value());
    CHECK(refunded.refund->refund_status == "SUCCESS");
    CHECK(refunded.refund->out_refund_no == "SBXE2EREF0001");
    CHECK(refunded.refund->out_trade_no == "SBXE2EPAY0001");
    CHECK(refunded.refund->transaction_id == queried->transaction_id.value());
    CHECK(refunded.refund->amount.total == 7);
    CHECK(refunded.refund->amount.refund == 3);
    CHECK(refunded.refund->success_time.has_value());

    auto refund_query = client.QueryRefund("SBXE2EREF0001");
    REQUIRE(refund_query.ok());
    CHECK(refund_query->status == "SUCCESS");
    CHECK(refund_query->refund_id == refunded.refund->refund_id);
    REQUIRE(refund_query->amount.has_value());
    CHECK(refund_query->amount->refund == refunded.refund->amount.refund);
    CHECK(refund_query->amount->total == refunded.refund->amount.total);
  }
}

TEST_CASE("sandbox notify e2e: REFUND.ABNORMAL and REFUND.CLOSED reach the application") {
  Receiver receiver;
  SandboxFixture f(0.2);  // refund processing: 1 s, long after the refunds are ended
  receiver.Attach(f.Config());
  auto client = f.Client();
  PlaceOrder(client, "SBXE2EEND0001", 10, receiver.Url());
  REQUIRE(f.sandbox().Pay("SBXE2EEND0001").ok());
  REQUIRE(Eventually([&] { return receiver.Applied().size() == 1; }));
  for (auto const& [no, amount] : {std::pair<char const*, int>{"SBXE2EABN0001", 4},
                                   std::pair<char const*, int>{"SBXE2ECLS0001", 6}}) {
    CreateRefundRequest refund;
    refund.out_trade_no = "SBXE2EEND0001";
    refund.out_refund_no = no;
    refund.amount.refund = amount;
    refund.amount.total = 10;
    refund.notify_url = receiver.Url();
    auto created = client.CreateRefund(refund);
    INFO(created.status().ToString());
    REQUIRE(created.ok());
  }
  REQUIRE(f.sandbox().RefundAbnormal("SBXE2EABN0001").ok());
  REQUIRE(Eventually([&] { return receiver.Applied().size() == 2; }));
  REQUIRE(f.sandbox().RefundClose("SBXE2ECLS0001").ok());
  REQUIRE(Eventually([&] { return receiver.Applied().size() == 3; }));

  auto const applied = receiver.Applied();
  auto const& abnormal = applied[1];
  CHECK(abnormal.event_type == kEventRefundAbnormal);
  CHECK(abnormal.summary == "退款异常");
  REQUIRE(abnormal.refund.has_value());
  CHECK(abnormal.refund->refund_status == "ABNORMAL");
  CHECK(abnormal.refund->out_refund_no == "SBXE2EABN0001");
  CHECK(abnormal.refund->amount.refund == 4);
  CHECK_FALSE(abnormal.refund->success_time.has_value());
  CHECK(CheckRefundAmount(*abnormal.refund, 4).ok());
  auto const& closed = applied[2];
  CHECK(closed.event_type == kEventRefundClosed);
  CHECK(closed.summary == "退款关闭");
  REQUIRE(closed.refund.has_value());
  CHECK(closed.refund->refund_status == "CLOSED");
  CHECK(closed.refund->out_refund_no == "SBXE2ECLS0001");
  CHECK_FALSE(closed.refund->success_time.has_value());
  // Every delivery was verified, processed and answered 204.
  REQUIRE(Eventually([&] { return receiver.Count() == 3; }));
  for (auto const& delivery : receiver.Deliveries()) {
    CHECK(delivery.answered == 204);
    CHECK(delivery.outcome == NotificationOutcome::kProcessed);
  }
  CHECK(client.QueryRefund("SBXE2EABN0001")->status == "ABNORMAL");
  CHECK(client.QueryRefund("SBXE2ECLS0001")->status == "CLOSED");
}

TEST_CASE("sandbox notify e2e: a handler failing twice answers 500, 500, 204 and applies once") {
  Receiver receiver(2);
  SandboxFixture f(0.0001);  // WeChat's 15 s between attempts become 1.5 ms
  receiver.Attach(f.Config());
  auto client = f.Client();
  PlaceOrder(client, "SBXE2ERETRY01", 4, receiver.Url());
  REQUIRE(f.sandbox().Pay("SBXE2ERETRY01").ok());

  REQUIRE(Eventually([&] { return receiver.Count() >= 3; }));
  // After the 2xx WeChat stops. The next attempts of the schedule (3 min, 10 min, ... of WeChat
  // time) would come within tens of milliseconds at this scale; give them ample room to show up.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto deliveries = receiver.Deliveries();
  REQUIRE(deliveries.size() == 3);
  CHECK(deliveries[0].answered == 500);
  CHECK(deliveries[1].answered == 500);
  CHECK(deliveries[2].answered == 204);
  CHECK(deliveries[0].outcome == NotificationOutcome::kFailed);
  CHECK(deliveries[2].outcome == NotificationOutcome::kProcessed);
  REQUIRE_FALSE(deliveries[0].id.empty());
  CHECK(deliveries[1].id == deliveries[0].id);
  CHECK(deliveries[2].id == deliveries[0].id);

  CHECK(receiver.Calls() == 3);
  auto applied = receiver.Applied();
  REQUIRE(applied.size() == 1);
  CHECK(applied[0].id == deliveries[0].id);
  CHECK(applied[0].event_type == "TRANSACTION.SUCCESS");

  // The sandbox's side agrees: three attempts with exactly these answers, and no fourth.
  auto view = f.sandbox().OrderView("SBXE2ERETRY01");
  REQUIRE(view.ok());
  rapidjson::Document doc;
  doc.Parse(view->c_str());
  REQUIRE(doc.IsObject());
  auto const& callbacks = doc["callbacks"];
  REQUIRE(callbacks.IsArray());
  REQUIRE(callbacks.Size() == 3);
  int const expected[] = {500, 500, 204};
  for (rapidjson::SizeType i = 0; i < 3; ++i) {
    CHECK(callbacks[i]["attempt"].GetInt() == static_cast<int>(i) + 1);
    CHECK(callbacks[i]["status"].GetInt() == expected[i]);
  }
  auto stats = f.sandbox().GetStats();
  CHECK(stats.callbacks_sent == 3);
  CHECK(stats.callback_answers[500] == 2);
  CHECK(stats.callback_answers[204] == 1);
}

std::string HeadersText(HttpHeaders const& headers) {
  std::string text;
  for (auto const& [name, value] : headers) text += name + ": " + value + "\n";
  return text;
}

TEST_CASE("sandbox notify e2e: wechatpay notify on a callback the receiver captured") {
  Receiver receiver;
  SandboxFixture f;
  receiver.Attach(f.Config());
  auto client = f.Client();
  PlaceOrder(client, "SBXE2ECLI0001", 9, receiver.Url());
  REQUIRE(f.sandbox().Pay("SBXE2ECLI0001").ok());
  REQUIRE(Eventually([&] { return receiver.Count() == 1; }));
  auto const captured = receiver.Deliveries()[0];
  auto const transaction = client.QueryOrderByOutTradeNo("SBXE2ECLI0001").value();

  TempDir dir;
  REQUIRE(f.sandbox().WriteClientConfig(dir.File("config.json")).ok());
  WriteFile(dir.File("headers.txt"), HeadersText(captured.headers));
  auto run = [&](std::string const& body) {
    WriteFile(dir.File("body.json"), body);
    return RunCli({"--config", dir.File("config.json"), "notify", "--headers-file",
                   dir.File("headers.txt"), "--body-file", dir.File("body.json")});
  };

  auto result = run(captured.body);
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  rapidjson::Document out;
  out.Parse(result.out.c_str());
  REQUIRE_FALSE(out.HasParseError());
  REQUIRE(out.IsObject());
  CHECK(out.MemberCount() == 6);
  CHECK(std::string(out["id"].GetString()) == captured.id);
  CHECK(std::string(out["event_type"].GetString()) == "TRANSACTION.SUCCESS");
  CHECK(std::string(out["resource_type"].GetString()) == "encrypt-resource");
  CHECK(out["create_time"].IsString());
  CHECK(out["summary"].IsString());
  REQUIRE(out["resource"].IsObject());
  CHECK(std::string(out["resource"]["out_trade_no"].GetString()) == "SBXE2ECLI0001");
  CHECK(std::string(out["resource"]["transaction_id"].GetString()) ==
        transaction.transaction_id.value());
  CHECK(out["resource"]["amount"]["total"].GetInt64() == 9);
  CHECK(std::string(out["resource"]["trade_state"].GetString()) == "SUCCESS");

  // One byte changed in the signed body: the signature no longer covers it.
  auto tampered = captured.body;
  auto const at = tampered.find("SUCCESS");
  REQUIRE(at != std::string::npos);
  tampered[at] = 'X';
  auto refused = run(tampered);
  INFO(refused.err);
  CHECK(refused.exit_code == 3);
  CHECK(refused.out.empty());
  CHECK(refused.err.find(f.identity().api_v3_key) == std::string::npos);
}

}  // namespace
}  // namespace wechatpay
