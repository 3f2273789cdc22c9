// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Owning pointers for the OpenSSL objects the library, the sandbox, the tests and the benchmark
// create, so that every early return frees what was allocated; and the few conversions every
// OpenSSL caller needs. One set of deleters for the whole project (tests/architecture/
// check_duplicates.py keeps it that way).

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>
#include <string_view>

namespace wechatpay::internal {

/// Frees an OpenSSL object with its own `*_free()` function.
struct OpenSslFree {
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
  void operator()(EVP_PKEY_CTX* p) const noexcept { EVP_PKEY_CTX_free(p); }
  void operator()(EVP_MD_CTX* p) const noexcept { EVP_MD_CTX_free(p); }
  void operator()(EVP_CIPHER_CTX* p) const noexcept { EVP_CIPHER_CTX_free(p); }
  void operator()(BIO* p) const noexcept { BIO_free(p); }
  void operator()(X509* p) const noexcept { X509_free(p); }
  void operator()(X509_EXTENSION* p) const noexcept { X509_EXTENSION_free(p); }
  void operator()(X509_STORE* p) const noexcept { X509_STORE_free(p); }
  void operator()(X509_STORE_CTX* p) const noexcept { X509_STORE_CTX_free(p); }
  void operator()(BIGNUM* p) const noexcept { BN_free(p); }
  void operator()(PKCS8_PRIV_KEY_INFO* p) const noexcept { PKCS8_PRIV_KEY_INFO_free(p); }
};

/// An owned EVP_PKEY (EVP_PKEY_free() clears private components as it frees them).
using PkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslFree>;
/// An owned EVP_PKEY_CTX.
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpenSslFree>;
/// An owned EVP_MD_CTX.
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpenSslFree>;
/// An owned EVP_CIPHER_CTX (freeing it wipes the key schedule).
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, OpenSslFree>;
/// An owned BIO.
using BioPtr = std::unique_ptr<BIO, OpenSslFree>;
/// An owned X509 certificate.
using X509Ptr = std::unique_ptr<X509, OpenSslFree>;
/// An owned X509 extension.
using X509ExtensionPtr = std::unique_ptr<X509_EXTENSION, OpenSslFree>;
/// An owned X509_STORE (trusted certificates for a chain check).
using X509StorePtr = std::unique_ptr<X509_STORE, OpenSslFree>;
/// An owned X509_STORE_CTX (one chain check).
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, OpenSslFree>;
/// An owned BIGNUM.
using BignumPtr = std::unique_ptr<BIGNUM, OpenSslFree>;
/// An owned PKCS#8 private key info.
using P8InfoPtr = std::unique_ptr<PKCS8_PRIV_KEY_INFO, OpenSslFree>;

/// `text` as the unsigned bytes OpenSSL's functions take.
inline unsigned char const* AsBytes(std::string_view text) noexcept {
  return reinterpret_cast<unsigned char const*>(text.data());
}

/// Everything written to a memory BIO (BIO_s_mem()) so far; "" when it holds nothing.
std::string MemoryBioText(BIO* bio);

/// Drops the entries failed OpenSSL calls left on this thread's error queue, so that they do
/// not surface later in unrelated code that inspects the queue (curl's TLS layer does).
void ClearOpenSslErrors() noexcept;

}  // namespace wechatpay::internal
