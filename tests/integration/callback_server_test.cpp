// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Notifications over real HTTP: NotificationHandler behind a cpp-httplib route (the raw body as
// the server read it), WeChat's redelivery loop against a receiver that fails twice, and the
// examples/callback_server program itself when it was built.

#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "catch.hpp"
#include "support/loopback_server.hpp"
#include "support/notification_builder.hpp"
#include "support/test_data.hpp"

namespace wechatpay {
namespace {

using testing::BuiltNotification;
using testing::DataPath;
using testing::FixedTime;
using testing::kNotifyNow;
using testing::LoopbackServer;
using testing::MakeNotification;
using testing::NotificationSpec;
using testing::TempDir;
using testing::TestMerchant;
using testing::TransactionPlaintext;
using testing::WriteFile;

httplib::Headers ToHttplib(HttpHeaders const& headers) {
  httplib::Headers out;
  for (auto const& [name, value] : headers) out.emplace(name, value);
  return out;
}

void Serve(LoopbackServer& server, std::string const& path, NotificationHandler const& handler) {
  server.http().Post(path, [&handler](httplib::Request const& req, httplib::Response& res) {
    HttpHeaders headers;
    for (auto const& [name, value] : req.headers) headers.Add(name, value);
    auto result = handler.Handle(headers, req.body);
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
      auto res =
          client.Post("/wechatpay/order", ToHttplib(built.headers), built.body, "application/json");
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
    auto probe =
        client.Post("/wechatpay/order", ToHttplib(probe_headers), built.body, "application/json");
    REQUIRE(probe);
    CHECK(probe->status == 401);
    auto genuine =
        client.Post("/wechatpay/order", ToHttplib(built.headers), built.body, "application/json");
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

std::string ExamplePath() {
  std::string cli = WECHATPAY_CLI_PATH;
  auto const slash = cli.rfind('/');
  if (slash == std::string::npos) return "";
  return cli.substr(0, slash + 1) + "callback_server";
}

TEST_CASE("examples/callback_server verifies, prints and deduplicates callbacks") {
  auto const program = ExamplePath();
  if (program.empty() || access(program.c_str(), X_OK) != 0) {
    WARN("examples/callback_server was not built; skipped");
    return;
  }
  TempDir dir;
  WriteFile(dir.File("config.json"),
            R"({"apiV3Key":")" + std::string(TestMerchant::kApiV3Key) + R"(","wxPayPublicKey":")" +
                DataPath("keys/java_wechat_pay_public_key.pem") + R"(","wxPayPublicKeyId":")" +
                TestMerchant::kPublicKeyId + R"("})");
  ExampleServer example(program, {"--config", dir.File("config.json"), "--listen", "127.0.0.1:0"});
  auto const first = example.ReadLine();
  REQUIRE(first.rfind("listening on http://127.0.0.1:", 0) == 0);
  auto const base_url = first.substr(std::string("listening on ").size());

  // The example uses the real clock: stamp the notifications now.
  auto const now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  NotificationSpec payment;
  payment.id = "EV-EXAMPLE-PAY";
  payment.plaintext = TransactionPlaintext("ORDER-EXAMPLE", 250);
  payment.timestamp = now;
  NotificationSpec refund;
  refund.id = "EV-EXAMPLE-REFUND";
  refund.event_type = "REFUND.SUCCESS";
  refund.plaintext = testing::RefundPlaintext("SUCCESS", "REFUND-EXAMPLE", 50, 250);
  refund.timestamp = now;
  {
    httplib::Client client(base_url);
    client.set_keep_alive(false);
    auto post = [&](std::string const& path, BuiltNotification const& built) {
      auto res = client.Post(path, ToHttplib(built.headers), built.body, "application/json");
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
  }
  CHECK(example.ReadLine() ==
        "TRANSACTION.SUCCESS id=EV-EXAMPLE-PAY out_trade_no=ORDER-EXAMPLE "
        "transaction_id=1217752501201407033233368018 total=250");
  CHECK(example.ReadLine() == "PROCESSED /wechatpay/order -> 204");
  CHECK(example.ReadLine() == "DUPLICATE /wechatpay/order -> 204");
  CHECK(example.ReadLine() ==
        "REFUND.SUCCESS id=EV-EXAMPLE-REFUND out_refund_no=REFUND-EXAMPLE refund_status=SUCCESS "
        "refund=50 of 250");
  CHECK(example.ReadLine() == "PROCESSED /wechatpay/refund -> 204");
  CHECK(example.ReadLine().rfind("REJECTED /wechatpay/order -> 401: VERIFICATION_FAILED", 0) == 0);
  CHECK(example.Stop() == 0);
}

}  // namespace
}  // namespace wechatpay
