// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "v3/pki.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>

#include "common/openssl.hpp"

namespace wechatpay::sandbox::internal {
namespace {

using Pkey = wechatpay::internal::PkeyPtr;
using Cert = wechatpay::internal::X509Ptr;
using Bio = wechatpay::internal::BioPtr;

Status Failed(std::string const& what) {
  return Status(StatusCode::kInternal, "sandbox: " + what + " failed");
}

StatusOr<std::string> PrivateKeyPem(EVP_PKEY* key) {
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return Failed("writing a private key");
  }
  return wechatpay::internal::MemoryBioText(bio.get());
}

StatusOr<std::string> CertificatePemText(X509* cert) {
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) return Failed("writing a certificate");
  return wechatpay::internal::MemoryBioText(bio.get());
}

Pkey ReadPrivateKey(std::string const& pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return nullptr;
  return Pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

Cert ReadCertificate(std::string const& pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return nullptr;
  return Cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

bool AddExtension(X509* cert, X509* issuer, int nid, char const* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  wechatpay::internal::X509ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  return extension && X509_add_ext(cert, extension.get(), -1) == 1;
}

// A random positive 128-bit serial number, as RFC 5280 recommends (unique per issuer).
bool SetRandomSerial(X509* cert) {
  wechatpay::internal::BignumPtr serial(BN_new());
  if (!serial || BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1) {
    return false;
  }
  return BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert)) != nullptr;
}

bool SetName(X509_NAME* name, std::string const& common_name) {
  return X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                    reinterpret_cast<unsigned char const*>("wechatpay-cpp sandbox"),
                                    -1, -1, 0) == 1 &&
         X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                    reinterpret_cast<unsigned char const*>(common_name.c_str()), -1,
                                    -1, 0) == 1;
}

// A v3 certificate for `key` with validity [now - 1 h, now + days], subject `common_name`.
Cert NewCertificate(EVP_PKEY* key, std::string const& common_name, long days) {
  Cert cert(X509_new());
  if (!cert || X509_set_version(cert.get(), 2) != 1 || !SetRandomSerial(cert.get()) ||
      X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(cert.get()), days * 24 * 3600) == nullptr ||
      X509_set_pubkey(cert.get(), key) != 1 ||
      !SetName(X509_get_subject_name(cert.get()), common_name)) {
    return nullptr;
  }
  return cert;
}

}  // namespace

StatusOr<KeyPairPem> GenerateRsaKeyPair(int bits) {
  Pkey key(EVP_RSA_gen(static_cast<unsigned int>(bits)));
  if (!key) return Failed("RSA key generation");
  auto private_pem = PrivateKeyPem(key.get());
  if (!private_pem) return private_pem.status();
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key.get()) != 1)
    return Failed("writing a public key");
  return KeyPairPem{*std::move(private_pem), wechatpay::internal::MemoryBioText(bio.get())};
}

StatusOr<CertificatePem> GenerateCa(std::string const& common_name) {
  Pkey key(EVP_EC_gen("P-256"));
  if (!key) return Failed("CA key generation");
  Cert cert = NewCertificate(key.get(), common_name, 3650);
  if (!cert || X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())) != 1 ||
      !AddExtension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0") ||
      !AddExtension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign") ||
      !AddExtension(cert.get(), cert.get(), NID_subject_key_identifier, "hash") ||
      X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) {
    return Failed("CA certificate creation");
  }
  auto cert_pem = CertificatePemText(cert.get());
  if (!cert_pem) return cert_pem.status();
  auto key_pem = PrivateKeyPem(key.get());
  if (!key_pem) return key_pem.status();
  return CertificatePem{*std::move(cert_pem), *std::move(key_pem)};
}

StatusOr<CertificatePem> IssueServerCertificate(CertificatePem const& ca,
                                                std::string const& subject_alt_names) {
  Cert ca_cert = ReadCertificate(ca.cert_pem);
  Pkey ca_key = ReadPrivateKey(ca.key_pem);
  if (!ca_cert || !ca_key) return Failed("reading the sandbox CA");
  Pkey key(EVP_EC_gen("P-256"));
  if (!key) return Failed("server key generation");
  // 397 days: the longest validity TLS clients accept for a server certificate.
  Cert cert = NewCertificate(key.get(), "wechatpay-cpp sandbox server", 397);
  if (!cert || X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert.get())) != 1 ||
      !AddExtension(cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
      !AddExtension(cert.get(), ca_cert.get(), NID_key_usage, "critical,digitalSignature") ||
      !AddExtension(cert.get(), ca_cert.get(), NID_ext_key_usage, "serverAuth") ||
      !AddExtension(cert.get(), ca_cert.get(), NID_subject_alt_name, subject_alt_names.c_str()) ||
      !AddExtension(cert.get(), ca_cert.get(), NID_authority_key_identifier, "keyid:always") ||
      X509_sign(cert.get(), ca_key.get(), EVP_sha256()) <= 0) {
    return Failed("server certificate creation");
  }
  auto cert_pem = CertificatePemText(cert.get());
  if (!cert_pem) return cert_pem.status();
  auto key_pem = PrivateKeyPem(key.get());
  if (!key_pem) return key_pem.status();
  return CertificatePem{*std::move(cert_pem), *std::move(key_pem)};
}

StatusOr<CertificatePem> IssuePlatformCertificate(CertificatePem const& ca,
                                                  std::string const& serial_hex,
                                                  std::int64_t not_before, std::int64_t not_after,
                                                  std::string const& key_pem) {
  Cert ca_cert = ReadCertificate(ca.cert_pem);
  Pkey ca_key = ReadPrivateKey(ca.key_pem);
  if (!ca_cert || !ca_key) return Failed("reading the sandbox CA");
  Pkey key = key_pem.empty() ? Pkey(EVP_RSA_gen(2048)) : ReadPrivateKey(key_pem);
  if (!key) return Failed("platform certificate key generation");
  Cert cert(X509_new());
  wechatpay::internal::BignumPtr serial;
  BIGNUM* parsed = nullptr;
  if (BN_hex2bn(&parsed, serial_hex.c_str()) == 0) return Failed("platform certificate serial");
  serial.reset(parsed);
  if (!cert || X509_set_version(cert.get(), 2) != 1 ||
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr ||
      ASN1_TIME_set(X509_getm_notBefore(cert.get()), static_cast<std::time_t>(not_before)) ==
          nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(cert.get()), static_cast<std::time_t>(not_after)) ==
          nullptr ||
      X509_set_pubkey(cert.get(), key.get()) != 1 ||
      !SetName(X509_get_subject_name(cert.get()), "wechatpay-cpp sandbox platform certificate") ||
      X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert.get())) != 1 ||
      !AddExtension(cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
      !AddExtension(cert.get(), ca_cert.get(), NID_key_usage,
                    "critical,digitalSignature,keyEncipherment") ||
      !AddExtension(cert.get(), ca_cert.get(), NID_authority_key_identifier, "keyid:always") ||
      X509_sign(cert.get(), ca_key.get(), EVP_sha256()) <= 0) {
    return Failed("platform certificate creation");
  }
  auto cert_pem = CertificatePemText(cert.get());
  if (!cert_pem) return cert_pem.status();
  auto out_key_pem = PrivateKeyPem(key.get());
  if (!out_key_pem) return out_key_pem.status();
  return CertificatePem{*std::move(cert_pem), *std::move(out_key_pem)};
}

bool CertificateIssuedBy(std::string const& cert_pem, std::string const& ca_cert_pem) {
  Cert cert = ReadCertificate(cert_pem);
  Cert ca = ReadCertificate(ca_cert_pem);
  if (!cert || !ca) return false;
  EVP_PKEY* ca_key = X509_get0_pubkey(ca.get());
  return ca_key != nullptr && X509_verify(cert.get(), ca_key) == 1;
}

bool CertificateValidFor(std::string const& cert_pem, std::chrono::seconds margin) {
  Cert cert = ReadCertificate(cert_pem);
  if (!cert) return false;
  std::time_t when = std::time(nullptr) + static_cast<std::time_t>(margin.count());
  return X509_cmp_time(X509_get0_notAfter(cert.get()), &when) > 0;
}

}  // namespace wechatpay::sandbox::internal
