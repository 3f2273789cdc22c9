// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

/// @file testing/wechatpay_signer.hpp
/// WeChat Pay's side of the protocol, for tests: answers signed with a "WeChat Pay" private key
/// the way WeChat Pay signs them, notifications encrypted with the merchant's APIv3 key and
/// signed the same way, and the check WeChat Pay makes of a merchant request's Authorization.
/// A client or NotificationParser configured with the matching public key (and its id) accepts
/// what this produces, so application code can be tested end to end without WeChat Pay.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wechatpay/http/types.hpp"
#include "wechatpay/protocol/keys.hpp"
#include "wechatpay/status.hpp"
#include "wechatpay/status_or.hpp"
#include "wechatpay/testing/export.hpp"

namespace wechatpay::testing {

/// Everything that goes into one notification. The defaults make a TRANSACTION.SUCCESS
/// notification of the documentation's sample order; change any part to build a broken one.
struct WECHATPAY_TESTING_EXPORT NotificationSpec {
  /// The notification id.
  std::string id = "EV-2018022511223320873";
  /// The envelope's create_time.
  std::string create_time = "2015-05-20T13:29:35+08:00";
  /// The event type, e.g. "TRANSACTION.SUCCESS", "REFUND.SUCCESS".
  std::string event_type = "TRANSACTION.SUCCESS";
  /// The envelope's resource_type.
  std::string resource_type = "encrypt-resource";
  /// The envelope's summary.
  std::string summary = "支付成功";
  /// The resource's original_type; default: DefaultOriginalType(event_type).
  std::optional<std::string> original_type;
  /// The resource's algorithm field (the encryption is AES-256-GCM whatever it says).
  std::string algorithm = "AEAD_AES_256_GCM";
  /// The resource before encryption; default: TransactionPlaintext().
  std::optional<std::string> plaintext;
  /// The AES-GCM nonce: 12 bytes.
  std::string nonce = "fdasflkja484";
  /// The AES-GCM associated data; default: the original type.
  std::optional<std::string> associated_data;
  /// The key the resource is encrypted with (32 bytes); default: the signer's APIv3 key.
  std::optional<std::string> api_v3_key;
  /// Wechatpay-Timestamp, Unix seconds; default: the current time.
  std::optional<std::int64_t> timestamp;
  /// Wechatpay-Serial; default: the signer's public key id.
  std::optional<std::string> serial;
};

/// A notification as WeChat Pay posts it: the request headers and the raw body, ready for
/// NotificationParser::Parse or NotificationHandler::Handle.
struct WECHATPAY_TESTING_EXPORT SignedNotification {
  /// Wechatpay-Timestamp, -Nonce, -Signature, -Serial, -Signature-Type, Request-ID and
  /// Content-Type.
  HttpHeaders headers;
  /// The envelope JSON.
  std::string body;
};

/// What WeChat Pay knows of a merchant to check its requests (CheckAuthorization).
struct WECHATPAY_TESTING_EXPORT MerchantKey {
  /// The merchant id (mchid).
  std::string merchant_id;
  /// The serial number of the merchant's API certificate.
  std::string serial_number;
  /// The merchant's public key (the counterpart of MerchantConfig::private_key).
  PublicKey public_key;
};

/// Signs as WeChat Pay does, with a WeChat Pay private key whose public key (and id) the
/// merchant configuration under test holds (MerchantConfig::wx_pay_public_key and
/// wx_pay_public_key_id). Generate such a pair for tests (for example
/// `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`); never use WeChat Pay's.
///
/// @par Thread Safety
/// Immutable after Create(): safe to use from many threads at once.
class WECHATPAY_TESTING_EXPORT WeChatPaySigner {
 public:
  /// A signer with `private_key_pem` (PEM, PKCS#8 or PKCS#1), answering with
  /// Wechatpay-Serial `public_key_id`, encrypting notifications with `api_v3_key` (32 bytes).
  /// Errors: kInvalidArgument naming the parameter ("private_key_pem", "public_key_id",
  /// "api_v3_key") and the rule; a key is never quoted.
  static StatusOr<WeChatPaySigner> Create(std::string_view private_key_pem,
                                          std::string public_key_id, std::string api_v3_key);

  /// An answer with `status` and `body`, signed now.
  HttpResponse Signed(int status, std::string body) const;
  /// An answer with `status` and `body`, signed over `timestamp` (Unix seconds), with
  /// Wechatpay-Serial `serial` (default: the signer's public key id), a Request-ID and, when
  /// the body is not empty, Content-Type application/json.
  HttpResponse Signed(int status, std::string body, std::int64_t timestamp,
                      std::optional<std::string> serial = std::nullopt) const;
  /// An answer without any Wechatpay-* header (how WeChat Pay sends some error answers), with
  /// a Request-ID.
  static HttpResponse Unsigned(int status, std::string body);

  /// The envelope JSON of `spec`, with the resource encrypted (not signed).
  /// Errors: kInvalidArgument when the key or nonce has the wrong length ("api_v3_key",
  /// "nonce").
  StatusOr<std::string> NotificationBody(NotificationSpec const& spec) const;
  /// `body` as a notification: signed over `timestamp` (Unix seconds; default: now) with
  /// Wechatpay-Serial `serial` (default: the signer's public key id).
  SignedNotification SignNotification(std::string body,
                                      std::optional<std::int64_t> timestamp = std::nullopt,
                                      std::optional<std::string> serial = std::nullopt) const;
  /// NotificationBody(spec), signed with the spec's timestamp and serial.
  StatusOr<SignedNotification> MakeNotification(NotificationSpec const& spec) const;

  /// The Wechatpay-Serial the answers carry.
  std::string const& public_key_id() const { return public_key_id_; }
  /// The APIv3 key notifications are encrypted with.
  std::string const& api_v3_key() const { return api_v3_key_; }

 private:
  WeChatPaySigner(PrivateKey key, std::string public_key_id, std::string api_v3_key)
      : key_(std::move(key)),
        public_key_id_(std::move(public_key_id)),
        api_v3_key_(std::move(api_v3_key)) {}

  PrivateKey key_;
  std::string public_key_id_;
  std::string api_v3_key_;
};

/// Checks a merchant request's Authorization header as WeChat Pay does: the
/// WECHATPAY2-SHA256-RSA2048 scheme, exactly the five parameters, `merchant`'s mchid and serial,
/// a 32-character nonce, and the signature over method, `target` (the URL's path and query),
/// timestamp, nonce and body. OK, or kUnauthenticated saying what is wrong.
WECHATPAY_TESTING_EXPORT Status CheckAuthorization(HttpRequest const& request,
                                                   std::string_view target,
                                                   MerchantKey const& merchant);
/// As above, with the target taken from the request's URL (its path and query).
WECHATPAY_TESTING_EXPORT Status CheckAuthorization(HttpRequest const& request,
                                                   MerchantKey const& merchant);

/// The original_type WeChat Pay puts in a resource for `event_type`: "transaction" for
/// TRANSACTION.*, "refund" for REFUND.*, else the lower-case part before the first dot.
WECHATPAY_TESTING_EXPORT std::string DefaultOriginalType(std::string const& event_type);

/// A TRANSACTION.* resource (JSON) of a Native order of the documentation's sample merchant
/// (appid wxd678efh567hg6787, mchid 1900007291): `out_trade_no`, paid `total` fen, in
/// `trade_state`.
WECHATPAY_TESTING_EXPORT std::string TransactionPlaintext(
    std::string const& out_trade_no = "1217752501201407033233368018", std::int64_t total = 100,
    std::string const& trade_state = "SUCCESS");

/// A REFUND.* resource (JSON) of the documentation's sample merchant (mchid 1900007291):
/// refund `out_refund_no` of `refund` fen out of `total`, with `refund_status`.
WECHATPAY_TESTING_EXPORT std::string RefundPlaintext(
    std::string const& refund_status = "SUCCESS",
    std::string const& out_refund_no = "1217752501201407033233368018", std::int64_t refund = 50,
    std::int64_t total = 100);

}  // namespace wechatpay::testing
