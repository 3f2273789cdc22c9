// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "v3/response_signer.hpp"

#include "state/random_ids.hpp"
#include "wechatpay/protocol/constants.hpp"

namespace wechatpay::sandbox::internal {
namespace {

constexpr std::int64_t kStaleSeconds = 600;

std::string Message(std::string_view timestamp, std::string_view nonce, std::string_view body) {
  std::string message;
  message.reserve(timestamp.size() + nonce.size() + body.size() + 3);
  message.append(timestamp).push_back('\n');
  message.append(nonce).push_back('\n');
  message.append(body).push_back('\n');
  return message;
}

}  // namespace

void ResponseSigner::Sign(SigningKey const& key, std::string_view body, std::int64_t timestamp,
                          HttpHeaders& headers) {
  std::string const ts = std::to_string(timestamp);
  // Observed nonces are 32 lower-case hex digits (docs/protocol.md, "Response verification").
  std::string const nonce = RandomHex(32);
  headers.Set(std::string(wechatpay::headers::kTimestamp), ts);
  headers.Set(std::string(wechatpay::headers::kNonce), nonce);
  headers.Set(std::string(wechatpay::headers::kSignature),
              key.key.SignSha256(Message(ts, nonce, body)).value());
  headers.Set(std::string(wechatpay::headers::kSerial), key.serial);
  headers.Set(std::string(wechatpay::headers::kSignatureType),
              std::string(wechatpay::kAuthorizationScheme));
}

void ResponseSigner::SignCallback(std::string_view body, std::int64_t timestamp,
                                  HttpHeaders& headers) const {
  Sign(keys_.ForCallback(), body, timestamp, headers);
}

void ResponseSigner::SignAnswer(Answer& answer, std::int64_t now, std::optional<FaultKind> fault,
                                std::string_view request_serial) const {
  if (answer.status < 200 || answer.status >= 300) return;
  if (fault == FaultKind::kNoSignature) return;
  SigningKey const key = keys_.ForAnswer(request_serial);
  Sign(key, answer.body, fault == FaultKind::kStaleTimestamp ? now - kStaleSeconds : now,
       answer.headers);
  if (fault == FaultKind::kBadSignature) {
    // A well-formed signature by the right key over a different body: only a verifier that
    // really checks the message catches it.
    std::string const ts(answer.headers.Get("Wechatpay-Timestamp"));
    std::string const nonce(answer.headers.Get("Wechatpay-Nonce"));
    answer.headers.Set("Wechatpay-Signature",
                       key.key.SignSha256(Message(ts, nonce, answer.body + " ")).value());
  } else if (fault == FaultKind::kSignTest) {
    answer.headers.Set("Wechatpay-Signature",
                       std::string(wechatpay::kSignTestPrefix) +
                           std::string(answer.headers.Get("Wechatpay-Signature")));
  } else if (fault == FaultKind::kWrongSerial) {
    // An unknown name of the same kind as the right one.
    answer.headers.Set("Wechatpay-Serial", key.certificate
                                               ? RandomChars(1, "1234567") + RandomUpperHex(39)
                                               : "PUB_KEY_ID_0100000000" + RandomDigits(24));
  }
}

}  // namespace wechatpay::sandbox::internal
