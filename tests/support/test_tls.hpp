// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// A throw-away TLS identity for loopback HTTPS servers in tests.

#include <string>

namespace wechatpay::testing {

/// A freshly generated self-signed certificate (EC P-256, valid for a day) for the given
/// subjectAltName list (by default IP:127.0.0.1 and DNS:localhost), with its private key, written
/// as PEM files into a new temporary directory that the destructor removes. Trust cert_file() (e.g.
/// as CurlTransportOptions::ca_file) and serve with both files (LoopbackServer::Options).
class LoopbackCertificate {
 public:
  /// `subject_alt_names` uses OpenSSL's syntax, e.g. "IP:127.0.0.1,DNS:localhost". Throws
  /// std::runtime_error when generation or writing fails.
  explicit LoopbackCertificate(std::string const& subject_alt_names = "IP:127.0.0.1,DNS:localhost");
  ~LoopbackCertificate();
  LoopbackCertificate(LoopbackCertificate const&) = delete;
  LoopbackCertificate& operator=(LoopbackCertificate const&) = delete;

  std::string const& cert_file() const { return cert_file_; }
  std::string const& key_file() const { return key_file_; }

 private:
  static void Generate(std::string const& subject_alt_names, std::string const& cert_file,
                       std::string const& key_file);

  std::string dir_;
  std::string cert_file_;
  std::string key_file_;
};

}  // namespace wechatpay::testing
