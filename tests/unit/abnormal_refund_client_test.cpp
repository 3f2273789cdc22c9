// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// NativePayClient::ApplyAbnormalRefund with the direct backend over a recording transport: the
// exact request, the sensitive fields encrypted for the key Wechatpay-Serial names (they
// decrypt with that key's private half), a write's unknown outcome, and no log line or error
// quoting the payer's card number or name.

#include <memory>
#include <string>
#include <vector>

#include "catch.hpp"
#include "common/json_text.hpp"
#include "support/recorded_client.hpp"
#include "support/test_data.hpp"
#include "support/test_merchant.hpp"
#include "wechatpay/protocol/error_codes.hpp"
#include "wechatpay/testing/client_recorder.hpp"
#include "wechatpay/testing/recording_transport.hpp"
#include "wechatpay/wechatpay.hpp"

namespace wechatpay {
namespace {

using testing::FixedTime;
using testing::RecordingTransport;
using testing::TestMerchant;
using testing::WeChatPaySigner;

constexpr std::int64_t kNow = 1700000000;
constexpr char kTarget[] =
    "/v3/refund/domestic/refunds/50000000382019052709732678859/apply-abnormal-refund";
constexpr char kCard[] = "6222020200112233445";
constexpr char kName[] = "张三丰";

constexpr char kRefundAnswer[] =
    R"({"refund_id":"50000000382019052709732678859","out_refund_no":"RF20261207001",)"
    R"("transaction_id":"1217752501201407033233368018","out_trade_no":"1217752501201407033233368018",)"
    R"("channel":"OTHER_BANKCARD","user_received_account":"ICBC_DEBIT 3445",)"
    R"("create_time":"2020-12-01T16:18:12+08:00","status":"PROCESSING","amount":{"total":100,)"
    R"("refund":40,"payer_total":100,"payer_refund":40,"currency":"CNY"}})";

// The client over a recording transport at kNow (tests/support/recorded_client.hpp).
struct Fixture : testing::RecordedClient {
  Fixture() : RecordedClient(kNow) {}
};

ApplyAbnormalRefundRequest ToUser() {
  ApplyAbnormalRefundRequest request;
  request.refund_id = "50000000382019052709732678859";
  request.out_refund_no = "RF20261207001";
  request.type = std::string(kAbnormalRefundToUserBankCard);
  request.bank_type = "ICBC_DEBIT";
  request.bank_account = kCard;
  request.real_name = kName;
  return request;
}

// A failure of the transport, after sending (`outcome_unknown`) or before.
Status TransportError(StatusCode code, bool outcome_unknown) {
  ErrorInfo info;
  info.outcome_unknown = outcome_unknown;
  info.transport_code = 7;
  return Status(code, "cannot reach api.mch.weixin.qq.com", info);
}

// The private key of WeChat's side of the test merchant, whose id is TestMerchant::kPublicKeyId.
PrivateKey WeChatPrivateKey() {
  return PrivateKey::FromPem(testing::ReadData("keys/java_wechat_pay_private_key.pem")).value();
}

TEST_CASE("ApplyAbnormalRefund: the fields decrypt with the key Wechatpay-Serial names",
          "[abnormal-refund]") {
  Fixture f;
  f.Answer(200, kRefundAnswer);
  auto refund = f.client.ApplyAbnormalRefund(ToUser());
  INFO(refund.status().ToString());
  REQUIRE(refund.ok());
  CHECK(refund->status == "PROCESSING");
  CHECK(refund->channel == "OTHER_BANKCARD");

  REQUIRE(f.transport->count() == 1);
  HttpRequest const request = f.transport->requests().back();
  CHECK(request.method == "POST");
  CHECK(request.url == std::string("https://api.mch.weixin.qq.com") + kTarget);
  CHECK(testing::CheckTestAuthorization(request, kTarget).empty());
  CHECK(request.headers.Get("Content-Type") == "application/json");
  std::string const serial(request.headers.Get("Wechatpay-Serial"));
  CHECK(serial == TestMerchant::kPublicKeyId);

  // Exactly the documented members, in order, the two secrets as ciphertext only.
  auto const account = internal::JsonStringMember(request.body, "bank_account");
  auto const name = internal::JsonStringMember(request.body, "real_name");
  REQUIRE(account.has_value());
  REQUIRE(name.has_value());
  CHECK(request.body == R"({"out_refund_no":"RF20261207001","type":"USER_BANK_CARD",)"
                        R"("bank_type":"ICBC_DEBIT","bank_account":")" +
                            *account + R"(","real_name":")" + *name + R"("})");
  CHECK(request.body.find(kCard) == std::string::npos);
  CHECK(request.body.find(kName) == std::string::npos);
  CHECK(account->size() == 344);  // Base64 of one RSA-2048 block
  // The key that Wechatpay-Serial names opens both fields: what WeChat will do.
  auto const key = WeChatPrivateKey();
  CHECK(key.DecryptOaep(*account).value() == kCard);
  CHECK(key.DecryptOaep(*name).value() == kName);
}

TEST_CASE("ApplyAbnormalRefund: to the merchant's account nothing is encrypted",
          "[abnormal-refund]") {
  Fixture f;
  f.Answer(200, kRefundAnswer);
  ApplyAbnormalRefundRequest request;
  request.refund_id = "50000000382019052709732678859";
  request.out_refund_no = "RF20261207001";
  request.type = std::string(kAbnormalRefundToMerchantBankCard);
  REQUIRE(f.client.ApplyAbnormalRefund(request).ok());
  CHECK(f.transport->requests().back().body ==
        R"({"out_refund_no":"RF20261207001","type":"MERCHANT_BANK_CARD"})");
}

TEST_CASE("ApplyAbnormalRefund: invalid input is refused before anything is sent",
          "[abnormal-refund]") {
  Fixture f;
  auto request = ToUser();
  request.bank_account = "6222-0202-0011-2233";
  auto refused = f.client.ApplyAbnormalRefund(request);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == StatusCode::kInvalidArgument);
  CHECK(refused.status().info().field == "bank_account");
  CHECK(refused.status().ToString().find("6222") == std::string::npos);
  CHECK(f.transport->count() == 0);
}

TEST_CASE("ApplyAbnormalRefund: a write whose outcome is unknown after sending",
          "[abnormal-refund]") {
  Fixture f;
  SECTION("a dropped connection after sending is not retried and says what to do") {
    f.transport->PushResult(TransportError(StatusCode::kTransport, true));
    auto refund = f.client.ApplyAbnormalRefund(ToUser());
    REQUIRE_FALSE(refund.ok());
    CHECK(f.transport->count() == 1);
    CHECK(refund.status().info().outcome_unknown);
    CHECK(refund.status().message().find("query the refund by out_refund_no") != std::string::npos);
  }
  SECTION("a connect failure is retried with the same body and serial") {
    f.transport->PushResult(TransportError(StatusCode::kTransport, false));
    f.Answer(200, kRefundAnswer);
    REQUIRE(f.client.ApplyAbnormalRefund(ToUser()).ok());
    REQUIRE(f.transport->count() == 2);
    auto const requests = f.transport->requests();
    CHECK(requests[0].body == requests[1].body);
    CHECK(requests[0].headers.Get("Wechatpay-Serial") ==
          requests[1].headers.Get("Wechatpay-Serial"));
  }
  SECTION("WeChat's refusal of a refund that is not ABNORMAL is a known outcome") {
    f.Answer(400, R"({"code":"INVALID_REQUEST","message":"退款单状态为SUCCESS"})");
    auto refund = f.client.ApplyAbnormalRefund(ToUser());
    REQUIRE_FALSE(refund.ok());
    CHECK(IsServiceError(refund.status(), "INVALID_REQUEST"));
    CHECK_FALSE(refund.status().info().outcome_unknown);
    CHECK(f.transport->count() == 1);
  }
}

TEST_CASE("ApplyAbnormalRefund: no log line or error holds the card number or the name",
          "[abnormal-refund]") {
  Fixture f;
  std::vector<std::string> texts;
  f.Answer(200, kRefundAnswer);
  REQUIRE(f.client.ApplyAbnormalRefund(ToUser()).ok());
  f.Answer(400, R"({"code":"PARAM_ERROR","message":"bank_account解密失败"})");
  texts.push_back(f.client.ApplyAbnormalRefund(ToUser()).status().ToString());
  f.transport->PushResult(TransportError(StatusCode::kDeadlineExceeded, true));
  texts.push_back(f.client.ApplyAbnormalRefund(ToUser()).status().ToString());
  for (auto const& line : f.log()) texts.push_back(line);
  REQUIRE(texts.size() > 3);
  for (auto const& text : texts) {
    INFO(text);
    CHECK(text.find(kCard) == std::string::npos);
    CHECK(text.find("2233445") == std::string::npos);
    CHECK(text.find(kName) == std::string::npos);
  }
}

}  // namespace
}  // namespace wechatpay
