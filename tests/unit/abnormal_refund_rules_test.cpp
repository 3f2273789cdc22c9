// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// apply-abnormal-refund before anything is sent: the validation rules (each naming its field,
// none quoting the payer's card number or name) and the exact JSON body the codec writes.

#include <string>

#include "catch.hpp"
#include "json/json_codec.hpp"
#include "support/validation_checks.hpp"
#include "wechatpay/protocol/validation.hpp"

namespace wechatpay {
namespace {

using testing::CheckInvalid;
using testing::CheckOk;
using testing::Contains;
using testing::kEmoji;
using testing::kHan;
using testing::Repeat;

constexpr char kCard[] = "6222020200112233445";
constexpr char kName[] = "张三丰";

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

ApplyAbnormalRefundRequest ToMerchant() {
  ApplyAbnormalRefundRequest request;
  request.refund_id = "50000000382019052709732678859";
  request.out_refund_no = "RF20261207001";
  request.type = std::string(kAbnormalRefundToMerchantBankCard);
  return request;
}

// The rule failed on `field` and the message quotes neither secret of the request.
void CheckRefused(ApplyAbnormalRefundRequest const& request, std::string const& field,
                  std::string const& message_part) {
  Status const status = Validate(request);
  CheckInvalid(status, field, message_part);
  for (auto const* secret : {&request.bank_account, &request.real_name}) {
    if (secret->has_value() && !(*secret)->empty()) {
      CHECK_FALSE(Contains(status.ToString(), **secret));
    }
  }
}

TEST_CASE("abnormal refund: valid requests to a user's card and to the merchant's account",
          "[abnormal-refund]") {
  CheckOk(Validate(ToUser()));
  CheckOk(Validate(ToMerchant()));
  auto longest = ToUser();
  longest.refund_id = Repeat("9", 32);
  longest.out_refund_no = Repeat("a", 64);
  longest.bank_type = Repeat("B", 16);
  longest.bank_account = Repeat("1", 32);
  longest.real_name = Repeat(kHan, 71) + "x";  // 214 bytes
  CheckOk(Validate(longest));
}

TEST_CASE("abnormal refund: refund_id, out_refund_no and type", "[abnormal-refund]") {
  auto request = ToUser();
  request.refund_id.clear();
  CheckRefused(request, "refund_id", "1-32 characters of [0-9A-Za-z]");
  request.refund_id = Repeat("1", 33);
  CheckRefused(request, "refund_id", "(got 33)");
  request.refund_id = "5000/../1";
  CheckRefused(request, "refund_id", "invalid character at index 4");

  request = ToUser();
  request.out_refund_no = "R 1";
  CheckRefused(request, "out_refund_no", "[0-9A-Za-z_-|*@]");

  request = ToUser();
  request.type = "user_bank_card";
  CheckRefused(request, "type", "USER_BANK_CARD or MERCHANT_BANK_CARD");
  request.type.clear();
  CheckRefused(request, "type", "USER_BANK_CARD or MERCHANT_BANK_CARD");
}

TEST_CASE("abnormal refund: USER_BANK_CARD needs the three bank fields", "[abnormal-refund]") {
  for (auto member :
       {&ApplyAbnormalRefundRequest::bank_type, &ApplyAbnormalRefundRequest::bank_account,
        &ApplyAbnormalRefundRequest::real_name}) {
    auto request = ToUser();
    (request.*member).reset();
    Status const status = Validate(request);
    REQUIRE_FALSE(status.ok());
    CHECK(Contains(status.message(), "is required when type is USER_BANK_CARD"));
    CHECK((member == &ApplyAbnormalRefundRequest::bank_type ? "bank_type"
           : member == &ApplyAbnormalRefundRequest::bank_account
               ? "bank_account"
               : "real_name") == status.info().field);
  }
}

TEST_CASE("abnormal refund: MERCHANT_BANK_CARD carries no bank field", "[abnormal-refund]") {
  auto request = ToMerchant();
  request.bank_type = "ICBC_DEBIT";
  CheckRefused(request, "bank_type", "must be absent when type is MERCHANT_BANK_CARD");
  request = ToMerchant();
  request.bank_account = kCard;
  CheckRefused(request, "bank_account", "must be absent when type is MERCHANT_BANK_CARD");
  request = ToMerchant();
  request.real_name = kName;
  CheckRefused(request, "real_name", "must be absent when type is MERCHANT_BANK_CARD");
}

TEST_CASE("abnormal refund: bank field rules never quote the value", "[abnormal-refund]") {
  auto request = ToUser();
  request.bank_type = "";
  CheckRefused(request, "bank_type", "1-16 characters of [0-9A-Za-z_]");
  request.bank_type = Repeat("B", 17);
  CheckRefused(request, "bank_type", "(got 17)");
  request.bank_type = "ICBC-DEBIT";
  CheckRefused(request, "bank_type", "invalid character at index 4");

  request = ToUser();
  request.bank_account = "";
  CheckRefused(request, "bank_account", "1-32 digits");
  request.bank_account = Repeat("6", 33);
  CheckRefused(request, "bank_account", "(got 33)");
  request.bank_account = "6222 0202 0011 2233";
  CheckRefused(request, "bank_account", "not a digit at index 4");
  request.bank_account = "62220202001122334x";
  CheckRefused(request, "bank_account", "not a digit at index 17");

  request = ToUser();
  request.real_name = "";
  CheckRefused(request, "real_name", "must not be empty");
  request.real_name = Repeat(kHan, 72);  // 216 bytes
  CheckRefused(request, "real_name", "at most 214 bytes");
  request.real_name = std::string("张") + kEmoji;
  CheckRefused(request, "real_name", "4-byte UTF-8");
  request.real_name = "\xE5\xBC";  // a truncated character
  CheckRefused(request, "real_name", "valid UTF-8");
}

TEST_CASE("abnormal refund: the JSON body, ciphertexts in place of the plaintext",
          "[abnormal-refund]") {
  internal::AbnormalRefundCiphertexts encrypted;
  encrypted.bank_account = "Q0lQSEVSLUFDQ09VTlQ=";
  encrypted.real_name = "Q0lQSEVSLU5BTUU=";
  CHECK(internal::ApplyAbnormalRefundToJson(ToUser(), encrypted) ==
        R"({"out_refund_no":"RF20261207001","type":"USER_BANK_CARD","bank_type":"ICBC_DEBIT",)"
        R"("bank_account":"Q0lQSEVSLUFDQ09VTlQ=","real_name":"Q0lQSEVSLU5BTUU="})");
  // Without ciphertexts the plaintext is still never written: the codec has no path to it.
  std::string const without = internal::ApplyAbnormalRefundToJson(ToUser(), {});
  CHECK(without ==
        R"({"out_refund_no":"RF20261207001","type":"USER_BANK_CARD","bank_type":"ICBC_DEBIT"})");
  CHECK_FALSE(Contains(without, kCard));
  CHECK_FALSE(Contains(without, kName));
  CHECK(internal::ApplyAbnormalRefundToJson(ToMerchant(), {}) ==
        R"({"out_refund_no":"RF20261207001","type":"MERCHANT_BANK_CARD"})");
}

}  // namespace
}  // namespace wechatpay
