// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/protocol/crypto.hpp"

#include "common/config_error.hpp"
#include "wechatpay/protocol/constants.hpp"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#if !defined(_WIN32)
#include <pthread.h>
#endif

#include <array>
#include <atomic>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace wechatpay {
namespace {

using internal::ConfigError;
using internal::ErrorWithField;

// WeChat Pay API v3 keys are RSA-2048; anything shorter is a misconfiguration (or a test key
// that would never be accepted by the service).
constexpr int kMinRsaBits = 2048;
constexpr std::size_t kAesKeySize = 32;
constexpr std::size_t kGcmNonceSize = 12;
constexpr std::size_t kGcmTagSize = 16;
// PKCS#1 v2 OAEP overhead with SHA-1: two hash lengths plus two bytes (RFC 8017 §7.1.1).
constexpr int kOaepSha1Overhead = 2 * 20 + 2;
constexpr std::string_view kPrivateKeyField = "privateKey";
constexpr std::string_view kPublicKeyField = "wxPayPublicKey";

struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};
struct PkeyCtxDeleter {
  void operator()(EVP_PKEY_CTX* p) const noexcept { EVP_PKEY_CTX_free(p); }
};
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* p) const noexcept { EVP_MD_CTX_free(p); }
};
struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* p) const noexcept { EVP_CIPHER_CTX_free(p); }
};
struct BioDeleter {
  void operator()(BIO* p) const noexcept { BIO_free(p); }
};
struct X509Deleter {
  void operator()(X509* p) const noexcept { X509_free(p); }
};
struct P8InfoDeleter {
  void operator()(PKCS8_PRIV_KEY_INFO* p) const noexcept { PKCS8_PRIV_KEY_INFO_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxDeleter>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
using P8InfoPtr = std::unique_ptr<PKCS8_PRIV_KEY_INFO, P8InfoDeleter>;

// Failed OpenSSL calls leave entries on the thread's error queue; drop them so that they do not
// surface later in unrelated code that inspects the queue (curl's TLS layer does).
void ClearOpenSslErrors() { ERR_clear_error(); }

// A byte buffer that is wiped when freed, for decrypted plaintext (which may be rejected).
class WipedBuffer {
 public:
  explicit WipedBuffer(std::size_t size) : bytes_(size) {}
  WipedBuffer(WipedBuffer const&) = delete;
  WipedBuffer& operator=(WipedBuffer const&) = delete;
  ~WipedBuffer() {
    if (!bytes_.empty()) OPENSSL_cleanse(bytes_.data(), bytes_.size());
  }
  unsigned char* data() noexcept { return bytes_.data(); }
  std::size_t size() const noexcept { return bytes_.size(); }
  std::string ToString(std::size_t length) const {
    return std::string(reinterpret_cast<char const*>(bytes_.data()), length);
  }

 private:
  std::vector<unsigned char> bytes_;
};

unsigned char const* Bytes(std::string_view s) noexcept {
  return reinterpret_cast<unsigned char const*>(s.data());
}

Status DecryptionError(std::string message) {
  ClearOpenSslErrors();
  return Status(StatusCode::kDecryptionFailed, std::move(message));
}

Status InternalError(std::string message) {
  ClearOpenSslErrors();
  return Status(StatusCode::kInternal, std::move(message));
}

Status VerificationError(VerificationFailure failure, std::string message) {
  ClearOpenSslErrors();
  ErrorInfo info;
  info.verification_failure = failure;
  return Status(StatusCode::kVerificationFailed, std::move(message), std::move(info));
}

// A PEM label as an error message may name it: quoted when it is one of the labels of RFC 7468
// and common tools, otherwise not shown. A label is part of the setting's value, and a value
// that was mangled into something PEM-shaped (a key body on the BEGIN line, with a matching
// END line) would otherwise have a piece of the key quoted back.
std::string LabelForMessage(std::string_view label) {
  static constexpr std::string_view kKnown[] = {"CERTIFICATE",
                                                "TRUSTED CERTIFICATE",
                                                "X509 CERTIFICATE",
                                                "X509 CRL",
                                                "CERTIFICATE REQUEST",
                                                "NEW CERTIFICATE REQUEST",
                                                "ATTRIBUTE CERTIFICATE",
                                                "PKCS7",
                                                "CMS",
                                                "PRIVATE KEY",
                                                "ENCRYPTED PRIVATE KEY",
                                                "RSA PRIVATE KEY",
                                                "DSA PRIVATE KEY",
                                                "EC PRIVATE KEY",
                                                "OPENSSH PRIVATE KEY",
                                                "PUBLIC KEY",
                                                "RSA PUBLIC KEY",
                                                "SSH2 PUBLIC KEY",
                                                "EC PARAMETERS",
                                                "DH PARAMETERS",
                                                "X9.42 DH PARAMETERS",
                                                "DSA PARAMETERS",
                                                "PGP PUBLIC KEY BLOCK",
                                                "PGP PRIVATE KEY BLOCK",
                                                "PGP MESSAGE",
                                                "PGP SIGNATURE"};
  for (auto known : kKnown) {
    if (label == known) return "\"" + std::string(known) + "\"";
  }
  return "(a non-standard label, not shown)";
}

// A key type name from OpenSSL: short, but keep it printable and bounded anyway.
std::string PrintableLabel(std::string_view label) {
  constexpr std::size_t kMax = 40;
  std::string out;
  for (char c : label.substr(0, kMax)) {
    out += (c >= 0x20 && c < 0x7f) ? c : '?';
  }
  if (label.size() > kMax) out += "...";
  return out;
}

// The length type of PEM_read_bio() and the d2i_*() parsers.
using DerLength = long;  // NOLINT(runtime/int)

// One block as returned by PEM_read_bio(). The DER is wiped when freed because it may be a
// private key.
struct PemBlock {
  PemBlock() = default;
  PemBlock(PemBlock const&) = delete;
  PemBlock& operator=(PemBlock const&) = delete;
  ~PemBlock() {
    OPENSSL_free(name);
    OPENSSL_free(header);
    if (data != nullptr) OPENSSL_clear_free(data, static_cast<std::size_t>(length));
  }

  std::string_view label() const { return name == nullptr ? std::string_view() : name; }
  // Legacy encrypted PEM ("Proc-Type: 4,ENCRYPTED") is the only use of PEM headers.
  bool has_headers() const { return header != nullptr && header[0] != '\0'; }

  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  DerLength length = 0;
};

// Reads PEM blocks from text that the caller owns; the BIO does not copy it.
class PemReader {
 public:
  explicit PemReader(std::string_view pem)
      : bio_(pem.size() <= static_cast<std::size_t>(INT_MAX)
                 ? BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()))
                 : nullptr) {}
  ~PemReader() { ClearOpenSslErrors(); }
  PemReader(PemReader const&) = delete;
  PemReader& operator=(PemReader const&) = delete;

  bool ok() const { return bio_ != nullptr; }
  // False at the end of the text or at a block that does not decode.
  bool Next(PemBlock& block) {
    return bio_ &&
           PEM_read_bio(bio_.get(), &block.name, &block.header, &block.data, &block.length) == 1;
  }

 private:
  BioPtr bio_;
};

// Runs a d2i-style parser over the whole block and insists that it consumed every byte: a
// block with trailing bytes is not the structure its label claims. The result is owned by
// `Ptr` (one of the pointer types above) from the start, so a structure refused for its
// trailing bytes is freed too (it leaked: fuzz/regressions/pem_load).
template <typename Ptr, typename Parse>
Ptr ParseWholeDer(PemBlock const& block, Parse parse) {
  unsigned char const* p = block.data;
  Ptr result(parse(&p, block.length));
  if (result && p != block.data + block.length) return nullptr;
  return result;
}

// Explains why no acceptable block was found, without quoting any of the text. `seen` holds the
// other blocks' labels as LabelForMessage() gives them.
Status NoUsableBlock(std::string_view field, std::string_view pem, std::string_view wanted,
                     std::vector<std::string> const& seen) {
  if (pem.empty()) return ConfigError(field, std::string(field) + " is empty");
  if (!seen.empty()) {
    std::string labels;
    for (auto const& label : seen) {
      if (!labels.empty()) labels += ", ";
      labels += label;
    }
    return ConfigError(field, std::string(field) +
                                  (seen.size() == 1 ? " holds a PEM block labelled "
                                                    : " holds PEM blocks labelled ") +
                                  labels + "; expected " + std::string(wanted));
  }
  if (pem.find("-----BEGIN ") == std::string_view::npos) {
    return ConfigError(field, std::string(field) +
                                  " is not PEM text (no \"-----BEGIN\" line); expected " +
                                  std::string(wanted));
  }
  return ConfigError(field, std::string(field) +
                                " holds a malformed PEM block (bad Base64 or "
                                "missing END line); expected " +
                                std::string(wanted));
}

// WeChat Pay signs and encrypts with RSA only, and the service rejects short keys.
Status CheckRsaKey(EVP_PKEY* pkey, std::string_view field) {
  if (EVP_PKEY_is_a(pkey, "RSA") != 1) {
    char const* type = EVP_PKEY_get0_type_name(pkey);
    return ConfigError(field, std::string(field) + " has key type " +
                                  PrintableLabel(type == nullptr ? "unknown" : type) +
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
      EVP_DigestSign(sign.get(), signature.data(), &length, Bytes(kProbe), kProbe.size()) == 1 &&
      EVP_DigestVerifyInit(verify.get(), nullptr, EVP_sha256(), nullptr, pkey) == 1 &&
      EVP_DigestVerify(verify.get(), signature.data(), length, Bytes(kProbe), kProbe.size()) == 1;
  ClearOpenSslErrors();
  if (consistent) return Status();
  return ConfigError(kPrivateKeyField,
                     "privateKey is not a usable RSA key: its components do not fit together "
                     "(a test signature failed); use the unmodified apiclient_key.pem");
}

// The Base64 alphabet (RFC 4648 §4) and its inverse; -1 marks bytes outside the alphabet.
constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<signed char, 256> MakeBase64Inverse() {
  std::array<signed char, 256> table{};
  for (auto& v : table) v = -1;
  for (int i = 0; i < 64; ++i) {
    table[static_cast<unsigned char>(kBase64Alphabet[i])] = static_cast<signed char>(i);
  }
  return table;
}
constexpr std::array<signed char, 256> kBase64Inverse = MakeBase64Inverse();

Status Base64Error(std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message));
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
    ClearOpenSslErrors();
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
  if (pem.empty()) return NoUsableBlock(kPrivateKeyField, pem, kWanted, {});
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
      seen.push_back(LabelForMessage(label));
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
  return NoUsableBlock(kPrivateKeyField, pem, kWanted, seen);
}

StatusOr<std::string> PrivateKey::SignSha256(std::string_view message) const {
  if (!impl_) return InternalError("SignSha256 called on a moved-from PrivateKey");
  // A context per call (copied from the prototype) keeps the shared key and prototype
  // immutable, so concurrent calls are safe.
  MdCtxPtr ctx = NewDigestContext(impl_->sign_prototype.get(), impl_->pkey.get(), DigestUse::kSign);
  if (!ctx) return InternalError("RSA-SHA256: cannot initialise the signing context");
  std::size_t length = static_cast<std::size_t>(EVP_PKEY_get_size(impl_->pkey.get()));
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                     Bytes(message), message.size()) != 1) {
    return InternalError("RSA-SHA256: signing failed");
  }
  signature.resize(length);
  return Base64Encode(signature);
}

StatusOr<std::string> PrivateKey::DecryptOaep(std::string_view ciphertext_base64) const {
  if (!impl_) return InternalError("DecryptOaep called on a moved-from PrivateKey");
  auto ciphertext = Base64Decode(ciphertext_base64);
  if (!ciphertext) return DecryptionError("RSA-OAEP: the ciphertext is not valid Base64");

  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, impl_->pkey.get(), nullptr));
  if (!ctx || EVP_PKEY_decrypt_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) != 1 ||
      EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), EVP_sha1()) != 1 ||
      EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), EVP_sha1()) != 1) {
    return InternalError("RSA-OAEP: cannot initialise the decryption context");
  }
  std::size_t length = 0;
  if (EVP_PKEY_decrypt(ctx.get(), nullptr, &length, Bytes(*ciphertext), ciphertext->size()) != 1) {
    return DecryptionError("RSA-OAEP: the ciphertext does not fit this key");
  }
  WipedBuffer plaintext(length);
  if (EVP_PKEY_decrypt(ctx.get(), plaintext.data(), &length, Bytes(*ciphertext),
                       ciphertext->size()) != 1) {
    return DecryptionError(
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
  if (pem.empty()) return NoUsableBlock(kPublicKeyField, pem, kWanted, {});
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
      seen.push_back(LabelForMessage(label));
      continue;
    }
    if (!pkey) {
      return ConfigError(kPublicKeyField, "wxPayPublicKey: the \"" + std::string(label) +
                                              "\" PEM block does not hold a valid public key");
    }
    if (auto status = CheckRsaKey(pkey.get(), kPublicKeyField); !status.ok()) return status;
    return PublicKey(std::make_shared<Impl const>(std::move(pkey), std::move(serial)));
  }
  return NoUsableBlock(kPublicKeyField, pem, kWanted, seen);
}

Status PublicKey::VerifySha256(std::string_view message, std::string_view signature_base64) const {
  // WeChat Pay sends deliberately invalid signatures to check that merchants verify; say so
  // rather than report an ordinary mismatch, but never accept it.
  if (signature_base64.substr(0, kSignTestPrefix.size()) == kSignTestPrefix) {
    return VerificationError(VerificationFailure::kSignTestProbe,
                             "the signature is a WECHATPAY/SIGNTEST/ probe, which is never valid");
  }
  if (!impl_) return InternalError("VerifySha256 called on a moved-from PublicKey");
  auto signature = Base64Decode(signature_base64);
  if (!signature) {
    return VerificationError(VerificationFailure::kSignatureMismatch,
                             "the signature is not valid Base64");
  }
  MdCtxPtr ctx =
      NewDigestContext(impl_->verify_prototype.get(), impl_->pkey.get(), DigestUse::kVerify);
  if (!ctx) return InternalError("RSA-SHA256: cannot initialise the verification context");
  if (EVP_DigestVerify(ctx.get(), Bytes(*signature), signature->size(), Bytes(message),
                       message.size()) != 1) {
    return VerificationError(VerificationFailure::kSignatureMismatch,
                             "the RSA-SHA256 signature does not match the message");
  }
  return Status();
}

StatusOr<std::string> PublicKey::EncryptOaep(std::string_view plaintext) const {
  if (!impl_) return InternalError("EncryptOaep called on a moved-from PublicKey");
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
    return InternalError("RSA-OAEP: cannot initialise the encryption context");
  }
  std::size_t length = 0;
  if (EVP_PKEY_encrypt(ctx.get(), nullptr, &length, Bytes(plaintext), plaintext.size()) != 1) {
    return InternalError("RSA-OAEP: cannot size the ciphertext");
  }
  std::string ciphertext(length, '\0');
  if (EVP_PKEY_encrypt(ctx.get(), reinterpret_cast<unsigned char*>(ciphertext.data()), &length,
                       Bytes(plaintext), plaintext.size()) != 1) {
    return InternalError("RSA-OAEP: encryption failed");
  }
  ciphertext.resize(length);
  return Base64Encode(ciphertext);
}

std::string const& PublicKey::certificate_serial() const {
  static std::string const kEmpty;
  return impl_ ? impl_->certificate_serial : kEmpty;
}

// --- AesGcmCipher -----------------------------------------------------------------------------

struct AesGcmCipher::Impl {
  explicit Impl(std::string_view api_v3_key) {
    std::memcpy(key.data(), api_v3_key.data(), key.size());
    // A decryption context with the cipher fetched and the key schedule expanded, copied for
    // every Decrypt(): like the RSA prototypes, it saves the provider fetch and the key set-up
    // on each call, and concurrent copies only read it. OpenSSL wipes a GCM context's key
    // schedule when the context is freed (OPENSSL_clear_free), the prototype's included.
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    if (ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kGcmNonceSize),
                            nullptr) == 1 &&
        EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), nullptr) == 1) {
      decrypt_prototype = std::move(ctx);
    } else {
      ClearOpenSslErrors();  // the per-call path sets the context up and reports failures
    }
  }
  Impl(Impl const&) = delete;
  Impl& operator=(Impl const&) = delete;
  ~Impl() { OPENSSL_cleanse(key.data(), key.size()); }

  // A context ready to decrypt with `nonce` (12 bytes); null on failure. Give it back with
  // ReturnDecryptContext().
  CipherCtxPtr TakeDecryptContext(std::string_view nonce) const {
    CipherCtxPtr ctx;
    {
      std::lock_guard<std::mutex> lock(idle_mu);
      if (!idle.empty()) {
        ctx = std::move(idle.back());
        idle.pop_back();
      }
    }
    if (ctx) {
      // Only the nonce: the key schedule stays, and setting the IV resets GCM's state (counter,
      // hash, tag) whatever the previous call on this context did.
      if (EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, nullptr, Bytes(nonce)) != 1) {
        return nullptr;
      }
      return ctx;
    }
    ctx.reset(EVP_CIPHER_CTX_new());
    if (!ctx) return nullptr;
    if (decrypt_prototype) {
      if (EVP_CIPHER_CTX_copy(ctx.get(), decrypt_prototype.get()) != 1 ||
          EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, nullptr, Bytes(nonce)) != 1) {
        return nullptr;
      }
      return ctx;
    }
    if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kGcmNonceSize),
                            nullptr) != 1 ||
        EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), Bytes(nonce)) != 1) {
      return nullptr;
    }
    return ctx;
  }

  // Keeps `ctx` for a later call (up to kMaxIdleContexts; beyond that it is freed, and
  // OpenSSL wipes its key schedule).
  void ReturnDecryptContext(CipherCtxPtr ctx) const {
    if (!ctx) return;
    std::lock_guard<std::mutex> lock(idle_mu);
    if (idle.size() < kMaxIdleContexts) idle.push_back(std::move(ctx));
  }

  // About one per thread that decrypts at the same time.
  static constexpr std::size_t kMaxIdleContexts = 8;

  std::array<unsigned char, kAesKeySize> key{};
  CipherCtxPtr decrypt_prototype;
  // Contexts of earlier calls, keyed and ready for a new nonce: reusing one saves copying the
  // prototype (an allocation and about a kilobyte) on every Decrypt(). The Impl is shared
  // and otherwise immutable; only this list changes, under the mutex.
  mutable std::mutex idle_mu;
  mutable std::vector<CipherCtxPtr> idle;
};

StatusOr<AesGcmCipher> AesGcmCipher::Create(std::string_view api_v3_key) {
  if (api_v3_key.size() != kAesKeySize) {
    // The length is safe to report; the key itself is not.
    return ConfigError("apiV3Key", "apiV3Key must be exactly 32 bytes (got " +
                                       std::to_string(api_v3_key.size()) + ")");
  }
  return AesGcmCipher(std::make_shared<Impl const>(api_v3_key));
}

StatusOr<std::string> AesGcmCipher::Decrypt(std::string_view nonce,
                                            std::string_view associated_data,
                                            std::string_view ciphertext_base64) const {
  if (!impl_) return InternalError("Decrypt called on a moved-from AesGcmCipher");
  if (nonce.size() != kGcmNonceSize) {
    return DecryptionError("AEAD_AES_256_GCM: the nonce must be 12 bytes (got " +
                           std::to_string(nonce.size()) + ")");
  }
  auto decoded = Base64Decode(ciphertext_base64);
  if (!decoded) return DecryptionError("AEAD_AES_256_GCM: the ciphertext is not valid Base64");
  if (decoded->size() < kGcmTagSize) {
    return DecryptionError("AEAD_AES_256_GCM: the ciphertext is shorter than the 16-byte tag");
  }
  if (decoded->size() > static_cast<std::size_t>(INT_MAX) ||
      associated_data.size() > static_cast<std::size_t>(INT_MAX)) {
    return DecryptionError("AEAD_AES_256_GCM: the input is too large");
  }
  std::size_t const body_size = decoded->size() - kGcmTagSize;
  auto const* body = Bytes(*decoded);
  // EVP_CTRL_GCM_SET_TAG takes a non-const pointer but only reads the tag, which is the
  // decoded string's own tail.
  auto* const tag = reinterpret_cast<unsigned char*>(decoded->data()) + body_size;

  // Goes back to the cipher's idle list on every path out of this function.
  struct ContextLease {
    Impl const& impl;
    CipherCtxPtr ctx;
    ~ContextLease() { impl.ReturnDecryptContext(std::move(ctx)); }
  } lease{*impl_, impl_->TakeDecryptContext(nonce)};
  EVP_CIPHER_CTX* const ctx = lease.ctx.get();
  if (ctx == nullptr) return InternalError("AEAD_AES_256_GCM: cannot initialise the cipher");
  int length = 0;
  if (!associated_data.empty() &&
      EVP_DecryptUpdate(ctx, nullptr, &length, Bytes(associated_data),
                        static_cast<int>(associated_data.size())) != 1) {
    return DecryptionError("AEAD_AES_256_GCM: cannot process the associated data");
  }
  // GCM is a stream mode: the plaintext is as long as the ciphertext. It is decrypted straight
  // into the string that is returned (no second buffer and copy); the guard wipes it on every
  // path that rejects it, so unauthenticated plaintext never outlives this call.
  std::string plaintext(body_size, '\0');
  auto* const out = reinterpret_cast<unsigned char*>(plaintext.data());
  struct WipeUnlessReleased {
    std::string* text;
    ~WipeUnlessReleased() {
      if (text != nullptr && !text->empty()) OPENSSL_cleanse(text->data(), text->size());
    }
  } guard{&plaintext};
  int written = 0;
  if (body_size > 0) {
    if (EVP_DecryptUpdate(ctx, out, &length, body, static_cast<int>(body_size)) != 1) {
      return DecryptionError("AEAD_AES_256_GCM: decryption failed");
    }
    written = length;
  }
  if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, static_cast<int>(kGcmTagSize), tag) != 1) {
    return InternalError("AEAD_AES_256_GCM: cannot set the tag");
  }
  // The tag is checked here; nothing decrypted leaves this function unless it matches. GCM's
  // final step writes no bytes.
  if (EVP_DecryptFinal_ex(ctx, out + written, &length) != 1) {
    return DecryptionError(
        "AEAD_AES_256_GCM: the authentication tag does not match (wrong APIv3 key, nonce or "
        "associated data, or altered ciphertext)");
  }
  written += length;
  guard.text = nullptr;
  plaintext.resize(static_cast<std::size_t>(written));
  return plaintext;
}

StatusOr<std::string> AesGcmCipher::Encrypt(std::string_view nonce,
                                            std::string_view associated_data,
                                            std::string_view plaintext) const {
  if (!impl_) return InternalError("Encrypt called on a moved-from AesGcmCipher");
  if (nonce.size() != kGcmNonceSize) {
    return ErrorWithField(StatusCode::kInvalidArgument, "nonce",
                          "nonce must be 12 bytes (got " + std::to_string(nonce.size()) + ")");
  }
  if (plaintext.size() > static_cast<std::size_t>(INT_MAX) - kGcmTagSize ||
      associated_data.size() > static_cast<std::size_t>(INT_MAX)) {
    return ErrorWithField(StatusCode::kInvalidArgument, "plaintext",
                          "plaintext or associated data is too large");
  }
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kGcmNonceSize),
                          nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, impl_->key.data(), Bytes(nonce)) != 1) {
    return InternalError("AEAD_AES_256_GCM: cannot initialise the cipher");
  }
  int length = 0;
  if (!associated_data.empty() &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &length, Bytes(associated_data),
                        static_cast<int>(associated_data.size())) != 1) {
    return InternalError("AEAD_AES_256_GCM: cannot process the associated data");
  }
  std::string out(plaintext.size() + kGcmTagSize, '\0');
  auto* buffer = reinterpret_cast<unsigned char*>(out.data());
  int written = 0;
  if (!plaintext.empty()) {
    if (EVP_EncryptUpdate(ctx.get(), buffer, &length, Bytes(plaintext),
                          static_cast<int>(plaintext.size())) != 1) {
      return InternalError("AEAD_AES_256_GCM: encryption failed");
    }
    written = length;
  }
  if (EVP_EncryptFinal_ex(ctx.get(), buffer + written, &length) != 1) {
    return InternalError("AEAD_AES_256_GCM: encryption failed");
  }
  written += length;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTagSize),
                          buffer + written) != 1) {
    return InternalError("AEAD_AES_256_GCM: cannot read the tag");
  }
  out.resize(static_cast<std::size_t>(written) + kGcmTagSize);
  return Base64Encode(out);
}

// --- Base64 and nonces ------------------------------------------------------------------------

std::string Base64Encode(std::string_view bytes) {
  // Written through a pointer into a pre-sized string: one allocation, no per-character
  // capacity checks (a signature and a notification resource are encoded on every call).
  std::string out((bytes.size() + 2) / 3 * 4, '\0');
  char* o = out.data();
  auto const* in = Bytes(bytes);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    std::uint32_t const v =
        (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8) | in[i + 2];
    *o++ = kBase64Alphabet[(v >> 18) & 0x3f];
    *o++ = kBase64Alphabet[(v >> 12) & 0x3f];
    *o++ = kBase64Alphabet[(v >> 6) & 0x3f];
    *o++ = kBase64Alphabet[v & 0x3f];
  }
  std::size_t const rest = bytes.size() - i;
  if (rest == 1) {
    std::uint32_t const v = std::uint32_t{in[i]} << 16;
    *o++ = kBase64Alphabet[(v >> 18) & 0x3f];
    *o++ = kBase64Alphabet[(v >> 12) & 0x3f];
    *o++ = '=';
    *o++ = '=';
  } else if (rest == 2) {
    std::uint32_t const v = (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8);
    *o++ = kBase64Alphabet[(v >> 18) & 0x3f];
    *o++ = kBase64Alphabet[(v >> 12) & 0x3f];
    *o++ = kBase64Alphabet[(v >> 6) & 0x3f];
    *o++ = '=';
  }
  return out;
}

namespace {

// The error for the first character outside the alphabet in the four at `block`.
Status Base64CharacterError(std::string_view text, std::size_t block) {
  for (std::size_t j = 0; j < 4; ++j) {
    auto const c = static_cast<unsigned char>(text[block + j]);
    if (kBase64Inverse[c] >= 0) continue;
    return Base64Error(c == '=' ? "Base64 text has '=' before its end"
                                : "Base64 text has a character outside the alphabet at offset " +
                                      std::to_string(block + j));
  }
  return Base64Error("Base64 text is malformed");  // not reached: the caller saw a bad one
}

}  // namespace

StatusOr<std::string> Base64Decode(std::string_view text) {
  // Strict on purpose: signatures and ciphertexts arrive from the network, and one canonical
  // spelling per byte string leaves no room for ambiguity about what was checked.
  if (text.size() % 4 != 0) {
    return Base64Error("Base64 text length " + std::to_string(text.size()) +
                       " is not a multiple of 4 (padding is required)");
  }
  if (text.empty()) return std::string();
  std::size_t padding = 0;
  if (text.back() == '=') padding = text.size() >= 2 && text[text.size() - 2] == '=' ? 2 : 1;
  // Pre-sized and written through a pointer: this runs over every signature and notification
  // resource, and appending byte by byte cost more than the AES-GCM decryption behind it.
  std::string out(text.size() / 4 * 3 - padding, '\0');
  char* o = out.data();
  auto const* in = Bytes(text);
  std::size_t const last = text.size() - 4;
  // Every block but the last has no padding: four alphabet characters, checked together.
  for (std::size_t i = 0; i < last; i += 4) {
    int const a = kBase64Inverse[in[i]];
    int const b = kBase64Inverse[in[i + 1]];
    int const c = kBase64Inverse[in[i + 2]];
    int const d = kBase64Inverse[in[i + 3]];
    if ((a | b | c | d) < 0) return Base64CharacterError(text, i);
    std::uint32_t const v = (static_cast<std::uint32_t>(a) << 18) |
                            (static_cast<std::uint32_t>(b) << 12) |
                            (static_cast<std::uint32_t>(c) << 6) | static_cast<std::uint32_t>(d);
    *o++ = static_cast<char>((v >> 16) & 0xff);
    *o++ = static_cast<char>((v >> 8) & 0xff);
    *o++ = static_cast<char>(v & 0xff);
  }
  // The last block, with its padding.
  std::uint32_t v = 0;
  for (std::size_t j = 0; j < 4; ++j) {
    if (j >= 4 - padding) {
      v <<= 6;
      continue;  // A '=' in its place, checked by the padding count above.
    }
    int const d = kBase64Inverse[in[last + j]];
    if (d < 0) return Base64CharacterError(text, last);
    v = (v << 6) | static_cast<std::uint32_t>(d);
  }
  *o++ = static_cast<char>((v >> 16) & 0xff);
  if (padding < 2) *o++ = static_cast<char>((v >> 8) & 0xff);
  if (padding < 1) *o++ = static_cast<char>(v & 0xff);
  // The bits under the padding must be zero, as every conforming encoder writes them.
  if ((padding == 1 && (v & 0xff) != 0) || (padding == 2 && (v & 0xffff) != 0)) {
    return Base64Error("Base64 text has non-zero bits before its padding");
  }
  return out;
}

namespace {

// Incremented in the child after fork(): a child must not hand out random bytes that its parent
// buffered (both would sign with the same nonces).
std::atomic<unsigned> fork_generation{0};

// Random bytes for nonces, drawn from OpenSSL's CSPRNG a kilobyte at a time: one RAND_bytes()
// call costs about as much for 1024 bytes as for 48 (0.75 us on this project's machine), and a
// nonce needs ~33. One pool per thread, so no lock; refilled after fork() (fork_generation).
class NonceRandomPool {
 public:
  NonceRandomPool() {
#if !defined(_WIN32)
    static std::once_flag registered;
    std::call_once(registered, [] {
      pthread_atfork(nullptr, nullptr,
                     [] { fork_generation.fetch_add(1, std::memory_order_relaxed); });
    });
#endif
  }
  ~NonceRandomPool() { OPENSSL_cleanse(bytes_.data(), bytes_.size()); }
  NonceRandomPool(NonceRandomPool const&) = delete;
  NonceRandomPool& operator=(NonceRandomPool const&) = delete;

  // Fills out[0, count) with characters of `alphabet` (62 of them), each equally likely.
  // Bytes at or above 248 (= 4 * 62) are discarded: 248 is the largest multiple of 62 that
  // fits in a byte, so the remainder is uniform.
  void Fill(char* out, std::size_t count, char const* alphabet) {
    constexpr unsigned kAlphabetSize = 62;
    constexpr unsigned kAcceptBelow = 256 / kAlphabetSize * kAlphabetSize;
    // Checked once per nonce, not per byte: a fork() cannot happen in the middle of this call
    // on this thread, and the child's copy of this thread is the only one that runs.
    unsigned const generation = fork_generation.load(std::memory_order_relaxed);
    if (generation != generation_) {
      next_ = bytes_.size();
      generation_ = generation;
    }
    for (std::size_t filled = 0; filled < count;) {
      if (next_ == bytes_.size()) Refill();
      unsigned const byte = bytes_[next_];
      bytes_[next_++] = 0;  // handed out once
      if (byte < kAcceptBelow) out[filled++] = alphabet[byte % kAlphabetSize];
    }
  }

 private:
  void Refill() {
    if (RAND_bytes(bytes_.data(), static_cast<int>(bytes_.size())) != 1) {
      // GenerateNonce() has no way to report the failure, and a predictable nonce must never
      // be used; a CSPRNG that fails is not a state to continue in.
      std::fputs("wechatpay: RAND_bytes failed; cannot generate a nonce\n", stderr);
      std::abort();
    }
    next_ = 0;
  }

  std::array<unsigned char, 1024> bytes_{};
  std::size_t next_ = bytes_.size();
  unsigned generation_ = 0;
};

}  // namespace

std::string GenerateNonce() {
  constexpr std::size_t kLength = 32;
  static constexpr char kAlphabet[] =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  static_assert(sizeof(kAlphabet) - 1 == 62, "NonceRandomPool::Fill() expects 62 characters");
  thread_local NonceRandomPool pool;
  std::string nonce(kLength, '\0');
  pool.Fill(nonce.data(), nonce.size(), kAlphabet);
  return nonce;
}

}  // namespace wechatpay
