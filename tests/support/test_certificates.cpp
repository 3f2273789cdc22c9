// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "support/test_certificates.hpp"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <stdexcept>
#include <string>

#include "common/openssl.hpp"

namespace wechatpay::testing {
namespace {

void Check(bool ok, char const* what) {
  if (!ok) throw std::runtime_error(std::string("test certificate: ") + what + " failed");
}

std::string PrivateKeyPem(EVP_PKEY* key) {
  internal::BioPtr bio(BIO_new(BIO_s_mem()));
  Check(bio != nullptr, "BIO_new");
  Check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) == 1,
        "PEM_write_bio_PrivateKey");
  return internal::MemoryBioText(bio.get());
}

internal::PkeyPtr ReadPrivateKey(std::string const& pem) {
  internal::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  Check(bio != nullptr, "BIO_new_mem_buf");
  internal::PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  Check(key != nullptr, "PEM_read_bio_PrivateKey");
  return key;
}

internal::X509Ptr ReadCertificate(std::string const& pem) {
  internal::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  Check(bio != nullptr, "BIO_new_mem_buf");
  internal::X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  Check(cert != nullptr, "PEM_read_bio_X509");
  return cert;
}

void AddExtension(X509* cert, X509* issuer, int nid, char const* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  internal::X509ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  Check(extension != nullptr, "X509V3_EXT_conf_nid");
  Check(X509_add_ext(cert, extension.get(), -1) == 1, "X509_add_ext");
}

}  // namespace

std::string GenerateRsaKeyPem(int bits) {
  internal::PkeyPtr key(EVP_RSA_gen(static_cast<unsigned>(bits)));
  Check(key != nullptr, "EVP_RSA_gen");
  return PrivateKeyPem(key.get());
}

std::string GenerateEcKeyPem() {
  internal::PkeyPtr key(EVP_EC_gen("P-256"));
  Check(key != nullptr, "EVP_EC_gen");
  return PrivateKeyPem(key.get());
}

std::string MakeTestCertificatePem(TestCertificateSpec const& spec,
                                   std::string const& subject_key_pem,
                                   std::string const& issuer_key_pem,
                                   std::string const& issuer_cert_pem) {
  auto const subject_key = ReadPrivateKey(subject_key_pem);
  auto const issuer_key = ReadPrivateKey(issuer_key_pem);
  internal::X509Ptr issuer_cert;
  if (!issuer_cert_pem.empty()) issuer_cert = ReadCertificate(issuer_cert_pem);

  internal::X509Ptr cert(X509_new());
  Check(cert != nullptr, "X509_new");
  Check(X509_set_version(cert.get(), 2) == 1, "X509_set_version");  // v3
  BIGNUM* serial = nullptr;
  Check(BN_hex2bn(&serial, spec.serial_hex.c_str()) > 0, "BN_hex2bn");
  internal::BignumPtr serial_owner(serial);
  Check(BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert.get())) != nullptr,
        "BN_to_ASN1_INTEGER");
  Check(ASN1_TIME_set(X509_getm_notBefore(cert.get()), static_cast<std::time_t>(spec.not_before)) !=
            nullptr,
        "notBefore");
  Check(ASN1_TIME_set(X509_getm_notAfter(cert.get()), static_cast<std::time_t>(spec.not_after)) !=
            nullptr,
        "notAfter");
  Check(X509_set_pubkey(cert.get(), subject_key.get()) == 1, "X509_set_pubkey");
  X509_NAME* name = X509_get_subject_name(cert.get());
  Check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                   reinterpret_cast<unsigned char const*>(spec.common_name.c_str()),
                                   -1, -1, 0) == 1,
        "subject CN");
  X509* issuer = issuer_cert ? issuer_cert.get() : cert.get();
  Check(X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer)) == 1, "issuer");
  if (spec.is_ca) {
    AddExtension(cert.get(), issuer, NID_basic_constraints, "critical,CA:TRUE");
    AddExtension(cert.get(), issuer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    AddExtension(cert.get(), issuer, NID_basic_constraints, "critical,CA:FALSE");
    AddExtension(cert.get(), issuer, NID_key_usage, "critical,digitalSignature");
  }
  AddExtension(cert.get(), issuer, NID_subject_key_identifier, "hash");
  Check(X509_sign(cert.get(), issuer_key.get(), EVP_sha256()) > 0, "X509_sign");

  internal::BioPtr bio(BIO_new(BIO_s_mem()));
  Check(bio != nullptr, "BIO_new");
  Check(PEM_write_bio_X509(bio.get(), cert.get()) == 1, "PEM_write_bio_X509");
  return internal::MemoryBioText(bio.get());
}

}  // namespace wechatpay::testing
