// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "catch.hpp"
#include "http/curl_handle_pool.hpp"
#include "http/curl_transport_detail.hpp"
#include "wechatpay/http/curl_transport.hpp"

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

TEST_CASE("StatusLineCode reads the code of HTTP/1.x and HTTP/2 status lines only") {
  CHECK(StatusLineCode("HTTP/1.1 200 OK\r\n") == 200);
  CHECK(StatusLineCode("HTTP/1.1 100 Continue\r\n") == 100);
  CHECK(StatusLineCode("HTTP/2 204\r\n") == 204);
  CHECK(StatusLineCode("HTTP/2 304 \r\n") == 304);
  CHECK(StatusLineCode("HTTP/1.1 200") == 200);
  CHECK(StatusLineCode("Content-Length: 200\r\n") == 0);
  CHECK(StatusLineCode("HTTP/1.1 2000 OK\r\n") == 0);
  CHECK(StatusLineCode("HTTP/1.1 2x0 OK\r\n") == 0);
  CHECK(StatusLineCode("HTTP/1.1\r\n") == 0);
  CHECK(StatusLineCode("\r\n") == 0);
}

TEST_CASE("AnnouncedBodyLength is the Content-Length of a block that has such a body") {
  std::vector<HttpHeaders::Field> const sized = {{"content-length", "1099511627776"}};
  CHECK(AnnouncedBodyLength(sized, 200, false) == 1099511627776);
  CHECK(AnnouncedBodyLength(sized, 500, false) == 1099511627776);
  // No body of that length: interim blocks, 204, 304, any answer to HEAD.
  CHECK(AnnouncedBodyLength(sized, 100, false) == -1);
  CHECK(AnnouncedBodyLength(sized, 204, false) == -1);
  CHECK(AnnouncedBodyLength(sized, 304, false) == -1);
  CHECK(AnnouncedBodyLength(sized, 200, true) == -1);
  // Transfer-Encoding overrides Content-Length, wherever it comes (RFC 9112 6.3).
  CHECK(AnnouncedBodyLength({{"Content-Length", "5"}, {"Transfer-Encoding", "chunked"}}, 200,
                            false) == -1);
  CHECK(AnnouncedBodyLength({{"Transfer-Encoding", "chunked"}, {"Content-Length", "5"}}, 200,
                            false) == -1);
  // Absent or unreadable: nothing announced (libcurl decides what such an answer is).
  CHECK(AnnouncedBodyLength({{"Content-Type", "application/json"}}, 200, false) == -1);
  CHECK(AnnouncedBodyLength({{"Content-Length", "-5"}}, 200, false) == -1);
  CHECK(AnnouncedBodyLength({{"Content-Length", "12 34"}}, 200, false) == -1);
  CHECK(AnnouncedBodyLength({{"Content-Length", "99999999999999999999"}}, 200, false) == -1);
  CHECK(AnnouncedBodyLength({{"Content-Length", "0"}}, 200, false) == 0);
}

TEST_CASE("AppendWithinLimit keeps the body, and its storage, within the limit") {
  // An odd limit that no doubling lands on, filled in libcurl-sized chunks.
  std::size_t const limit = 4 * 1024 * 1024 + 123;
  std::string const chunk(16 * 1024, 'x');
  std::string body;
  while (body.size() + chunk.size() <= limit) REQUIRE(AppendWithinLimit(body, chunk, limit));
  std::size_t const rest = limit - body.size();
  REQUIRE(AppendWithinLimit(body, std::string_view(chunk).substr(0, rest), limit));
  CHECK(body.size() == limit);
  CHECK(body.capacity() <= limit);

  // One byte more is refused and changes nothing.
  CHECK_FALSE(AppendWithinLimit(body, "y", limit));
  CHECK(body.size() == limit);
  CHECK(body.find('y') == std::string::npos);
  CHECK(AppendWithinLimit(body, "", limit));

  std::string small;
  CHECK_FALSE(AppendWithinLimit(small, "abcdef", 5));
  CHECK(small.empty());
  CHECK(AppendWithinLimit(small, "abcde", 5));
  CHECK(small == "abcde");

  // No limit at all: no overflow in the arithmetic.
  std::string unlimited = "ab";
  CHECK(AppendWithinLimit(unlimited, "cd", std::numeric_limits<std::size_t>::max()));
  CHECK(unlimited == "abcd");
}

TEST_CASE("Size-limit statuses are kMalformedResponse naming the part, the limit and the host") {
  auto body = BodyTooLargeStatus("127.0.0.1:8080", 4194304, -1, 200, CURLE_WRITE_ERROR);
  CHECK(body.code() == StatusCode::kMalformedResponse);
  CHECK(body.info().field == "body");
  CHECK(body.info().outcome_unknown);
  CHECK(body.info().http_status == 200);
  CHECK(body.info().transport_code == static_cast<int>(CURLE_WRITE_ERROR));
  CHECK(body.message() ==
        "the response body from 127.0.0.1:8080 exceeds the limit of 4194304 bytes "
        "(HttpRequest::max_response_body_bytes, by default "
        "CurlTransportOptions::max_response_body_bytes); the transfer was abandoned; the "
        "request may have reached the server");

  auto announced = BodyTooLargeStatus("h", 10, 11, 200, CURLE_WRITE_ERROR);
  CHECK(announced.message().rfind("the response body from h announces 11 bytes "
                                  "(Content-Length), more than the limit of 10 bytes",
                                  0) == 0);

  auto headers = HeadersTooLargeStatus("h", 65536, false, 200, CURLE_WRITE_ERROR);
  CHECK(headers.code() == StatusCode::kMalformedResponse);
  CHECK(headers.info().field == "headers");
  CHECK(headers.info().outcome_unknown);
  CHECK(headers.message() ==
        "the response headers from h exceed 65536 bytes; the transfer was abandoned; the "
        "request may have reached the server");
  auto line = HeadersTooLargeStatus("h", 65536, true, 0, CURLE_OUT_OF_MEMORY);
  CHECK(line.message().find("exceed 65536 bytes (one header line is longer than libcurl "
                            "accepts)") != std::string::npos);
  CHECK(line.info().transport_code == static_cast<int>(CURLE_OUT_OF_MEMORY));
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
