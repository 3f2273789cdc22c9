// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "channel/proxy_settings.hpp"

#include <initializer_list>
#include <string_view>
#include <utility>

#include "common/config_error.hpp"
#include "common/text.hpp"
#include "common/url.hpp"

namespace wechatpay::internal {
namespace {

// libcurl takes more schemes (socks4, socks4a); these are the ones whose behaviour the
// documentation describes: HTTP CONNECT (over plain TCP or TLS to the proxy) and SOCKS5 with
// local or remote name resolution.
constexpr std::string_view kSchemes[] = {"http://", "https://", "socks5://", "socks5h://"};

Status CheckProxyUrl(std::string_view url, std::string const& setting) {
  std::string_view scheme;
  for (auto candidate : kSchemes) {
    if (url.size() > candidate.size() && ToLower(url.substr(0, candidate.size())) == candidate) {
      scheme = candidate;
    }
  }
  if (scheme.empty()) {
    return ConfigError(setting, setting +
                                    " must be a proxy URL starting with http://, https://, "
                                    "socks5:// or socks5h:// (the value is not shown: it may "
                                    "hold a password)");
  }
  // The rest of the URL has the shape of an http URL whatever the scheme.
  auto parsed = ParseUrl("http://" + std::string(url.substr(scheme.size())));
  if (!parsed || parsed->host.empty() || parsed->target != "/" || parsed->has_query ||
      parsed->has_fragment) {
    return ConfigError(setting, setting +
                                    " must be scheme://[user:password@]host[:port] with no "
                                    "path, query or fragment (the value is not shown: it may "
                                    "hold a password)");
  }
  return Status();
}

// The first of `names` that is set and not empty.
std::pair<std::string, std::string> FirstSet(EnvironmentReader const& getenv,
                                             std::initializer_list<char const*> names) {
  for (char const* name : names) {
    char const* value = getenv(name);
    if (value != nullptr && *value != '\0') return {name, value};
  }
  return {};
}

}  // namespace

StatusOr<ProxySettings> ResolveProxySettings(MerchantConfig const& config,
                                             EnvironmentReader const& getenv) {
  ProxySettings settings;
  if (!config.proxy.empty()) {
    if (auto status = CheckProxyUrl(config.proxy, "proxy"); !status.ok()) return status;
    settings.proxy = config.proxy;
    return settings;
  }
  if (!config.proxy_from_environment) return settings;
  auto [name, value] = FirstSet(getenv, {"https_proxy", "HTTPS_PROXY"});
  if (value.empty()) return settings;
  if (auto status = CheckProxyUrl(value, name); !status.ok()) return status;
  settings.proxy = std::move(value);
  settings.no_proxy = FirstSet(getenv, {"no_proxy", "NO_PROXY"}).second;
  return settings;
}

}  // namespace wechatpay::internal
