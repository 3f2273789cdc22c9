// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/protocol/validation.hpp"

#include <cstdint>
#include <optional>
#include <string>

#include "catch.hpp"
#include "common/utf8.hpp"
#include "support/validation_checks.hpp"

// The identifier, time_expire and notify_url rules, and the shape of a refund and a query.
// Text lengths are in validation_text_test.cpp, integer ranges in validation_amount_test.cpp.

namespace wechatpay {
namespace {

using testing::CheckInvalid;
using testing::CheckOk;
using testing::kEmoji;
using testing::kHan;
using testing::Repeat;
using testing::ValidOrder;
using testing::ValidRefund;

// ---------------------------------------------------------------------------------------------
// UTF-8 helper

TEST_CASE("ScanUtf8 counts code points and spots 4-byte sequences") {
  auto ascii = internal::ScanUtf8("abc");
  CHECK(ascii.valid);
  CHECK(ascii.code_points == 3);
  CHECK_FALSE(ascii.has_four_byte);

  auto mixed = internal::ScanUtf8("a\xC3\xA9" + kHan + kEmoji);  // a é 汉 😀
  CHECK(mixed.valid);
  CHECK(mixed.code_points == 4);
  CHECK(mixed.has_four_byte);

  CHECK(internal::ScanUtf8("").valid);
  CHECK(internal::ScanUtf8("").code_points == 0);
  CHECK(internal::ScanUtf8(std::string("a\0b", 3)).code_points == 3);
  // Boundaries that are well-formed: U+007F, U+0080, U+07FF, U+0800, U+D7FF, U+E000, U+FFFF,
  // U+10000, U+10FFFF.
  for (std::string ok : {"\x7F", "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF",
                         "\xEE\x80\x80", "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF"}) {
    INFO(ok.size());
    auto scan = internal::ScanUtf8(ok);
    CHECK(scan.valid);
    CHECK(scan.code_points == 1);
    CHECK(scan.has_four_byte == (ok.size() == 4));
  }
}

TEST_CASE("ScanUtf8 rejects ill-formed sequences") {
  for (std::string bad : {
           "\x80",              // lone continuation
           "\xBF",              // lone continuation
           "\xC0\xAF",          // overlong '/'
           "\xC1\xBF",          // overlong
           "\xE0\x80\xAF",      // overlong 3-byte
           "\xE0\x9F\xBF",      // overlong 3-byte (U+07FF)
           "\xF0\x8F\xBF\xBF",  // overlong 4-byte (U+FFFF)
           "\xED\xA0\x80",      // surrogate U+D800
           "\xED\xBF\xBF",      // surrogate U+DFFF
           "\xF4\x90\x80\x80",  // U+110000
           "\xF5\x80\x80\x80",  // lead byte beyond U+10FFFF
           "\xFF",              // never valid
           "\xE6\xB1",          // truncated 3-byte
           "\xF0\x9F\x98",      // truncated 4-byte
           "\xC3\x28",          // bad continuation
           "\xE6\x28\x89",      // bad second byte
           "\xE6\xB1\x28",      // bad third byte
       }) {
    INFO(bad.size());
    CHECK_FALSE(internal::ScanUtf8(bad).valid);
  }
  auto scan = internal::ScanUtf8("ab" + kHan + "\xE6\xB1");
  CHECK_FALSE(scan.valid);
  CHECK(scan.error_offset == 5);
  CHECK(scan.code_points == 3);
}

// ---------------------------------------------------------------------------------------------
// Identifiers

TEST_CASE("ValidateOutTradeNo (a new order): 6-32 characters of [0-9A-Za-z_-|*]") {
  CheckInvalid(ValidateOutTradeNo("abcde"), "out_trade_no",
               "out_trade_no must be 6-32 characters of [0-9A-Za-z_-|*] (got 5)");
  CheckOk(ValidateOutTradeNo("abcdef"));
  CheckOk(ValidateOutTradeNo(std::string(32, 'A')));
  CheckInvalid(ValidateOutTradeNo(std::string(33, 'A')), "out_trade_no", "(got 33)");
  CheckInvalid(ValidateOutTradeNo(""), "out_trade_no", "(got 0)");
  CheckOk(ValidateOutTradeNo("aZ09_-|*"));
  CheckInvalid(ValidateOutTradeNo("order#1"), "out_trade_no", "invalid character at index 5");
  CheckInvalid(ValidateOutTradeNo("order 1"), "out_trade_no", "invalid character");
  CheckInvalid(ValidateOutTradeNo("order@1"), "out_trade_no", "invalid character");
  CheckInvalid(ValidateOutTradeNo("订单12"), "out_trade_no", "invalid character at index 0");
}

TEST_CASE("ValidateExistingOutTradeNo (query, close, refund): 1-32 characters") {
  CheckOk(ValidateExistingOutTradeNo("1"));
  CheckOk(ValidateExistingOutTradeNo("abcde"));
  CheckOk(ValidateExistingOutTradeNo(std::string(32, 'A')));
  CheckInvalid(ValidateExistingOutTradeNo(""), "out_trade_no",
               "out_trade_no must be 1-32 characters of [0-9A-Za-z_-|*] (got 0)");
  CheckInvalid(ValidateExistingOutTradeNo(std::string(33, 'A')), "out_trade_no", "(got 33)");
  CheckInvalid(ValidateExistingOutTradeNo("a/b"), "out_trade_no", "invalid character at index 1");
}

TEST_CASE("ValidateTransactionId: 1-32 characters of [0-9A-Za-z]") {
  CheckOk(ValidateTransactionId("4200000000000000000000000000001"));
  CheckOk(ValidateTransactionId("1"));
  CheckOk(ValidateTransactionId(std::string(32, '9')));
  CheckInvalid(ValidateTransactionId(""), "transaction_id",
               "transaction_id must be 1-32 characters of [0-9A-Za-z] (got 0)");
  CheckInvalid(ValidateTransactionId(std::string(33, '9')), "transaction_id", "(got 33)");
  CheckInvalid(ValidateTransactionId("4200_01"), "transaction_id", "invalid character");
}

TEST_CASE("ValidateOutRefundNo: 1-64 characters of [0-9A-Za-z_-|*@]") {
  CheckOk(ValidateOutRefundNo("R"));
  CheckOk(ValidateOutRefundNo("refund@shop_1-2|3*"));
  CheckOk(ValidateOutRefundNo(std::string(64, 'r')));
  CheckInvalid(ValidateOutRefundNo(std::string(65, 'r')), "out_refund_no",
               "out_refund_no must be 1-64 characters of [0-9A-Za-z_-|*@] (got 65)");
  CheckInvalid(ValidateOutRefundNo(""), "out_refund_no", "(got 0)");
  CheckInvalid(ValidateOutRefundNo("refund#1"), "out_refund_no", "invalid character");
}

// ---------------------------------------------------------------------------------------------
// time_expire

TEST_CASE("ValidateTimeExpire accepts RFC 3339 date-times with an offset") {
  for (auto good :
       {"2018-06-08T10:34:56+08:00", "2018-06-08T10:34:56Z", "2018-06-08T10:34:56-05:30",
        "2018-06-08T10:34:56.123+08:00", "2018-06-08T10:34:56.5Z", "2024-02-29T00:00:00+08:00",
        "2000-02-29T23:59:59+08:00", "2018-12-31T23:59:59+23:59", "2018-01-31T00:00:00+00:00"}) {
    INFO(good);
    CheckOk(ValidateTimeExpire(good));
  }
}

TEST_CASE("ValidateTimeExpire rejects everything else, saying why") {
  struct Case {
    char const* text;
    char const* reason;
  };
  for (auto c : {
           Case{"2018-06-08T10:34:56", "missing offset"},
           Case{"2018-06-08 10:34:56+08:00", "expected YYYY-MM-DDTHH:MM:SS"},
           Case{"2018-06-08t10:34:56+08:00", "expected YYYY-MM-DDTHH:MM:SS"},
           Case{"2018-06-08T10:34:56z", "missing offset"},
           Case{"2018-6-08T10:34:56+08:00", "expected YYYY-MM-DDTHH:MM:SS"},
           Case{"2018-06-08T10:34+08:00", "expected YYYY-MM-DDTHH:MM:SS"},
           Case{"", "expected YYYY-MM-DDTHH:MM:SS"},
           Case{"2018-02-30T10:34:56+08:00", "day 30 does not exist in 2018-02"},
           Case{"2023-02-29T10:34:56+08:00", "day 29 does not exist in 2023-02"},
           Case{"1900-02-29T10:34:56+08:00", "day 29 does not exist in 1900-02"},
           Case{"2018-04-31T10:34:56+08:00", "day 31 does not exist"},
           Case{"2018-06-00T10:34:56+08:00", "day 00 does not exist"},
           Case{"2018-13-08T10:34:56+08:00", "month 13 does not exist"},
           Case{"2018-00-08T10:34:56+08:00", "month 0 does not exist"},
           Case{"2018-06-08T24:00:00+08:00", "hour 24"},
           Case{"2018-06-08T10:60:56+08:00", "minute 60"},
           Case{"2018-06-08T10:34:60+08:00", "second 60"},
           Case{"2018-06-08T10:34:56+24:00", "offset is out of range"},
           Case{"2018-06-08T10:34:56+08:60", "offset is out of range"},
           Case{"2018-06-08T10:34:56+0800", "the offset must be"},
           Case{"2018-06-08T10:34:56+08", "the offset must be"},
           Case{"2018-06-08T10:34:56.+08:00", "fractional digits"},
           Case{"2018-06-08T10:34:56+08:00 ", "unexpected text after the offset"},
           Case{"2018-06-08T10:34:56Z+08:00", "unexpected text after the offset"},
       }) {
    INFO(c.text);
    CheckInvalid(ValidateTimeExpire(c.text), "time_expire", c.reason);
    CheckInvalid(ValidateTimeExpire(c.text), "time_expire",
                 "time_expire must be an RFC 3339 date-time with an offset");
  }
}

// ---------------------------------------------------------------------------------------------
// notify_url

TEST_CASE("ValidateNotifyUrl: https, or http on loopback; no query, fragment or userinfo") {
  CheckOk(ValidateNotifyUrl("https://www.weixin.qq.com/wxpay/pay.php"));
  CheckOk(ValidateNotifyUrl("https://example.com"));
  CheckOk(ValidateNotifyUrl("https://example.com:8443/notify"));
  CheckOk(ValidateNotifyUrl("http://127.0.0.1:8080/cb"));
  CheckOk(ValidateNotifyUrl("http://localhost/cb"));
  CheckOk(ValidateNotifyUrl("http://[::1]:9000/cb"));
  CheckInvalid(ValidateNotifyUrl("http://example.com/cb"), "notify_url",
               "notify_url must use https (http only for a loopback host");
  CheckInvalid(ValidateNotifyUrl("http://127.0.0.1.example.com/cb"), "notify_url",
               "must use https");
  CheckInvalid(ValidateNotifyUrl("https://example.com/cb?order=1"), "notify_url",
               "must not have a query string");
  CheckInvalid(ValidateNotifyUrl("https://example.com/cb?"), "notify_url", "query string");
  CheckInvalid(ValidateNotifyUrl("https://example.com/cb#top"), "notify_url",
               "must not have a fragment");
  CheckInvalid(ValidateNotifyUrl("https://user:pw@example.com/cb"), "notify_url",
               "must not contain user information");
  CheckInvalid(ValidateNotifyUrl("ftp://example.com/cb"), "notify_url",
               "must be an absolute https URL");
  CheckInvalid(ValidateNotifyUrl("/relative/cb"), "notify_url", "absolute");
  CheckInvalid(ValidateNotifyUrl("https://exa mple.com/cb"), "notify_url", "absolute");
  CheckInvalid(ValidateNotifyUrl(""), "notify_url", "must not be empty");
  CheckInvalid(ValidateNotifyUrl("https://example.com/回调"), "notify_url", "must be ASCII");
}

TEST_CASE("notify_url: 255 bytes for an order, 256 for a refund") {
  std::string const prefix = "https://example.com/";
  auto url = [&prefix](std::size_t size) {
    return prefix + std::string(size - prefix.size(), 'a');
  };
  CheckOk(ValidateNotifyUrl(url(255)));
  CheckInvalid(ValidateNotifyUrl(url(256)), "notify_url",
               "notify_url must be at most 255 bytes (got 256)");
  CheckOk(ValidateRefundNotifyUrl(url(256)));
  CheckInvalid(ValidateRefundNotifyUrl(url(257)), "notify_url",
               "notify_url must be at most 256 bytes (got 257)");

  auto order = ValidOrder();
  order.notify_url = url(256);
  CheckInvalid(Validate(order), "notify_url", "at most 255 bytes");
  auto refund = ValidRefund();
  refund.notify_url = url(256);
  CheckOk(Validate(refund));
  refund.notify_url = url(257);
  CheckInvalid(Validate(refund), "notify_url", "at most 256 bytes");
}

TEST_CASE("ValidateNotifyUrl names the given field") {
  CheckInvalid(ValidateNotifyUrl("http://example.com/cb", "notifyUrl"), "notifyUrl",
               "notifyUrl must use https");
}

TEST_CASE("http to any host only with allow_http_notify_url, which the error names") {
  ValidationOptions dedicated_line;
  dedicated_line.allow_http_notify_url = true;
  // Off: refused, and the message says which switch a dedicated-line merchant needs.
  for (auto const& status :
       {ValidateNotifyUrl("http://10.1.2.3/cb"), ValidateRefundNotifyUrl("http://10.1.2.3/cb")}) {
    CheckInvalid(status, "notify_url", "allowHttpNotifyUrl");
    CheckInvalid(status, "notify_url", "WECHATPAY_ALLOW_HTTP_NOTIFY_URL");
    CheckInvalid(status, "notify_url", "dedicated line");
  }
  // On: a NAT IP of the line or a private callback domain over http.
  CheckOk(ValidateNotifyUrl("http://10.1.2.3/cb", "notify_url", dedicated_line));
  CheckOk(
      ValidateNotifyUrl("http://pay-callback.corp.internal:8080/cb", "notify_url", dedicated_line));
  CheckOk(ValidateRefundNotifyUrl("http://10.1.2.3/refund", dedicated_line));
  CheckOk(ValidateNotifyUrl("https://example.com/cb", "notify_url", dedicated_line));
  // Every other rule still holds.
  CheckInvalid(ValidateNotifyUrl("http://10.1.2.3/cb?x=1", "notify_url", dedicated_line),
               "notify_url", "query string");
  CheckInvalid(ValidateNotifyUrl("ftp://10.1.2.3/cb", "notify_url", dedicated_line), "notify_url",
               "absolute https URL");

  auto order = ValidOrder();
  order.notify_url = "http://10.1.2.3/cb";
  CheckInvalid(Validate(order), "notify_url", "allowHttpNotifyUrl");
  CheckOk(Validate(order, dedicated_line));
  auto refund = ValidRefund();
  refund.notify_url = "http://10.1.2.3/refund";
  CheckInvalid(Validate(refund), "notify_url", "allowHttpNotifyUrl");
  CheckOk(Validate(refund, dedicated_line));
}

// ---------------------------------------------------------------------------------------------
// Native order

TEST_CASE("Validate(NativePrepayRequest) accepts a valid minimal and a valid full order") {
  CheckOk(Validate(ValidOrder()));
  auto request = ValidOrder();
  request.appid = "wxd678efh567hg6787";
  request.time_expire = "2018-06-08T10:34:56+08:00";
  request.attach = "自定义数据说明";
  request.notify_url = "https://www.weixin.qq.com/wxpay/pay.php";
  request.goods_tag = "WXG";
  request.limit_pay = {"no_credit"};
  request.support_fapiao = true;
  request.amount.currency = "CNY";
  OrderDetail detail;
  detail.cost_price = 608800;
  detail.invoice_id = "微信123";
  GoodsDetail goods;
  goods.merchant_goods_id = "1246464644";
  goods.wechatpay_goods_id = "1001";
  goods.goods_name = "iPhoneX 256G";
  goods.quantity = 1;
  goods.unit_price = 0;
  detail.goods_detail.push_back(goods);
  request.detail = detail;
  SceneInfo scene;
  scene.payer_client_ip = "14.23.150.211";
  scene.device_id = "013467007045764";
  scene.store_info = StoreInfo{"0001", std::string("腾讯大厦分店"), std::string("440305"),
                               std::string("广东省深圳市南山区科技中一道10000号")};
  request.scene_info = scene;
  request.settle_info = SettleInfo{true};
  CheckOk(Validate(request));
}

TEST_CASE("description: no 4-byte characters, valid UTF-8 only") {
  auto request = ValidOrder();
  request.description = "QQ公仔" + kEmoji;
  CheckInvalid(Validate(request), "description", "must not contain 4-byte UTF-8 characters");
  request.description = "QQ\xE5\x85";  // truncated
  CheckInvalid(Validate(request), "description", "description must be valid UTF-8");
  request.description = "QQ\xED\xA0\x80";  // a surrogate
  CheckInvalid(Validate(request), "description", "must be valid UTF-8");
  request.description = "\xC0\xAF";  // overlong
  CheckInvalid(Validate(request), "description", "must be valid UTF-8");
}

TEST_CASE("out_trade_no of an order is the new-order rule") {
  auto request = ValidOrder();
  request.out_trade_no = "abcde";
  CheckInvalid(Validate(request), "out_trade_no", "6-32 characters");
}

TEST_CASE("currency: 3 upper-case letters") {
  auto request = ValidOrder();
  request.amount.currency = "CNY";
  CheckOk(Validate(request));
  for (auto bad : {"cny", "", "CN", "CNYY", "C1Y"}) {
    request.amount.currency = bad;
    CheckInvalid(Validate(request), "amount.currency",
                 "amount.currency must be 3 upper-case letters");
  }
}

TEST_CASE("time_expire and notify_url are checked in an order") {
  auto request = ValidOrder();
  request.time_expire = "2018-06-08T10:34:56";
  CheckInvalid(Validate(request), "time_expire", "missing offset");
  request.time_expire = "2018-06-08T10:34:56Z";
  CheckOk(Validate(request));
  request.notify_url = "http://example.com/notify";
  CheckInvalid(Validate(request), "notify_url", "must use https");
  request.notify_url = "";
  CheckInvalid(Validate(request), "notify_url", "must not be empty");
  request.notify_url = "http://127.0.0.1:8080/cb";
  CheckOk(Validate(request));
}

TEST_CASE("appid override: 1-32 visible ASCII characters") {
  auto request = ValidOrder();
  request.appid = "wxd678efh567hg6787";
  CheckOk(Validate(request));
  request.appid = "";
  CheckInvalid(Validate(request), "appid", "appid must be 1-32 visible ASCII characters");
  request.appid = std::string(33, 'w');
  CheckInvalid(Validate(request), "appid", "(got 33)");
  request.appid = "wx 123";
  CheckInvalid(Validate(request), "appid", "space or control character");
}

TEST_CASE("scene_info.payer_client_ip must be an IPv4 or IPv6 address") {
  auto request = ValidOrder();
  request.scene_info = SceneInfo{};
  for (auto good : {"14.23.150.211", "0.0.0.0", "255.255.255.255", "::1", "2001:db8::8a2e:370:7334",
                    "::ffff:192.0.2.1"}) {
    INFO(good);
    request.scene_info->payer_client_ip = good;
    CheckOk(Validate(request));
  }
  request.scene_info->payer_client_ip = "";
  CheckInvalid(Validate(request), "scene_info.payer_client_ip",
               "scene_info.payer_client_ip must not be empty");
  for (auto bad : {"256.1.1.1", "1.2.3", "1.2.3.4.5", "example.com", " 1.2.3.4", "1.2.3.4 ",
                   "2001:db8:::1", "fe80::1%eth0", "1.2.3.04x"}) {
    INFO(bad);
    request.scene_info->payer_client_ip = bad;
    CheckInvalid(Validate(request), "scene_info.payer_client_ip",
                 "scene_info.payer_client_ip must be an IPv4 or IPv6 address");
  }
  request.scene_info->payer_client_ip = std::string("1.2.3.4\0junk", 12);
  CheckInvalid(Validate(request), "scene_info.payer_client_ip", "IPv4 or IPv6");
}

// ---------------------------------------------------------------------------------------------
// Refund

TEST_CASE("Validate(CreateRefundRequest) accepts valid refunds") {
  CheckOk(Validate(ValidRefund()));
  auto request = ValidRefund();
  request.out_trade_no.reset();
  request.transaction_id = "4200000000000000000000000000001";
  request.reason = "商品已售完";
  request.notify_url = "https://example.com/refund-notify";
  request.funds_account = "AVAILABLE";
  request.amount.from.push_back(FundsFromItem{"AVAILABLE", 50});
  request.amount.from.push_back(FundsFromItem{"UNAVAILABLE", 50});
  CheckOk(Validate(request));
  request.funds_account = "UNSETTLED";
  CheckOk(Validate(request));
}

TEST_CASE("A refund names transaction_id, out_trade_no or both") {
  auto request = ValidRefund();
  // Both, as WeChat's own example and the official Go and Java SDKs send them.
  request.transaction_id = "4200000000000000000000000000001";
  CheckOk(Validate(request));
  request.out_trade_no.reset();
  CheckOk(Validate(request));
  request.transaction_id.reset();
  request.out_trade_no.reset();
  CheckInvalid(Validate(request), "out_trade_no",
               "a refund needs transaction_id or out_trade_no (got neither");
  // Each one present is checked, whichever the other is.
  request.out_trade_no = "order_20240101_0001";
  request.transaction_id = "bad_id";
  CheckInvalid(Validate(request), "transaction_id", "invalid character");
  request.transaction_id = "4200000000000000000000000000001";
  request.out_trade_no = "bad/no";
  CheckInvalid(Validate(request), "out_trade_no", "invalid character");
}

TEST_CASE("A refund takes any 1-32-character out_trade_no (orders from API v2)") {
  auto request = ValidRefund();
  request.out_trade_no = "1";
  CheckOk(Validate(request));
  request.out_trade_no = "abcde";
  CheckOk(Validate(request));
  request.out_trade_no = std::string(33, 'a');
  CheckInvalid(Validate(request), "out_trade_no", "1-32 characters");
  request.out_trade_no = "";
  CheckInvalid(Validate(request), "out_trade_no", "(got 0)");
}

TEST_CASE("Refund amounts: 1 <= refund <= total") {
  auto request = ValidRefund();
  request.amount.total = 100;
  request.amount.refund = 100;
  CheckOk(Validate(request));
  request.amount.refund = 1;
  CheckOk(Validate(request));
  request.amount.refund = 101;
  CheckInvalid(Validate(request), "amount.refund",
               "amount.refund (101) must not exceed amount.total (100)");
  request.amount.refund = 0;
  CheckInvalid(Validate(request), "amount.refund", "amount.refund must be at least 1 fen (got 0)");
  request.amount.refund = 1;
  request.amount.total = 0;
  CheckInvalid(Validate(request), "amount.total", "amount.total must be at least 1 fen (got 0)");
}

TEST_CASE("Refund currency, notify_url, funds_account, from accounts") {
  auto request = ValidRefund();
  request.amount.currency = "";
  CheckInvalid(Validate(request), "amount.currency", "3 upper-case letters");
  request.amount.currency = "cny";
  CheckInvalid(Validate(request), "amount.currency", "3 upper-case letters");
  request.amount.currency = "CNY";

  request.notify_url = "https://example.com/cb?x=1";
  CheckInvalid(Validate(request), "notify_url", "query string");
  request.notify_url.reset();

  request.funds_account = "BASIC";
  CheckInvalid(Validate(request), "funds_account", "funds_account must be AVAILABLE or UNSETTLED");
  request.funds_account.reset();

  request.amount.from.push_back(FundsFromItem{"AVAILABLE", 0});
  CheckInvalid(Validate(request), "amount.from[0].amount",
               "amount.from[0].amount must be at least 1 fen (got 0)");
  request.amount.from[0] = FundsFromItem{"UNSETTLED", 100};
  CheckInvalid(Validate(request), "amount.from[0].account",
               "amount.from[0].account must be AVAILABLE or UNAVAILABLE");
}

TEST_CASE("Refund out_refund_no and goods lines") {
  auto request = ValidRefund();
  request.out_refund_no = std::string(64, 'r');
  CheckOk(Validate(request));
  request.out_refund_no = std::string(65, 'r');
  CheckInvalid(Validate(request), "out_refund_no", "(got 65)");
  request.out_refund_no = "r1";

  RefundGoodsDetail goods;
  goods.merchant_goods_id = "g1";
  goods.unit_price = 100;
  goods.refund_amount = 100;
  goods.refund_quantity = 1;
  request.goods_detail.push_back(goods);
  CheckOk(Validate(request));
  request.goods_detail[0].refund_quantity = 0;
  CheckInvalid(Validate(request), "goods_detail[0].refund_quantity", "must be at least 1");
  request.goods_detail[0].refund_quantity = 1;
  request.goods_detail[0].merchant_goods_id = "";
  CheckInvalid(Validate(request), "goods_detail[0].merchant_goods_id", "(got 0)");
}

// ---------------------------------------------------------------------------------------------
// Queries and close

TEST_CASE("Query, close and refund-query requests apply their single rule") {
  CheckOk(Validate(QueryOrderByOutTradeNoRequest{"order_001"}));
  CheckInvalid(Validate(QueryOrderByOutTradeNoRequest{""}), "out_trade_no", "(got 0)");
  CheckInvalid(Validate(QueryOrderByOutTradeNoRequest{std::string(33, 'o')}), "out_trade_no",
               "(got 33)");
  CheckOk(Validate(QueryOrderByIdRequest{"4200000000000000000000000000001"}));
  CheckInvalid(Validate(QueryOrderByIdRequest{""}), "transaction_id", "(got 0)");
  CheckOk(Validate(CloseOrderRequest{"order_001"}));
  CheckInvalid(Validate(CloseOrderRequest{"order/001"}), "out_trade_no", "invalid character");
  CheckOk(Validate(QueryRefundRequest{"refund@1"}));
  CheckInvalid(Validate(QueryRefundRequest{""}), "out_refund_no", "(got 0)");
}

TEST_CASE("Query and close take the 1- and 5-character out_trade_no of older orders") {
  for (std::string no : {"1", "12345"}) {
    INFO(no);
    CheckOk(Validate(QueryOrderByOutTradeNoRequest{no}));
    CheckOk(Validate(CloseOrderRequest{no}));
  }
}

}  // namespace
}  // namespace wechatpay
