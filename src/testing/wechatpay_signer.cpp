// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/testing/wechatpay_signer.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cctype>
#include <chrono>
#include <map>
#include <utility>

#include "common/nonce.hpp"
#include "wechatpay/protocol/aes_gcm.hpp"
#include "wechatpay/protocol/signing.hpp"

namespace wechatpay::testing {
namespace {

Status BadParameter(std::string field, std::string message) {
  ErrorInfo info;
  info.field = std::move(field);
  return Status(StatusCode::kInvalidArgument, std::move(message), std::move(info));
}

std::int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void Member(rapidjson::Writer<rapidjson::StringBuffer>& w, char const* key,
            std::string const& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

Status Refused(std::string what) {
  return Status(StatusCode::kUnauthenticated, "Authorization: " + std::move(what));
}

}  // namespace

StatusOr<WeChatPaySigner> WeChatPaySigner::Create(std::string_view private_key_pem,
                                                  std::string public_key_id,
                                                  std::string api_v3_key) {
  auto key = PrivateKey::FromPem(private_key_pem);
  if (!key) {
    return BadParameter("private_key_pem",
                        "WeChatPaySigner: private_key_pem is not a PEM RSA private key");
  }
  if (public_key_id.empty()) {
    return BadParameter("public_key_id", "WeChatPaySigner: public_key_id must not be empty");
  }
  if (api_v3_key.size() != 32) {
    return BadParameter("api_v3_key", "WeChatPaySigner: api_v3_key must be exactly 32 bytes");
  }
  return WeChatPaySigner(*std::move(key), std::move(public_key_id), std::move(api_v3_key));
}

HttpResponse WeChatPaySigner::Signed(int status, std::string body) const {
  return Signed(status, std::move(body), UnixNow());
}

HttpResponse WeChatPaySigner::Signed(int status, std::string body, std::int64_t timestamp,
                                     std::optional<std::string> serial) const {
  HttpResponse response;
  response.status_code = status;
  std::string const nonce = internal::GenerateNonce();
  std::string const ts = std::to_string(timestamp);
  response.headers.Add("Request-ID", "08DEADBEEF-" + std::to_string(status));
  response.headers.Add("Wechatpay-Timestamp", ts);
  response.headers.Add("Wechatpay-Nonce", nonce);
  response.headers.Add("Wechatpay-Serial", serial.value_or(public_key_id_));
  // Signing with a key that parsed cannot fail short of memory exhaustion; an empty signature
  // then fails the client's verification, which is the right outcome for a test.
  auto signature = key_.SignSha256(BuildResponseSignMessage(ts, nonce, body));
  response.headers.Add("Wechatpay-Signature", signature ? *std::move(signature) : std::string());
  response.headers.Add("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048");
  if (!body.empty()) response.headers.Add("Content-Type", "application/json");
  response.body = std::move(body);
  return response;
}

HttpResponse WeChatPaySigner::Unsigned(int status, std::string body) {
  HttpResponse response;
  response.status_code = status;
  response.headers.Add("Request-ID", "08UNSIGNED-" + std::to_string(status));
  response.body = std::move(body);
  return response;
}

StatusOr<std::string> WeChatPaySigner::NotificationBody(NotificationSpec const& spec) const {
  auto const original_type = spec.original_type.value_or(DefaultOriginalType(spec.event_type));
  auto const associated_data = spec.associated_data.value_or(original_type);
  auto cipher = AesGcmCipher::Create(spec.api_v3_key.value_or(api_v3_key_));
  if (!cipher) {
    return BadParameter("api_v3_key", "NotificationSpec::api_v3_key must be exactly 32 bytes");
  }
  if (spec.nonce.size() != 12) {
    return BadParameter("nonce", "NotificationSpec::nonce must be exactly 12 bytes");
  }
  auto ciphertext =
      cipher->Encrypt(spec.nonce, associated_data, spec.plaintext.value_or(TransactionPlaintext()));
  if (!ciphertext) return ciphertext.status();

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

SignedNotification WeChatPaySigner::SignNotification(std::string body,
                                                     std::optional<std::int64_t> timestamp,
                                                     std::optional<std::string> serial) const {
  // A notification is signed exactly like an answer: same headers, same message.
  auto answer = Signed(200, std::move(body), timestamp.value_or(UnixNow()), std::move(serial));
  return SignedNotification{std::move(answer.headers), std::move(answer.body)};
}

StatusOr<SignedNotification> WeChatPaySigner::MakeNotification(NotificationSpec const& spec) const {
  auto body = NotificationBody(spec);
  if (!body) return body.status();
  return SignNotification(*std::move(body), spec.timestamp, spec.serial);
}

Status CheckAuthorization(HttpRequest const& request, std::string_view target,
                          MerchantKey const& merchant) {
  std::string const header(request.headers.Get("Authorization"));
  std::string const scheme = "WECHATPAY2-SHA256-RSA2048 ";
  if (header.compare(0, scheme.size(), scheme) != 0) {
    return Refused("the scheme is not WECHATPAY2-SHA256-RSA2048");
  }
  // key="value" pairs separated by commas, no spaces.
  std::map<std::string, std::string> fields;
  std::size_t pos = scheme.size();
  while (pos < header.size()) {
    auto const eq = header.find("=\"", pos);
    if (eq == std::string::npos) return Refused("a parameter is not key=\"value\"");
    auto const end = header.find('"', eq + 2);
    if (end == std::string::npos) return Refused("a parameter value is not terminated");
    fields[header.substr(pos, eq - pos)] = header.substr(eq + 2, end - eq - 2);
    pos = end + 1;
    if (pos < header.size()) {
      if (header[pos] != ',') return Refused("parameters must be separated by ',' without spaces");
      ++pos;
    }
  }
  for (char const* name : {"mchid", "nonce_str", "timestamp", "serial_no", "signature"}) {
    if (fields.count(name) == 0)
      return Refused(std::string("the parameter ") + name + " is missing");
  }
  if (fields.size() != 5) return Refused("expected exactly 5 parameters");
  if (fields["mchid"] != merchant.merchant_id) return Refused("wrong mchid");
  if (fields["serial_no"] != merchant.serial_number) return Refused("wrong serial_no");
  if (fields["nonce_str"].size() != 32) return Refused("nonce_str must be 32 characters");
  // Built here rather than with BuildRequestSignMessage: the timestamp is checked as the bytes
  // that were sent, not as the number they might parse to.
  std::string const message = request.method + "\n" + std::string(target) + "\n" +
                              fields["timestamp"] + "\n" + fields["nonce_str"] + "\n" +
                              request.body + "\n";
  auto verified = merchant.public_key.VerifySha256(message, fields["signature"]);
  if (!verified.ok()) return Refused("the signature does not verify: " + verified.message());
  return Status();
}

Status CheckAuthorization(HttpRequest const& request, MerchantKey const& merchant) {
  std::string_view url = request.url;
  std::string_view target = "/";
  if (auto const scheme = url.find("://"); scheme != std::string_view::npos) {
    auto const path = url.find('/', scheme + 3);
    if (path != std::string_view::npos) target = url.substr(path);
  } else if (!url.empty()) {
    target = url;
  }
  if (auto const fragment = target.find('#'); fragment != std::string_view::npos) {
    target = target.substr(0, fragment);
  }
  return CheckAuthorization(request, target, merchant);
}

std::string DefaultOriginalType(std::string const& event_type) {
  std::string prefix = event_type.substr(0, event_type.find('.'));
  for (auto& c : prefix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return prefix;
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
  std::string const success_time =
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
