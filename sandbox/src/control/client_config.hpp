// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// The client configuration file of docs/cli.md for a running sandbox.

#include <string>

#include "wechatpay/config.hpp"
#include "wechatpay/sandbox/sandbox.hpp"

namespace wechatpay::sandbox::internal {

/// The configuration as a JSON document with docs/cli.md's keys (absolute paths; caFile only when
/// `config.ca_file` is set; the gateway object when `config.gateway` is; wxPayPublicKey and
/// wxPayPublicKeyId only when set; keyMode outside public-key mode; platformCertificateCa when
/// set).
std::string ClientConfigJson(MerchantConfig const& config);

/// The control API's identity view: ids and public files, no secret.
std::string PublicIdentityJson(Identity const& identity);

}  // namespace wechatpay::sandbox::internal
