// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "fixtures.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <memory>

#include "common/nonce.hpp"
#include "common/openssl.hpp"

namespace wechatpay::bench {
namespace {

[[noreturn]] void Die(char const* what) {
  std::fprintf(stderr, "wechatpay_bench: %s failed\n", what);
  std::exit(2);
}

template <typename Write>
std::string ToPem(EVP_PKEY* key, Write write) {
  internal::BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || write(bio.get(), key) != 1) Die("PEM_write");
  return internal::MemoryBioText(bio.get());
}

void GeneratePair(std::string& private_pem, std::string& public_pem) {
  internal::PkeyPtr key(EVP_RSA_gen(2048));
  if (!key) Die("EVP_RSA_gen");
  private_pem = ToPem(key.get(), [](BIO* bio, EVP_PKEY* k) {
    return PEM_write_bio_PrivateKey(bio, k, nullptr, nullptr, 0, nullptr, nullptr);
  });
  public_pem = ToPem(key.get(), [](BIO* bio, EVP_PKEY* k) { return PEM_write_bio_PUBKEY(bio, k); });
}

}  // namespace

Keys GenerateKeys() {
  Keys keys;
  GeneratePair(keys.merchant_private_pem, keys.merchant_public_pem);
  GeneratePair(keys.wechat_private_pem, keys.wechat_public_pem);
  return keys;
}

MerchantConfig BenchConfig(Keys const& keys, std::string base_url) {
  MerchantConfig config;
  config.app_id = kAppId;
  config.merchant_id = kMerchantId;
  config.api_v3_key = kApiV3Key;
  config.merchant_serial_number = kMerchantSerial;
  config.private_key = keys.merchant_private_pem;
  config.wx_pay_public_key = keys.wechat_public_pem;
  config.wx_pay_public_key_id = kPublicKeyId;
  config.notify_url = kNotifyUrl;
  config.base_url = std::move(base_url);
  return config;
}

NativePrepayRequest NativeOrder(std::string out_trade_no) {
  NativePrepayRequest order;
  order.description = "Image形象店-深圳腾大-QQ公仔";
  order.out_trade_no = std::move(out_trade_no);
  order.time_expire = "2099-06-08T10:34:56+08:00";
  order.attach = "自定义数据说明";
  order.goods_tag = "WXG";
  order.amount.total = 100;
  order.amount.currency = "CNY";
  return order;
}

std::string NativeOrderBody() {
  return R"({"appid":"wxd678efh567hg6787","mchid":"1900007291","description":)"
         R"("Image形象店-深圳腾大-QQ公仔","out_trade_no":"1217752501201407033233368018",)"
         R"("time_expire":"2099-06-08T10:34:56+08:00","attach":"自定义数据说明",)"
         R"("notify_url":"https://merchant.example.com/wechatpay/notify","goods_tag":"WXG",)"
         R"("amount":{"total":100,"currency":"CNY"}})";
}

std::string TransactionJson(std::string const& out_trade_no) {
  return R"({"mchid":"1900007291","appid":"wxd678efh567hg6787","out_trade_no":")" + out_trade_no +
         R"(","transaction_id":"4200000985202311151234567890","trade_type":"NATIVE",)"
         R"("trade_state":"SUCCESS","trade_state_desc":"支付成功","bank_type":"CMC",)"
         R"("attach":"store=4012;lane=3","success_time":"2023-11-15T06:13:20+08:00",)"
         R"("payer":{"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"},"amount":{"total":100,)"
         R"("payer_total":100,"currency":"CNY","payer_currency":"CNY"},"scene_info":)"
         R"({"device_id":"POS1:12345"},"promotion_detail":[{"coupon_id":"109519","name":)"
         R"("单品惠-6","scope":"SINGLE","type":"DISCOUNT","amount":1,"stock_id":"931386",)"
         R"("wechatpay_contribute":0,"merchant_contribute":1,"other_contribute":0,)"
         R"("currency":"CNY"}]})";
}

std::string RefundJson(std::string const& out_refund_no) {
  return R"({"mchid":"1900007291","transaction_id":"4200000985202311151234567890",)"
         R"("out_trade_no":"1217752501201407033233368018","refund_id":)"
         R"("50000000382019052709732678859","out_refund_no":")" +
         out_refund_no +
         R"(","refund_status":"SUCCESS","success_time":"2023-11-15T06:13:20+08:00",)"
         R"("user_received_account":"招商银行信用卡0403","amount":{"total":100,"refund":50,)"
         R"("payer_total":100,"payer_refund":50}})";
}

SignedMessage SignAsWeChat(PrivateKey const& wechat_key, std::string body, std::int64_t timestamp) {
  SignedMessage m;
  m.body = std::move(body);
  m.timestamp = std::to_string(timestamp);
  m.nonce = internal::GenerateNonce();
  m.signature =
      Must(wechat_key.SignSha256(BuildResponseSignMessage(m.timestamp, m.nonce, m.body)), "sign");
  m.headers.Add("Content-Type", "application/json");
  m.headers.Add("Request-ID", "08F4D0C8A10610EF9BA9A2F70B2A8B2E0E4A4C");
  m.headers.Add("Wechatpay-Nonce", m.nonce);
  m.headers.Add("Wechatpay-Signature", m.signature);
  m.headers.Add("Wechatpay-Timestamp", m.timestamp);
  m.headers.Add("Wechatpay-Serial", kPublicKeyId);
  m.headers.Add("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048");
  return m;
}

BuiltNotification BuildNotification(PrivateKey const& wechat_key, std::string const& id,
                                    std::string const& event_type, std::string const& plaintext,
                                    std::int64_t timestamp) {
  bool const refund = event_type.rfind("REFUND.", 0) == 0;
  BuiltNotification n;
  n.resource_nonce = internal::GenerateNonce().substr(0, 12);
  n.associated_data = refund ? "refund" : "transaction";
  auto const cipher = Must(AesGcmCipher::Create(kApiV3Key), "AesGcmCipher::Create");
  n.ciphertext = Must(cipher.Encrypt(n.resource_nonce, n.associated_data, plaintext), "encrypt");
  std::string body = R"({"id":")" + id +
                     R"(","create_time":"2023-11-15T06:13:21+08:00","resource_type":)"
                     R"("encrypt-resource","event_type":")" +
                     event_type + R"(","summary":")" + (refund ? "退款成功" : "支付成功") +
                     R"(","resource":{"original_type":")" + n.associated_data +
                     R"(","algorithm":"AEAD_AES_256_GCM","ciphertext":")" + n.ciphertext +
                     R"(","associated_data":")" + n.associated_data + R"(","nonce":")" +
                     n.resource_nonce + R"("}})";
  n.message = SignAsWeChat(wechat_key, std::move(body), timestamp);
  return n;
}

}  // namespace wechatpay::bench
