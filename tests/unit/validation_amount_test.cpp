// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Integers: every amount, price and quantity WeChat receives is a 32-bit signed integer, so
// 2^31 - 1 passes and 2^31 is refused; and a refund's amount.from shares (each account once,
// summing to the refund).

#include <cstdint>
#include <functional>
#include <vector>

#include "catch.hpp"
#include "support/validation_checks.hpp"

namespace wechatpay {
namespace {

using testing::CheckInvalid;
using testing::CheckOk;
using testing::kInt32Max;
using testing::ValidOrder;
using testing::ValidRefund;

// An integer field, how to set it in an otherwise valid request, and its minimum.
struct IntegerField {
  char const* name;
  std::int64_t min;
  std::function<Status(std::int64_t)> validate_with;
};

std::vector<IntegerField> IntegerFields() {
  auto order = [](auto set) {
    return [set](std::int64_t value) {
      auto request = ValidOrder();
      request.detail = OrderDetail{};
      request.detail->goods_detail.push_back(GoodsDetail{"g1", {}, {}, 1, 100});
      set(request, value);
      return Validate(request);
    };
  };
  auto refund = [](auto set) {
    return [set](std::int64_t value) {
      auto request = ValidRefund();
      request.goods_detail.push_back(RefundGoodsDetail{"g1", {}, {}, 100, 100, 1});
      set(request, value);
      return Validate(request);
    };
  };
  using Order = NativePrepayRequest;
  using Refund = CreateRefundRequest;
  return {
      {"amount.total", 1, order([](Order& r, std::int64_t v) { r.amount.total = v; })},
      {"detail.cost_price", 0, order([](Order& r, std::int64_t v) { r.detail->cost_price = v; })},
      {"detail.goods_detail[0].quantity", 1,
       order([](Order& r, std::int64_t v) { r.detail->goods_detail[0].quantity = v; })},
      {"detail.goods_detail[0].unit_price", 0,
       order([](Order& r, std::int64_t v) { r.detail->goods_detail[0].unit_price = v; })},
      // The refund's total, with the refund equal to it so that refund <= total holds.
      {"amount.total", 1, refund([](Refund& r, std::int64_t v) {
         r.amount.total = v;
         r.amount.refund = v < 1 || v > kInt32Max ? 1 : v;
       })},
      // The refund itself, against a total at the top of the range.
      {"amount.refund", 1, refund([](Refund& r, std::int64_t v) {
         r.amount.total = kInt32Max;
         r.amount.refund = v;
       })},
      // One account paying the whole refund.
      {"amount.from[0].amount", 1, refund([](Refund& r, std::int64_t v) {
         r.amount.total = kInt32Max;
         r.amount.refund = v < 1 || v > kInt32Max ? 1 : v;
         r.amount.from = {FundsFromItem{"AVAILABLE", v}};
       })},
      {"goods_detail[0].unit_price", 0,
       refund([](Refund& r, std::int64_t v) { r.goods_detail[0].unit_price = v; })},
      {"goods_detail[0].refund_amount", 0,
       refund([](Refund& r, std::int64_t v) { r.goods_detail[0].refund_amount = v; })},
      {"goods_detail[0].refund_quantity", 1,
       refund([](Refund& r, std::int64_t v) { r.goods_detail[0].refund_quantity = v; })},
  };
}

TEST_CASE("Every integer: the minimum and 2^31 - 1 pass, one below and 2^31 are refused") {
  REQUIRE(kMaxWireInteger == kInt32Max);
  for (auto const& field : IntegerFields()) {
    INFO(field.name);
    CheckOk(field.validate_with(field.min));
    CheckOk(field.validate_with(kInt32Max));
    CheckInvalid(field.validate_with(kInt32Max + 1), field.name,
                 std::string(field.name) + " must be at most 2147483647");
    CheckInvalid(field.validate_with(kInt32Max + 1), field.name, "(got 2147483648)");
    CheckInvalid(field.validate_with(INT64_MAX), field.name, "32-bit");
    CheckInvalid(field.validate_with(field.min - 1), field.name,
                 std::string(field.name) + " must be at least " + std::to_string(field.min));
    CheckInvalid(field.validate_with(INT64_MIN), field.name, "must be at least");
  }
}

TEST_CASE("amount.from: each account at most once, the shares summing to the refund") {
  auto request = ValidRefund();  // refund 100 of 100
  request.amount.from = {FundsFromItem{"AVAILABLE", 60}, FundsFromItem{"UNAVAILABLE", 40}};
  CheckOk(Validate(request));
  request.amount.from = {FundsFromItem{"UNAVAILABLE", 100}};
  CheckOk(Validate(request));

  request.amount.from = {FundsFromItem{"AVAILABLE", 60}, FundsFromItem{"UNAVAILABLE", 39}};
  CheckInvalid(Validate(request), "amount.from",
               "the amount.from shares must sum to amount.refund (100; got 99)");
  request.amount.from = {FundsFromItem{"AVAILABLE", 60}, FundsFromItem{"UNAVAILABLE", 41}};
  CheckInvalid(Validate(request), "amount.from", "(100; got 101)");
  request.amount.from = {FundsFromItem{"AVAILABLE", 50}};
  CheckInvalid(Validate(request), "amount.from", "(100; got 50)");

  request.amount.from = {FundsFromItem{"AVAILABLE", 50}, FundsFromItem{"AVAILABLE", 50}};
  CheckInvalid(Validate(request), "amount.from[1].account",
               "amount.from[1].account repeats amount.from[0].account (AVAILABLE): each account "
               "at most once");
}

}  // namespace
}  // namespace wechatpay
