// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Every NativePayClient operation (direct backend) against the sandbox over HTTPS: the success
// paths, the order state machine, and each documented WeChat error as the SDK reports it.

#include <chrono>
#include <string>
#include <thread>

#include "catch.hpp"
#include "support/sandbox_fixture.hpp"

namespace wechatpay {
namespace {

using testing::Eventually;
using testing::SandboxFixture;

NativePrepayRequest OrderRequest(std::string out_trade_no, std::int64_t total = 3) {
  NativePrepayRequest request;
  request.out_trade_no = std::move(out_trade_no);
  request.description = "沙箱测试-可乐";
  request.amount.total = total;
  return request;
}

CreateRefundRequest RefundRequest(std::string out_trade_no, std::string out_refund_no,
                                  std::int64_t refund, std::int64_t total = 3) {
  CreateRefundRequest request;
  request.out_trade_no = std::move(out_trade_no);
  request.out_refund_no = std::move(out_refund_no);
  request.amount.refund = refund;
  request.amount.total = total;
  return request;
}

// The service error of a failed call, checked to be one.
template <typename T>
ErrorInfo ServiceError(StatusOr<T> const& result, int http_status, std::string const& code) {
  INFO(result.status().ToString());
  REQUIRE_FALSE(result.ok());
  CHECK(result.status().code() == StatusCode::kServiceError);
  CHECK(result.status().info().http_status == http_status);
  CHECK(result.status().info().service_code == code);
  CHECK_FALSE(result.status().info().request_id.empty());
  return result.status().info();
}

TEST_CASE("sandbox: order, query both ways, pay, close, refund through NativePayClient") {
  SandboxFixture f;
  auto client = f.Client();

  auto placed = client.NativePrepay(OrderRequest("SBXORDER0001"));
  INFO(placed.status().ToString());
  REQUIRE(placed.ok());
  CHECK(placed->code_url.rfind("weixin://wxpay/bizpayurl?pr=", 0) == 0);
  CHECK(placed->meta.http_status == 200);
  CHECK(placed->meta.request_id.size() > 2);
  CHECK(placed->meta.request_id.substr(placed->meta.request_id.size() - 2) == "-0");

  auto unpaid = client.QueryOrderByOutTradeNo("SBXORDER0001");
  REQUIRE(unpaid.ok());
  CHECK(unpaid->trade_state == "NOTPAY");
  CHECK_FALSE(unpaid->transaction_id.has_value());
  CHECK(unpaid->appid == f.identity().app_id);
  CHECK(unpaid->mchid == f.identity().merchant_id);
  REQUIRE(unpaid->amount.has_value());
  CHECK(unpaid->amount->total == 3);

  REQUIRE(f.sandbox().Pay("SBXORDER0001").ok());
  auto paid = client.QueryOrderByOutTradeNo("SBXORDER0001");
  REQUIRE(paid.ok());
  CHECK(paid->trade_state == "SUCCESS");
  CHECK(paid->trade_type == "NATIVE");
  REQUIRE(paid->transaction_id.has_value());
  CHECK(paid->transaction_id->size() == 28);
  CHECK(paid->success_time.has_value());
  CHECK(paid->bank_type == "OTHERS");
  REQUIRE(paid->payer.has_value());
  CHECK(paid->payer->openid.value_or("").size() == 28);
  CHECK(paid->amount->payer_total == 3);

  auto by_id = client.QueryOrderById(*paid->transaction_id);
  REQUIRE(by_id.ok());
  CHECK(by_id->out_trade_no == "SBXORDER0001");
  CHECK(by_id->raw_json == paid->raw_json);

  SECTION("a paid order can be neither closed nor ordered again: ORDER_PAID") {
    ServiceError(client.CloseOrder("SBXORDER0001"), 400, "ORDER_PAID");
    ServiceError(client.NativePrepay(OrderRequest("SBXORDER0001")), 400, "ORDER_PAID");
    CHECK_FALSE(f.sandbox().Pay("SBXORDER0001").ok());
  }

  SECTION("refunds: PROCESSING then SUCCESS, idempotent out_refund_no, amount rules") {
    auto refund = client.CreateRefund(RefundRequest("SBXORDER0001", "SBXREFUND01", 1));
    INFO(refund.status().ToString());
    REQUIRE(refund.ok());
    CHECK(refund->status == "PROCESSING");
    REQUIRE(refund->refund_id.has_value());
    CHECK(refund->transaction_id == paid->transaction_id);
    CHECK(client.QueryOrderByOutTradeNo("SBXORDER0001")->trade_state == "REFUND");

    auto again = client.CreateRefund(RefundRequest("SBXORDER0001", "SBXREFUND01", 1));
    REQUIRE(again.ok());
    CHECK(again->refund_id == refund->refund_id);

    auto other_amount =
        ServiceError(client.CreateRefund(RefundRequest("SBXORDER0001", "SBXREFUND01", 2)), 400,
                     "INVALID_REQUEST");
    CHECK(other_amount.service_message.find("out_refund_no") != std::string::npos);
    ServiceError(client.CreateRefund(RefundRequest("SBXORDER0001", "SBXREFUND02", 3)), 400,
                 "INVALID_REQUEST");  // 3 > the 2 fen left
    ServiceError(client.CreateRefund(RefundRequest("SBXORDER0001", "SBXREFUND03", 1, 5)), 400,
                 "INVALID_REQUEST");  // total differs from the order's

    CreateRefundRequest by_transaction = RefundRequest("", "SBXREFUND04", 2);
    by_transaction.out_trade_no.reset();
    by_transaction.transaction_id = paid->transaction_id;
    auto rest = client.CreateRefund(by_transaction);
    INFO(rest.status().ToString());
    REQUIRE(rest.ok());
    CHECK(rest->out_trade_no == "SBXORDER0001");

    CHECK(Eventually([&] {
      auto r = client.QueryRefund("SBXREFUND01");
      return r.ok() && r->status == "SUCCESS";
    }));
    auto done = client.QueryRefund("SBXREFUND01");
    REQUIRE(done.ok());
    CHECK(done->success_time.has_value());
    CHECK(done->amount->refund == 1);
    ServiceError(client.QueryRefund("SBXNOSUCHREFUND"), 404, "RESOURCE_NOT_EXISTS");
  }
}

TEST_CASE("sandbox: reentrant prepay and its refusals") {
  SandboxFixture f;
  auto client = f.Client();
  auto first = client.NativePrepay(OrderRequest("SBXREENTRANT1"));
  REQUIRE(first.ok());

  SECTION("identical parameters give the same code_url") {
    auto second = client.NativePrepay(OrderRequest("SBXREENTRANT1"));
    REQUIRE(second.ok());
    CHECK(second->code_url == first->code_url);
  }
  SECTION("different parameters are refused, naming the reentrant mismatch") {
    auto info =
        ServiceError(client.NativePrepay(OrderRequest("SBXREENTRANT1", 4)), 400, "INVALID_REQUEST");
    CHECK(info.service_message.find("重入") != std::string::npos);
    CHECK(info.request_id.substr(info.request_id.rfind('-') + 1) == "268498688");
  }
  SECTION("close is 204 and reentrant; a closed order cannot be ordered again") {
    auto closed = client.CloseOrder("SBXREENTRANT1");
    INFO(closed.status().ToString());
    REQUIRE(closed.ok());
    CHECK(closed->meta.http_status == 204);
    REQUIRE(client.CloseOrder("SBXREENTRANT1").ok());
    CHECK(client.QueryOrderByOutTradeNo("SBXREENTRANT1")->trade_state == "CLOSED");
    ServiceError(client.NativePrepay(OrderRequest("SBXREENTRANT1")), 400, "ORDER_CLOSED");
    CHECK_FALSE(f.sandbox().Pay("SBXREENTRANT1").ok());
  }
  SECTION("a failed payment is PAYERROR and final") {
    REQUIRE(f.sandbox().Fail("SBXREENTRANT1").ok());
    CHECK(client.QueryOrderByOutTradeNo("SBXREENTRANT1")->trade_state == "PAYERROR");
    ServiceError(client.NativePrepay(OrderRequest("SBXREENTRANT1")), 400, "INVALID_REQUEST");
  }
  SECTION("the code_url expires after 2 h of WeChat time, then ordering again renews it") {
    SandboxFixture fast(0.000001);  // 2 h = 7.2 ms
    auto fast_client = fast.Client();
    auto code_url = fast.Order(fast_client, "SBXEXPIRES01");
    // Waiting longer than the scaled validity is not a timed assertion: any delay beyond it
    // gives the same outcome.
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto expired = fast.sandbox().Pay("SBXEXPIRES01");
    REQUIRE_FALSE(expired.ok());
    CHECK(expired.status().message().find("CODE_URL_EXPIRED") != std::string::npos);
    auto renewed = fast_client.NativePrepay(OrderRequest("SBXEXPIRES01"));
    REQUIRE(renewed.ok());
    CHECK(renewed->code_url != code_url);
  }
}

TEST_CASE("sandbox: documented errors reach the caller with WeChat's code and details") {
  SandboxFixture f;
  auto client = f.Client();

  SECTION("unknown orders: 404 ORDER_NOT_EXIST both ways") {
    ServiceError(client.QueryOrderByOutTradeNo("SBXNOSUCHORDER"), 404, "ORDER_NOT_EXIST");
    auto info =
        ServiceError(client.QueryOrderById("4200000000202601010000000000"), 404, "ORDER_NOT_EXIST");
    CHECK(info.request_id.substr(info.request_id.rfind('-') + 1) == "268512771");
  }
  SECTION("a currency WeChat does not take: 400 PARAM_ERROR naming /body/amount/currency") {
    auto request = OrderRequest("SBXPARAM00001");
    request.amount.currency = "USD";
    auto info = ServiceError(client.NativePrepay(request), 400, "PARAM_ERROR");
    CHECK(info.service_message.find("输入源“/body/amount/currency”") != std::string::npos);
    CHECK(info.detail == R"({"location":"body","value":"USD"})");
  }
  SECTION("an appid not bound to the merchant: APPID_MCHID_NOT_MATCH") {
    auto request = OrderRequest("SBXAPPID00001");
    request.appid = "wx0000000000000000";
    ServiceError(client.NativePrepay(request), 400, "APPID_MCHID_NOT_MATCH");
  }
  SECTION("a refund of an unpaid order: 404 RESOURCE_NOT_EXISTS") {
    f.Order(client, "SBXUNPAID0001");
    ServiceError(client.CreateRefund(RefundRequest("SBXUNPAID0001", "SBXREFUNDX1", 1)), 404,
                 "RESOURCE_NOT_EXISTS");
  }
  SECTION("closing an order WeChat never saw answers 204, as WeChat does") {
    REQUIRE(client.CloseOrder("SBXNEVERSEEN1").ok());
  }
}

TEST_CASE("sandbox: out_trade_no characters the SDK percent-encodes in the path") {
  SandboxFixture f;
  auto client = f.Client();
  std::string const no = "SBX*PIPE|01_-";
  f.Order(client, no);
  auto queried = client.QueryOrderByOutTradeNo(no);
  INFO(queried.status().ToString());
  REQUIRE(queried.ok());
  CHECK(queried->out_trade_no == no);
  REQUIRE(f.sandbox().Pay(no).ok());
  ServiceError(client.CloseOrder(no), 400, "ORDER_PAID");
}

TEST_CASE("sandbox: the service-account AppID is accepted as bound to the merchant") {
  SandboxFixture f;
  auto client = f.Client();
  auto request = OrderRequest("SBXSERVICEAPP1");
  request.appid = f.identity().service_app_id;
  REQUIRE(client.NativePrepay(request).ok());
  CHECK(client.QueryOrderByOutTradeNo("SBXSERVICEAPP1")->appid == f.identity().service_app_id);
}

}  // namespace
}  // namespace wechatpay
