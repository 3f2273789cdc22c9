// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The sandbox checks the fields it shares with the SDK's rules the same way: lengths in bytes,
// present strings non-empty, 32-bit integers, refund amount.from, existing-order numbers of any
// length from 1, and a refund naming both transaction_id and out_trade_no. Bodies the SDK would
// refuse are sent raw, signed.

#include <cstdint>
#include <string>

#include "catch.hpp"
#include "support/sandbox_fixture.hpp"

namespace wechatpay {
namespace {

using testing::SandboxFixture;
using testing::SignedRequest;

std::string Repeat(std::string const& unit, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += unit;
  return out;
}

// A prepay body with `members` (each ending in a comma) and the given total.
std::string PrepayBody(SandboxFixture const& f, std::string const& out_trade_no,
                       std::string const& members, std::string const& total = "1") {
  return R"({"appid":")" + f.identity().app_id + R"(","mchid":")" + f.identity().merchant_id +
         R"(","out_trade_no":")" + out_trade_no +
         R"(","notify_url":"https://merchant.example.com/notify",)" + members +
         R"("amount":{"total":)" + total + "}}";
}

testing::RawResponse Prepay(SandboxFixture const& f, std::string const& body) {
  return SignedRequest(f, "POST", "/v3/pay/transactions/native", body);
}

void CheckParamError(testing::RawResponse const& response, std::string const& field,
                     std::string const& part) {
  INFO(response.body << response.error);
  CHECK(response.status == 400);
  CHECK(response.body.find(R"("code":"PARAM_ERROR")") != std::string::npos);
  // WeChat names the field in the message: 输入源“/body/amount/total”映射到...
  CHECK(response.body.find("输入源“/body" + field + "”") != std::string::npos);
  CHECK(response.body.find(part) != std::string::npos);
}

TEST_CASE("sandbox: description is counted in bytes, 42 Chinese characters pass and 43 not") {
  SandboxFixture f;
  auto ok =
      Prepay(f, PrepayBody(f, "SBXBYTES0001", R"("description":")" + Repeat("汉", 42) + R"(",)"));
  INFO(ok.body);
  CHECK(ok.status == 200);
  CheckParamError(
      Prepay(f, PrepayBody(f, "SBXBYTES0002", R"("description":")" + Repeat("汉", 43) + R"(",)")),
      "/description", "字节数 129，大于最大值 127");
}

TEST_CASE("sandbox: present optional strings must not be empty, and are limited in bytes") {
  SandboxFixture f;
  CheckParamError(Prepay(f, PrepayBody(f, "SBXEMPTY0001", R"("description":"d","attach":"",)")),
                  "/attach", "字节数 0，小于最小值 1");
  CheckParamError(
      Prepay(f, PrepayBody(f, "SBXEMPTY0002",
                           R"("description":"d","detail":{"goods_detail":[{"merchant_goods_id":)"
                           R"("g1","goods_name":"","quantity":1,"unit_price":1}]},)")),
      "/detail/goods_detail/0/goods_name", "字节数 0，小于最小值 1");
  CheckParamError(
      Prepay(f, PrepayBody(f, "SBXLONG00001",
                           R"("description":"d","scene_info":{"payer_client_ip":"1.2.3.4",)"
                           R"("store_info":{"id":"1","address":")" +
                               Repeat("汉", 171) + R"("}},)")),
      "/scene_info/store_info/address", "字节数 513，大于最大值 512");
}

TEST_CASE("sandbox: integers are 32-bit, 2^31 - 1 passes and 2^31 does not") {
  SandboxFixture f;
  auto ok = Prepay(f, PrepayBody(f, "SBXINT000001", R"("description":"d",)", "2147483647"));
  INFO(ok.body);
  CHECK(ok.status == 200);
  CheckParamError(Prepay(f, PrepayBody(f, "SBXINT000002", R"("description":"d",)", "2147483648")),
                  "/amount/total", "must be 1 to 2147483647");
}

TEST_CASE("sandbox: query and close take a 1-character out_trade_no") {
  SandboxFixture f;
  auto client = f.Client();
  auto queried = client.QueryOrderByOutTradeNo("1");
  REQUIRE_FALSE(queried.ok());
  CHECK(queried.status().info().service_code == "ORDER_NOT_EXIST");
  CHECK(client.CloseOrder("12345").ok());
}

TEST_CASE("sandbox: a refund may name both ids; amount.from must add up, each account once") {
  SandboxFixture f;
  auto client = f.Client();
  f.Order(client, "SBXBOTHIDS01", 100);
  REQUIRE(f.sandbox().Pay("SBXBOTHIDS01").ok());
  auto paid = client.QueryOrderByOutTradeNo("SBXBOTHIDS01");
  REQUIRE(paid.ok());
  REQUIRE(paid->transaction_id);

  CreateRefundRequest refund;
  refund.transaction_id = *paid->transaction_id;
  refund.out_trade_no = "SBXBOTHIDS01";
  refund.out_refund_no = "SBXBOTHR1";
  refund.amount.refund = 30;
  refund.amount.total = 100;
  refund.amount.from = {FundsFromItem{"AVAILABLE", 20}, FundsFromItem{"UNAVAILABLE", 10}};
  auto refunded = client.CreateRefund(refund);
  INFO(refunded.status().ToString());
  REQUIRE(refunded.ok());
  CHECK(refunded->out_trade_no == "SBXBOTHIDS01");

  auto raw_refund = [&](std::string const& from) {
    return SignedRequest(f, "POST", "/v3/refund/domestic/refunds",
                         R"({"out_trade_no":"SBXBOTHIDS01","out_refund_no":"SBXBOTHR2",)"
                         R"("amount":{"refund":30,"total":100,"currency":"CNY","from":)" +
                             from + "}}");
  };
  CheckParamError(raw_refund(R"([{"account":"AVAILABLE","amount":20},)"
                             R"({"account":"UNAVAILABLE","amount":5}])"),
                  "/amount/from", "出资金额之和等于退款金额");
  CheckParamError(raw_refund(R"([{"account":"AVAILABLE","amount":15},)"
                             R"({"account":"AVAILABLE","amount":15}])"),
                  "/amount/from/1/account", "账户类型不能重复");
}

}  // namespace
}  // namespace wechatpay
