// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The sandbox's merchant identity on disk: created on first start, reloaded afterwards, so a
// restarted sandbox keeps its ids and keys and clients keep working.
//
// Files in the state folder (private keys and secrets owner-only):
//   identity.json              ids and the APIv3 key
//   apiclient_key.pem          merchant private key (PKCS#8)      apiclient_pub.pem  its public key
//   wechatpay_private_key.pem  "WeChat Pay" private key           pub_key.pem        its public key
//   ca.pem, ca_key.pem         the sandbox CA (EC P-256)
//   server.pem, server_key.pem the loopback server certificate (chain: server, then CA)
//   platform_keys.json, platform_cert_SERIAL.pem, platform_key_SERIAL.pem
//                              the key mode and the platform certificates (v3/signing_keys.hpp)

#include <string>

#include "v3/pki.hpp"
#include "wechatpay/sandbox/sandbox.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay::sandbox::internal {

/// The identity and the TLS server files.
struct IdentityMaterial {
  /// Ids, key files and the CA file (the CA file is set only with TLS).
  Identity identity;
  /// The server certificate chain (PEM), empty without TLS.
  std::string server_cert_file;
  /// The server private key (PEM), empty without TLS.
  std::string server_key_file;
};

/// Loads the identity from `dir` or generates and saves a new one. With `with_tls`, also makes
/// sure the CA exists and the server certificate (IP:127.0.0.1, IP:::1, DNS:localhost) is valid
/// for at least a week, reissuing it otherwise. Errors: kConfiguration (unreadable or
/// inconsistent folder), kInternal (generation failed).
StatusOr<IdentityMaterial> LoadOrCreateIdentity(std::string const& dir, bool with_tls);

/// The sandbox CA of `dir` (ca.pem, ca_key.pem), generated when missing or valid for less than
/// 30 more days; `*fresh` (when given) tells whether it was. It signs the TLS server certificate
/// and the platform certificates. Errors: kConfiguration (files), kInternal (generation).
StatusOr<CertificatePem> LoadOrCreateCa(std::string const& dir, bool* fresh);

/// The path of the CA certificate in `dir`.
std::string CaFilePath(std::string const& dir);

}  // namespace wechatpay::sandbox::internal
