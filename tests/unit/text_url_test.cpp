// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "catch.hpp"
#include "common/printable.hpp"
#include "common/text.hpp"
#include "common/url.hpp"
#include "wechatpay/http/types.hpp"
#include "wechatpay/status.hpp"

namespace wechatpay::internal {

TEST_CASE("ParseInt64 accepts whole decimal numbers only") {
  CHECK(ParseInt64("0") == 0);
  CHECK(ParseInt64("1624523846") == 1624523846);
  CHECK(ParseInt64("-5") == -5);
  CHECK(ParseInt64("9223372036854775807") == INT64_MAX);
  CHECK(ParseInt64("-9223372036854775808") == INT64_MIN);
  CHECK_FALSE(ParseInt64("9223372036854775808"));
  CHECK_FALSE(ParseInt64(""));
  CHECK_FALSE(ParseInt64("-"));
  CHECK_FALSE(ParseInt64("12a"));
  CHECK_FALSE(ParseInt64(" 12"));
  CHECK_FALSE(ParseInt64("1.5"));
}

TEST_CASE("ParseUrl splits absolute http(s) URLs") {
  auto u = ParseUrl("https://api.mch.weixin.qq.com");
  REQUIRE(u);
  CHECK(u->scheme == "https");
  CHECK(u->host == "api.mch.weixin.qq.com");
  CHECK(u->port == 0);
  CHECK(u->target == "/");

  u = ParseUrl("http://127.0.0.1:8080/v3/x?mchid=1");
  REQUIRE(u);
  CHECK(u->port == 8080);
  CHECK(u->target == "/v3/x?mchid=1");
  CHECK(u->has_query);

  u = ParseUrl("http://[::1]:9/a#frag");
  REQUIRE(u);
  CHECK(u->host == "::1");
  CHECK(u->has_fragment);
  CHECK(u->target == "/a");

  CHECK_FALSE(ParseUrl("ftp://x/"));
  CHECK_FALSE(ParseUrl("https://"));
  CHECK_FALSE(ParseUrl("https://host:0/"));
  CHECK_FALSE(ParseUrl("https://host:70000/"));
  CHECK_FALSE(ParseUrl("https://host:/"));
  CHECK_FALSE(ParseUrl("https://ho st/"));
  CHECK_FALSE(ParseUrl("/relative"));
}

TEST_CASE("IsLoopbackHost knows only loopback names and addresses") {
  CHECK(IsLoopbackHost("localhost"));
  CHECK(IsLoopbackHost("LOCALHOST"));
  CHECK(IsLoopbackHost("127.0.0.1"));
  CHECK(IsLoopbackHost("127.255.0.9"));
  CHECK(IsLoopbackHost("::1"));
  CHECK_FALSE(IsLoopbackHost("127.0.0.1.evil.com"));
  CHECK_FALSE(IsLoopbackHost("127.0.0"));
  CHECK_FALSE(IsLoopbackHost("127.0.0.256"));
  CHECK_FALSE(IsLoopbackHost("128.0.0.1"));
  CHECK_FALSE(IsLoopbackHost("api.mch.weixin.qq.com"));
}

TEST_CASE("PercentEncode keeps only unreserved characters") {
  CHECK(PercentEncode("abc-_.~09") == "abc-_.~09");
  CHECK(PercentEncode("a|b*c@d") == "a%7Cb%2Ac%40d");
  CHECK(PercentEncode("a/b c") == "a%2Fb%20c");
}

TEST_CASE("HttpHeaders look names up case-insensitively") {
  HttpHeaders h{{"Wechatpay-Serial", "X"}, {"request-id", "1"}};
  CHECK(h.Get("wechatpay-serial") == "X");
  CHECK(h.Get("Request-ID") == "1");
  CHECK(h.Get("absent").empty());
  h.Set("REQUEST-ID", "2");
  CHECK(h.size() == 2);
  CHECK(h.Get("request-id") == "2");
  h.Add("x", "1");
  h.Add("X", "2");
  CHECK(h.Get("x") == "1");
  h.Remove("x");
  CHECK_FALSE(h.Has("X"));
}

TEST_CASE("QuoteForMessage quotes, escapes control characters and bounds the length") {
  CHECK(QuoteForMessage("test-env-1a2b") == "\"test-env-1a2b\"");
  CHECK(QuoteForMessage("x\r\ny\x1b[2J") == R"("x\x0D\x0Ay\x1B[2J")");
  CHECK(QuoteForMessage(std::string(kMaxQuotedBytes, 'a')) ==
        "\"" + std::string(kMaxQuotedBytes, 'a') + "\"");
  CHECK(QuoteForMessage(std::string(1000, 'a')) ==
        "\"" + std::string(kMaxQuotedBytes, 'a') + "...(1000 bytes)\"");
  CHECK(QuoteForMessage("abcdef", 3) == "\"abc...(6 bytes)\"");
  // A cut never splits a UTF-8 character: "环境" is two 3-byte characters.
  CHECK(QuoteForMessage("环境", 4) == "\"环...(6 bytes)\"");
  CHECK(QuoteForMessage("环境", 3) == "\"环...(6 bytes)\"");
  CHECK(QuoteForMessage("环境", 2) == "\"...(6 bytes)\"");
}

TEST_CASE("UrlForMessage never shows a URL that may carry user info") {
  CHECK(UrlForMessage("http://api.example.com") == R"(got "http://api.example.com")");
  CHECK(UrlForMessage("ftp://x\n") == R"(got "ftp://x\x0A")");
  for (auto url :
       {"https://user:pw@host", "https://user:p w@host:99999", "u:pw@host", "https://host/a@b"}) {
    INFO(url);
    auto const text = UrlForMessage(url);
    CHECK(text.find("pw") == std::string::npos);
    CHECK(text.find("not shown") != std::string::npos);
  }
}

TEST_CASE("Status::ToString names code, HTTP status and Request-ID") {
  ErrorInfo info;
  info.http_status = 404;
  info.request_id = "08F1-0";
  Status s(StatusCode::kServiceError, "ORDER_NOT_EXIST: 订单不存在", info);
  CHECK(s.ToString() ==
        "SERVICE_ERROR: ORDER_NOT_EXIST: 订单不存在 (HTTP 404) [Request-ID 08F1-0]");
  CHECK(Status().ok());
  CHECK(Status().ToString() == "OK");
}

}  // namespace wechatpay::internal
