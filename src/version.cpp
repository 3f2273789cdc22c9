// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "wechatpay/version.hpp"

#include <curl/curl.h>
#include <openssl/crypto.h>

namespace wechatpay {

std::string_view VersionString() { return WECHATPAY_VERSION_STRING; }

// Both asked of the libraries actually loaded, not their headers: a shared build may run with
// another patch release than it was compiled against.
std::string_view OpenSslVersion() { return OpenSSL_version(OPENSSL_VERSION); }

std::string_view CurlVersion() {
  curl_version_info_data const* info = curl_version_info(CURLVERSION_NOW);
  return info != nullptr && info->version != nullptr ? info->version : "unknown";
}

}  // namespace wechatpay
