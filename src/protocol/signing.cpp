// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/protocol/signing.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "common/config_error.hpp"
#include "common/printable.hpp"
#include "common/text.hpp"

namespace wechatpay {
namespace {

using internal::ConfigError;
using internal::ErrorWithField;

constexpr std::string_view kTimestampHeader = headers::kTimestamp;
constexpr std::string_view kNonceHeader = headers::kNonce;
constexpr std::string_view kSignatureHeader = headers::kSignature;
constexpr std::string_view kSerialHeader = headers::kSerial;

constexpr std::size_t kMaxMerchantIdLength = 32;
constexpr std::size_t kMaxSerialNumberLength = 64;

Status VerificationError(VerificationFailure failure, std::string message) {
  ErrorInfo info;
  info.verification_failure = failure;
  return Status(StatusCode::kVerificationFailed, std::move(message), std::move(info));
}

bool IsControl(char c) noexcept {
  auto const u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

bool HasControl(std::string_view s) noexcept {
  for (char c : s) {
    if (IsControl(c)) return true;
  }
  return false;
}

// Header values come from the network: quote at most a short, printable prefix so that an
// error message cannot carry line breaks or megabytes into a log.
std::string Printable(std::string_view s) { return internal::PrintableUntrusted(s, 64); }

// |a - b| without signed overflow: both values may come from a hostile header.
std::uint64_t AbsoluteDifference(std::int64_t a, std::int64_t b) noexcept {
  auto const ua = static_cast<std::uint64_t>(a);
  auto const ub = static_cast<std::uint64_t>(b);
  return a >= b ? ua - ub : ub - ua;
}

}  // namespace

std::string BuildRequestSignMessage(std::string_view method, std::string_view canonical_url,
                                    std::int64_t timestamp, std::string_view nonce,
                                    std::string_view body) {
  auto const ts = std::to_string(timestamp);
  std::string message;
  message.reserve(method.size() + canonical_url.size() + ts.size() + nonce.size() + body.size() +
                  5);
  message.append(method).append(1, '\n');
  message.append(canonical_url).append(1, '\n');
  message.append(ts).append(1, '\n');
  message.append(nonce).append(1, '\n');
  message.append(body).append(1, '\n');
  return message;
}

std::string BuildResponseSignMessage(std::string_view timestamp, std::string_view nonce,
                                     std::string_view body) {
  std::string message;
  message.reserve(timestamp.size() + nonce.size() + body.size() + 3);
  message.append(timestamp).append(1, '\n');
  message.append(nonce).append(1, '\n');
  message.append(body).append(1, '\n');
  return message;
}

// --- RequestSigner ----------------------------------------------------------------------------

StatusOr<RequestSigner> RequestSigner::Create(std::string merchant_id, std::string serial_number,
                                              PrivateKey private_key) {
  // The values are not echoed: a credential pasted into the wrong setting must not end up in
  // an error message.
  if (merchant_id.empty() || merchant_id.size() > kMaxMerchantIdLength) {
    return ErrorWithField(StatusCode::kConfiguration, "merchantId",
                          "merchantId must be 1 to 32 digits (got " +
                              std::to_string(merchant_id.size()) + " characters)");
  }
  if (!internal::IsAllDigits(merchant_id)) {
    return ErrorWithField(StatusCode::kConfiguration, "merchantId",
                          "merchantId must be decimal digits only");
  }
  if (serial_number.empty() || serial_number.size() > kMaxSerialNumberLength) {
    return ErrorWithField(StatusCode::kConfiguration, "merchantSerialNumber",
                          "merchantSerialNumber must be 1 to 64 hexadecimal characters (got " +
                              std::to_string(serial_number.size()) + " characters)");
  }
  if (!internal::IsAllHex(serial_number)) {
    return ErrorWithField(StatusCode::kConfiguration, "merchantSerialNumber",
                          "merchantSerialNumber must be hexadecimal (the merchant API "
                          "certificate serial, e.g. 408B07E79B8269FEC3D5D3E6AB8ED163A6A380DB)");
  }
  if (private_key.bits() == 0) {
    return ErrorWithField(StatusCode::kConfiguration, "privateKey",
                          "privateKey is empty (a moved-from PrivateKey)");
  }
  return RequestSigner(std::move(merchant_id), std::move(serial_number), std::move(private_key));
}

StatusOr<std::string> RequestSigner::Authorization(std::string_view method,
                                                   std::string_view canonical_url,
                                                   std::string_view body, std::int64_t timestamp,
                                                   std::string_view nonce) const {
  // Method and nonce end up both in the message (one per line) and in the header (inside
  // quotes); a quote or a control character would make either ambiguous.
  if (method.empty()) {
    return ErrorWithField(StatusCode::kInvalidArgument, "method", "method must not be empty");
  }
  for (char c : method) {
    if (c < 'A' || c > 'Z') {
      return ErrorWithField(StatusCode::kInvalidArgument, "method",
                            "method must be an upper-case HTTP method such as GET or POST");
    }
  }
  if (canonical_url.empty() || canonical_url.front() != '/') {
    return ErrorWithField(StatusCode::kInvalidArgument, "canonical_url",
                          "canonical_url must be the request target (path and query), starting "
                          "with '/'");
  }
  for (char c : canonical_url) {
    if (IsControl(c) || c == ' ') {
      return ErrorWithField(StatusCode::kInvalidArgument, "canonical_url",
                            "canonical_url must not contain spaces or control characters");
    }
  }
  if (timestamp < 0) {
    return ErrorWithField(StatusCode::kInvalidArgument, "timestamp",
                          "timestamp must be Unix seconds, not negative");
  }
  if (nonce.empty()) {
    return ErrorWithField(StatusCode::kInvalidArgument, "nonce", "nonce must not be empty");
  }
  if (HasControl(nonce) || nonce.find('"') != std::string_view::npos) {
    return ErrorWithField(StatusCode::kInvalidArgument, "nonce",
                          "nonce must not contain '\"' or control characters");
  }

  auto signature =
      key_.SignSha256(BuildRequestSignMessage(method, canonical_url, timestamp, nonce, body));
  if (!signature) return signature.status();

  auto const ts = std::to_string(timestamp);
  std::string header;
  header.reserve(kAuthorizationScheme.size() + merchant_id_.size() + nonce.size() + ts.size() +
                 serial_number_.size() + signature->size() + 64);
  header.append(kAuthorizationScheme);
  header.append(" mchid=\"").append(merchant_id_);
  header.append("\",nonce_str=\"").append(nonce);
  header.append("\",timestamp=\"").append(ts);
  header.append("\",serial_no=\"").append(serial_number_);
  header.append("\",signature=\"").append(*signature);
  header.append(1, '"');
  return header;
}

// --- SignatureHeaders -------------------------------------------------------------------------

SignatureHeaders SignatureHeaders::From(HttpHeaders const& headers) {
  // Surrounding whitespace is not part of an HTTP field value (RFC 9110 §5.5).
  auto get = [&headers](std::string_view name) {
    return std::string(internal::Trim(headers.Get(name)));
  };
  SignatureHeaders out;
  out.timestamp = get(kTimestampHeader);
  out.nonce = get(kNonceHeader);
  out.signature = get(kSignatureHeader);
  out.serial = get(kSerialHeader);
  return out;
}

// --- SignatureVerifier ------------------------------------------------------------------------

SignatureVerifier::SignatureVerifier(KeySet keys)
    : keys_(std::make_shared<KeySet const>(std::move(keys))) {}

SignatureVerifier::SignatureVerifier(std::shared_ptr<KeySetHolder const> holder)
    : holder_(std::move(holder)) {}

SignatureVerifier::SignatureVerifier(std::shared_ptr<KeySetHolder const> holder,
                                     UnknownSerialHook on_unknown_serial)
    : holder_(std::move(holder)), on_unknown_serial_(std::move(on_unknown_serial)) {}

KeySet const* SignatureVerifier::Keys(std::shared_ptr<KeySet const>& pin) const noexcept {
  if (!holder_) return keys_.get();
  pin = holder_->Get();  // one atomic load; a concurrent refresh never blocks it
  return pin.get();
}

Status SignatureVerifier::AddKey(std::string id, PublicKey key) {
  if (holder_) {
    return ErrorWithField(StatusCode::kConfiguration, "wxPayPublicKeyId",
                          "this verifier reads its keys from a KeySetHolder; publish the key "
                          "there");
  }
  // Copy-on-write: a copy of this verifier keeps the set it had.
  KeySet next = keys_ ? *keys_ : KeySet();
  if (auto status = next.AddKey(std::move(id), std::move(key)); !status.ok()) return status;
  keys_ = std::make_shared<KeySet const>(std::move(next));
  return Status();
}

Status SignatureVerifier::AddCertificate(std::string_view certificate_pem) {
  auto key = PublicKey::FromPem(certificate_pem);
  if (!key) return key.status();
  std::string serial = key->certificate_serial();
  if (serial.empty()) {
    return ErrorWithField(StatusCode::kConfiguration, "wxPayPublicKey",
                          "AddCertificate needs a CERTIFICATE PEM; add a bare public key with "
                          "AddKey() under its PUB_KEY_ID_ id");
  }
  return AddKey(std::move(serial), *std::move(key));
}

bool SignatureVerifier::HasKey(std::string_view id) const {
  std::shared_ptr<KeySet const> pin;
  auto const* keys = Keys(pin);
  return keys != nullptr && keys->Find(id) != nullptr;
}

std::size_t SignatureVerifier::size() const noexcept {
  std::shared_ptr<KeySet const> pin;
  auto const* keys = Keys(pin);
  return keys == nullptr ? 0 : keys->size();
}

void SignatureVerifier::set_tolerance(std::chrono::seconds tolerance) {
  if (tolerance.count() > 0) tolerance_ = tolerance;
}

Status SignatureVerifier::Verify(SignatureHeaders const& headers, std::string_view body,
                                 std::chrono::system_clock::time_point now) const {
  std::string missing;
  auto note_missing = [&missing](std::string const& value, std::string_view name) {
    if (!value.empty()) return;
    if (!missing.empty()) missing += ", ";
    missing += name;
  };
  note_missing(headers.timestamp, kTimestampHeader);
  note_missing(headers.nonce, kNonceHeader);
  note_missing(headers.signature, kSignatureHeader);
  note_missing(headers.serial, kSerialHeader);
  if (!missing.empty()) {
    return VerificationError(VerificationFailure::kMissingHeaders,
                             "missing " + missing +
                                 ": a response or notification without its signature headers "
                                 "must not be trusted");
  }

  auto const timestamp = internal::ParseInt64(headers.timestamp);
  if (!timestamp) {
    return VerificationError(VerificationFailure::kInvalidTimestamp,
                             "Wechatpay-Timestamp \"" + Printable(headers.timestamp) +
                                 "\" is not a decimal number of seconds");
  }
  auto const now_seconds = std::chrono::floor<std::chrono::seconds>(now.time_since_epoch()).count();
  auto const skew = AbsoluteDifference(now_seconds, *timestamp);
  auto const limit = static_cast<std::uint64_t>(tolerance_.count());
  if (skew >= limit) {
    return VerificationError(VerificationFailure::kTimestampSkew,
                             "Wechatpay-Timestamp " + headers.timestamp + " is " +
                                 std::to_string(skew) + " s from now; the limit is " +
                                 std::to_string(limit) + " s");
  }

  // The lookup (KeySet::Find) is a scan of a handful of entries, without allocation; with a
  // KeySetHolder one atomic load of its current set comes first. Both are far below 1 % of the
  // RSA verification that follows.
  std::shared_ptr<KeySet const> pin;
  auto const* keys = Keys(pin);
  PublicKey const* key = keys == nullptr ? nullptr : keys->Find(headers.serial);
  if (key == nullptr && holder_ && on_unknown_serial_ && on_unknown_serial_(headers.serial)) {
    // Once more, with the set the hook may have published (never more than once per call).
    keys = Keys(pin);
    key = keys == nullptr ? nullptr : keys->Find(headers.serial);
  }
  if (key == nullptr) {
    // Never fall back to some other key: the serial says which key WeChat Pay signed with.
    std::string known;
    std::size_t listed = 0;
    if (keys != nullptr) {
      for (auto const& entry : keys->entries()) {
        if (listed++ == 8) {
          known += ", ...";
          break;
        }
        known += known.empty() ? "" : ", ";
        known += Printable(entry.serial);
      }
    }
    return VerificationError(VerificationFailure::kUnknownSerial,
                             "unknown Wechatpay-Serial " + Printable(headers.serial) +
                                 ": no configured key has this id (configured: " +
                                 (known.empty() ? "none" : known) + ")");
  }

  if (headers.signature.compare(0, kSignTestPrefix.size(), kSignTestPrefix) == 0) {
    return VerificationError(VerificationFailure::kSignTestProbe,
                             "Wechatpay-Signature is a WECHATPAY/SIGNTEST/ probe: WeChat Pay "
                             "checks that signatures are verified; it is never valid");
  }

  auto status = key->VerifySha256(BuildResponseSignMessage(headers.timestamp, headers.nonce, body),
                                  headers.signature);
  if (status.ok()) return status;
  if (status.code() != StatusCode::kVerificationFailed) return status;
  return VerificationError(
      status.info().verification_failure,
      "Wechatpay-Signature does not verify with the key for Wechatpay-Serial " +
          Printable(headers.serial) + ": " + status.message());
}

}  // namespace wechatpay
