// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include <string>
#include <vector>

#include "catch.hpp"
#include "internal/curl_handle_pool.hpp"
#include "internal/curl_transport_detail.hpp"

namespace wechatpay::internal {
namespace {

std::vector<HttpHeaders::Field> Parse(std::vector<std::string> const& lines) {
  std::vector<HttpHeaders::Field> fields;
  for (auto const& line : lines) AddResponseHeaderLine(line, fields);
  return fields;
}

TEST_CASE("AddResponseHeaderLine collects name/value pairs of one response") {
  auto fields = Parse({"HTTP/1.1 200 OK\r\n", "Request-ID: 08F78BB5\r\n",
                       "Wechatpay-Signature:  c2lnbmF0dXJl== \r\n", "X-Empty:\r\n",
                       "Set-Cookie: a=1\r\n", "Set-Cookie: b=2\r\n", "\r\n"});
  REQUIRE(fields.size() == 5);
  CHECK(fields[0] == HttpHeaders::Field{"Request-ID", "08F78BB5"});
  CHECK(fields[1] == HttpHeaders::Field{"Wechatpay-Signature", "c2lnbmF0dXJl=="});
  CHECK(fields[2] == HttpHeaders::Field{"X-Empty", ""});
  CHECK(fields[3].second == "a=1");
  CHECK(fields[4].second == "b=2");
}

TEST_CASE("AddResponseHeaderLine keeps only the final response block") {
  auto fields = Parse({"HTTP/1.1 100 Continue\r\n", "X-Interim: 1\r\n", "\r\n",
                       "HTTP/1.1 201 Created\r\n", "Location: /x\r\n", "\r\n"});
  REQUIRE(fields.size() == 1);
  CHECK(fields[0].first == "Location");

  fields = Parse({"HTTP/1.1 200 Connection established\r\n", "Proxy-Agent: p\r\n", "\r\n",
                  "HTTP/2 200 \r\n", "content-type: application/json\r\n", "\r\n"});
  REQUIRE(fields.size() == 1);
  CHECK(fields[0] == HttpHeaders::Field{"content-type", "application/json"});
}

TEST_CASE("AddResponseHeaderLine unfolds obsolete continuation lines, skips junk") {
  auto fields = Parse({"HTTP/1.1 200 OK\r\n", "X-Long: first\r\n", " \t second\r\n",
                       "no colon here\r\n", ": no name\r\n", "X-Next: n\n"});
  REQUIRE(fields.size() == 2);
  CHECK(fields[0] == HttpHeaders::Field{"X-Long", "first second"});
  CHECK(fields[1] == HttpHeaders::Field{"X-Next", "n"});
}

TEST_CASE("CurlErrorStatus maps connect-phase failures to kTransport, request not sent") {
  for (auto code :
       {CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT,
        CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE}) {
    INFO(static_cast<int>(code));
    auto status = CurlErrorStatus(code, false, "api.mch.weixin.qq.com", "curl says no");
    CHECK(status.code() == StatusCode::kTransport);
    CHECK_FALSE(status.info().outcome_unknown);
    CHECK(status.info().transport_code == static_cast<int>(code));
    CHECK(status.message().find("api.mch.weixin.qq.com") != std::string::npos);
    CHECK(status.message().find("curl says no") != std::string::npos);
  }
}

TEST_CASE("CurlErrorStatus: a timeout is kDeadlineExceeded, unknown only once sent") {
  auto sent = CurlErrorStatus(CURLE_OPERATION_TIMEDOUT, true, "h", "");
  CHECK(sent.code() == StatusCode::kDeadlineExceeded);
  CHECK(sent.info().outcome_unknown);
  // An empty error buffer falls back to curl_easy_strerror().
  CHECK(sent.message().find(curl_easy_strerror(CURLE_OPERATION_TIMEDOUT)) != std::string::npos);

  auto connecting = CurlErrorStatus(CURLE_OPERATION_TIMEDOUT, false, "h", "");
  CHECK(connecting.code() == StatusCode::kDeadlineExceeded);
  CHECK_FALSE(connecting.info().outcome_unknown);
}

TEST_CASE("CurlErrorStatus: failures after sending are always outcome unknown") {
  for (auto code : {CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE}) {
    INFO(static_cast<int>(code));
    auto status = CurlErrorStatus(code, false, "h", "");
    CHECK(status.code() == StatusCode::kTransport);
    CHECK(status.info().outcome_unknown);
  }
  auto other = CurlErrorStatus(CURLE_WEIRD_SERVER_REPLY, true, "h", "");
  CHECK(other.code() == StatusCode::kTransport);
  CHECK(other.info().outcome_unknown);
  CHECK(CurlErrorStatus(CURLE_OUT_OF_MEMORY, false, "h", "").code() == StatusCode::kInternal);
}

TEST_CASE("WithoutProxyCredentials drops libcurl's text when it repeats the proxy's user info") {
  std::string_view const quoted = "Unsupported proxy syntax in 'http://user:s3cret@[bad'";
  CHECK(WithoutProxyCredentials(quoted, "http://user:s3cret@[bad").empty());
  // The password alone, or the user info of a proxy without a scheme.
  CHECK(WithoutProxyCredentials("password s3cret refused", "http://user:s3cret@proxy").empty());
  CHECK(WithoutProxyCredentials("bad user:s3cret", "user:s3cret@proxy:3128").empty());
  // A password holding '@' or '/': everything up to the last '@' is user info.
  CHECK(WithoutProxyCredentials("in 'http://u:a/b@c@proxy'", "http://u:a/b@c@proxy").empty());
  // Nothing to hide: the text is kept.
  std::string_view const refused = "Failed to connect to 127.0.0.1 port 1";
  CHECK(WithoutProxyCredentials(refused, "http://user:s3cret@127.0.0.1:1") == refused);
  CHECK(WithoutProxyCredentials(quoted, "") == quoted);
  CHECK(WithoutProxyCredentials(quoted, "http://proxy.example:3128") == quoted);
  CHECK(WithoutProxyCredentials("", "http://user:s3cret@proxy").empty());
}

TEST_CASE("CurlHandlePool reuses handles and keeps at most max_idle") {
  GlobalInit();
  CurlHandlePool pool(2);
  CURL* first = nullptr;
  {
    auto lease = pool.Acquire();
    REQUIRE(lease.get() != nullptr);
    CHECK(lease.fresh());
    first = lease.get();
  }
  CHECK(pool.idle_count() == 1);
  {
    auto again = pool.Acquire();
    CHECK(again.get() == first);  // most recently used comes back
    CHECK_FALSE(again.fresh());
    CHECK(pool.idle_count() == 0);
  }
  {
    auto discarded = pool.Acquire();
    CHECK(discarded.get() == first);
    discarded.Discard();
    CHECK(discarded.get() == nullptr);
  }
  CHECK(pool.idle_count() == 0);  // a discarded handle does not come back
  {
    auto replacement = pool.Acquire();
    CHECK(replacement.fresh());
  }
  {
    auto a = pool.Acquire();
    auto b = pool.Acquire();
    auto c = pool.Acquire();
    CHECK(a.get() != b.get());
    CHECK(b.get() != c.get());
  }
  CHECK(pool.idle_count() == 2);

  CurlHandlePool none(0);
  { auto lease = none.Acquire(); }
  CHECK(none.idle_count() == 0);
}

}  // namespace
}  // namespace wechatpay::internal
