// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "support/test_tls.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>  // mkdtemp

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "common/openssl.hpp"

namespace wechatpay::testing {
namespace {

void Check(bool ok, char const* what) {
  if (!ok) throw std::runtime_error(std::string("LoopbackCertificate: ") + what + " failed");
}

void AddExtension(X509* cert, int nid, char const* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  internal::X509ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  Check(extension != nullptr, "X509V3_EXT_conf_nid");
  Check(X509_add_ext(cert, extension.get(), -1) == 1, "X509_add_ext");
}

}  // namespace

LoopbackCertificate::LoopbackCertificate(std::string const& subject_alt_names) {
  std::string pattern = (std::filesystem::temp_directory_path() / "wechatpay-tls-XXXXXX").string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  Check(::mkdtemp(buffer.data()) != nullptr, "mkdtemp");
  dir_ = buffer.data();
  cert_file_ = dir_ + "/cert.pem";
  key_file_ = dir_ + "/key.pem";
  try {
    Generate(subject_alt_names, cert_file_, key_file_);
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);  // the destructor will not run
    throw;
  }
}

void LoopbackCertificate::Generate(std::string const& subject_alt_names,
                                   std::string const& cert_file, std::string const& key_file) {
  internal::PkeyPtr key(EVP_EC_gen("P-256"));
  Check(key != nullptr, "EVP_EC_gen");
  internal::X509Ptr cert(X509_new());
  Check(cert != nullptr, "X509_new");
  Check(X509_set_version(cert.get(), 2) == 1, "X509_set_version");  // v3
  Check(ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1) == 1, "serial");
  Check(X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) != nullptr, "notBefore");
  Check(X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600) != nullptr, "notAfter");
  Check(X509_set_pubkey(cert.get(), key.get()) == 1, "X509_set_pubkey");
  X509_NAME* name = X509_get_subject_name(cert.get());
  Check(X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<unsigned char const*>("127.0.0.1"), -1, -1,
                                   0) == 1,
        "subject");
  Check(X509_set_issuer_name(cert.get(), name) == 1, "issuer");
  // Self-signed and used as its own trust anchor, like `openssl req -x509` output.
  AddExtension(cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  AddExtension(cert.get(), NID_subject_alt_name, subject_alt_names.c_str());
  Check(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "X509_sign");

  internal::BioPtr cert_out(BIO_new_file(cert_file.c_str(), "w"));
  Check(cert_out != nullptr && PEM_write_bio_X509(cert_out.get(), cert.get()) == 1,
        "writing the certificate");
  internal::BioPtr key_out(BIO_new_file(key_file.c_str(), "w"));
  Check(key_out != nullptr && PEM_write_bio_PrivateKey(key_out.get(), key.get(), nullptr, nullptr,
                                                       0, nullptr, nullptr) == 1,
        "writing the key");
}

LoopbackCertificate::~LoopbackCertificate() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

}  // namespace wechatpay::testing
