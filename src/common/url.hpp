// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// Just enough URL handling for API base URLs, notify URLs and request targets.

#include <optional>
#include <string>
#include <string_view>

namespace wechatpay::internal {

/// The parts of an absolute http(s) URL.
struct ParsedUrl {
  std::string scheme;  // lower-case "http" or "https"
  std::string host;    // without brackets for IPv6
  int port = 0;        // explicit port, or 0 when absent
  std::string target;  // path plus "?query" exactly as written ("/" when empty)
  bool has_query = false;
  bool has_fragment = false;
  bool has_userinfo = false;
};

/// Parses an absolute http:// or https:// URL; nullopt for anything else (other schemes,
/// missing host, bad port, spaces or control characters).
std::optional<ParsedUrl> ParseUrl(std::string_view url);

/// What an error message may say of a URL setting that was refused: `got "..."`
/// (QuoteForMessage()), or, when the text holds an '@' anywhere and so may carry user info (a
/// password) that ParseUrl() could not isolate, that it is not shown.
std::string UrlForMessage(std::string_view url);

/// True for "localhost", 127.0.0.0/8 and ::1 (the only hosts where plain http is allowed).
bool IsLoopbackHost(std::string_view host);

/// Percent-encodes everything outside RFC 3986's unreserved set [A-Za-z0-9-._~], so the
/// result is safe as one path segment or a query value and equals what is signed.
std::string PercentEncode(std::string_view s);

}  // namespace wechatpay::internal
