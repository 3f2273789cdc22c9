// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Notifications over real HTTP: NotificationHandler behind a cpp-httplib route (the raw body as
// the server read it), WeChat's redelivery loop against a receiver that fails twice, and the
// examples/callback_server program itself when it was built: its routes, its answers and its
// connection limits.

#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "http/httplib_headers.hpp"
#include "support/loopback_server.hpp"
#include "support/raw_socket_peers.hpp"
#include "support/test_data.hpp"
#include "support/test_merchant.hpp"

namespace wechatpay {
namespace {

using testing::DataPath;
using testing::FixedTime;
using testing::kNotifyNow;
using testing::LoopbackServer;
using testing::MakeNotification;
using testing::NotificationSpec;
using testing::SignedNotification;
using testing::TempDir;
using testing::TestMerchant;
using testing::TransactionPlaintext;
using testing::WriteFile;

void Serve(LoopbackServer& server, std::string const& path, NotificationHandler const& handler) {
  server.http().Post(path, [&handler](httplib::Request const& req, httplib::Response& res) {
    auto result = handler.Handle(internal::FromHttplibHeaders(req.headers), req.body);
    res.status = result.answer.status_code;
    if (!result.answer.body.empty()) {
      res.set_content(result.answer.body, result.answer.content_type.c_str());
    }
  });
}

NotificationParser Parser() {
  NotificationParserOptions options;
  options.clock = [] { return FixedTime(kNotifyNow); };
  return MakeNotificationParser(TestMerchant::Config(), options).value();
}

TEST_CASE("over HTTP: a receiver that fails twice gets the redelivery and applies it once") {
  std::atomic<int> calls{0};
  std::atomic<int> applied{0};
  NotificationHandler handler(Parser(), {kEventTransactionSuccess}, [&](Notification const& n) {
    // The first two attempts fail before anything is recorded (say, the database is down).
    if (++calls <= 2) return Status(StatusCode::kInternal, "database unavailable");
    if (n.transaction && CheckAmount(*n.transaction, 100).ok()) ++applied;
    return Status();
  });
  LoopbackServer server;
  Serve(server, "/wechatpay/order", handler);
  server.Start();

  NotificationSpec spec;
  spec.id = "EV-HTTP-1";
  spec.plaintext = TransactionPlaintext("ORDER-HTTP-1", 100);
  std::vector<int> statuses;
  {
    httplib::Client client(server.BaseUrl());
    // WeChat's loop: redeliver (re-signed, later timestamp) until a 2xx, then once more as a
    // stray duplicate.
    for (int attempt = 0; attempt < 5; ++attempt) {
      spec.timestamp = kNotifyNow + 15 * attempt;
      auto built = MakeNotification(spec);
      auto res = client.Post("/wechatpay/order", internal::ToHttplibHeaders(built.headers),
                             built.body, "application/json");
      REQUIRE(res);
      statuses.push_back(res->status);
      if (res->status >= 400) {
        CHECK(res->body == R"({"code":"FAIL","message":"processing failed"})");
      } else {
        CHECK(res->body.empty());
      }
      if (res->status < 300 && statuses.size() >= 4) break;
    }
  }
  CHECK(statuses == std::vector<int>{500, 500, 204, 204});
  CHECK(calls == 3);
  CHECK(applied == 1);
}

TEST_CASE("over HTTP: forged and probing deliveries are answered 4xx") {
  std::atomic<int> calls{0};
  NotificationHandler handler(Parser(), {kEventTransactionSuccess}, [&](Notification const&) {
    ++calls;
    return Status();
  });
  LoopbackServer server;
  Serve(server, "/wechatpay/order", handler);
  server.Start();
  auto built = MakeNotification(NotificationSpec{});
  {
    httplib::Client client(server.BaseUrl());
    auto unsigned_res = client.Post("/wechatpay/order", built.body, "application/json");
    REQUIRE(unsigned_res);
    CHECK(unsigned_res->status == 401);
    auto probe_headers = built.headers;
    probe_headers.Set("Wechatpay-Signature", "WECHATPAY/SIGNTEST/xyz");
    auto probe = client.Post("/wechatpay/order", internal::ToHttplibHeaders(probe_headers),
                             built.body, "application/json");
    REQUIRE(probe);
    CHECK(probe->status == 401);
    auto genuine = client.Post("/wechatpay/order", internal::ToHttplibHeaders(built.headers),
                               built.body, "application/json");
    REQUIRE(genuine);
    CHECK(genuine->status == 204);
  }
  CHECK(calls == 1);
}

// --- examples/callback_server ----------------------------------------------------------------

// The example program, started in the background with its stdout on a pipe.
class ExampleServer {
 public:
  ExampleServer(std::string const& program, std::vector<std::string> args) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe failed");
    std::vector<std::string> argv_strings{program};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : argv_strings) argv.push_back(s.data());
    argv.push_back(nullptr);
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      close(out[0]);
      close(out[1]);
      execv(program.c_str(), argv.data());
      _exit(127);
    }
    close(out[1]);
    fd_ = out[0];
  }
  ~ExampleServer() {
    Stop();
    if (fd_ >= 0) close(fd_);
  }
  ExampleServer(ExampleServer const&) = delete;
  ExampleServer& operator=(ExampleServer const&) = delete;

  // The next line of stdout ("" at the end or after 30 s without output).
  std::string ReadLine() {
    while (true) {
      auto const nl = buffer_.find('\n');
      if (nl != std::string::npos) {
        auto line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        return line;
      }
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 30000) <= 0) return "";
      char chunk[4096];
      auto n = read(fd_, chunk, sizeof chunk);
      if (n <= 0) return "";
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  // SIGTERM, then the exit code.
  int Stop() {
    if (pid_ <= 0) return exit_code_;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return exit_code_;
  }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  int exit_code_ = -1;
  std::string buffer_;
};

std::string ExamplePath() { return WECHATPAY_CALLBACK_SERVER_PATH; }

// examples/callback_server started on an ephemeral port with the test merchant's keys, or
// nothing when it was not built (WECHATPAY_BUILD_EXAMPLES=OFF or no cpp-httplib).
class RunningExample {
 public:
  RunningExample() {
    auto const program = ExamplePath();
    if (program.empty() || access(program.c_str(), X_OK) != 0) return;
    WriteFile(dir_.File("config.json"),
              R"({"apiV3Key":")" + std::string(TestMerchant::kApiV3Key) +
                  R"(","wxPayPublicKey":")" + DataPath("keys/java_wechat_pay_public_key.pem") +
                  R"(","wxPayPublicKeyId":")" + TestMerchant::kPublicKeyId + R"("})");
    server_ = std::make_unique<ExampleServer>(
        program,
        std::vector<std::string>{"--config", dir_.File("config.json"), "--listen", "127.0.0.1:0"});
    auto const first = server_->ReadLine();
    if (first.rfind("listening on http://127.0.0.1:", 0) != 0) {
      throw std::runtime_error("callback_server did not start: " + first);
    }
    base_url_ = first.substr(std::string("listening on ").size());
    port_ = std::stoi(base_url_.substr(base_url_.rfind(':') + 1));
  }

  bool built() const { return server_ != nullptr; }
  ExampleServer& server() { return *server_; }
  std::string const& base_url() const { return base_url_; }
  int port() const { return port_; }

 private:
  TempDir dir_;
  std::unique_ptr<ExampleServer> server_;
  std::string base_url_;
  int port_ = 0;
};

// The example uses the real clock: notifications are stamped now.
std::int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

NotificationSpec PaymentSpec(std::string const& id, std::string const& out_trade_no) {
  NotificationSpec payment;
  payment.id = id;
  payment.plaintext = TransactionPlaintext(out_trade_no, 250);
  payment.timestamp = Now();
  return payment;
}

TEST_CASE("examples/callback_server verifies, prints and deduplicates callbacks") {
  RunningExample example;
  if (!example.built()) {
    WARN("examples/callback_server was not built; skipped");
    return;
  }
  NotificationSpec payment = PaymentSpec("EV-EXAMPLE-PAY", "ORDER-EXAMPLE");
  NotificationSpec refund;
  refund.id = "EV-EXAMPLE-REFUND";
  refund.event_type = "REFUND.SUCCESS";
  refund.plaintext = testing::RefundPlaintext("SUCCESS", "REFUND-EXAMPLE", 50, 250);
  refund.timestamp = Now();
  {
    httplib::Client client(example.base_url());
    client.set_keep_alive(false);
    auto post = [&](std::string const& path, SignedNotification const& built) {
      auto res = client.Post(path, internal::ToHttplibHeaders(built.headers), built.body,
                             "application/json");
      REQUIRE(res);
      return res->status;
    };
    auto const paid = MakeNotification(payment);
    CHECK(post("/wechatpay/order", paid) == 204);
    CHECK(post("/wechatpay/order", paid) == 204);  // a redelivery
    CHECK(post("/wechatpay/refund", MakeNotification(refund)) == 204);
    auto forged = paid;
    forged.body.replace(forged.body.find("EV-EXAMPLE-PAY"), 14, "EV-EXAMPLE-XXX");
    CHECK(post("/wechatpay/order", forged) == 401);
    // A notify_url with a wrong path: answered 404 and logged, the path's control bytes masked.
    CHECK(post("/wechatpay/notify", paid) == 404);
    CHECK(post("/wechatpay/x%0Aforged", paid) == 404);
  }
  auto& out = example.server();
  CHECK(out.ReadLine() ==
        "TRANSACTION.SUCCESS id=EV-EXAMPLE-PAY out_trade_no=ORDER-EXAMPLE "
        "transaction_id=1217752501201407033233368018 total=250");
  CHECK(out.ReadLine() == "PROCESSED /wechatpay/order -> 204");
  CHECK(out.ReadLine() == "DUPLICATE /wechatpay/order -> 204");
  CHECK(out.ReadLine() ==
        "REFUND.SUCCESS id=EV-EXAMPLE-REFUND out_refund_no=REFUND-EXAMPLE refund_status=SUCCESS "
        "refund=50 of 250");
  CHECK(out.ReadLine() == "PROCESSED /wechatpay/refund -> 204");
  CHECK(out.ReadLine().rfind("REJECTED /wechatpay/order -> 401: VERIFICATION_FAILED", 0) == 0);
  CHECK(out.ReadLine() == "UNKNOWN_ROUTE POST /wechatpay/notify -> 404");
  CHECK(out.ReadLine() == "UNKNOWN_ROUTE POST /wechatpay/x?forged -> 404");
  CHECK(out.Stop() == 0);
}

TEST_CASE(
    "examples/callback_server: a payment sent to the refund route is left for the order "
    "route") {
  // Both routes share one deduplicator. The refund route used to answer a payment 204 and mark
  // it processed, after which the payment's delivery to the order route was a "duplicate" that
  // nobody had recorded: a lost payment.
  RunningExample example;
  if (!example.built()) {
    WARN("examples/callback_server was not built; skipped");
    return;
  }
  auto const payment = MakeNotification(PaymentSpec("EV-EXAMPLE-MISROUTED", "ORDER-MISROUTED"));
  httplib::Client client(example.base_url());
  client.set_keep_alive(false);
  auto misrouted = client.Post("/wechatpay/refund", internal::ToHttplibHeaders(payment.headers),
                               payment.body, "application/json");
  REQUIRE(misrouted);
  CHECK(misrouted->status == 500);
  CHECK(misrouted->body == R"({"code":"FAIL","message":"event type not handled at this URL"})");
  auto& out = example.server();
  CHECK(out.ReadLine().rfind("UNEXPECTED_EVENT /wechatpay/refund -> 500: INVALID_ARGUMENT", 0) ==
        0);

  // WeChat redelivers to the notify_url the order named; there it is recorded, not taken for a
  // duplicate.
  auto applied = client.Post("/wechatpay/order", internal::ToHttplibHeaders(payment.headers),
                             payment.body, "application/json");
  REQUIRE(applied);
  CHECK(applied->status == 204);
  CHECK(out.ReadLine() ==
        "TRANSACTION.SUCCESS id=EV-EXAMPLE-MISROUTED out_trade_no=ORDER-MISROUTED "
        "transaction_id=1217752501201407033233368018 total=250");
  CHECK(out.ReadLine() == "PROCESSED /wechatpay/order -> 204");
  auto again = client.Post("/wechatpay/order", internal::ToHttplibHeaders(payment.headers),
                           payment.body, "application/json");
  REQUIRE(again);
  CHECK(again->status == 204);
  CHECK(out.ReadLine() == "DUPLICATE /wechatpay/order -> 204");
  CHECK(out.Stop() == 0);
}

TEST_CASE("examples/callback_server: an oversized body gets the documented FAIL answer") {
  RunningExample example;
  if (!example.built()) {
    WARN("examples/callback_server was not built; skipped");
    return;
  }
  std::string const too_large = R"({"code":"FAIL","message":"notification body too large"})";
  auto const limit = NotificationParserOptions::kDefaultMaxBodyBytes;
  auto& out = example.server();
  {
    httplib::Client client(example.base_url());
    client.set_keep_alive(true);
    // One byte over the limit, announced by Content-Length: cpp-httplib reads it through
    // without keeping it; the answer used to be its own empty 413.
    auto over = client.Post("/wechatpay/order", std::string(limit + 1, '{'), "application/json");
    REQUIRE(over);
    CHECK(over->status == 413);
    CHECK(over->get_header_value("Content-Type") == "application/json");
    CHECK(over->body == too_large);
    CHECK(out.ReadLine().rfind("REJECTED /wechatpay/order -> 413: MALFORMED_RESPONSE", 0) == 0);

    // The connection stays usable, and a genuine callback on it is processed.
    auto const payment = MakeNotification(PaymentSpec("EV-EXAMPLE-AFTER-413", "ORDER-AFTER-413"));
    auto next = client.Post("/wechatpay/order", internal::ToHttplibHeaders(payment.headers),
                            payment.body, "application/json");
    REQUIRE(next);
    CHECK(next->status == 204);
    CHECK(out.ReadLine().rfind("TRANSACTION.SUCCESS id=EV-EXAMPLE-AFTER-413", 0) == 0);
    CHECK(out.ReadLine() == "PROCESSED /wechatpay/order -> 204");
  }
  {
    // 500 MB announced and never sent: answered once the read times out, and none of it kept.
    int const fd = testing::ConnectLoopback(example.port());
    std::string const head =
        "POST /wechatpay/refund HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Content-Length: 524288000\r\n\r\n{\"id\":";
    REQUIRE(send(fd, head.data(), head.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(head.size()));
    auto const answer = testing::ReadUntil(fd, too_large, std::chrono::seconds(10));
    close(fd);
    CHECK(answer.rfind("HTTP/1.1 413 ", 0) == 0);
    CHECK(answer.find(too_large) != std::string::npos);
    CHECK(out.ReadLine().rfind("REJECTED /wechatpay/refund -> 413: MALFORMED_RESPONSE", 0) == 0);
  }
  {
    // A chunked body (never WeChat's) is refused before it is read, with a FAIL body too.
    int const fd = testing::ConnectLoopback(example.port());
    std::string const request =
        "POST /wechatpay/order HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        "10000\r\n" +
        std::string(0x10000, 'x') + "\r\n";
    (void)send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    auto const answer = testing::ReadUntil(fd, "}", std::chrono::seconds(10));
    close(fd);
    CHECK(answer.rfind("HTTP/1.1 411 ", 0) == 0);
    CHECK(answer.find(R"({"code":"FAIL","message":"a request body needs a Content-Length"})") !=
          std::string::npos);
  }
  CHECK(out.Stop() == 0);
}

TEST_CASE("examples/callback_server: slow and idle clients do not keep a callback waiting") {
  RunningExample example;
  if (!example.built()) {
    WARN("examples/callback_server was not built; skipped");
    return;
  }
  // More misbehaving connections than cpp-httplib's default 8 workers, each of which used to
  // hold its worker for as long as it liked:
  // - 8 slow lorises sending a request head one byte every 2 s (dropped after the 1 s read
  //   timeout),
  // - 8 idle connections that never send a byte (dropped after the 2 s keep-alive timeout),
  // - 8 sending a byte every 300 ms, just fast enough to stay (each holds a worker while it
  //   sends: what the larger pool absorbs, and a reverse proxy is for).
  std::string const endless_head =
      "POST /wechatpay/order HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + std::string(100000, 'a');
  testing::PacedClients slow(example.port(), 8, endless_head, 1, std::chrono::seconds(2));
  testing::PacedClients idle(example.port(), 8, "", 1, std::chrono::seconds(1));
  // Ended before the server is stopped: a stop waits for the requests being read.
  auto steady = std::make_unique<testing::PacedClients>(example.port(), 8, endless_head, 1,
                                                        std::chrono::milliseconds(300));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // all of them at a worker

  // WeChat's callback, which it gives up on after 5 s.
  auto const payment = MakeNotification(PaymentSpec("EV-EXAMPLE-LOAD", "ORDER-LOAD"));
  httplib::Client client(example.base_url());
  client.set_connection_timeout(std::chrono::seconds(5));
  client.set_read_timeout(std::chrono::seconds(5));
  auto const start = std::chrono::steady_clock::now();
  auto res = client.Post("/wechatpay/order", internal::ToHttplibHeaders(payment.headers),
                         payment.body, "application/json");
  auto const elapsed = std::chrono::steady_clock::now() - start;
  REQUIRE(res);
  CHECK(res->status == 204);
  CHECK(elapsed < std::chrono::seconds(5));
  UNSCOPED_INFO("callback answered after "
                << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms");

  // The slow and the idle ones are dropped by the timeouts, not held for as long as they like.
  auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds(6);
  while ((slow.closed() < slow.count() || idle.closed() < idle.count()) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(slow.closed() == slow.count());
  CHECK(idle.closed() == idle.count());
  steady.reset();
  CHECK(example.server().Stop() == 0);
}

}  // namespace
}  // namespace wechatpay
