// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0

// The libcurl transport against real servers on 127.0.0.1: a cpp-httplib server for the happy
// paths and connection reuse, and raw-socket peers for the failures. No test talks to the
// internet and none asserts on elapsed time; timeouts are kept short so the suite stays fast.

#include <curl/curl.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "support/loopback_server.hpp"
#include "support/raw_socket_peers.hpp"
#include "support/scoped_environment.hpp"
#include "support/test_tls.hpp"
#include "wechatpay/http/curl_stats.hpp"
#include "wechatpay/http/curl_transport.hpp"
#include "wechatpay/http/transport.hpp"
#include "wechatpay/http/types.hpp"

namespace wechatpay {
namespace {

using std::chrono::milliseconds;
using testing::LoopbackServer;
using testing::ScopedEnvironment;

// Bytes that break text-oriented code: NUL, CR LF, a lone high byte, invalid UTF-8.
std::string const kBinary("a\0b\r\n\xff\xfe{\"k\":\"\xe4\xbd\xa0\"}\x80", 17);

// A secret-looking Authorization value and body: must never show up in an error message.
constexpr char kAuthorization[] =
    "WECHATPAY2-SHA256-RSA2048 mchid=\"1900007291\",signature=\"TOP-SECRET-SIGNATURE\"";
constexpr char kSecretBody[] = R"({"secret":"TOP-SECRET-BODY"})";

// What a handler saw, copied out for assertions on the test thread.
struct Seen {
  std::mutex mu;
  std::string method;
  std::string target;
  std::string body;
  httplib::Headers headers;

  void Record(httplib::Request const& req) {
    std::lock_guard<std::mutex> lock(mu);
    method = req.method;
    target = req.target;
    body = req.body;
    headers = req.headers;
  }
  bool Has(std::string const& name) {
    std::lock_guard<std::mutex> lock(mu);
    return headers.find(name) != headers.end();  // httplib::Headers compares names ignoring case
  }
  std::string Header(std::string const& name) {
    std::lock_guard<std::mutex> lock(mu);
    auto it = headers.find(name);
    return it == headers.end() ? std::string("<absent>") : it->second;
  }
};

HttpRequest MakeRequest(std::string method, std::string url, std::string body = {}) {
  HttpRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.body = std::move(body);
  request.timeout = std::chrono::seconds(5);
  return request;
}

bool Contains(std::string const& haystack, std::string const& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST_CASE("CurlTransport sends a GET and returns status, headers and the exact body") {
  Seen seen;
  LoopbackServer server;
  server.http().Get("/v3/echo", [&](httplib::Request const& req, httplib::Response& res) {
    seen.Record(req);
    res.status = 200;
    res.set_header("Request-ID", "08F78BB5AF0610D302");
    res.set_header("Wechatpay-Serial", "PUB_KEY_ID_0114232134912410000000000000");
    res.set_content(kBinary, "application/octet-stream");
  });
  server.Start();
  auto transport = MakeCurlTransport();

  auto request = MakeRequest("GET", server.BaseUrl() + "/v3/echo?mchid=1900007291&a=b%20c");
  request.headers.Add("Accept", "application/json");
  request.headers.Add("User-Agent", "wechatpay-cpp-test/1.0");
  request.headers.Add("Authorization", kAuthorization);
  auto response = transport->Send(request);
  REQUIRE(response.ok());

  CHECK(response->status_code == 200);
  CHECK(response->body == kBinary);
  CHECK(response->headers.Get("Request-ID") == "08F78BB5AF0610D302");
  // Case-insensitive lookup of what the server sent as "Wechatpay-Serial".
  CHECK(response->headers.Get("wechatpay-serial") == "PUB_KEY_ID_0114232134912410000000000000");
  CHECK(response->headers.Get("CONTENT-TYPE") == "application/octet-stream");
  CHECK(response->headers.Get("Content-Length") == std::to_string(kBinary.size()));

  CHECK(seen.method == "GET");
  CHECK(seen.target == "/v3/echo?mchid=1900007291&a=b%20c");
  CHECK(seen.body.empty());
  CHECK(seen.Header("Accept") == "application/json");
  CHECK(seen.Header("User-Agent") == "wechatpay-cpp-test/1.0");
  CHECK(seen.Header("Authorization") == kAuthorization);
  CHECK(seen.Header("Host") == "127.0.0.1:" + std::to_string(server.port()));
  CHECK_FALSE(seen.Has("Content-Type"));
  CHECK_FALSE(seen.Has("Expect"));

  SECTION("libcurl adds no Accept or User-Agent of its own") {
    auto bare = transport->Send(MakeRequest("GET", server.BaseUrl() + "/v3/echo"));
    REQUIRE(bare.ok());
    CHECK_FALSE(seen.Has("Accept"));
    CHECK_FALSE(seen.Has("User-Agent"));
    CHECK_FALSE(seen.Has("Content-Length"));
  }
}

TEST_CASE("CurlTransport sends POST bodies byte for byte") {
  Seen seen;
  LoopbackServer server;
  server.http().Post("/v3/pay", [&](httplib::Request const& req, httplib::Response& res) {
    seen.Record(req);
    res.status = 200;
    res.set_content(req.body, "application/octet-stream");  // echo
  });
  server.Start();
  auto transport = MakeCurlTransport();

  SECTION("binary body") {
    auto request = MakeRequest("POST", server.BaseUrl() + "/v3/pay", kBinary);
    request.headers.Add("Content-Type", "application/json");
    auto response = transport->Send(request);
    REQUIRE(response.ok());
    CHECK(response->status_code == 200);
    CHECK(response->body == kBinary);
    CHECK(seen.method == "POST");
    CHECK(seen.body == kBinary);
    CHECK(seen.Header("Content-Type") == "application/json");
    CHECK(seen.Header("Content-Length") == std::to_string(kBinary.size()));
    CHECK_FALSE(seen.Has("Expect"));
  }

  SECTION("large body: no Expect: 100-continue round trip, no default Content-Type") {
    std::string big(3 * 1024 * 1024, '\0');
    for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 31 + 7);
    auto response = transport->Send(MakeRequest("POST", server.BaseUrl() + "/v3/pay", big));
    REQUIRE(response.ok());
    CHECK(response->body == big);
    CHECK(seen.body == big);
    CHECK_FALSE(seen.Has("Expect"));
    CHECK_FALSE(seen.Has("Content-Type"));
  }

  SECTION("empty body still sends Content-Length: 0") {
    auto response = transport->Send(MakeRequest("POST", server.BaseUrl() + "/v3/pay"));
    REQUIRE(response.ok());
    CHECK(response->status_code == 200);
    CHECK(seen.body.empty());
    CHECK(seen.Header("Content-Length") == "0");
  }

  SECTION("a caller-set Content-Length is replaced by the real one") {
    auto request = MakeRequest("POST", server.BaseUrl() + "/v3/pay", "12345");
    request.headers.Add("Content-Length", "999");
    auto response = transport->Send(request);
    REQUIRE(response.ok());
    CHECK(seen.Header("Content-Length") == "5");
    CHECK(seen.body == "12345");
  }
}

TEST_CASE("CurlTransport sends other methods as given") {
  Seen seen;
  LoopbackServer server;
  auto record = [&](httplib::Request const& req, httplib::Response& res) {
    seen.Record(req);
    res.status = 200;
  };
  server.http().Put("/r", record);
  server.http().Patch("/r", record);
  server.http().Delete("/r", record);
  server.http().Get("/r", [&](httplib::Request const& req, httplib::Response& res) {
    seen.Record(req);
    res.set_content("a body HEAD must not wait for", "text/plain");
  });
  server.Start();
  auto transport = MakeCurlTransport();

  REQUIRE(transport->Send(MakeRequest("PUT", server.BaseUrl() + "/r", "put-body")).ok());
  CHECK(seen.method == "PUT");
  CHECK(seen.body == "put-body");

  REQUIRE(transport->Send(MakeRequest("PATCH", server.BaseUrl() + "/r", kBinary)).ok());
  CHECK(seen.method == "PATCH");
  CHECK(seen.body == kBinary);

  REQUIRE(transport->Send(MakeRequest("DELETE", server.BaseUrl() + "/r")).ok());
  CHECK(seen.method == "DELETE");
  CHECK(seen.body.empty());

  auto head = transport->Send(MakeRequest("HEAD", server.BaseUrl() + "/r"));
  REQUIRE(head.ok());
  CHECK(seen.method == "HEAD");
  CHECK(head->status_code == 200);
  CHECK(head->body.empty());
  CHECK(head->headers.Get("Content-Length") == "29");
}

// Pooled handles are not reset between requests (curl_handle_pool.hpp): whatever one request
// set must not leak into the next. Every ordered pair of request shapes runs on the one handle
// of a single-threaded transport.
TEST_CASE("CurlTransport carries nothing of one request into the next on a reused handle") {
  Seen seen;
  LoopbackServer server;
  auto record = [&](httplib::Request const& req, httplib::Response& res) {
    seen.Record(req);
    res.set_content("answer to " + req.method, "text/plain");
  };
  server.http().Get("/r", record);  // cpp-httplib serves HEAD with the GET handler
  server.http().Post("/r", record);
  server.http().Put("/r", record);
  server.http().Patch("/r", record);
  server.http().Delete("/r", record);
  server.Start();
  CurlTransportOptions options;
  options.max_idle_handles = 1;
  auto transport = MakeCurlTransport(options);

  struct Shape {
    char const* method;
    std::string body;
  };
  std::vector<Shape> const shapes = {{"GET", ""},   {"HEAD", ""},        {"POST", kBinary},
                                     {"POST", ""},  {"PUT", "put-body"}, {"PATCH", "patch-body"},
                                     {"DELETE", ""}};
  int sent = 0;
  auto send = [&](Shape const& shape) {
    auto request = MakeRequest(shape.method, server.BaseUrl() + "/r", shape.body);
    std::string const tag = std::to_string(++sent);
    request.headers.Add("X-Request", tag);
    if (sent % 2 == 0) request.headers.Add("X-Only-On-Even", "yes");
    auto response = transport->Send(request);
    REQUIRE(response.ok());
    CHECK(response->status_code == 200);
    CHECK(seen.method == shape.method);
    CHECK(seen.body == shape.body);
    CHECK(seen.Header("X-Request") == tag);
    CHECK(seen.Has("X-Only-On-Even") == (sent % 2 == 0));
    bool const frames_body = std::string(shape.method) == "POST" ||
                             std::string(shape.method) == "PUT" ||
                             std::string(shape.method) == "PATCH";
    CHECK(seen.Header("Content-Length") ==
          (frames_body ? std::to_string(shape.body.size()) : std::string("<absent>")));
    if (std::string(shape.method) == "HEAD") {
      CHECK(response->body.empty());
    } else {
      CHECK(response->body == std::string("answer to ") + shape.method);
    }
  };
  for (auto const& first : shapes) {
    for (auto const& second : shapes) {
      CAPTURE(first.method, first.body.size(), second.method, second.body.size());
      send(first);
      send(second);
    }
  }
  CHECK(server.accepted_connections() == 1);  // all on one handle and one connection
}

TEST_CASE("CurlTransport applies each request's own timeout on a reused handle") {
  LoopbackServer server;
  server.http().Get("/slow", [](httplib::Request const&, httplib::Response& res) {
    std::this_thread::sleep_for(milliseconds(400));
    res.set_content("late", "text/plain");
  });
  server.Start();
  CurlTransportOptions options;
  options.max_idle_handles = 1;
  auto transport = MakeCurlTransport(options);

  auto hurried = MakeRequest("GET", server.BaseUrl() + "/slow");
  hurried.timeout = milliseconds(100);
  auto const failed = transport->Send(hurried);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.status().code() == StatusCode::kDeadlineExceeded);

  auto patient = MakeRequest("GET", server.BaseUrl() + "/slow");  // 5 s
  auto const answered = transport->Send(patient);
  REQUIRE(answered.ok());
  CHECK(answered->body == "late");
}

TEST_CASE("CurlTransport returns HTTP error statuses and 204 as responses") {
  LoopbackServer server;
  server.http().Post("/v3/close", [](httplib::Request const&, httplib::Response& res) {
    res.status = 204;
    res.set_header("Request-ID", "close-1");
  });
  server.http().Get("/v3/fail", [](httplib::Request const&, httplib::Response& res) {
    res.status = 500;
    res.set_content(R"({"code":"SYSTEM_ERROR","message":"busy"})", "application/json");
  });
  server.Start();
  auto transport = MakeCurlTransport();

  auto no_content = transport->Send(MakeRequest("POST", server.BaseUrl() + "/v3/close", "{}"));
  REQUIRE(no_content.ok());
  CHECK(no_content->status_code == 204);
  CHECK(no_content->body.empty());
  CHECK(no_content->headers.Get("request-id") == "close-1");

  auto failure = transport->Send(MakeRequest("GET", server.BaseUrl() + "/v3/fail"));
  REQUIRE(failure.ok());
  CHECK(failure->status_code == 500);
  CHECK(failure->body == R"({"code":"SYSTEM_ERROR","message":"busy"})");

  auto missing = transport->Send(MakeRequest("GET", server.BaseUrl() + "/nowhere"));
  REQUIRE(missing.ok());
  CHECK(missing->status_code == 404);
}

TEST_CASE("CurlTransport keeps only the final response's headers after 100 Continue") {
  LoopbackServer server;
  server.http().Post("/v3/pay", [](httplib::Request const&, httplib::Response& res) {
    res.status = 200;
    res.set_header("X-Final", "yes");
    res.set_content("done", "text/plain");
  });
  server.Start();
  auto transport = MakeCurlTransport();

  // The caller asks for the interim response explicitly; the server sends "100 Continue".
  auto request = MakeRequest("POST", server.BaseUrl() + "/v3/pay", "body");
  request.headers.Add("Expect", "100-continue");
  auto response = transport->Send(request);
  REQUIRE(response.ok());
  CHECK(response->status_code == 200);
  CHECK(response->body == "done");
  CHECK(response->headers.Get("X-Final") == "yes");
}

TEST_CASE("CurlTransport reuses one connection for sequential requests") {
  LoopbackServer server;
  server.http().Get("/ping", [](httplib::Request const&, httplib::Response& res) {
    res.set_content("pong", "text/plain");
  });
  server.http().Post("/ping", [](httplib::Request const& req, httplib::Response& res) {
    res.set_content(req.body, "text/plain");
  });
  server.Start();
  auto transport = MakeCurlTransport();

  for (int i = 0; i < 20; ++i) {
    auto response = i % 2 == 0
                        ? transport->Send(MakeRequest("GET", server.BaseUrl() + "/ping"))
                        : transport->Send(MakeRequest("POST", server.BaseUrl() + "/ping", "p"));
    REQUIRE(response.ok());
    REQUIRE(response->status_code == 200);
  }
  CHECK(server.accepted_connections() == 1);
  auto const stats = GetCurlTransportStats(*transport);
  CHECK(stats.requests == 20);
  CHECK(stats.new_connections == 1);
}

TEST_CASE("CurlTransport serves concurrent callers from a bounded handle pool") {
  LoopbackServer server;
  server.http().Post("/echo", [](httplib::Request const& req, httplib::Response& res) {
    res.set_content(req.body, "text/plain");
  });
  server.Start();
  CurlTransportOptions options;
  options.max_idle_handles = 4;
  auto transport = MakeCurlTransport(options);

  constexpr int kThreads = 4;
  constexpr int kRequestsPerThread = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRequestsPerThread; ++i) {
        std::string const body = "thread-" + std::to_string(t) + "-request-" + std::to_string(i);
        auto response = transport->Send(MakeRequest("POST", server.BaseUrl() + "/echo", body));
        if (!response.ok() || response->status_code != 200 || response->body != body) {
          failures.fetch_add(1);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();

  CHECK(failures.load() == 0);
  auto const stats = GetCurlTransportStats(*transport);
  CHECK(stats.requests == kThreads * kRequestsPerThread);
  // At most one handle per concurrent caller ever exists, each with one kept-alive connection.
  CHECK(stats.new_connections >= 1);
  CHECK(stats.new_connections <= options.max_idle_handles);
  CHECK(server.accepted_connections() >= 1);
  CHECK(server.accepted_connections() <= options.max_idle_handles);
}

TEST_CASE("CurlTransport works without an idle pool") {
  LoopbackServer server;
  server.http().Get("/ping", [](httplib::Request const&, httplib::Response& res) {
    res.set_content("pong", "text/plain");
  });
  server.Start();
  CurlTransportOptions options;
  options.max_idle_handles = 0;
  auto transport = MakeCurlTransport(options);
  for (int i = 0; i < 3; ++i) {
    auto response = transport->Send(MakeRequest("GET", server.BaseUrl() + "/ping"));
    REQUIRE(response.ok());
    CHECK(response->body == "pong");
  }
  // Every handle is discarded after use, so every request needs a new connection.
  CHECK(GetCurlTransportStats(*transport).new_connections == 3);
}

TEST_CASE("CurlTransport sends non-loopback requests through the configured proxy only") {
  // The "proxy" records what it receives and hangs up: enough to see where the request went.
  testing::DropAfterRequestServer proxy;
  // libcurl would honour these and connect directly (failing on DNS) instead of asking the
  // proxy; the configuration alone decides.
  ScopedEnvironment no_proxy("no_proxy", "*");
  ScopedEnvironment no_proxy_upper("NO_PROXY", "*");
  CurlTransportOptions options;
  options.proxy = proxy.BaseUrl();
  auto transport = MakeCurlTransport(options);
  auto response =
      transport->Send(MakeRequest("POST", "https://api.mch.example.invalid/v3/pay", kSecretBody));
  REQUIRE_FALSE(response.ok());
  CHECK(response.status().code() == StatusCode::kTransport);
  REQUIRE(proxy.requests_received() == 1);
  CHECK(proxy.last_request().rfind("CONNECT api.mch.example.invalid:443 HTTP/1.1\r\n", 0) == 0);
  CHECK_FALSE(Contains(proxy.last_request(), "TOP-SECRET"));  // only the tunnel request
}

TEST_CASE("CurlTransport reports a slow server as deadline exceeded, outcome unknown") {
  LoopbackServer server;
  server.http().Post("/v3/pay", [&server](httplib::Request const&, httplib::Response& res) {
    server.WaitForStop(std::chrono::seconds(5));  // longer than the client waits
    res.status = 200;
  });
  server.Start();
  auto transport = MakeCurlTransport();

  auto request = MakeRequest("POST", server.BaseUrl() + "/v3/pay", kSecretBody);
  request.headers.Add("Authorization", kAuthorization);
  request.timeout = milliseconds(300);
  auto response = transport->Send(request);
  REQUIRE_FALSE(response.ok());
  auto const& status = response.status();
  CHECK(status.code() == StatusCode::kDeadlineExceeded);
  CHECK(status.info().outcome_unknown);
  CHECK(status.info().transport_code == CURLE_OPERATION_TIMEDOUT);
  CHECK(Contains(status.message(), "127.0.0.1:" + std::to_string(server.port())));
  CHECK_FALSE(Contains(status.ToString(), "TOP-SECRET"));
}

TEST_CASE("CurlTransport reports a connect timeout as deadline exceeded, request not sent") {
  testing::UnresponsiveListener listener;
  auto transport = MakeCurlTransport();
  auto request = MakeRequest("POST", listener.BaseUrl() + "/v3/pay", kSecretBody);
  request.connect_timeout = milliseconds(200);
  request.timeout = milliseconds(2000);
  auto response = transport->Send(request);
  REQUIRE_FALSE(response.ok());
  CHECK(response.status().code() == StatusCode::kDeadlineExceeded);
  CHECK_FALSE(response.status().info().outcome_unknown);
  CHECK(response.status().info().transport_code == CURLE_OPERATION_TIMEDOUT);
}

TEST_CASE("CurlTransport reports a refused connection as transport error, request not sent") {
  int const port = testing::ClosedLoopbackPort();
  auto transport = MakeCurlTransport();
  auto response = transport->Send(
      MakeRequest("POST", "http://127.0.0.1:" + std::to_string(port) + "/v3/pay", kSecretBody));
  REQUIRE_FALSE(response.ok());
  auto const& status = response.status();
  CHECK(status.code() == StatusCode::kTransport);
  CHECK_FALSE(status.info().outcome_unknown);
  CHECK(status.info().transport_code == CURLE_COULDNT_CONNECT);
  CHECK(Contains(status.message(), "127.0.0.1:" + std::to_string(port)));
}

TEST_CASE("CurlTransport reports a dropped connection as transport error, outcome unknown") {
  testing::DropAfterRequestServer server;
  auto transport = MakeCurlTransport();
  auto request = MakeRequest("POST", server.BaseUrl() + "/v3/pay/transactions/native", kSecretBody);
  request.headers.Add("Authorization", kAuthorization);
  request.headers.Add("Content-Type", "application/json");
  auto response = transport->Send(request);
  REQUIRE_FALSE(response.ok());
  auto const& status = response.status();
  CHECK(status.code() == StatusCode::kTransport);
  CHECK(status.info().outcome_unknown);
  CHECK(status.info().transport_code == CURLE_GOT_NOTHING);
  CHECK(server.requests_received() == 1);
  CHECK_FALSE(Contains(status.ToString(), "TOP-SECRET"));
}

TEST_CASE("CurlTransport: a body reset before it left whole was not applied: outcome known") {
  // The server reads the header block and resets the connection: 32 MiB cannot fit in the
  // socket buffers, so the send fails with part of the body unsent. The server cannot have the
  // request, so the failure is not "outcome unknown" (a write is then safe to repeat).
  testing::DropAfterRequestServer server(testing::DropAfterRequestServer::Drop::kResetAfterHeaders);
  auto transport = MakeCurlTransport();
  auto request = MakeRequest("POST", server.BaseUrl() + "/v3/pay/transactions/native",
                             std::string(32 * 1024 * 1024, 'x'));
  auto response = transport->Send(request);
  REQUIRE_FALSE(response.ok());
  auto const& status = response.status();
  INFO(status.ToString());
  CHECK(status.code() == StatusCode::kTransport);
  CHECK_FALSE(status.info().outcome_unknown);
  CHECK(Contains(status.message(), "not sent whole"));
  CHECK(server.requests_received() == 1);  // the header block arrived
}

TEST_CASE("CurlTransport: a write that arrived whole stays unknown when libcurl's re-send fails") {
  // The second request arrives whole on the kept-alive connection, which then closes without
  // an answer; libcurl re-sends it on a new connection (resetting its upload counter), which
  // is refused. The server may have applied it: outcome unknown, not "not sent whole".
  testing::AnswerOnceThenDropServer server;
  auto transport = MakeCurlTransport();
  auto const url = server.BaseUrl() + "/v3/pay/transactions/native";
  REQUIRE(transport->Send(MakeRequest("POST", url, "{}")).ok());
  auto response = transport->Send(MakeRequest("POST", url, kSecretBody));
  REQUIRE_FALSE(response.ok());
  INFO(response.status().ToString());
  CHECK(response.status().info().outcome_unknown);
  CHECK_FALSE(Contains(response.status().message(), "not sent whole"));
  CHECK(server.requests_received() == 2);
}

TEST_CASE("CurlTransport puts exactly the caller's headers on the wire") {
  // cpp-httplib drops empty header values and normalizes, so read the raw bytes instead.
  testing::DropAfterRequestServer server;
  auto transport = MakeCurlTransport();
  auto request = MakeRequest("POST", server.BaseUrl() + "/v3/pay?x=1", kBinary);
  request.headers.Add("Authorization", kAuthorization);
  request.headers.Add("X-Empty", "");
  (void)transport->Send(request);
  REQUIRE(server.requests_received() == 1);
  std::string const wire = server.last_request();
  std::string const port = std::to_string(server.port());
  std::string const expected_head =
      "POST /v3/pay?x=1 HTTP/1.1\r\nHost: 127.0.0.1:" + port +
      "\r\nAuthorization: " + kAuthorization +
      "\r\nX-Empty:\r\nContent-Length: " + std::to_string(kBinary.size()) + "\r\n\r\n";
  CHECK(wire == expected_head + kBinary);
}

TEST_CASE("CurlTransport refuses plain http to non-loopback hosts before any I/O") {
  auto transport = MakeCurlTransport();
  auto request = MakeRequest("POST", "http://example.com/v3/pay/transactions/native", "{}");
  auto response = transport->Send(request);
  REQUIRE_FALSE(response.ok());
  auto const& status = response.status();
  CHECK(status.code() == StatusCode::kConfiguration);
  CHECK(Contains(status.message(), "example.com"));
  CHECK(Contains(status.message(), "plain http is allowed only for loopback hosts"));
  CHECK_FALSE(status.info().outcome_unknown);
  CHECK(GetCurlTransportStats(*transport).requests == 0);

  SECTION("uppercase scheme and IP literals are no way around it") {
    for (auto const* url : {"HTTP://example.com/", "http://10.0.0.1:8080/", "http://[2001:db8::1]/",
                            "http://128.0.0.1/", "http://localhost.example.com/"}) {
      INFO(url);
      auto r = transport->Send(MakeRequest("GET", url));
      REQUIRE_FALSE(r.ok());
      CHECK(r.status().code() == StatusCode::kConfiguration);
    }
    CHECK(GetCurlTransportStats(*transport).requests == 0);
  }
}

TEST_CASE("CurlTransport rejects malformed requests before any I/O") {
  auto transport = MakeCurlTransport();
  auto const check_invalid = [&](HttpRequest const& request) {
    auto response = transport->Send(request);
    REQUIRE_FALSE(response.ok());
    CHECK(response.status().code() == StatusCode::kInvalidArgument);
    CHECK_FALSE(Contains(response.status().message(), "TOP-SECRET"));
  };
  check_invalid(MakeRequest("GET", "not a url"));
  check_invalid(MakeRequest("GET", "ftp://127.0.0.1/"));
  check_invalid(MakeRequest("GET", "https://user:TOP-SECRET@127.0.0.1/"));
  check_invalid(MakeRequest("", "http://127.0.0.1/"));
  check_invalid(MakeRequest("GET /x HTTP/1.1\r\nX:", "http://127.0.0.1/"));
  auto injected = MakeRequest("GET", "http://127.0.0.1/");
  injected.headers.Add("Authorization", "TOP-SECRET\r\nX-Injected: 1");
  check_invalid(injected);
  auto bad_name = MakeRequest("GET", "http://127.0.0.1/");
  bad_name.headers.Add("Bad Name", "v");
  check_invalid(bad_name);
  CHECK(GetCurlTransportStats(*transport).requests == 0);
}

TEST_CASE("CurlTransport reports TLS to a plain-http port as transport error, not sent") {
  LoopbackServer server;  // speaks plain HTTP
  server.Start();
  auto transport = MakeCurlTransport();
  auto request = MakeRequest(
      "POST", "https://127.0.0.1:" + std::to_string(server.port()) + "/v3/pay", kSecretBody);
  request.timeout = milliseconds(2000);
  auto response = transport->Send(request);
  REQUIRE_FALSE(response.ok());
  auto const& status = response.status();
  CHECK(status.code() == StatusCode::kTransport);
  CHECK_FALSE(status.info().outcome_unknown);
  CHECK(status.info().transport_code == CURLE_SSL_CONNECT_ERROR);
}

#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
TEST_CASE("CurlTransport verifies TLS peers and trusts an extra CA file") {
  testing::LoopbackCertificate certificate;
  LoopbackServer::Options server_options;
  server_options.tls_cert_file = certificate.cert_file();
  server_options.tls_key_file = certificate.key_file();
  LoopbackServer server(server_options);
  server.http().Get("/v3/certificates", [](httplib::Request const&, httplib::Response& res) {
    res.set_content(kBinary, "application/octet-stream");
  });
  server.Start();
  REQUIRE(server.BaseUrl().rfind("https://", 0) == 0);

  SECTION("an unknown issuer fails verification; nothing was sent") {
    auto transport = MakeCurlTransport();
    auto response = transport->Send(MakeRequest("GET", server.BaseUrl() + "/v3/certificates"));
    REQUIRE_FALSE(response.ok());
    CHECK(response.status().code() == StatusCode::kTransport);
    CHECK_FALSE(response.status().info().outcome_unknown);
    CHECK(response.status().info().transport_code == CURLE_PEER_FAILED_VERIFICATION);
  }

  SECTION("ca_file makes it trusted, and the TLS connection is reused") {
    CurlTransportOptions options;
    options.ca_file = certificate.cert_file();
    auto transport = MakeCurlTransport(options);
    for (int i = 0; i < 5; ++i) {
      auto response = transport->Send(MakeRequest("GET", server.BaseUrl() + "/v3/certificates"));
      REQUIRE(response.ok());
      CHECK(response->status_code == 200);
      CHECK(response->body == kBinary);
    }
    CHECK(GetCurlTransportStats(*transport).new_connections == 1);
    CHECK(server.accepted_connections() == 1);
  }
}

TEST_CASE("CurlTransport verifies the host name against the certificate") {
  // Trusted issuer (the certificate is its own CA) but issued for another name.
  testing::LoopbackCertificate certificate("DNS:api.mch.weixin.qq.com");
  LoopbackServer::Options server_options;
  server_options.tls_cert_file = certificate.cert_file();
  server_options.tls_key_file = certificate.key_file();
  LoopbackServer server(server_options);
  server.http().Get("/v3/certificates", [](httplib::Request const&, httplib::Response& res) {
    res.set_content("{}", "application/json");
  });
  server.Start();
  CurlTransportOptions options;
  options.ca_file = certificate.cert_file();
  auto transport = MakeCurlTransport(options);
  auto response = transport->Send(MakeRequest("GET", server.BaseUrl() + "/v3/certificates"));
  REQUIRE_FALSE(response.ok());
  CHECK(response.status().code() == StatusCode::kTransport);
  CHECK_FALSE(response.status().info().outcome_unknown);
  CHECK(response.status().info().transport_code == CURLE_PEER_FAILED_VERIFICATION);
}
#endif

TEST_CASE("GetCurlTransportStats is zero for other transports") {
  struct OtherTransport : HttpTransport {
    StatusOr<HttpResponse> Send(HttpRequest const&) override { return HttpResponse{}; }
  };
  OtherTransport other;
  auto const stats = GetCurlTransportStats(other);
  CHECK(stats.requests == 0);
  CHECK(stats.new_connections == 0);
}

}  // namespace
}  // namespace wechatpay
