// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The sandbox answers the way WeChat answers (issue 15, items 9 and 11): the bodies of an
// unpaid, paying and failed order, PARAM_ERROR, NOT_ENOUGH, and the refund end states with
// their callbacks, compared with the captured and documented examples that docs/protocol.md
// ("Sandbox fidelity") quotes.

#include <rapidjson/document.h>

#include <algorithm>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "support/loopback_server.hpp"
#include "support/parsing_receiver.hpp"
#include "support/sandbox_fixture.hpp"

namespace wechatpay {
namespace {

using testing::Eventually;
using testing::LoopbackServer;
using testing::RawResponse;
using testing::SandboxFixture;
using testing::SignedRequest;

using Receiver = testing::ParsingReceiver;

std::string QueryTarget(SandboxFixture const& f, std::string const& out_trade_no) {
  return "/v3/pay/transactions/out-trade-no/" + out_trade_no + "?mchid=" + f.identity().merchant_id;
}

RawResponse Query(SandboxFixture const& f, std::string const& out_trade_no) {
  return SignedRequest(f, "GET", QueryTarget(f, out_trade_no));
}

// WeChat's answer for an order nobody paid, captured from production (docs/protocol.md).
std::string Unpaid(SandboxFixture const& f, std::string const& out_trade_no, int total,
                   std::string const& state, std::string const& description) {
  return R"({"amount":{"payer_currency":"CNY","total":)" + std::to_string(total) +
         R"(},"appid":")" + f.identity().app_id + R"(","mchid":")" + f.identity().merchant_id +
         R"(","out_trade_no":")" + out_trade_no +
         R"(","promotion_detail":[],"scene_info":{"device_id":""},"trade_state":")" + state +
         R"(","trade_state_desc":")" + description + R"("})";
}

std::string RequestIdCode(RawResponse const& response) {
  std::string const id(response.headers.Get("Request-ID"));
  return id.substr(id.rfind('-') + 1);
}

TEST_CASE("sandbox fidelity: an unpaid order is answered in WeChat's captured shape") {
  SandboxFixture f;
  auto client = f.Client();
  f.Order(client, "SBXFIDNOTPAY1", 100);
  auto notpay = Query(f, "SBXFIDNOTPAY1");
  REQUIRE(notpay.status == 200);
  // No trade_type, no currency, no payer fields: exactly WeChat's bytes for NOTPAY.
  CHECK(notpay.body == Unpaid(f, "SBXFIDNOTPAY1", 100, "NOTPAY", "订单未支付"));

  SECTION("closed and failed orders keep the unpaid shape") {
    REQUIRE(client.CloseOrder("SBXFIDNOTPAY1").ok());
    CHECK(Query(f, "SBXFIDNOTPAY1").body ==
          Unpaid(f, "SBXFIDNOTPAY1", 100, "CLOSED", "订单已关闭"));
    f.Order(client, "SBXFIDPAYERR1", 100);
    REQUIRE(f.sandbox().Fail("SBXFIDPAYERR1").ok());
    CHECK(Query(f, "SBXFIDPAYERR1").body ==
          Unpaid(f, "SBXFIDPAYERR1", 100, "PAYERROR", "支付失败，请重新下单支付"));
  }
  SECTION("the SDK reads it: NOTPAY, the total, no currency") {
    auto unpaid = client.QueryOrderByOutTradeNo("SBXFIDNOTPAY1");
    REQUIRE(unpaid.ok());
    CHECK(unpaid->trade_state == "NOTPAY");
    CHECK_FALSE(unpaid->trade_type.has_value());
    REQUIRE(unpaid->amount.has_value());
    CHECK(unpaid->amount->total == 100);
    CHECK_FALSE(unpaid->amount->currency.has_value());
    CHECK(unpaid->amount->payer_currency == "CNY");
  }
}

TEST_CASE("sandbox fidelity: USERPAYING between the scan and the password") {
  SandboxFixture f;
  auto client = f.Client();
  f.Order(client, "SBXFIDPAYING1", 100);
  REQUIRE(f.sandbox().Scan("SBXFIDPAYING1").ok());
  auto paying = Query(f, "SBXFIDPAYING1");
  REQUIRE(paying.status == 200);
  CHECK(paying.body == R"({"trade_state":"USERPAYING"})");
  // A second scan, or a scan of an order WeChat never saw, is refused by the control API.
  CHECK_FALSE(f.sandbox().Scan("SBXFIDPAYING1").ok());
  CHECK_FALSE(f.sandbox().Scan("SBXFIDNOSUCH1").ok());

  SECTION("a close while the payer enters the password: 202 USER_PAYING, nothing closed") {
    std::string const target = "/v3/pay/transactions/out-trade-no/SBXFIDPAYING1/close";
    std::string const body = R"({"mchid":")" + f.identity().merchant_id + R"("})";
    auto refused = SignedRequest(f, "POST", target, body);
    CHECK(refused.status == 202);
    CHECK(refused.body == R"({"code":"USER_PAYING","message":"用户支付中，需要输入密码"})");
    CHECK(Query(f, "SBXFIDPAYING1").body == R"({"trade_state":"USERPAYING"})");
  }
  SECTION("the payer enters the password: SUCCESS, and the callback goes out") {
    REQUIRE(f.sandbox().Pay("SBXFIDPAYING1").ok());
    auto paid = client.QueryOrderByOutTradeNo("SBXFIDPAYING1");
    REQUIRE(paid.ok());
    CHECK(paid->trade_state == "SUCCESS");
    CHECK(Eventually([&] { return f.sandbox().NotifySinkBodies().size() == 1; }));
    CHECK_FALSE(f.sandbox().Scan("SBXFIDPAYING1").ok());
  }
  SECTION("the payment fails: PAYERROR, final, no callback") {
    REQUIRE(f.sandbox().Fail("SBXFIDPAYING1").ok());
    CHECK(client.QueryOrderByOutTradeNo("SBXFIDPAYING1")->trade_state == "PAYERROR");
    CHECK_FALSE(f.sandbox().Pay("SBXFIDPAYING1").ok());
    CHECK_FALSE(f.sandbox().Fail("SBXFIDPAYING1").ok());
    CHECK(f.sandbox().NotifySinkBodies().empty());
  }
  SECTION("the control API over HTTP: POST orders/{no}/scan") {
    f.Order(client, "SBXFIDPAYING2", 100);
    auto scanned =
        testing::RawRequest("POST", f.BaseUrl() + "/sandbox/v1/orders/SBXFIDPAYING2/scan", {}, "",
                            f.identity().ca_file);
    CHECK(scanned.status == 200);
    CHECK(scanned.body == R"({"trade_state":"USERPAYING"})");
    auto again = testing::RawRequest("POST", f.BaseUrl() + "/sandbox/v1/orders/SBXFIDPAYING2/scan",
                                     {}, "", f.identity().ca_file);
    CHECK(again.status == 409);
  }
}

TEST_CASE("sandbox fidelity: PARAM_ERROR names the source in WeChat's words") {
  SandboxFixture f;
  std::string const head = R"({"appid":")" + f.identity().app_id + R"(","mchid":")" +
                           f.identity().merchant_id + R"(","notify_url":")" +
                           f.sandbox().NotifyUrl() + R"(","description":"d",)";
  auto prepay = [&](std::string const& rest) {
    return SignedRequest(f, "POST", "/v3/pay/transactions/native", head + rest);
  };

  SECTION("a missing member: the required-rule message, value \"\"") {
    auto missing = prepay(R"("amount":{"total":1}})");
    CHECK(missing.status == 400);
    CHECK(
        missing.body ==
        R"({"code":"PARAM_ERROR","detail":{"location":"body","value":""},"message":)"
        R"("输入源“/body/out_trade_no”映射到字段“商户订单号”必填性规则校验失败，此字段为必填项"})");
    CHECK(RequestIdCode(missing) == "268435461");
  }
  SECTION("a string over its limit: the length as the value, bytes against the maximum") {
    auto long_attach = prepay(R"("out_trade_no":"SBXFIDPARAM1","attach":")" +
                              std::string(203, 'a') + R"(","amount":{"total":1}})");
    CHECK(long_attach.status == 400);
    CHECK(
        long_attach.body ==
        R"({"code":"PARAM_ERROR","detail":{"location":"body","value":203},"message":)"
        R"("输入源“/body/attach”映射到值字段“附加数据”字符串规则校验失败，字节数 203，大于最大值 128"})");
  }
  SECTION("a nested member: the whole JSON pointer after /body") {
    auto currency =
        prepay(R"("out_trade_no":"SBXFIDPARAM1","amount":{"total":1,"currency":"USD"}})");
    CHECK(currency.status == 400);
    CHECK(currency.body.rfind(
              R"({"code":"PARAM_ERROR","detail":{"location":"body","value":"USD"},"message":)"
              R"("输入源“/body/amount/currency”映射到值字段“currency”)",
              0) == 0);
  }
  SECTION("a path parameter: location uri_template") {
    auto query = Query(f, std::string(33, 'A'));
    CHECK(query.status == 400);
    CHECK(query.body.find(R"("detail":{"location":"uri_template",)") != std::string::npos);
    CHECK(query.body.find(
              R"("message":"输入源“/uri_template/out_trade_no”映射到值字段“商户订单号”)") !=
          std::string::npos);
  }
  SECTION("the SDK keeps detail and message") {
    auto client = f.Client();
    NativePrepayRequest request;
    request.out_trade_no = "SBXFIDPARAM2";
    request.description = "d";
    request.amount.total = 1;
    request.amount.currency = "USD";
    auto refused = client.NativePrepay(request);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.status().info().service_code == "PARAM_ERROR");
    CHECK(refused.status().info().detail == R"({"location":"body","value":"USD"})");
    CHECK(refused.status().info().service_message.find("/body/amount/currency") !=
          std::string::npos);
  }
}

CreateRefundRequest RefundRequest(std::string const& out_trade_no, std::string const& out_refund_no,
                                  std::int64_t refund, std::int64_t total) {
  CreateRefundRequest request;
  request.out_trade_no = out_trade_no;
  request.out_refund_no = out_refund_no;
  request.amount.refund = refund;
  request.amount.total = total;
  return request;
}

TEST_CASE("sandbox fidelity: a short balance refuses the next refund with 403 NOT_ENOUGH") {
  SandboxFixture f;
  auto client = f.Client();
  f.Order(client, "SBXFIDREFUND1", 10);
  REQUIRE(f.sandbox().Pay("SBXFIDREFUND1").ok());
  REQUIRE(f.sandbox().RefuseNextRefunds(1).ok());
  CHECK_FALSE(f.sandbox().RefuseNextRefunds(0).ok());

  std::string const body = R"({"out_trade_no":"SBXFIDREFUND1","out_refund_no":"SBXFIDREFNO01",)"
                           R"("amount":{"refund":1,"total":10,"currency":"CNY"}})";
  auto refused = SignedRequest(f, "POST", "/v3/refund/domestic/refunds", body);
  CHECK(refused.status == 403);
  CHECK(refused.body == R"({"code":"NOT_ENOUGH","message":"基本账户余额不足，请充值后重新发起"})");
  CHECK(RequestIdCode(refused) == "268892709");
  // Nothing was created: WeChat's advice is to try again with the same out_refund_no.
  auto again = client.CreateRefund(RefundRequest("SBXFIDREFUND1", "SBXFIDREFNO01", 1, 10));
  INFO(again.status().ToString());
  REQUIRE(again.ok());
  CHECK(again->status == "PROCESSING");

  SECTION("through the control API over HTTP, for two refunds, as the SDK reports it") {
    auto set = testing::RawRequest("POST", f.BaseUrl() + "/sandbox/v1/refunds/not-enough", {},
                                   R"({"count":2})", f.identity().ca_file);
    CHECK(set.status == 200);
    for (char const* no : {"SBXFIDREFNO02", "SBXFIDREFNO03"}) {
      auto short_balance = client.CreateRefund(RefundRequest("SBXFIDREFUND1", no, 1, 10));
      REQUIRE_FALSE(short_balance.ok());
      CHECK(short_balance.status().code() == StatusCode::kServiceError);
      CHECK(short_balance.status().info().http_status == 403);
      CHECK(short_balance.status().info().service_code == "NOT_ENOUGH");
    }
    CHECK(client.CreateRefund(RefundRequest("SBXFIDREFUND1", "SBXFIDREFNO02", 1, 10)).ok());
  }
}

TEST_CASE("sandbox fidelity: refunds end ABNORMAL or CLOSED with their callbacks") {
  Receiver receiver;  // outlives the sandbox
  // Refund processing takes 1 s: the refunds end ABNORMAL and CLOSED long before.
  SandboxFixture f(0.2);
  receiver.Attach(MakeNotificationParser(f.Config()).value());
  auto client = f.Client();
  f.Order(client, "SBXFIDREFUND2", 10);
  REQUIRE(f.sandbox().Pay("SBXFIDREFUND2").ok());
  auto abnormal = RefundRequest("SBXFIDREFUND2", "SBXFIDABNORM1", 4, 10);
  abnormal.notify_url = receiver.Url();
  REQUIRE(client.CreateRefund(abnormal).ok());
  auto closed = RefundRequest("SBXFIDREFUND2", "SBXFIDCLOSED1", 6, 10);
  closed.notify_url = receiver.Url();
  REQUIRE(client.CreateRefund(closed).ok());

  REQUIRE(f.sandbox().RefundAbnormal("SBXFIDABNORM1").ok());
  REQUIRE(f.sandbox().RefundClose("SBXFIDCLOSED1").ok());
  // Only PROCESSING refunds end this way; unknown ones are refused.
  CHECK_FALSE(f.sandbox().RefundClose("SBXFIDABNORM1").ok());
  CHECK_FALSE(f.sandbox().RefundAbnormal("SBXFIDNOSUCH1").ok());

  REQUIRE(Eventually([&] { return receiver.Parsed().size() == 2; }));
  auto parsed = receiver.Parsed();
  std::vector<std::string> events;
  for (auto const& n : parsed) {
    REQUIRE(n.refund.has_value());
    CHECK(n.original_type == "refund");
    CHECK_FALSE(n.refund->success_time.has_value());
    CHECK(n.event_type == "REFUND." + n.refund->refund_status);
    events.push_back(n.event_type);
  }
  // Each callback goes out on its own delivery: they may arrive in either order.
  std::sort(events.begin(), events.end());
  CHECK(events == std::vector<std::string>{"REFUND.ABNORMAL", "REFUND.CLOSED"});

  // The processing delay passes: the scheduled completion leaves them as they ended.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  CHECK(client.QueryRefund("SBXFIDABNORM1")->status == "ABNORMAL");
  auto closed_refund = client.QueryRefund("SBXFIDCLOSED1");
  REQUIRE(closed_refund.ok());
  CHECK(closed_refund->status == "CLOSED");
  CHECK_FALSE(closed_refund->success_time.has_value());
  CHECK(receiver.Parsed().size() == 2);
  // A closed refund's 6 fen can be refunded again; the abnormal one's 4 cannot.
  CHECK(client.CreateRefund(RefundRequest("SBXFIDREFUND2", "SBXFIDAGAIN01", 6, 10)).ok());
  CHECK_FALSE(client.CreateRefund(RefundRequest("SBXFIDREFUND2", "SBXFIDAGAIN02", 1, 10)).ok());

  SECTION("the control API over HTTP") {
    f.Order(client, "SBXFIDREFUND3", 10);
    REQUIRE(f.sandbox().Pay("SBXFIDREFUND3").ok());
    REQUIRE(client.CreateRefund(RefundRequest("SBXFIDREFUND3", "SBXFIDHTTP001", 1, 10)).ok());
    auto ended =
        testing::RawRequest("POST", f.BaseUrl() + "/sandbox/v1/refunds/SBXFIDHTTP001/close", {}, "",
                            f.identity().ca_file);
    CHECK(ended.status == 200);
    CHECK(ended.body.find(R"("status":"CLOSED")") != std::string::npos);
    auto unknown =
        testing::RawRequest("POST", f.BaseUrl() + "/sandbox/v1/refunds/SBXFIDHTTP001/undo", {}, "",
                            f.identity().ca_file);
    CHECK(unknown.status == 404);
  }
}

TEST_CASE("sandbox fidelity: a refund result never goes to the payment's notify_url") {
  Receiver receiver;
  SandboxFixture f(0.001);
  receiver.Attach(MakeNotificationParser(f.Config()).value());
  auto client = f.Client();
  NativePrepayRequest order;
  order.out_trade_no = "SBXFIDNOTIFY1";
  order.description = "d";
  order.amount.total = 5;
  order.notify_url = receiver.Url();
  REQUIRE(client.NativePrepay(order).ok());
  REQUIRE(f.sandbox().Pay("SBXFIDNOTIFY1").ok());
  REQUIRE(Eventually([&] { return receiver.Parsed().size() == 1; }));
  // No notify_url on the refund and no merchant-platform URL in the sandbox: no callback.
  REQUIRE(client.CreateRefund(RefundRequest("SBXFIDNOTIFY1", "SBXFIDNOURL01", 2, 5)).ok());
  REQUIRE(Eventually([&] { return client.QueryRefund("SBXFIDNOURL01")->status == "SUCCESS"; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK(receiver.Parsed().size() == 1);
  auto view = f.sandbox().OrderView("SBXFIDNOTIFY1");
  REQUIRE(view.ok());
  CHECK(view->find("REFUND.SUCCESS") == std::string::npos);
  CHECK(f.sandbox().NotifySinkBodies().empty());
}

}  // namespace
}  // namespace wechatpay
