// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/protocol/platform_certificate.hpp"

#include <openssl/asn1.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>
#include <utility>
#include <vector>

#include "common/config_error.hpp"
#include "common/openssl.hpp"
#include "common/printable.hpp"
#include "common/text.hpp"
#include "json/certificate_codec.hpp"
#include "protocol/pem.hpp"
#include "wechatpay/protocol/constants.hpp"

namespace wechatpay {

// The one place that builds PlatformCertificate values (its constructor is private, so a
// certificate always went through the checks below).
struct PlatformCertificateAccess {
  static PlatformCertificate Make(std::string serial, std::chrono::system_clock::time_point nb,
                                  std::chrono::system_clock::time_point na, PublicKey key,
                                  std::string pem) {
    return PlatformCertificate(std::move(serial), nb, na, std::move(key), std::move(pem));
  }
};

namespace {

using internal::ConfigError;
using internal::DerLength;
using internal::ParseWholeDer;
using internal::PemBlock;
using internal::PemLabelForMessage;
using internal::PemReader;
using internal::PkeyPtr;
using internal::X509Ptr;
using internal::X509StoreCtxPtr;
using internal::X509StorePtr;
using TimePoint = std::chrono::system_clock::time_point;

// The key size of the WECHATPAY2-SHA256-RSA2048 scheme; WeChat issues platform certificates
// with exactly this key size, so anything else is not one of them.
constexpr int kPlatformKeyBits = 2048;
// serial_no is documented as string[1,40]; 64 leaves room for a longer serial and no more.
constexpr std::size_t kMaxSerialDigits = 64;
constexpr std::string_view kCaField = "ca_certificates";

// What is wrong with a certificate, worded to follow "the certificate ". The first problem
// only; "" when none.
using Problem = std::string;

// UTC, RFC 3339 with 'Z', for messages ("2028-09-17T15:15:58Z").
std::string FormatUtc(TimePoint t) {
  std::time_t const seconds = std::chrono::system_clock::to_time_t(t);
  std::tm parts{};
  if (OPENSSL_gmtime(&seconds, &parts) == nullptr) return std::to_string(seconds) + " (Unix time)";
  char buffer[32];
  auto const length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return std::string(buffer, length);
}

// An ASN1_TIME as a time point; false when it is not a valid time.
bool ToTimePoint(ASN1_TIME const* time, TimePoint& out) {
  std::tm parts{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &parts) != 1) return false;
  std::tm epoch{};
  epoch.tm_year = 70;  // 1970-01-01T00:00:00Z
  epoch.tm_mday = 1;
  int days = 0;
  int seconds = 0;
  if (OPENSSL_gmtime_diff(&days, &seconds, &epoch, &parts) != 1) return false;
  out = TimePoint(std::chrono::seconds(static_cast<std::int64_t>(days) * 86400 + seconds));
  return true;
}

// A hex serial as a number's digits: upper case, leading zeros dropped. WeChat's serial_no and
// `openssl x509 -serial` may differ in both (Java's BigInteger.toString(16) drops a leading
// zero that the DER bytes keep).
std::string SerialDigits(std::string_view hex) {
  std::string digits = internal::ToUpper(hex);
  auto const first = digits.find_first_not_of('0');
  return first == std::string::npos ? "0" : digits.substr(first);
}

// The parts of a certificate the checks need.
struct ParsedCertificate {
  X509Ptr x509;
  TimePoint not_before;
  TimePoint not_after;
};

// Parses `pem` as exactly one PEM certificate with an RSA-2048 key; see FromPem().
Problem ParseCertificate(std::string_view pem, ParsedCertificate& out) {
  PemReader reader(pem);
  if (!reader.ok()) return "is too large";
  PemBlock block;
  if (!reader.Next(block)) return "is not PEM text (no readable \"BEGIN CERTIFICATE\" block)";
  if (block.label() != "CERTIFICATE") {
    return "is a PEM block labelled " + PemLabelForMessage(block.label()) + ", not \"CERTIFICATE\"";
  }
  if (block.has_headers()) return "has PEM headers, which a certificate never has";
  out.x509 = ParseWholeDer<X509Ptr>(
      block, [](unsigned char const** p, DerLength n) { return d2i_X509(nullptr, p, n); });
  if (!out.x509) return "is not a valid X.509 certificate";
  if (PemBlock extra; reader.Next(extra)) return "is followed by another PEM block";

  PkeyPtr key(X509_get_pubkey(out.x509.get()));  // a new reference
  if (!key) return "has no readable public key";
  if (EVP_PKEY_is_a(key.get(), "RSA") != 1) {
    char const* type = EVP_PKEY_get0_type_name(key.get());
    return "has a key of type " + internal::PrintableUntrusted(type == nullptr ? "?" : type, 20) +
           "; a platform certificate's key is RSA-2048";
  }
  if (int const bits = EVP_PKEY_get_bits(key.get()); bits != kPlatformKeyBits) {
    return "has a " + std::to_string(bits) +
           "-bit RSA key; a platform certificate's key is "
           "RSA-2048";
  }
  if (!ToTimePoint(X509_get0_notBefore(out.x509.get()), out.not_before) ||
      !ToTimePoint(X509_get0_notAfter(out.x509.get()), out.not_after)) {
    return "has an unreadable validity period";
  }
  return {};
}

// "" when `certificate` is valid at `now`.
Problem CheckValidity(ParsedCertificate const& certificate, TimePoint now) {
  if (now < certificate.not_before) {
    return "is not valid yet: its validity starts at " + FormatUtc(certificate.not_before) +
           ", now is " + FormatUtc(now);
  }
  if (now > certificate.not_after) {
    return "has expired: its validity ended at " + FormatUtc(certificate.not_after) + ", now is " +
           FormatUtc(now);
  }
  return {};
}

// The configured CAs as a store; every block must be a certificate.
StatusOr<X509StorePtr> LoadCaStore(std::string_view pem) {
  X509StorePtr store(X509_STORE_new());
  if (!store) return Status(StatusCode::kInternal, "cannot create an X509_STORE");
  PemReader reader(pem);
  if (!reader.ok()) return ConfigError(kCaField, "ca_certificates is too large");
  int added = 0;
  for (;;) {
    PemBlock block;
    if (!reader.Next(block)) break;
    if (block.label() != "CERTIFICATE") {
      return ConfigError(kCaField, "ca_certificates holds a PEM block labelled " +
                                       PemLabelForMessage(block.label()) +
                                       "; only \"CERTIFICATE\" blocks are accepted");
    }
    X509Ptr ca = ParseWholeDer<X509Ptr>(
        block, [](unsigned char const** p, DerLength n) { return d2i_X509(nullptr, p, n); });
    if (!ca) {
      return ConfigError(kCaField, "ca_certificates: certificate " + std::to_string(added) +
                                       " is not a valid X.509 certificate");
    }
    if (X509_STORE_add_cert(store.get(), ca.get()) != 1) {  // takes its own reference
      internal::ClearOpenSslErrors();
      return ConfigError(kCaField, "ca_certificates: certificate " + std::to_string(added) +
                                       " cannot be added (listed twice?)");
    }
    ++added;
  }
  if (added == 0) {
    return internal::NoUsablePemBlock(kCaField, pem, "\"CERTIFICATE\"", {});
  }
  return store;
}

// "" when `certificate` chains to a certificate of `store` at `now`.
Problem CheckChain(X509_STORE* store, X509* certificate, TimePoint now) {
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), store, certificate, nullptr) != 1) {
    internal::ClearOpenSslErrors();
    return "cannot be checked against the CA certificates (out of memory)";
  }
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_ANY);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_time(param, std::chrono::system_clock::to_time_t(now));
  // Every configured CA is a trust anchor, root or not: the official Java SDK anchors the
  // chain at "Tenpay.com Root CA", which is itself issued by another CA.
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
  int const verified = X509_verify_cert(ctx.get());
  int const error = X509_STORE_CTX_get_error(ctx.get());
  internal::ClearOpenSslErrors();
  if (verified == 1) return {};
  return "does not chain to a configured CA certificate (" +
         std::string(X509_verify_cert_error_string(error)) + ")";
}

Status Refusal(StatusCode code, std::size_t index, std::string_view serial_no, std::string rule) {
  std::string message = "platform certificate " + std::to_string(index);
  if (!serial_no.empty()) message.append(" (serial_no ").append(serial_no).append(")");
  return Status(code, message + ": " + std::move(rule));
}

Status Malformed(std::size_t index, std::string_view serial_no, std::string rule) {
  return Refusal(StatusCode::kMalformedResponse, index, serial_no, std::move(rule));
}

}  // namespace

StatusOr<PlatformCertificate> PlatformCertificate::FromPem(std::string_view pem) {
  ParsedCertificate parsed;
  if (auto problem = ParseCertificate(pem, parsed); !problem.empty()) {
    return ConfigError("certificate", "certificate " + problem);
  }
  // The same single block, so the same key; FromPem() also gives the serial as printed.
  auto key = PublicKey::FromPem(pem);
  if (!key) return ConfigError("certificate", "certificate: " + key.status().message());
  std::string serial = key->certificate_serial();
  return PlatformCertificate(std::move(serial), parsed.not_before, parsed.not_after,
                             *std::move(key), std::string(pem));
}

StatusOr<std::vector<PlatformCertificate>> ReadPlatformCertificates(
    std::string_view body, AesGcmCipher const& cipher, PlatformCertificateCheck const& check) {
  auto items = internal::ParseCertificateDownload(body);
  if (!items) return items.status();
  X509StorePtr store;
  if (!check.ca_certificates.empty()) {
    auto loaded = LoadCaStore(check.ca_certificates);
    if (!loaded) return loaded.status();
    store = *std::move(loaded);
  }

  std::vector<PlatformCertificate> out;
  std::vector<std::string> digits_seen;
  out.reserve(items->size());
  for (std::size_t i = 0; i < items->size(); ++i) {
    auto const& item = (*items)[i];
    // The serial first: every later refusal names the certificate by it.
    if (item.serial_no.size() > kMaxSerialDigits || !internal::IsAllHex(item.serial_no)) {
      return Malformed(i, "",
                       "serial_no must be 1 to " + std::to_string(kMaxSerialDigits) +
                           " hexadecimal digits (got " + std::to_string(item.serial_no.size()) +
                           " characters, not all hexadecimal)");
    }
    std::string const serial = internal::ToUpper(item.serial_no);
    std::string const digits = SerialDigits(serial);
    for (std::size_t j = 0; j < digits_seen.size(); ++j) {
      if (digits_seen[j] == digits) {
        return Malformed(i, serial,
                         "serial_no is also the serial of certificate " + std::to_string(j) +
                             "; each certificate is listed once");
      }
    }
    digits_seen.push_back(digits);

    if (item.algorithm != kAeadAes256Gcm) {
      return Malformed(i, serial,
                       "encrypt_certificate.algorithm is " +
                           internal::QuoteForMessage(item.algorithm, 32) +
                           ", expected \"AEAD_AES_256_GCM\"");
    }
    // The associated data is authenticated by the GCM tag. Requiring "certificate" binds the
    // ciphertext to its purpose: something else WeChat encrypted with the same APIv3 key (a
    // notification resource, whose associated_data is "transaction" or empty) cannot be
    // presented as a certificate, because its tag only verifies with its own associated data.
    if (item.associated_data != kCertificateAssociatedData) {
      return Malformed(i, serial,
                       "encrypt_certificate.associated_data is " +
                           internal::QuoteForMessage(item.associated_data, 32) +
                           ", expected \"certificate\"");
    }
    auto plaintext = cipher.Decrypt(item.nonce, item.associated_data, item.ciphertext);
    if (!plaintext) {
      auto const code = plaintext.status().code() == StatusCode::kInternal
                            ? StatusCode::kInternal
                            : StatusCode::kDecryptionFailed;
      return Refusal(code, i, serial,
                     "encrypt_certificate does not decrypt with the APIv3 key (wrong apiV3Key, "
                     "or altered ciphertext, nonce or associated_data): " +
                         plaintext.status().message());
    }

    ParsedCertificate parsed;
    if (auto problem = ParseCertificate(*plaintext, parsed); !problem.empty()) {
      return Malformed(i, serial, "the certificate " + problem);
    }
    auto key = PublicKey::FromPem(*plaintext);
    if (!key) return Malformed(i, serial, "the certificate's key: " + key.status().message());
    if (SerialDigits(key->certificate_serial()) != digits) {
      return Malformed(i, serial,
                       "serial_no differs from the certificate's own serial number " +
                           key->certificate_serial());
    }
    if (auto problem = CheckValidity(parsed, check.now); !problem.empty()) {
      return Malformed(i, serial, "the certificate " + problem);
    }
    if (store) {
      if (auto problem = CheckChain(store.get(), parsed.x509.get(), check.now); !problem.empty()) {
        return Malformed(i, serial, "the certificate " + problem);
      }
    }
    out.push_back(PlatformCertificateAccess::Make(serial, parsed.not_before, parsed.not_after,
                                                  *std::move(key), *std::move(plaintext)));
  }
  return out;
}

}  // namespace wechatpay
