// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Where a client's calls go: the proxy of the configuration, or — only when the configuration
// asks for it — the one of the process environment. Decided once, when the client's transport
// is built (CallPipeline::Create).

#include <functional>
#include <string>

#include "wechatpay/config.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay::internal {

/// What the curl transport is given (CurlTransportOptions::proxy and no_proxy).
struct ProxySettings {
  std::string proxy;     // empty: no proxy
  std::string no_proxy;  // hosts reached directly, in libcurl's no_proxy syntax
};

/// Reads one environment variable; null when unset. std::getenv in production.
using EnvironmentReader = std::function<char const*(char const* name)>;

/// MerchantConfig::proxy when set; else, with MerchantConfig::proxy_from_environment,
/// `https_proxy` (or `HTTPS_PROXY`) and `no_proxy` (or `NO_PROXY`) — the lower-case name first,
/// as curl reads them; else no proxy. A proxy must be an `http`, `https`, `socks5` or
/// `socks5h` URL with a host, an optional port and user info, and no path beyond "/", query or
/// fragment. Errors: kConfiguration naming the setting (`proxy` or the variable) and the rule,
/// never quoting the value (it may carry a password).
StatusOr<ProxySettings> ResolveProxySettings(MerchantConfig const& config,
                                             EnvironmentReader const& getenv);

}  // namespace wechatpay::internal
