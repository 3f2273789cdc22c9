// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "protocol/pem.hpp"

#include <climits>

#include "common/config_error.hpp"

namespace wechatpay::internal {

// A PEM label as an error message may name it: quoted when it is one of the labels of RFC 7468
// and common tools, otherwise not shown. A label is part of the setting's value, and a value
// that was mangled into something PEM-shaped (a key body on the BEGIN line, with a matching
// END line) would otherwise have a piece of the key quoted back.
std::string PemLabelForMessage(std::string_view label) {
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

PemReader::PemReader(std::string_view pem)
    : bio_(pem.size() <= static_cast<std::size_t>(INT_MAX)
               ? BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()))
               : nullptr) {}

PemReader::~PemReader() { ClearOpenSslErrors(); }

bool PemReader::Next(PemBlock& block) {
  return bio_ &&
         PEM_read_bio(bio_.get(), &block.name, &block.header, &block.data, &block.length) == 1;
}

// Explains why no acceptable block was found, without quoting any of the text. `seen` holds the
// other blocks' labels as PemLabelForMessage() gives them.
Status NoUsablePemBlock(std::string_view field, std::string_view pem, std::string_view wanted,
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

}  // namespace wechatpay::internal
