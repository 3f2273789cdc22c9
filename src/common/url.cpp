// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "common/url.hpp"

#include "common/printable.hpp"
#include "common/text.hpp"

namespace wechatpay::internal {

std::optional<ParsedUrl> ParseUrl(std::string_view url) {
  for (char c : url) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f) return std::nullopt;
  }
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return std::nullopt;
  ParsedUrl out;
  out.scheme = ToLower(url.substr(0, scheme_end));
  if (out.scheme != "http" && out.scheme != "https") return std::nullopt;
  auto rest = url.substr(scheme_end + 3);
  auto authority_end = rest.find_first_of("/?#");
  auto authority = rest.substr(0, authority_end);
  auto tail =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) out.has_userinfo = true;
  std::string_view host_port = authority.substr(
      authority.rfind('@') == std::string_view::npos ? 0 : authority.rfind('@') + 1);
  std::string_view port_text;
  if (!host_port.empty() && host_port.front() == '[') {
    auto close = host_port.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    out.host = std::string(host_port.substr(1, close - 1));
    auto after = host_port.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port_text = after.substr(1);
      if (port_text.empty()) return std::nullopt;
    }
  } else {
    auto colon = host_port.find(':');
    out.host = std::string(host_port.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = host_port.substr(colon + 1);
      if (port_text.empty()) return std::nullopt;
    }
  }
  if (out.host.empty()) return std::nullopt;
  if (!port_text.empty()) {
    auto port = ParseInt64(port_text);
    if (!port || *port < 1 || *port > 65535 || port_text.front() == '-') return std::nullopt;
    out.port = static_cast<int>(*port);
  }
  auto fragment = tail.find('#');
  if (fragment != std::string_view::npos) {
    out.has_fragment = true;
    tail = tail.substr(0, fragment);
  }
  out.has_query = tail.find('?') != std::string_view::npos;
  out.target = std::string(tail);
  if (out.target.empty() || out.target.front() == '?') out.target.insert(0, "/");
  return out;
}

std::string UrlForMessage(std::string_view url) {
  if (url.find('@') != std::string_view::npos) {
    return "not shown: it contains '@' and may hold a password";
  }
  return "got " + QuoteForMessage(url);
}

bool IsLoopbackHost(std::string_view host) {
  if (EqualsIgnoreCase(host, "localhost") || host == "::1") return true;
  // 127.0.0.0/8 as a dotted quad of decimal numbers.
  if (host.substr(0, 4) != "127.") return false;
  int parts = 0;
  std::size_t start = 0;
  while (start <= host.size()) {
    auto dot = host.find('.', start);
    auto part =
        host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    auto value = ParseInt64(part);
    if (part.empty() || part.size() > 3 || !value || *value > 255) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts == 4;
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(c);
    } else {
      auto u = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0x0F]);
    }
  }
  return out;
}

}  // namespace wechatpay::internal
