// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "support/notification_builder.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cctype>
#include <stdexcept>
#include <utility>

namespace wechatpay::testing {
namespace {

void Member(rapidjson::Writer<rapidjson::StringBuffer>& w, char const* key,
            std::string const& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

}  // namespace

std::string DefaultOriginalType(std::string const& event_type) {
  auto const dot = event_type.find('.');
  std::string prefix = event_type.substr(0, dot);
  for (auto& c : prefix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return prefix;
}

std::string NotificationBody(NotificationSpec const& spec) {
  auto const original_type = spec.original_type.value_or(DefaultOriginalType(spec.event_type));
  auto const associated_data = spec.associated_data.value_or(original_type);
  auto cipher = AesGcmCipher::Create(spec.api_v3_key);
  if (!cipher) throw std::runtime_error(cipher.status().ToString());
  auto ciphertext =
      cipher->Encrypt(spec.nonce, associated_data, spec.plaintext.value_or(TransactionPlaintext()));
  if (!ciphertext) throw std::runtime_error(ciphertext.status().ToString());

  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  Member(w, "id", spec.id);
  Member(w, "create_time", spec.create_time);
  Member(w, "resource_type", spec.resource_type);
  Member(w, "event_type", spec.event_type);
  Member(w, "summary", spec.summary);
  w.Key("resource");
  w.StartObject();
  Member(w, "original_type", original_type);
  Member(w, "algorithm", spec.algorithm);
  Member(w, "ciphertext", *ciphertext);
  Member(w, "associated_data", associated_data);
  Member(w, "nonce", spec.nonce);
  w.EndObject();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

BuiltNotification SignNotification(std::string body, std::int64_t timestamp, std::string serial) {
  static WeChatSide const kWeChat;
  auto signed_response = kWeChat.Signed(200, std::move(body), timestamp, std::move(serial));
  return BuiltNotification{std::move(signed_response.headers), std::move(signed_response.body)};
}

BuiltNotification MakeNotification(NotificationSpec const& spec) {
  return SignNotification(NotificationBody(spec), spec.timestamp, spec.serial);
}

BuiltNotification MakeNotification(std::string event_type, std::string plaintext,
                                   std::int64_t timestamp) {
  NotificationSpec spec;
  spec.event_type = std::move(event_type);
  spec.plaintext = std::move(plaintext);
  spec.timestamp = timestamp;
  return MakeNotification(spec);
}

std::string TransactionPlaintext(std::string const& out_trade_no, std::int64_t total,
                                 std::string const& trade_state) {
  return R"({"appid":"wxd678efh567hg6787","mchid":"1900007291","out_trade_no":")" + out_trade_no +
         R"(","transaction_id":"1217752501201407033233368018","trade_type":"NATIVE",)"
         R"("trade_state":")" +
         trade_state +
         R"(","trade_state_desc":"支付成功","bank_type":"CMC","attach":"",)"
         R"("success_time":"2018-06-08T10:34:56+08:00","payer":{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},)"
         R"("amount":{"total":)" +
         std::to_string(total) + R"(,"payer_total":)" + std::to_string(total) +
         R"(,"currency":"CNY","payer_currency":"CNY"}})";
}

std::string RefundPlaintext(std::string const& refund_status, std::string const& out_refund_no,
                            std::int64_t refund, std::int64_t total) {
  std::string success_time =
      refund_status == "SUCCESS" ? R"("success_time":"2018-06-08T10:34:56+08:00",)" : "";
  return R"({"mchid":"1900007291","out_trade_no":"1217752501201407033233368018",)"
         R"("transaction_id":"1217752501201407033233368018","out_refund_no":")" +
         out_refund_no + R"(","refund_id":"50000000382019052709732678859","refund_status":")" +
         refund_status + R"(",)" + success_time +
         R"("user_received_account":"招商银行信用卡0403","amount":{"total":)" +
         std::to_string(total) + R"(,"refund":)" + std::to_string(refund) + R"(,"payer_total":)" +
         std::to_string(total) + R"(,"payer_refund":)" + std::to_string(refund) + "}}";
}

}  // namespace wechatpay::testing
