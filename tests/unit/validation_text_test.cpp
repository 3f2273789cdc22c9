// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Text fields: lengths in bytes of UTF-8 as WeChat counts them ("字节数 145，大于最大值 127"),
// the minimum of 1 for every optional string that is present, merchant_goods_id's characters,
// and limit_pay's values.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "catch.hpp"
#include "support/validation_checks.hpp"

namespace wechatpay {
namespace {

using testing::CheckInvalid;
using testing::CheckOk;
using testing::kEmoji;
using testing::kHan;
using testing::Repeat;
using testing::ValidOrder;
using testing::ValidRefund;

// `bytes` bytes of text that ends in Chinese characters where it can, so that a limit is met
// with multi-byte characters: (bytes % 3) ASCII letters, then 汉 x (bytes / 3).
std::string MixedText(std::size_t bytes) {
  return std::string(bytes % 3, 'a') + Repeat(kHan, bytes / 3);
}

TEST_CASE("description: at most 127 bytes, so 42 Chinese characters pass and 43 do not") {
  auto request = ValidOrder();
  request.description = Repeat(kHan, 42);
  REQUIRE(request.description.size() == 126);
  CheckOk(Validate(request));
  request.description = Repeat(kHan, 43);
  REQUIRE(request.description.size() == 129);
  CheckInvalid(Validate(request), "description",
               "description must be at most 127 bytes of UTF-8, as WeChat counts it; a Chinese "
               "character takes 3 bytes (got 129 bytes)");
  request.description = Repeat(kHan, 42) + "a";  // 127 bytes, 43 characters
  CheckOk(Validate(request));
  request.description = Repeat(kHan, 42) + "ab";  // 128 bytes
  CheckInvalid(Validate(request), "description", "(got 128 bytes)");
  request.description = std::string(127, 'a');
  CheckOk(Validate(request));
  request.description = std::string(128, 'a');
  CheckInvalid(Validate(request), "description", "(got 128 bytes)");
  request.description = "";
  CheckInvalid(Validate(request), "description", "description must not be empty");
  request.description = "x";
  CheckOk(Validate(request));
}

// A text field of the order or the refund, how to set it, and WeChat's limit for it.
struct TextField {
  char const* name;
  std::size_t max_bytes;
  std::function<Status(std::optional<std::string> const&)> validate_with;
};

NativePrepayRequest OrderWithDetailAndScene() {
  auto order = ValidOrder();
  OrderDetail detail;
  GoodsDetail goods;
  goods.merchant_goods_id = "g1";
  goods.quantity = 1;
  goods.unit_price = 100;
  detail.goods_detail.push_back(goods);
  order.detail = detail;
  SceneInfo scene;
  scene.payer_client_ip = "14.23.150.211";
  scene.store_info = StoreInfo{};
  scene.store_info->id = "0001";
  order.scene_info = scene;
  return order;
}

CreateRefundRequest RefundWithGoods() {
  auto refund = ValidRefund();
  RefundGoodsDetail goods;
  goods.merchant_goods_id = "g1";
  goods.unit_price = 100;
  goods.refund_amount = 100;
  goods.refund_quantity = 1;
  refund.goods_detail.push_back(goods);
  return refund;
}

// Every optional text field, with the setter that puts a value (or nothing) into a valid
// request and validates it.
std::vector<TextField> OptionalTextFields() {
  auto order = [](auto set) {
    return [set](std::optional<std::string> const& value) {
      auto request = OrderWithDetailAndScene();
      set(request, value);
      return Validate(request);
    };
  };
  auto refund = [](auto set) {
    return [set](std::optional<std::string> const& value) {
      auto request = RefundWithGoods();
      set(request, value);
      return Validate(request);
    };
  };
  using Order = NativePrepayRequest;
  using Refund = CreateRefundRequest;
  using Text = std::optional<std::string>;
  return {
      {"attach", 128, order([](Order& r, Text const& v) { r.attach = v; })},
      {"goods_tag", 32, order([](Order& r, Text const& v) { r.goods_tag = v; })},
      {"detail.invoice_id", 32, order([](Order& r, Text const& v) { r.detail->invoice_id = v; })},
      {"detail.goods_detail[0].wechatpay_goods_id", 32,
       order([](Order& r, Text const& v) { r.detail->goods_detail[0].wechatpay_goods_id = v; })},
      {"detail.goods_detail[0].goods_name", 256,
       order([](Order& r, Text const& v) { r.detail->goods_detail[0].goods_name = v; })},
      {"scene_info.device_id", 32,
       order([](Order& r, Text const& v) { r.scene_info->device_id = v; })},
      {"scene_info.store_info.name", 256,
       order([](Order& r, Text const& v) { r.scene_info->store_info->name = v; })},
      {"scene_info.store_info.area_code", 32,
       order([](Order& r, Text const& v) { r.scene_info->store_info->area_code = v; })},
      {"scene_info.store_info.address", 512,
       order([](Order& r, Text const& v) { r.scene_info->store_info->address = v; })},
      {"reason", 80, refund([](Refund& r, Text const& v) { r.reason = v; })},
      {"goods_detail[0].wechatpay_goods_id", 32,
       refund([](Refund& r, Text const& v) { r.goods_detail[0].wechatpay_goods_id = v; })},
      {"goods_detail[0].goods_name", 256,
       refund([](Refund& r, Text const& v) { r.goods_detail[0].goods_name = v; })},
  };
}

TEST_CASE("Optional text: absent is fine, present must be 1 to the limit in bytes") {
  for (auto const& field : OptionalTextFields()) {
    INFO(field.name);
    CheckOk(field.validate_with(std::nullopt));
    CheckOk(field.validate_with(std::string("x")));
    CheckInvalid(field.validate_with(std::string()), field.name,
                 std::string(field.name) + " must not be empty");
    // The limit met with Chinese characters, then one byte over it.
    CheckOk(field.validate_with(MixedText(field.max_bytes)));
    CheckInvalid(field.validate_with(MixedText(field.max_bytes) + "a"), field.name,
                 std::string(field.name) + " must be at most " + std::to_string(field.max_bytes) +
                     " bytes of UTF-8");
    CheckInvalid(field.validate_with(MixedText(field.max_bytes) + "a"), field.name,
                 "(got " + std::to_string(field.max_bytes + 1) + " bytes)");
    CheckInvalid(field.validate_with("x" + kEmoji), field.name, "4-byte");
    CheckInvalid(field.validate_with(std::string("x\xFF")), field.name, "valid UTF-8");
  }
}

TEST_CASE("Required text of a store: scene_info.store_info.id 1-32 bytes") {
  auto request = OrderWithDetailAndScene();
  request.scene_info->store_info->id = "";
  CheckInvalid(Validate(request), "scene_info.store_info.id",
               "scene_info.store_info.id must not be empty");
  request.scene_info->store_info->id = MixedText(32);
  CheckOk(Validate(request));
  request.scene_info->store_info->id = MixedText(32) + "a";
  CheckInvalid(Validate(request), "scene_info.store_info.id", "(got 33 bytes)");
}

TEST_CASE("merchant_goods_id: 1-32 characters of [0-9A-Za-z_-], in an order and a refund") {
  auto order = OrderWithDetailAndScene();
  auto refund = RefundWithGoods();
  auto check = [&](std::string const& id) {
    order.detail->goods_detail[0].merchant_goods_id = id;
    refund.goods_detail[0].merchant_goods_id = id;
  };
  for (std::string good : {std::string("1"), std::string("goods-1_A"), std::string(32, 'G')}) {
    INFO(good);
    check(good);
    CheckOk(Validate(order));
    CheckOk(Validate(refund));
  }
  struct Bad {
    std::string id;
    char const* reason;
  };
  for (auto const& bad :
       {Bad{"", "(got 0)"}, Bad{std::string(33, 'G'), "(got 33)"},
        Bad{"商品编码", "invalid character at index 0"}, Bad{"a b", "invalid character at index 1"},
        Bad{"g|1", "invalid character at index 1"}, Bad{"g*1", "invalid character at index 1"}}) {
    INFO(bad.id);
    check(bad.id);
    CheckInvalid(Validate(order), "detail.goods_detail[0].merchant_goods_id",
                 "detail.goods_detail[0].merchant_goods_id must be 1-32 characters of "
                 "[0-9A-Za-z_-]");
    CheckInvalid(Validate(order), "detail.goods_detail[0].merchant_goods_id", bad.reason);
    CheckInvalid(Validate(refund), "goods_detail[0].merchant_goods_id", bad.reason);
  }
}

TEST_CASE("limit_pay: each item one of the four documented values") {
  auto request = ValidOrder();
  request.limit_pay = {"no_balance", "no_credit", "no_debit", "balance_only"};
  CheckOk(Validate(request));
  request.limit_pay = {};
  CheckOk(Validate(request));
  for (std::string bad : {"", "NO_CREDIT", "no_credit ", "no_cash"}) {
    INFO(bad);
    request.limit_pay = {"no_credit", bad};
    CheckInvalid(Validate(request), "limit_pay[1]",
                 "limit_pay[1] must be no_balance, no_credit, no_debit or balance_only");
  }
}

}  // namespace
}  // namespace wechatpay
