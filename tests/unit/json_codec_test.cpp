// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include <cstdint>
#include <string>
#include <vector>

#include "catch.hpp"
#include "json/json_codec.hpp"
#include "json/time_expire.hpp"
#include "wechatpay/models.hpp"

namespace wechatpay::internal {
namespace {

bool Contains(std::string const& text, std::string const& part) {
  return text.find(part) != std::string::npos;
}

// Checks that parsing failed as kMalformedResponse with a message naming `part` (a JSON path).
template <typename T>
void CheckMalformed(StatusOr<T> const& result, std::string const& part) {
  REQUIRE_FALSE(result.ok());
  INFO(result.status().message());
  CHECK(result.status().code() == StatusCode::kMalformedResponse);
  CHECK(Contains(result.status().message(), part));
}

PrepayInjection ConfigInjection() {
  PrepayInjection injection;
  injection.appid = "wxconfigured0000";
  injection.mchid = "1230000109";
  injection.notify_url = "https://config.example.com/notify";
  return injection;
}

NativePrepayRequest MinimalPrepay() {
  NativePrepayRequest request;
  request.description = "Test";
  request.out_trade_no = "order_001";
  request.amount.total = 1;
  return request;
}

// Every optional field set (the official Native prepay example's values).
NativePrepayRequest FullPrepay() {
  NativePrepayRequest request;
  request.appid = "wxd678efh567hg6787";
  request.description = "Image形象店-深圳腾大-QQ公仔";
  request.out_trade_no = "1217752501201407033233368018";
  request.time_expire = "2018-06-08T10:34:56+08:00";
  request.attach = "自定义数据说明";
  request.notify_url = "https://www.weixin.qq.com/wxpay/pay.php";
  request.goods_tag = "WXG";
  request.limit_pay = {"no_credit", "no_balance"};
  request.support_fapiao = false;
  request.amount.total = 100;
  request.amount.currency = "CNY";
  OrderDetail detail;
  detail.cost_price = 608800;
  detail.invoice_id = "微信123";
  GoodsDetail goods;
  goods.merchant_goods_id = "1246464644";
  goods.wechatpay_goods_id = "1001";
  goods.goods_name = "iPhoneX 256G";
  goods.quantity = 1;
  goods.unit_price = 528800;
  detail.goods_detail.push_back(goods);
  request.detail = detail;
  SceneInfo scene;
  scene.payer_client_ip = "14.23.150.211";
  scene.device_id = "013467007045764";
  StoreInfo store;
  store.id = "0001";
  store.name = "腾讯大厦分店";
  store.area_code = "440305";
  store.address = "广东省深圳市南山区科技中一道10000号";
  scene.store_info = store;
  request.scene_info = scene;
  request.settle_info = SettleInfo{false};
  request.use_service_account = true;
  return request;
}

std::string const kFullPrepayTail =
    R"("description":"Image形象店-深圳腾大-QQ公仔","out_trade_no":"1217752501201407033233368018",)"
    R"("time_expire":"2018-06-08T10:34:56+08:00","attach":"自定义数据说明",)"
    R"("notify_url":"https://www.weixin.qq.com/wxpay/pay.php","goods_tag":"WXG",)"
    R"("limit_pay":["no_credit","no_balance"],)"
    R"("support_fapiao":false,"amount":{"total":100,"currency":"CNY"},)"
    R"("detail":{"cost_price":608800,"invoice_id":"微信123","goods_detail":[{)"
    R"("merchant_goods_id":"1246464644","wechatpay_goods_id":"1001","goods_name":"iPhoneX 256G",)"
    R"("quantity":1,"unit_price":528800}]},)"
    R"("scene_info":{"payer_client_ip":"14.23.150.211","device_id":"013467007045764",)"
    R"("store_info":{"id":"0001","name":"腾讯大厦分店","area_code":"440305",)"
    R"("address":"广东省深圳市南山区科技中一道10000号"}},)"
    R"("settle_info":{"profit_sharing":false}})";

TEST_CASE("NativePrepayToJson writes a minimal order with the injected members") {
  CHECK(NativePrepayToJson(MinimalPrepay(), ConfigInjection()) ==
        R"({"appid":"wxconfigured0000","mchid":"1230000109","description":"Test",)"
        R"("out_trade_no":"order_001","notify_url":"https://config.example.com/notify",)"
        R"("amount":{"total":1}})");
}

TEST_CASE("NativePrepayToJson leaves out empty injected members and never writes null") {
  auto json = NativePrepayToJson(MinimalPrepay(), PrepayInjection{});
  CHECK(json == R"({"description":"Test","out_trade_no":"order_001","amount":{"total":1}})");
  CHECK_FALSE(Contains(json, "null"));
}

TEST_CASE("NativePrepayToJson writes every optional field in the documented order") {
  // request.appid and request.notify_url override the configured ones; useServiceAccount is
  // not written for the direct backend even though the request asks for it.
  CHECK(NativePrepayToJson(FullPrepay(), ConfigInjection()) ==
        R"({"appid":"wxd678efh567hg6787","mchid":"1230000109",)" + kFullPrepayTail);
}

TEST_CASE("NativePrepayToJson writes the gateway members first") {
  auto injection = ConfigInjection();
  injection.action = "wxpay_order_native";
  injection.write_use_service_account = true;
  CHECK(NativePrepayToJson(FullPrepay(), injection) ==
        R"({"_action":"wxpay_order_native","useServiceAccount":true,)"
        R"("appid":"wxd678efh567hg6787","mchid":"1230000109",)" +
            kFullPrepayTail);

  SECTION("useServiceAccount only when the request asks for it") {
    auto request = MinimalPrepay();
    PrepayInjection gateway;
    gateway.action = "wxpay_order_native";
    gateway.write_use_service_account = true;
    CHECK(NativePrepayToJson(request, gateway) ==
          R"({"_action":"wxpay_order_native","description":"Test","out_trade_no":"order_001",)"
          R"("amount":{"total":1}})");
    request.use_service_account = true;
    CHECK(NativePrepayToJson(request, gateway) ==
          R"({"_action":"wxpay_order_native","useServiceAccount":true,"description":"Test",)"
          R"("out_trade_no":"order_001","amount":{"total":1}})");
  }
}

TEST_CASE("NativePrepayToJson: request overrides win, empty overrides fall back") {
  auto request = MinimalPrepay();
  request.appid = "wxoverride";
  request.notify_url = "https://override.example.com/cb";
  CHECK(NativePrepayToJson(request, ConfigInjection()) ==
        R"({"appid":"wxoverride","mchid":"1230000109","description":"Test",)"
        R"("out_trade_no":"order_001","notify_url":"https://override.example.com/cb",)"
        R"("amount":{"total":1}})");
  request.appid = "";
  request.notify_url = "";
  CHECK(NativePrepayToJson(request, ConfigInjection()) ==
        NativePrepayToJson(MinimalPrepay(), ConfigInjection()));
}

TEST_CASE("NativePrepayToJson: empty optional containers are written as objects, not null") {
  auto request = MinimalPrepay();
  request.detail = OrderDetail{};
  request.settle_info = SettleInfo{};
  CHECK(NativePrepayToJson(request, PrepayInjection{}) ==
        R"({"description":"Test","out_trade_no":"order_001","amount":{"total":1},)"
        R"("detail":{},"settle_info":{}})");
}

TEST_CASE("NativePrepayToJson cuts fractional seconds off time_expire and keeps Z and offsets") {
  auto written = [](std::string time_expire) {
    auto request = MinimalPrepay();
    request.time_expire = std::move(time_expire);
    return NativePrepayToJson(request, PrepayInjection{});
  };
  CHECK(Contains(written("2018-06-08T10:34:56.789+08:00"),
                 R"("time_expire":"2018-06-08T10:34:56+08:00")"));
  CHECK(Contains(written("2018-06-08T02:34:56.999999999Z"),
                 R"("time_expire":"2018-06-08T02:34:56Z")"));
  CHECK(Contains(written("2018-06-08T02:34:56Z"), R"("time_expire":"2018-06-08T02:34:56Z")"));
  CHECK(Contains(written("2018-06-08T10:34:56-05:30"),
                 R"("time_expire":"2018-06-08T10:34:56-05:30")"));
}

TEST_CASE("TimeExpireOnWire removes only a fraction right after the seconds") {
  CHECK(TimeExpireOnWire("2018-06-08T10:34:56.5+08:00") == "2018-06-08T10:34:56+08:00");
  CHECK(TimeExpireOnWire("2018-06-08T10:34:56.123456Z") == "2018-06-08T10:34:56Z");
  CHECK(TimeExpireOnWire("2018-06-08T10:34:56+08:00") == "2018-06-08T10:34:56+08:00");
  CHECK(TimeExpireOnWire("2018-06-08T10:34:56.") == "2018-06-08T10:34:56");
  CHECK(TimeExpireOnWire("2018-06-08T10:34:56.x") == "2018-06-08T10:34:56x");
  CHECK(TimeExpireOnWire("2018-06-08T10:34:56") == "2018-06-08T10:34:56");
  CHECK(TimeExpireOnWire("short.5") == "short.5");
  CHECK(TimeExpireOnWire("") == "");
}

TEST_CASE("NativePrepayToJson leaves out an empty limit_pay") {
  auto request = MinimalPrepay();
  request.limit_pay = {};
  CHECK_FALSE(Contains(NativePrepayToJson(request, PrepayInjection{}), "limit_pay"));
  request.limit_pay = {"balance_only"};
  CHECK(NativePrepayToJson(request, PrepayInjection{}) ==
        R"({"description":"Test","out_trade_no":"order_001","limit_pay":["balance_only"],)"
        R"("amount":{"total":1}})");
}

TEST_CASE("The JSON writer keeps UTF-8 and '/' raw and escapes what JSON requires") {
  auto request = MinimalPrepay();
  request.description = std::string("a\"b\\c\nd\te\x01/f 深圳 ") + '\0' + "g";
  CHECK(NativePrepayToJson(request, PrepayInjection{}) ==
        R"({"description":"a\"b\\c\nd\te\u0001/f 深圳 \u0000g","out_trade_no":"order_001",)"
        R"("amount":{"total":1}})");
}

TEST_CASE("CreateRefundToJson writes a minimal refund") {
  CreateRefundRequest request;
  request.out_trade_no = "1217752501201407033233368018";
  request.out_refund_no = "R1";
  request.amount.refund = 1;
  request.amount.total = 100;
  CHECK(CreateRefundToJson(request) ==
        R"({"out_trade_no":"1217752501201407033233368018","out_refund_no":"R1",)"
        R"("amount":{"refund":1,"total":100,"currency":"CNY"}})");
  CHECK(CreateRefundToJson(request, "wxpay_refund") ==
        R"({"_action":"wxpay_refund","out_trade_no":"1217752501201407033233368018",)"
        R"("out_refund_no":"R1","amount":{"refund":1,"total":100,"currency":"CNY"}})");
}

TEST_CASE("CreateRefundToJson writes every optional field in the documented order") {
  CreateRefundRequest request;
  request.transaction_id = "1217752501201407033233368018";
  request.out_refund_no = "1217752501201407033233368018";
  request.reason = "商品已售完";
  request.notify_url = "https://weixin.qq.com/refund/notify";
  request.funds_account = "AVAILABLE";
  request.amount.refund = 888;
  request.amount.total = 888;
  request.amount.currency = "CNY";
  request.amount.from.push_back(FundsFromItem{"AVAILABLE", 444});
  request.amount.from.push_back(FundsFromItem{"UNAVAILABLE", 444});
  RefundGoodsDetail goods;
  goods.merchant_goods_id = "1217752501201407033233368018";
  goods.wechatpay_goods_id = "1001";
  goods.goods_name = "iPhone6s 16G";
  goods.unit_price = 528800;
  goods.refund_amount = 528800;
  goods.refund_quantity = 1;
  request.goods_detail.push_back(goods);
  CHECK(CreateRefundToJson(request) ==
        R"({"transaction_id":"1217752501201407033233368018",)"
        R"("out_refund_no":"1217752501201407033233368018","reason":"商品已售完",)"
        R"("notify_url":"https://weixin.qq.com/refund/notify","funds_account":"AVAILABLE",)"
        R"("amount":{"refund":888,"from":[{"account":"AVAILABLE","amount":444},)"
        R"({"account":"UNAVAILABLE","amount":444}],"total":888,"currency":"CNY"},)"
        R"("goods_detail":[{"merchant_goods_id":"1217752501201407033233368018",)"
        R"("wechatpay_goods_id":"1001","goods_name":"iPhone6s 16G","unit_price":528800,)"
        R"("refund_amount":528800,"refund_quantity":1}]})");
}

TEST_CASE("StringObjectToJson writes flat objects and escapes") {
  CHECK(StringObjectToJson({{"mchid", "1230000109"}}) == R"({"mchid":"1230000109"})");
  CHECK(StringObjectToJson({}) == "{}");
  CHECK(StringObjectToJson({{"a", "x\"y"}, {"b\\", "中/文\n"}, {"c", std::string_view()}}) ==
        R"({"a":"x\"y","b\\":"中/文\n","c":""})");
}

TEST_CASE("ParseNativePrepayResponse keeps code_url byte for byte") {
  auto parsed = ParseNativePrepayResponse(
      R"({"code_url":"weixin://wxpay/bizpayurl/up?pr=NwY5Mz9&groupid=00"})");
  REQUIRE(parsed.ok());
  CHECK(parsed->code_url == "weixin://wxpay/bizpayurl/up?pr=NwY5Mz9&groupid=00");
  CHECK(parsed->meta.http_status == 0);

  auto spaced = ParseNativePrepayResponse("\n {\"code_url\":\" weixin://x \",\"extra\":1} \n");
  REQUIRE(spaced.ok());
  CHECK(spaced->code_url == " weixin://x ");

  CheckMalformed(ParseNativePrepayResponse(R"({"prepay_id":"x"})"), "/code_url is missing");
  CheckMalformed(ParseNativePrepayResponse(R"({"code_url":""})"), "/code_url must not be empty");
  CheckMalformed(ParseNativePrepayResponse(R"({"code_url":7})"), "/code_url must be a string");
  CheckMalformed(ParseNativePrepayResponse(R"(["weixin://x"])"), "not an object");
  CheckMalformed(ParseNativePrepayResponse(""), "not valid JSON");
}

std::string const kFullTransaction = R"({
  "appid": "wxd678efh567hg6787",
  "mchid": "1230000109",
  "out_trade_no": "1217752501201407033233368018",
  "transaction_id": "1217752501201407033233368018",
  "trade_type": "NATIVE",
  "trade_state": "SUCCESS",
  "trade_state_desc": "支付成功",
  "bank_type": "CMC",
  "attach": "自定义数据",
  "success_time": "2018-06-08T10:34:56+08:00",
  "payer": {"openid": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "unknown": true},
  "amount": {"total": 100, "payer_total": 90, "currency": "CNY", "payer_currency": "CNY"},
  "scene_info": {"device_id": "013467007045764"},
  "promotion_detail": [{
    "coupon_id": "109519", "name": "单品惠-6", "scope": "SINGLE", "type": "CASH", "amount": 10,
    "stock_id": "931386", "wechatpay_contribute": 0, "merchant_contribute": 10,
    "other_contribute": 0, "currency": "CNY",
    "goods_detail": [
      {"goods_id": "M1006", "quantity": 1, "unit_price": 100, "discount_amount": 10,
       "goods_remark": "商品备注信息"},
      {"goods_id": "M1007"}
    ]
  }],
  "a_future_member": {"nested": [1, 2.5, "x", null, {"deep": [[]]}]},
  "another": null
})";

TEST_CASE("ParseTransaction maps every documented field") {
  auto parsed = ParseTransaction("\n  " + kFullTransaction + "\n\n");
  REQUIRE(parsed.ok());
  auto const& t = *parsed;
  CHECK(t.appid == "wxd678efh567hg6787");
  CHECK(t.mchid == "1230000109");
  CHECK(t.out_trade_no == "1217752501201407033233368018");
  CHECK(t.transaction_id == "1217752501201407033233368018");
  CHECK(t.trade_type == "NATIVE");
  CHECK(t.trade_state == "SUCCESS");
  CHECK(t.trade_state_desc == "支付成功");
  CHECK(t.bank_type == "CMC");
  CHECK(t.attach == "自定义数据");
  CHECK(t.success_time == "2018-06-08T10:34:56+08:00");
  REQUIRE(t.payer);
  CHECK(t.payer->openid == "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
  REQUIRE(t.amount);
  CHECK(t.amount->total == 100);
  CHECK(t.amount->payer_total == 90);
  CHECK(t.amount->currency == "CNY");
  CHECK(t.amount->payer_currency == "CNY");
  REQUIRE(t.scene_info);
  CHECK(t.scene_info->device_id == "013467007045764");
  REQUIRE(t.promotion_detail.size() == 1);
  auto const& p = t.promotion_detail[0];
  CHECK(p.coupon_id == "109519");
  CHECK(p.name == "单品惠-6");
  CHECK(p.scope == "SINGLE");
  CHECK(p.type == "CASH");
  CHECK(p.amount == 10);
  CHECK(p.stock_id == "931386");
  CHECK(p.wechatpay_contribute == 0);
  CHECK(p.merchant_contribute == 10);
  CHECK(p.other_contribute == 0);
  CHECK(p.currency == "CNY");
  REQUIRE(p.goods_detail.size() == 2);
  CHECK(p.goods_detail[0].goods_id == "M1006");
  CHECK(p.goods_detail[0].quantity == 1);
  CHECK(p.goods_detail[0].unit_price == 100);
  CHECK(p.goods_detail[0].discount_amount == 10);
  CHECK(p.goods_detail[0].goods_remark == "商品备注信息");
  CHECK(p.goods_detail[1].goods_id == "M1007");
  CHECK_FALSE(p.goods_detail[1].quantity);
  // The exact object text, surrounding whitespace trimmed, unknown members included.
  CHECK(t.raw_json == kFullTransaction);
  CHECK(t.meta.http_status == 0);
}

TEST_CASE("ParseTransaction: absent and null members stay unset") {
  auto parsed = ParseTransaction(R"({"trade_state":"NOTPAY","attach":null,"amount":{"total":1}})");
  REQUIRE(parsed.ok());
  CHECK(parsed->trade_state == "NOTPAY");
  CHECK_FALSE(parsed->attach);
  CHECK_FALSE(parsed->transaction_id);
  CHECK_FALSE(parsed->payer);
  REQUIRE(parsed->amount);
  CHECK(parsed->amount->total == 1);
  CHECK_FALSE(parsed->amount->payer_total);
  CHECK(parsed->promotion_detail.empty());
  CHECK(parsed->raw_json == R"({"trade_state":"NOTPAY","attach":null,"amount":{"total":1}})");
}

// Member lookup is a loop of its own (json_codec.cpp); it must match whole names, not prefixes
// or lengths.
TEST_CASE("ParseTransaction matches whole member names") {
  auto parsed = ParseTransaction(
      R"({"trade_statx":"X","trade_state":"SUCCESS","appid":"wxA",)"
      R"("appie":"no","mchid":"1900000109","bank_typ":"no","bank_type":"CMC","":"empty",)"
      R"("attach":null})");
  REQUIRE(parsed.ok());
  CHECK(parsed->trade_state == "SUCCESS");
  CHECK(parsed->appid == "wxA");
  CHECK(parsed->mchid == "1900000109");
  CHECK(parsed->bank_type == "CMC");
  CHECK_FALSE(parsed->attach);  // null reads as absent
}

// Issue 14, finding 13: the SDK read the first of two equal names while jq, JavaScript and
// Python read the last, so the typed fields and the raw JSON the CLI prints could disagree.
TEST_CASE("Answers with a duplicated member name in a mapped object are refused") {
  struct Case {
    char const* json;
    char const* path;
  };
  for (auto const& c : {
           Case{R"({"trade_state":"SUCCESS","trade_state":"NOTPAY"})", "/trade_state"},
           Case{R"({"trade_state":"SUCCESS","attach":null,"attach":"x"})", "/attach"},
           Case{R"({"trade_state":"SUCCESS","amount":{"total":1,"total":100}})", "/amount/total"},
           Case{R"({"trade_state":"SUCCESS","promotion_detail":[{"amount":1},)"
                R"({"amount":1,"amount":2}]})",
                "/promotion_detail/1/amount"},
       }) {
    auto parsed = ParseTransaction(c.json);
    INFO(c.json);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status().code() == StatusCode::kMalformedResponse);
    CHECK_THAT(parsed.status().message(),
               Catch::Matchers::Contains(std::string(c.path) + " occurs twice"));
  }
  auto refund = ParseRefund(R"({"status":"SUCCESS","status":"PROCESSING"})");
  REQUIRE_FALSE(refund.ok());
  CHECK_THAT(refund.status().message(), Catch::Matchers::Contains("/status occurs twice"));
  auto prepay = ParseNativePrepayResponse(R"({"code_url":"weixin://a","code_url":"weixin://b"})");
  REQUIRE_FALSE(prepay.ok());
  // Many members (the sorted path of the check): a duplicate far apart is still found, and a
  // large object without one passes.
  std::string large = R"({"trade_state":"SUCCESS")";
  for (int i = 0; i < 100; ++i) large += ",\"m" + std::to_string(i) + "\":" + std::to_string(i);
  CHECK(ParseTransaction(large + "}").ok());
  auto duplicated = ParseTransaction(large + R"(,"m7":0})");
  REQUIRE_FALSE(duplicated.ok());
  CHECK_THAT(duplicated.status().message(), Catch::Matchers::Contains("/m7 occurs twice"));
  // A name from the network is quoted printable and bounded.
  auto hostile = ParseTransaction("{\"trade_state\":\"S\",\"a\\u001b[2J\":1,\"a\\u001b[2J\":2}");
  REQUIRE_FALSE(hostile.ok());
  CHECK(hostile.status().message().find('\x1b') == std::string::npos);
  CHECK_THAT(hostile.status().message(), Catch::Matchers::Contains("/a\\x1B[2J occurs twice"));
}

TEST_CASE("ParseTransaction accepts integers across the int64 range") {
  auto parsed = ParseTransaction(
      R"({"trade_state":"SUCCESS","amount":{"total":9223372036854775807,"payer_total":-5}})");
  REQUIRE(parsed.ok());
  CHECK(parsed->amount->total == INT64_MAX);
  CHECK(parsed->amount->payer_total == -5);
}

TEST_CASE("ParseTransaction rejects mapped members of the wrong type, naming the path") {
  CheckMalformed(ParseTransaction(R"({"trade_state":"SUCCESS","amount":{"total":"100"}})"),
                 "/amount/total must be an integer");
  CheckMalformed(ParseTransaction(R"({"trade_state":"SUCCESS","amount":{"total":1.5}})"),
                 "/amount/total must be an integer");
  CheckMalformed(ParseTransaction(R"({"trade_state":"SUCCESS","amount":{"total":100.0}})"),
                 "/amount/total must be an integer");
  CheckMalformed(ParseTransaction(R"({"trade_state":"SUCCESS","amount":{"total":1e2}})"),
                 "/amount/total must be an integer");
  CheckMalformed(
      ParseTransaction(R"({"trade_state":"SUCCESS","amount":{"total":9223372036854775808}})"),
      "/amount/total must be an integer");
  CheckMalformed(ParseTransaction(R"({"trade_state":"SUCCESS","amount":{"currency":1}})"),
                 "/amount/currency must be a string");
  CheckMalformed(ParseTransaction(R"({"trade_state":"SUCCESS","amount":[]})"),
                 "/amount must be an object");
  CheckMalformed(ParseTransaction(R"({"trade_state":"SUCCESS","payer":"x"})"),
                 "/payer must be an object");
  CheckMalformed(ParseTransaction(R"({"trade_state":"SUCCESS","appid":false})"),
                 "/appid must be a string");
  CheckMalformed(ParseTransaction(R"({"trade_state":"SUCCESS","promotion_detail":{}})"),
                 "/promotion_detail must be an array");
  CheckMalformed(ParseTransaction(R"({"trade_state":"SUCCESS","promotion_detail":[{},1]})"),
                 "/promotion_detail/1 must be an object");
  CheckMalformed(
      ParseTransaction(R"({"trade_state":"SUCCESS","promotion_detail":[{"goods_detail":[)"
                       R"({"quantity":1},{"quantity":"2"}]}]})"),
      "/promotion_detail/0/goods_detail/1/quantity must be an integer");
  CheckMalformed(ParseTransaction(R"({"trade_state":5})"), "/trade_state must be a string");
}

TEST_CASE("ParseTransaction requires trade_state") {
  CheckMalformed(ParseTransaction(R"({"appid":"wx"})"), "/trade_state is missing");
  CheckMalformed(ParseTransaction(R"({"trade_state":null})"), "/trade_state is missing");
  CheckMalformed(ParseTransaction(R"({"trade_state":""})"), "/trade_state must not be empty");
}

TEST_CASE("ParseTransaction rejects anything but one JSON object") {
  CheckMalformed(ParseTransaction(""), "not valid JSON");
  CheckMalformed(ParseTransaction("   "), "not valid JSON");
  CheckMalformed(ParseTransaction("not json"), "not valid JSON");
  CheckMalformed(ParseTransaction("<html>502</html>"), "not valid JSON");
  CheckMalformed(ParseTransaction(R"({"trade_state":"SUCCESS"} {})"), "not valid JSON");
  CheckMalformed(ParseTransaction(R"({"trade_state":"SUCCESS",})"), "not valid JSON");
  CheckMalformed(ParseTransaction("[]"), "not an object");
  CheckMalformed(ParseTransaction("\"SUCCESS\""), "not an object");
  CheckMalformed(ParseTransaction("null"), "not an object");
  CheckMalformed(ParseTransaction("42"), "not an object");
  // RapidJSON's stream treats NUL as the end of input; the text after it must not slip by.
  CheckMalformed(ParseTransaction(std::string("{\"trade_state\":\"SUCCESS\"}\0junk", 30)),
                 "NUL byte");
  // One parse policy for every JSON text (json_reader.hpp): answers, like notifications, refuse
  // malformed UTF-8 and raw control characters in strings.
  CheckMalformed(ParseTransaction("{\"trade_state\":\"SUCCESS\",\"attach\":\"\xc3\x28\"}"),
                 "not valid JSON");
  CheckMalformed(ParseTransaction("{\"trade_state\":\"SUCCESS\",\"attach\":\"\xed\xa0\x80\"}"),
                 "not valid JSON");
  CheckMalformed(ParseNativePrepayResponse("{\"code_url\":\"weixin://\xff\"}"), "not valid JSON");
  // Deep nesting is refused, whatever the parser does with it.
  CheckMalformed(ParseTransaction(std::string(100000, '[')), "nests deeper");
  auto nested =
      "{\"trade_state\":\"SUCCESS\",\"x\":" + std::string(63, '[') + std::string(63, ']') + "}";
  CHECK(ParseTransaction(nested).ok());
  auto too_deep =
      "{\"trade_state\":\"SUCCESS\",\"x\":" + std::string(64, '[') + std::string(64, ']') + "}";
  CheckMalformed(ParseTransaction(too_deep), "nests deeper");
  // Brackets inside strings do not count.
  CHECK(ParseTransaction("{\"trade_state\":\"SUCCESS\",\"x\":\"" + std::string(1000, '[') +
                         "\\\"[\"}")
            .ok());
}

std::string const kFullRefund =
    R"({"refund_id":"50000000382019052709732678859",)"
    R"("out_refund_no":"1217752501201407033233368018",)"
    R"("transaction_id":"1217752501201407033233368018",)"
    R"("out_trade_no":"1217752501201407033233368018","channel":"ORIGINAL",)"
    R"("user_received_account":"招商银行信用卡0403","success_time":"2020-12-01T16:18:12+08:00",)"
    R"("create_time":"2020-12-01T16:18:12+08:00","status":"SUCCESS","funds_account":"UNSETTLED",)"
    R"("amount":{"total":100,"refund":100,"from":[{"account":"AVAILABLE","amount":444},)"
    R"({"account":"UNAVAILABLE","amount":555}],"payer_total":90,"payer_refund":90,)"
    R"("settlement_refund":100,"settlement_total":100,"discount_refund":10,"currency":"CNY",)"
    R"("refund_fee":1},)"
    R"("promotion_detail":[{"promotion_id":"109519","scope":"SINGLE","type":"DISCOUNT",)"
    R"("amount":5,"refund_amount":100,"goods_detail":[{)"
    R"("merchant_goods_id":"1217752501201407033233368018","wechatpay_goods_id":"1001",)"
    R"("goods_name":"iPhone6s 16G","unit_price":100,"refund_amount":100,"refund_quantity":1}]}],)"
    R"("unknown_member":{"a":[1,2,3]}})";

TEST_CASE("ParseRefund maps every documented field") {
  auto parsed = ParseRefund(kFullRefund);
  REQUIRE(parsed.ok());
  auto const& r = *parsed;
  CHECK(r.refund_id == "50000000382019052709732678859");
  CHECK(r.out_refund_no == "1217752501201407033233368018");
  CHECK(r.transaction_id == "1217752501201407033233368018");
  CHECK(r.out_trade_no == "1217752501201407033233368018");
  CHECK(r.channel == "ORIGINAL");
  CHECK(r.user_received_account == "招商银行信用卡0403");
  CHECK(r.success_time == "2020-12-01T16:18:12+08:00");
  CHECK(r.create_time == "2020-12-01T16:18:12+08:00");
  CHECK(r.status == "SUCCESS");
  CHECK(r.funds_account == "UNSETTLED");
  REQUIRE(r.amount);
  CHECK(r.amount->total == 100);
  CHECK(r.amount->refund == 100);
  REQUIRE(r.amount->from.size() == 2);
  CHECK(r.amount->from[0].account == "AVAILABLE");
  CHECK(r.amount->from[0].amount == 444);
  CHECK(r.amount->from[1].account == "UNAVAILABLE");
  CHECK(r.amount->from[1].amount == 555);
  CHECK(r.amount->payer_total == 90);
  CHECK(r.amount->payer_refund == 90);
  CHECK(r.amount->settlement_refund == 100);
  CHECK(r.amount->settlement_total == 100);
  CHECK(r.amount->discount_refund == 10);
  CHECK(r.amount->currency == "CNY");
  CHECK(r.amount->refund_fee == 1);
  REQUIRE(r.promotion_detail.size() == 1);
  auto const& p = r.promotion_detail[0];
  CHECK(p.promotion_id == "109519");
  CHECK(p.scope == "SINGLE");
  CHECK(p.type == "DISCOUNT");
  CHECK(p.amount == 5);
  CHECK(p.refund_amount == 100);
  REQUIRE(p.goods_detail.size() == 1);
  CHECK(p.goods_detail[0].merchant_goods_id == "1217752501201407033233368018");
  CHECK(p.goods_detail[0].wechatpay_goods_id == "1001");
  CHECK(p.goods_detail[0].goods_name == "iPhone6s 16G");
  CHECK(p.goods_detail[0].unit_price == 100);
  CHECK(p.goods_detail[0].refund_amount == 100);
  CHECK(p.goods_detail[0].refund_quantity == 1);
  CHECK(r.raw_json == kFullRefund);
}

TEST_CASE("ParseRefund requires status and checks types") {
  CheckMalformed(ParseRefund(R"({"refund_id":"1"})"), "/status is missing");
  CheckMalformed(ParseRefund(R"({"status":1})"), "/status must be a string");
  CheckMalformed(ParseRefund(R"({"status":"SUCCESS","amount":{"from":[{"amount":"1"}]}})"),
                 "/amount/from/0/amount must be an integer");
  CheckMalformed(ParseRefund(R"({"status":"SUCCESS","amount":{"from":[{"account":2}]}})"),
                 "/amount/from/0/account must be a string");
  // The same element reader as the refund notification's: an item without its amount would
  // read as 0 fen.
  CheckMalformed(ParseRefund(R"({"status":"SUCCESS","amount":{"from":[{"account":"AVAILABLE"}]}})"),
                 "/amount/from/0/amount is missing");
  CheckMalformed(ParseRefund(R"({"status":"SUCCESS","amount":{"refund":0.5}})"),
                 "/amount/refund must be an integer");
  CheckMalformed(ParseRefund(R"({"status":"SUCCESS","promotion_detail":[{"goods_detail":"x"}]})"),
                 "/promotion_detail/0/goods_detail must be an array");
  CheckMalformed(ParseRefund("[]"), "not an object");
  auto ok = ParseRefund(R"({"status":"PROCESSING"})");
  REQUIRE(ok.ok());
  CHECK(ok->status == "PROCESSING");
  CHECK_FALSE(ok->amount);
}

TEST_CASE("ParseServiceErrorBody reads the plain error format") {
  auto body = ParseServiceErrorBody(
      R"({"code":"PARAM_ERROR","message":"参数错误","detail":{"field":"/amount/currency",)"
      R"("value":"XYZ","issue":"Currency code is invalid","location":"body"}})");
  CHECK(body.code == "PARAM_ERROR");
  CHECK(body.message == "参数错误");
  CHECK(body.detail ==
        R"({"field":"/amount/currency","value":"XYZ","issue":"Currency code is invalid",)"
        R"("location":"body"})");

  auto no_detail =
      ParseServiceErrorBody(R"({"code":"SYSTEM_ERROR","message":"系统繁忙，请稍后重试"})");
  CHECK(no_detail.code == "SYSTEM_ERROR");
  CHECK(no_detail.message == "系统繁忙，请稍后重试");
  CHECK(no_detail.detail.empty());
}

TEST_CASE("ParseServiceErrorBody keeps a nested detail as compact JSON") {
  // The captured SIGN_ERROR body (docs/protocol.md, "Error body"), pretty-printed as a server might
  // send it.
  auto body = ParseServiceErrorBody(R"({
    "code": "SIGN_ERROR",
    "detail": {
      "detail": {"issue": "sign not match"},
      "field": "signature",
      "location": "authorization",
      "sign_information": {
        "method": "POST",
        "sign_message_length": 357,
        "truncated_sign_message": "POST\n/v3/pay/transactions/native\n1680918694\n…",
        "url": "/v3/pay/transactions/native"
      }
    },
    "message": "签名错误，请检查后再试"
  })");
  CHECK(body.code == "SIGN_ERROR");
  CHECK(body.message == "签名错误，请检查后再试");
  CHECK(body.detail ==
        R"({"detail":{"issue":"sign not match"},"field":"signature","location":"authorization",)"
        R"("sign_information":{"method":"POST","sign_message_length":357,)"
        R"("truncated_sign_message":"POST\n/v3/pay/transactions/native\n1680918694\n…",)"
        R"("url":"/v3/pay/transactions/native"}})");
}

TEST_CASE("ParseServiceErrorBody is lenient") {
  std::vector<std::string> const not_error_bodies = {
      "",           "<html><body>502 Bad Gateway</body></html>",
      "[1,2]",      "\"x\"",
      "{\"code\":", std::string(1000, '{')};
  for (auto const& text : not_error_bodies) {
    auto body = ParseServiceErrorBody(text);
    CHECK(body.code.empty());
    CHECK(body.message.empty());
    CHECK(body.detail.empty());
  }
  auto odd = ParseServiceErrorBody(R"({"code":404,"message":["x"],"detail":"text"})");
  CHECK(odd.code.empty());
  CHECK(odd.message.empty());
  CHECK(odd.detail == R"("text")");
  auto null_detail = ParseServiceErrorBody(R"({"code":"X","detail":null})");
  CHECK(null_detail.code == "X");
  CHECK(null_detail.detail.empty());
}

TEST_CASE("IsTerminalTradeState") {
  for (auto state : {"SUCCESS", "REFUND", "CLOSED", "REVOKED", "PAYERROR"}) {
    CHECK(IsTerminalTradeState(state));
  }
  for (auto state : {"NOTPAY", "USERPAYING", "ACCEPT", "", "success", "SOMETHING_NEW"}) {
    CHECK_FALSE(IsTerminalTradeState(state));
  }
}

}  // namespace
}  // namespace wechatpay::internal
