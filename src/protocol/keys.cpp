// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/protocol/keys.hpp"

#include <openssl/asn1.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <string>
#include <utility>
#include <vector>

#include "common/base64.hpp"
#include "common/config_error.hpp"
#include "common/openssl.hpp"
#include "common/printable.hpp"
#include "common/wipe.hpp"
#include "protocol/crypto_errors.hpp"
#include "protocol/pem.hpp"
#include "wechatpay/protocol/constants.hpp"

namespace wechatpay {
namespace {

using internal::AsBytes;
using internal::Base64Decode;
using internal::Base64Encode;
using internal::ConfigError;
using internal::CryptoDecryptionError;
using internal::CryptoInternalError;
using internal::DerLength;
using internal::ErrorWithField;
using internal::MdCtxPtr;
using internal::NoUsablePemBlock;
using internal::P8InfoPtr;
using internal::ParseWholeDer;
using internal::PemBlock;
using internal::PemLabelForMessage;
using internal::PemReader;
using internal::PkeyCtxPtr;
using internal::PkeyPtr;
using internal::X509Ptr;

// WeChat Pay API v3 keys are RSA-2048; anything shorter is a misconfiguration (or a test key
// that would never be accepted by the service).
constexpr int kMinRsaBits = 2048;
// PKCS#1 v2 OAEP overhead with SHA-1: two hash lengths plus two bytes (RFC 8017 §7.1.1).
constexpr int kOaepSha1Overhead = 2 * 20 + 2;
constexpr std::string_view kPrivateKeyField = "privateKey";
constexpr std::string_view kPublicKeyField = "wxPayPublicKey";

Status VerificationError(VerificationFailure failure, std::string message) {
  internal::ClearOpenSslErrors();
  ErrorInfo info;
  info.verification_failure = failure;
  return Status(StatusCode::kVerificationFailed, std::move(message), std::move(info));
}

// WeChat Pay signs and encrypts with RSA only, and the service rejects short keys.
Status CheckRsaKey(EVP_PKEY* pkey, std::string_view field) {
  if (EVP_PKEY_is_a(pkey, "RSA") != 1) {
    char const* type = EVP_PKEY_get0_type_name(pkey);
    return ConfigError(field,
                       std::string(field) + " has key type " +
                           internal::PrintableUntrusted(type == nullptr ? "unknown" : type, 40) +
                           "; WeChat Pay API v3 needs an RSA key");
  }
  int bits = EVP_PKEY_get_bits(pkey);
  if (bits < kMinRsaBits) {
    return ConfigError(field, std::string(field) + " is a " + std::to_string(bits) +
                                  "-bit RSA key; at least " + std::to_string(kMinRsaBits) +
                                  " bits are required");
  }
  return Status();
}

// A private key whose components disagree (a damaged file: n is not p*q, a wrong CRT value)
// still parses, and fails, or signs wrongly, only when first used for a payment. One test
// signature, checked with the key's own public half, finds that when the key is loaded. Found
// by fuzz/pem_load, kept in fuzz/regressions/pem_load.
Status CheckSignsConsistently(EVP_PKEY* pkey) {
  static constexpr std::string_view kProbe = "wechatpay-cpp private key self-test";
  std::vector<unsigned char> signature(static_cast<std::size_t>(EVP_PKEY_get_size(pkey)));
  std::size_t length = signature.size();
  MdCtxPtr sign(EVP_MD_CTX_new());
  MdCtxPtr verify(EVP_MD_CTX_new());
  bool const consistent =
      sign && verify && EVP_DigestSignInit(sign.get(), nullptr, EVP_sha256(), nullptr, pkey) == 1 &&
      EVP_DigestSign(sign.get(), signature.data(), &length, AsBytes(kProbe), kProbe.size()) == 1 &&
      EVP_DigestVerifyInit(verify.get(), nullptr, EVP_sha256(), nullptr, pkey) == 1 &&
      EVP_DigestVerify(verify.get(), signature.data(), length, AsBytes(kProbe), kProbe.size()) == 1;
  internal::ClearOpenSslErrors();
  if (consistent) return Status();
  return ConfigError(kPrivateKeyField,
                     "privateKey is not a usable RSA key: its components do not fit together "
                     "(a test signature failed); use the unmodified apiclient_key.pem");
}

// Per-call contexts are copied from a prototype prepared once with the key. In OpenSSL 3 every
// EVP_DigestSignInit()/EVP_DigestVerifyInit() fetches the signature algorithm and SHA-256 from
// the provider store (taking its locks) and looks up the key's provider export: about 2.4 us,
// which is 1 % of a signature and 12 % of a verification. EVP_MD_CTX_copy_ex() only
// duplicates the prepared state (0.2 us). It reads the prototype and takes references
// atomically, so any number of threads may copy one prototype at once; the prototype itself
// is never updated or finalised.
enum class DigestUse { kSign, kVerify };

MdCtxPtr MakeDigestPrototype(EVP_PKEY* pkey, DigestUse use) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) return nullptr;
  int const ok = use == DigestUse::kSign
                     ? EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey)
                     : EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey);
  if (ok != 1) {
    // Not fatal here: the per-call path initialises from scratch and reports the error
    // exactly as before.
    internal::ClearOpenSslErrors();
    return nullptr;
  }
  return ctx;
}

// A context ready for one RSA-SHA256 sign or verify: a copy of `prototype`, or a fresh init
// when there is none. Null on failure.
MdCtxPtr NewDigestContext(EVP_MD_CTX const* prototype, EVP_PKEY* pkey, DigestUse use) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) return nullptr;
  if (prototype != nullptr) {
    if (EVP_MD_CTX_copy_ex(ctx.get(), prototype) != 1) return nullptr;
  } else {
    int const ok = use == DigestUse::kSign
                       ? EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey)
                       : EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, pkey);
    if (ok != 1) return nullptr;
  }
  // The context is used for one final operation: without this flag the final step duplicates
  // the provider context once more so that the caller could continue.
  EVP_MD_CTX_set_flags(ctx.get(), EVP_MD_CTX_FLAG_FINALISE);
  return ctx;
}

}  // namespace

// --- PrivateKey -------------------------------------------------------------------------------

struct PrivateKey::Impl {
  explicit Impl(PkeyPtr key)
      : pkey(std::move(key)), sign_prototype(MakeDigestPrototype(pkey.get(), DigestUse::kSign)) {}
  // EVP_PKEY_free() clears the private components (BN_clear_free) as it frees them.
  PkeyPtr pkey;
  // See MakeDigestPrototype(); null if it could not be prepared.
  MdCtxPtr sign_prototype;
};

StatusOr<PrivateKey> PrivateKey::FromPem(std::string_view pem) {
  constexpr std::string_view kWanted = "\"PRIVATE KEY\" (PKCS#8) or \"RSA PRIVATE KEY\" (PKCS#1)";
  if (pem.empty()) return NoUsablePemBlock(kPrivateKeyField, pem, kWanted, {});
  PemReader reader(pem);
  if (!reader.ok()) return ConfigError(kPrivateKeyField, "privateKey is too large to be a PEM key");

  std::vector<std::string> seen;
  for (;;) {
    PemBlock block;
    if (!reader.Next(block)) break;
    auto const label = block.label();
    bool const pkcs8 = label == "PRIVATE KEY";
    bool const pkcs1 = label == "RSA PRIVATE KEY";
    if (label == "ENCRYPTED PRIVATE KEY" || ((pkcs8 || pkcs1) && block.has_headers())) {
      return ConfigError(kPrivateKeyField,
                         "privateKey is encrypted; provide the unencrypted apiclient_key.pem");
    }
    if (!pkcs8 && !pkcs1) {
      seen.push_back(PemLabelForMessage(label));
      continue;
    }
    PkeyPtr pkey;
    if (pkcs8) {
      P8InfoPtr info = ParseWholeDer<P8InfoPtr>(block, [](unsigned char const** p, DerLength n) {
        return d2i_PKCS8_PRIV_KEY_INFO(nullptr, p, n);
      });
      if (info) pkey.reset(EVP_PKCS82PKEY(info.get()));
    } else {
      pkey = ParseWholeDer<PkeyPtr>(block, [](unsigned char const** p, DerLength n) {
        return d2i_PrivateKey(EVP_PKEY_RSA, nullptr, p, n);
      });
    }
    if (!pkey) {
      return ConfigError(kPrivateKeyField, "privateKey: the \"" + std::string(label) +
                                               "\" PEM block does not hold a valid private key");
    }
    if (auto status = CheckRsaKey(pkey.get(), kPrivateKeyField); !status.ok()) return status;
    if (auto status = CheckSignsConsistently(pkey.get()); !status.ok()) return status;
    return PrivateKey(std::make_shared<Impl const>(std::move(pkey)));
  }
  return NoUsablePemBlock(kPrivateKeyField, pem, kWanted, seen);
}

StatusOr<std::string> PrivateKey::SignSha256(std::string_view message) const {
  if (!impl_) return CryptoInternalError("SignSha256 called on a moved-from PrivateKey");
  // A context per call (copied from the prototype) keeps the shared key and prototype
  // immutable, so concurrent calls are safe.
  MdCtxPtr ctx = NewDigestContext(impl_->sign_prototype.get(), impl_->pkey.get(), DigestUse::kSign);
  if (!ctx) return CryptoInternalError("RSA-SHA256: cannot initialise the signing context");
  std::size_t length = static_cast<std::size_t>(EVP_PKEY_get_size(impl_->pkey.get()));
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     AsBytes(message), message.size()) != 1) {
    return CryptoInternalError("RSA-SHA256: signing failed");
  }
  signature.resize(length);
  return Base64Encode(signature);
}

StatusOr<std::string> PrivateKey::DecryptOaep(std::string_view ciphertext_base64) const {
  if (!impl_) return CryptoInternalError("DecryptOaep called on a moved-from PrivateKey");
  auto ciphertext = Base64Decode(ciphertext_base64);
  if (!ciphertext) return CryptoDecryptionError("RSA-OAEP: the ciphertext is not valid Base64");

  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, impl_->pkey.get(), nullptr));
  if (!ctx || EVP_PKEY_decrypt_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) != 1 ||
      EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), EVP_sha1()) != 1 ||
      EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), EVP_sha1()) != 1) {
    return CryptoInternalError("RSA-OAEP: cannot initialise the decryption context");
  }
  std::size_t length = 0;
  if (EVP_PKEY_decrypt(ctx.get(), nullptr, &length, AsBytes(*ciphertext), ciphertext->size()) !=
      1) {
    return CryptoDecryptionError("RSA-OAEP: the ciphertext does not fit this key");
  }
  internal::WipedBuffer plaintext(length);
  if (EVP_PKEY_decrypt(ctx.get(), plaintext.data(), &length, AsBytes(*ciphertext),
                       ciphertext->size()) != 1) {
    return CryptoDecryptionError(
        "RSA-OAEP decryption failed: the ciphertext was not encrypted for this private key or "
        "was altered");
  }
  return plaintext.ToString(length);
}

int PrivateKey::bits() const { return impl_ ? EVP_PKEY_get_bits(impl_->pkey.get()) : 0; }

// --- PublicKey --------------------------------------------------------------------------------

struct PublicKey::Impl {
  Impl(PkeyPtr key, std::string serial)
      : pkey(std::move(key)),
        certificate_serial(std::move(serial)),
        verify_prototype(MakeDigestPrototype(pkey.get(), DigestUse::kVerify)) {}
  PkeyPtr pkey;
  std::string certificate_serial;
  // See MakeDigestPrototype(); null if it could not be prepared.
  MdCtxPtr verify_prototype;
};

namespace {

// The serial the way `openssl x509 -serial` prints it: every content byte as two upper-case hex
// digits, so a leading zero nibble is kept ("0A1B", not "A1B").
std::string SerialHex(X509 const* certificate) {
  ASN1_INTEGER const* serial = X509_get0_serialNumber(certificate);
  if (serial == nullptr) return "";
  unsigned char const* data = ASN1_STRING_get0_data(serial);
  int const length = ASN1_STRING_length(serial);
  std::string out;
  if (ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER) out += '-';
  if (length <= 0) return out + "00";
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (int i = 0; i < length; ++i) {
    out += kHex[data[i] >> 4];
    out += kHex[data[i] & 0x0f];
  }
  return out;
}

}  // namespace

StatusOr<PublicKey> PublicKey::FromPem(std::string_view pem) {
  constexpr std::string_view kWanted = "\"PUBLIC KEY\", \"RSA PUBLIC KEY\" or \"CERTIFICATE\"";
  if (pem.empty()) return NoUsablePemBlock(kPublicKeyField, pem, kWanted, {});
  PemReader reader(pem);
  if (!reader.ok()) {
    return ConfigError(kPublicKeyField, "wxPayPublicKey is too large to be a PEM key");
  }

  std::vector<std::string> seen;
  for (;;) {
    PemBlock block;
    if (!reader.Next(block)) break;
    auto const label = block.label();
    PkeyPtr pkey;
    std::string serial;
    if (label == "PUBLIC KEY") {
      pkey = ParseWholeDer<PkeyPtr>(
          block, [](unsigned char const** p, DerLength n) { return d2i_PUBKEY(nullptr, p, n); });
    } else if (label == "RSA PUBLIC KEY") {
      pkey = ParseWholeDer<PkeyPtr>(block, [](unsigned char const** p, DerLength n) {
        return d2i_PublicKey(EVP_PKEY_RSA, nullptr, p, n);
      });
    } else if (label == "CERTIFICATE") {
      X509Ptr certificate = ParseWholeDer<X509Ptr>(
          block, [](unsigned char const** p, DerLength n) { return d2i_X509(nullptr, p, n); });
      if (certificate) {
        pkey.reset(X509_get_pubkey(certificate.get()));  // A new reference.
        serial = SerialHex(certificate.get());
      }
    } else {
      seen.push_back(PemLabelForMessage(label));
      continue;
    }
    if (!pkey) {
      return ConfigError(kPublicKeyField, "wxPayPublicKey: the \"" + std::string(label) +
                                              "\" PEM block does not hold a valid public key");
    }
    if (auto status = CheckRsaKey(pkey.get(), kPublicKeyField); !status.ok()) return status;
    return PublicKey(std::make_shared<Impl const>(std::move(pkey), std::move(serial)));
  }
  return NoUsablePemBlock(kPublicKeyField, pem, kWanted, seen);
}

Status PublicKey::VerifySha256(std::string_view message, std::string_view signature_base64) const {
  // WeChat Pay sends deliberately invalid signatures to check that merchants verify; say so
  // rather than report an ordinary mismatch, but never accept it.
  if (signature_base64.substr(0, kSignTestPrefix.size()) == kSignTestPrefix) {
    return VerificationError(VerificationFailure::kSignTestProbe,
                             "the signature is a WECHATPAY/SIGNTEST/ probe, which is never valid");
  }
  if (!impl_) return CryptoInternalError("VerifySha256 called on a moved-from PublicKey");
  auto signature = Base64Decode(signature_base64);
  if (!signature) {
    return VerificationError(VerificationFailure::kSignatureMismatch,
                             "the signature is not valid Base64");
  }
  MdCtxPtr ctx =
      NewDigestContext(impl_->verify_prototype.get(), impl_->pkey.get(), DigestUse::kVerify);
  if (!ctx) return CryptoInternalError("RSA-SHA256: cannot initialise the verification context");
  if (EVP_DigestVerify(ctx.get(), AsBytes(*signature), signature->size(), AsBytes(message),
                       message.size()) != 1) {
    return VerificationError(VerificationFailure::kSignatureMismatch,
                             "the RSA-SHA256 signature does not match the message");
  }
  return Status();
}

StatusOr<std::string> PublicKey::EncryptOaep(std::string_view plaintext) const {
  if (!impl_) return CryptoInternalError("EncryptOaep called on a moved-from PublicKey");
  int const limit = EVP_PKEY_get_size(impl_->pkey.get()) - kOaepSha1Overhead;
  if (plaintext.size() > static_cast<std::size_t>(limit)) {
    return ErrorWithField(StatusCode::kInvalidArgument, "plaintext",
                          "plaintext is " + std::to_string(plaintext.size()) +
                              " bytes; RSA-OAEP (SHA-1) with this " +
                              std::to_string(EVP_PKEY_get_bits(impl_->pkey.get())) +
                              "-bit key encrypts at most " + std::to_string(limit) + " bytes");
  }
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, impl_->pkey.get(), nullptr));
  if (!ctx || EVP_PKEY_encrypt_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) != 1 ||
      EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), EVP_sha1()) != 1 ||
      EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), EVP_sha1()) != 1) {
    return CryptoInternalError("RSA-OAEP: cannot initialise the encryption context");
  }
  std::size_t length = 0;
  if (EVP_PKEY_encrypt(ctx.get(), nullptr, &length, AsBytes(plaintext), plaintext.size()) != 1) {
    return CryptoInternalError("RSA-OAEP: cannot size the ciphertext");
  }
  std::string ciphertext(length, '\0');
  if (EVP_PKEY_encrypt(ctx.get(), reinterpret_cast<unsigned char*>(ciphertext.data()), &length,
                       AsBytes(plaintext), plaintext.size()) != 1) {
    return CryptoInternalError("RSA-OAEP: encryption failed");
  }
  ciphertext.resize(length);
  return Base64Encode(ciphertext);
}

std::string const& PublicKey::certificate_serial() const {
  static std::string const kEmpty;
  return impl_ ? impl_->certificate_serial : kEmpty;
}

}  // namespace wechatpay
