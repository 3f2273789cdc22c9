// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Reading the answer of GET /v3/certificates (the platform certificate download) through the
// library's one JSON reader (json_reader.hpp): the shape and the size bounds only. What the
// values must be (the algorithm, associated_data, the serial, the certificate itself) is the
// protocol layer's check (protocol/platform_certificate.cpp).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "wechatpay/status_or.hpp"

namespace wechatpay::internal {

/// Most certificates one download may carry. WeChat lists the certificates in use, two during
/// a replacement (docs/protocol.md, "Platform certificates"); 16 leaves room and bounds the
/// AES and X.509 work a single answer can cause.
inline constexpr std::size_t kMaxDownloadedCertificates = 16;

/// Largest download body read: 16 items of about 2.5 KB each fit many times over.
inline constexpr std::size_t kMaxCertificateDownloadBytes = 256 * 1024;

/// Largest Base64 ciphertext of one certificate: a certificate with an RSA-2048 key is about
/// 1.5 KB of PEM (2 KB of Base64); 16 KiB allows long names and extensions, and no more.
inline constexpr std::size_t kMaxCertificateCiphertextBytes = 16 * 1024;

/// Largest serial_no, effective_time, expire_time, algorithm, nonce and associated_data: the
/// documented values are at most 40 characters (serial_no string[1,40]).
inline constexpr std::size_t kMaxCertificateFieldBytes = 64;

/// One element of `data`, as sent; nothing but JSON types and sizes checked.
struct CertificateDownloadItem {
  std::string serial_no;
  std::string effective_time;  // "" when absent
  std::string expire_time;     // "" when absent
  std::string algorithm;
  std::string nonce;
  std::string associated_data;
  std::string ciphertext;
};

/// Reads `{"data":[{"serial_no","effective_time","expire_time","encrypt_certificate":
/// {"algorithm","nonce","associated_data","ciphertext"}}]}`: a JSON object under the library's
/// parse policy (duplicated member names refused at every level), at most
/// kMaxCertificateDownloadBytes; `data` a non-empty array of at most kMaxDownloadedCertificates
/// objects; serial_no and the four members of encrypt_certificate required non-empty strings,
/// effective_time and expire_time strings when present; every string within its bound.
/// Errors: kMalformedResponse naming the member by JSON Pointer ("/data/2/serial_no").
StatusOr<std::vector<CertificateDownloadItem>> ParseCertificateDownload(std::string_view body);

}  // namespace wechatpay::internal
