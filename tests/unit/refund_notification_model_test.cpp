// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The members of a refund notification beyond WeChat's table that the official Java SDK's
// RefundNotification model carries: read when present, type-checked, unset when absent.

#include <string>

#include "catch.hpp"
#include "notify/notification_codec.hpp"
#include "support/test_merchant.hpp"

namespace wechatpay {
namespace {

// A REFUND.SUCCESS resource with every member the Java model has.
constexpr char kFullRefundResource[] =
    R"({"mchid":"1900007291","out_trade_no":"1217752501201407033233368018",)"
    R"("transaction_id":"1217752501201407033233368018","out_refund_no":"R1",)"
    R"("refund_id":"50000000382019052709732678859","refund_status":"SUCCESS",)"
    R"("success_time":"2020-12-01T16:19:12+08:00","create_time":"2020-12-01T16:18:12+08:00",)"
    R"("user_received_account":"招商银行信用卡0403","channel":"ORIGINAL",)"
    R"("funds_account":"UNSETTLED",)"
    R"("amount":{"total":100,"refund":60,"payer_total":90,"payer_refund":50,)"
    R"("from":[{"account":"AVAILABLE","amount":40},{"account":"UNAVAILABLE","amount":20}],)"
    R"("settlement_refund":55,"settlement_total":95,"discount_refund":10,"currency":"CNY",)"
    R"("refund_fee":1},)"
    R"("promotion_detail":[{"promotion_id":"109519","scope":"SINGLE","type":"DISCOUNT",)"
    R"("amount":10,"refund_amount":10,"goods_detail":[{"merchant_goods_id":"g1",)"
    R"("wechatpay_goods_id":"1001","goods_name":"iPhone6s 16G","unit_price":100,)"
    R"("refund_amount":60,"refund_quantity":1}]}]})";

TEST_CASE("ParseRefundNotification reads the Java model's extra members") {
  auto parsed = internal::ParseRefundNotification(kFullRefundResource);
  INFO(parsed.status().message());
  REQUIRE(parsed.ok());
  auto const& n = *parsed;
  CHECK(n.create_time == "2020-12-01T16:18:12+08:00");
  CHECK(n.channel == "ORIGINAL");
  CHECK(n.funds_account == "UNSETTLED");
  CHECK(n.amount.total == 100);
  CHECK(n.amount.refund == 60);
  REQUIRE(n.amount.from.size() == 2);
  CHECK(n.amount.from[0].account == "AVAILABLE");
  CHECK(n.amount.from[0].amount == 40);
  CHECK(n.amount.from[1].account == "UNAVAILABLE");
  CHECK(n.amount.from[1].amount == 20);
  CHECK(n.amount.settlement_refund == 55);
  CHECK(n.amount.settlement_total == 95);
  CHECK(n.amount.discount_refund == 10);
  CHECK(n.amount.currency == "CNY");
  CHECK(n.amount.refund_fee == 1);
  REQUIRE(n.promotion_detail.size() == 1);
  auto const& promotion = n.promotion_detail[0];
  CHECK(promotion.promotion_id == "109519");
  CHECK(promotion.scope == "SINGLE");
  CHECK(promotion.type == "DISCOUNT");
  CHECK(promotion.amount == 10);
  CHECK(promotion.refund_amount == 10);
  REQUIRE(promotion.goods_detail.size() == 1);
  CHECK(promotion.goods_detail[0].merchant_goods_id == "g1");
  CHECK(promotion.goods_detail[0].wechatpay_goods_id == "1001");
  CHECK(promotion.goods_detail[0].goods_name == "iPhone6s 16G");
  CHECK(promotion.goods_detail[0].unit_price == 100);
  CHECK(promotion.goods_detail[0].refund_amount == 60);
  CHECK(promotion.goods_detail[0].refund_quantity == 1);
  CHECK(n.raw_json == kFullRefundResource);
}

TEST_CASE("ParseRefundNotification leaves the extra members unset when absent") {
  auto parsed =
      internal::ParseRefundNotification(testing::RefundPlaintext("SUCCESS", "R1", 30, 100));
  REQUIRE(parsed.ok());
  CHECK_FALSE(parsed->create_time);
  CHECK_FALSE(parsed->channel);
  CHECK_FALSE(parsed->funds_account);
  CHECK(parsed->promotion_detail.empty());
  CHECK(parsed->amount.from.empty());
  CHECK_FALSE(parsed->amount.settlement_refund);
  CHECK_FALSE(parsed->amount.settlement_total);
  CHECK_FALSE(parsed->amount.discount_refund);
  CHECK_FALSE(parsed->amount.currency);
  CHECK_FALSE(parsed->amount.refund_fee);
}

TEST_CASE("ParseRefundNotification type-checks the extra members, naming the path") {
  struct Case {
    char const* from;
    char const* to;
    char const* field;
  };
  for (auto c : {
           Case{R"("channel":"ORIGINAL")", R"("channel":1)", "plaintext.channel"},
           Case{R"("refund_fee":1)", R"("refund_fee":"1")", "plaintext.amount.refund_fee"},
           Case{R"({"account":"AVAILABLE","amount":40})", R"({"account":"AVAILABLE","amount":4.5})",
                "plaintext.amount.from[0].amount"},
           Case{R"({"account":"UNAVAILABLE","amount":20})", R"(7)", "plaintext.amount.from[1]"},
           Case{R"("unit_price":100)", R"("unit_price":true)",
                "plaintext.promotion_detail[0].goods_detail[0].unit_price"},
       }) {
    INFO(c.to);
    std::string text = kFullRefundResource;
    auto at = text.find(c.from);
    REQUIRE(at != std::string::npos);
    text.replace(at, std::string(c.from).size(), c.to);
    auto parsed = internal::ParseRefundNotification(text);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status().code() == StatusCode::kMalformedResponse);
    CHECK(parsed.status().info().field == c.field);
  }
  std::string text = kFullRefundResource;
  auto at = text.find(R"("promotion_detail":[)");
  text.replace(at, 20, R"("promotion_detail":{"x":[)");
  text.replace(text.rfind("]}"), 2, "]}}");
  auto parsed = internal::ParseRefundNotification(text);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.status().info().field == "plaintext.promotion_detail");
}

}  // namespace
}  // namespace wechatpay
