// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The sandbox's HTTP server under clients that hold on to it: keep-alive connections that
// never go idle long enough to be closed, a client that never pauses, and request bodies that
// are too long or have no length. Real sockets, plain HTTP (the limits are the same with TLS).

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "catch.hpp"
#include "support/raw_socket_peers.hpp"
#include "support/sandbox_fixture.hpp"

namespace wechatpay {
namespace {

using testing::ConnectLoopback;
using testing::PacedClients;
using testing::RawRequest;
using testing::ReadUntil;
using testing::SandboxFixture;

// A whole control API request, as a busy keep-alive client repeats it.
constexpr char kStatsRequest[] = "GET /sandbox/v1/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

int PortOf(SandboxFixture const& f) { return f.sandbox().port(); }

TEST_CASE("sandbox limits: sixteen busy keep-alive clients do not keep another client waiting") {
  // A keep-alive timeout of 5 s (the sandbox's default; the fixture shortens it to 1 s): a
  // request every 300 ms then stays far inside it even when a loaded machine delays the
  // clients' timers, so no connection idles out. Sixteen such clients used to take every worker
  // thread for as long as they ran.
  SandboxFixture f(0.001, /*plain_http=*/true, [](sandbox::Sandbox::Options& options) {
    options.keep_alive_timeout = std::chrono::seconds(5);
  });
  std::string const request = kStatsRequest;
  PacedClients busy(PortOf(f), 16, request, request.size(), std::chrono::milliseconds(300));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(busy.bytes_received() > 0);  // they are being served

  auto const start = std::chrono::steady_clock::now();
  auto const answer = RawRequest("GET", f.BaseUrl() + "/sandbox/v1/identity", {}, "", "");
  auto const elapsed = std::chrono::steady_clock::now() - start;
  INFO(answer.error);
  CHECK(answer.status == 200);
  CHECK(elapsed < std::chrono::seconds(3));
  CHECK(busy.closed() == 0);
}

TEST_CASE("sandbox limits: a client that never pauses yields its thread after its request quota") {
  SandboxFixture f(0.001, /*plain_http=*/true, [](sandbox::Sandbox::Options& options) {
    options.worker_threads = 2;
    options.keep_alive_max_requests = 20;
  });
  // Two clients take both threads and keep sending, every 10 ms; after 20 requests each
  // connection is closed, and the request waiting for a thread is served.
  std::string const request = kStatsRequest;
  PacedClients busy(PortOf(f), 2, request, request.size(), std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));

  auto const start = std::chrono::steady_clock::now();
  auto const answer = RawRequest("GET", f.BaseUrl() + "/sandbox/v1/identity", {}, "", "");
  auto const elapsed = std::chrono::steady_clock::now() - start;
  INFO(answer.error);
  CHECK(answer.status == 200);
  CHECK(elapsed < std::chrono::seconds(5));
  // The busy client notices the close on its next poll.
  CHECK(testing::Eventually([&] { return busy.closed() >= 1; }, std::chrono::seconds(2)));

  sandbox::Sandbox::Options options;
  options.keep_alive_max_requests = 0;
  sandbox::Sandbox refused(options);
  auto const status = refused.Start();
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(status.message().find("keep_alive_max_requests") != std::string::npos);
}

TEST_CASE("sandbox limits: request bodies are bounded on the control API and the v3 paths") {
  SandboxFixture f(0.001, /*plain_http=*/true);
  std::string const base = f.BaseUrl();

  // 2 MiB with a Content-Length: read through without being kept, answered 413 in WeChat's
  // error shape with a Request-ID, on both kinds of path.
  std::string const large(2 * 1024 * 1024, '{');
  for (char const* path : {"/sandbox/v1/faults", "/v3/pay/transactions/native"}) {
    INFO(path);
    auto const answer =
        RawRequest("POST", base + path, {"Content-Type: application/json"}, large, "");
    INFO(answer.error);
    CHECK(answer.status == 413);
    CHECK(answer.headers.Has("Request-ID"));
    CHECK(answer.body.find(R"("code":"INVALID_REQUEST")") != std::string::npos);
  }

  // 500 MB announced, a few bytes sent: answered once the read pauses too long (2 s), without
  // waiting for the rest. It used to try to read (and keep) all of it.
  {
    int const fd = ConnectLoopback(PortOf(f));
    std::string const head =
        "POST /sandbox/v1/faults HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
        "\r\nContent-Length: 524288000\r\n\r\n{\"action\":";
    (void)send(fd, head.data(), head.size(), MSG_NOSIGNAL);
    auto const answer = ReadUntil(fd, "}", std::chrono::seconds(10));
    close(fd);
    CHECK(answer.rfind("HTTP/1.1 413 ", 0) == 0);
  }

  // No length at all (chunked): refused before any of it is read.
  {
    int const fd = ConnectLoopback(PortOf(f));
    std::string const request =
        "POST /sandbox/v1/faults HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        "4000\r\n" +
        std::string(0x4000, '[') + "\r\n";
    (void)send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    auto const answer = ReadUntil(fd, "}", std::chrono::seconds(10));
    close(fd);
    CHECK(answer.rfind("HTTP/1.1 411 ", 0) == 0);
    CHECK(answer.find(R"("code":"INVALID_REQUEST")") != std::string::npos);
  }

  // Bodies within the limit are served as before.
  auto const fault =
      RawRequest("POST", base + "/sandbox/v1/faults", {"Content-Type: application/json"},
                 R"({"method":"GET","path":"^/v3/","action":"status:503"})", "");
  CHECK(fault.status == 201);
}

}  // namespace
}  // namespace wechatpay
