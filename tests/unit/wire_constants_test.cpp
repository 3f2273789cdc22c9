// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// The wire constants are shared by the SDK and the sandbox, so a wrong value would pass every
// test that runs one against the other. Each is pinned here to the value WeChat Pay documents
// (docs/protocol.md: "Paths", "Request signing", "Response verification", "WECHATPAY/SIGNTEST/
// probes", "The request timestamp window"), written out independently of the header.

#include <string>

#include "catch.hpp"
#include "wechatpay/protocol/constants.hpp"

namespace wechatpay {
namespace {

TEST_CASE("Wire constants: the documented API v3 paths", "[constants]") {
  CHECK(paths::kNativePrepay == "/v3/pay/transactions/native");
  CHECK(std::string(paths::kOrderByOutTradeNo) + "X1" + std::string(paths::kCloseSuffix) ==
        "/v3/pay/transactions/out-trade-no/X1/close");
  CHECK(std::string(paths::kOrderById) + "42" == "/v3/pay/transactions/id/42");
  CHECK(paths::kRefunds == "/v3/refund/domestic/refunds");
}

TEST_CASE("Wire constants: the signing scheme, headers, window and probe prefix", "[constants]") {
  CHECK(kAuthorizationScheme == "WECHATPAY2-SHA256-RSA2048");
  CHECK(headers::kSerial == "Wechatpay-Serial");
  CHECK(headers::kSignature == "Wechatpay-Signature");
  CHECK(headers::kTimestamp == "Wechatpay-Timestamp");
  CHECK(headers::kNonce == "Wechatpay-Nonce");
  CHECK(headers::kSignatureType == "Wechatpay-Signature-Type");
  CHECK(headers::kRequestId == "Request-ID");
  CHECK(kTimestampWindow.count() == 300);
  CHECK(kSignTestPrefix == "WECHATPAY/SIGNTEST/");
  CHECK(kCertificateAssociatedData == "certificate");
  CHECK(kAeadAes256Gcm == "AEAD_AES_256_GCM");
}

TEST_CASE("Wire constants: the pay-common actions", "[constants]") {
  CHECK(pay_common_actions::kOrderNative == "wxpay_order_native");
  CHECK(pay_common_actions::kQueryByOutTradeNo == "wxpay_query_order_by_out_trade_no");
  CHECK(pay_common_actions::kQueryByTransactionId == "wxpay_query_order_by_transaction_id");
  CHECK(pay_common_actions::kCloseOrder == "wxpay_close_order");
  CHECK(pay_common_actions::kRefund == "wxpay_refund");
  CHECK(pay_common_actions::kRefundQuery == "wxpay_refund_query");
}

}  // namespace
}  // namespace wechatpay
