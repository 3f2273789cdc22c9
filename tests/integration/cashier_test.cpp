// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// examples/cashier (with its embedded sandbox) under a crowd of event streams: each open
// Server-Sent Events stream holds one of the server's worker threads, and about 70 idle ones
// used to take all 64, the callback route's included. The streams are now bounded per order and
// in all, the ones beyond are refused with 503 and Retry-After, and WeChat's callback is still
// answered within its 5 s. The page itself is tested in Chromium (tests/browser). With the
// ledger, a paid order is PAID in the ledger file the cashier was given, one history entry per
// transition, read back with `wechatpay ledger show`.

#include <httplib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "catch.hpp"
#include "support/background_process.hpp"
#include "support/raw_socket_peers.hpp"
#include "support/run_process.hpp"
#include "support/sandbox_fixture.hpp"
#include "support/test_data.hpp"
#include "wechatpay/http/curl_transport.hpp"
#include "wechatpay/http/types.hpp"

namespace wechatpay {
namespace {

using testing::BackgroundProcess;
using testing::ConnectLoopback;
using testing::ReadUntil;

constexpr std::size_t kMaxStreams = 32;  // CashierOptions' defaults
constexpr std::size_t kMaxStreamsPerOrder = 4;

// `cashier --sandbox` on an ephemeral port; its stdout is the event log.
class RunningCashier {
 public:
  explicit RunningCashier(std::vector<std::string> extra_args = {}) {
    std::string const program = WECHATPAY_CASHIER_PATH;
    if (program.empty() || access(program.c_str(), X_OK) != 0) return;
    std::vector<std::string> args{"--sandbox", "--listen", "127.0.0.1:0"};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    process_.emplace(program, args);
    auto const first = process_->ReadLine(std::chrono::seconds(30));
    REQUIRE(first);
    REQUIRE(first->rfind("listening on http://127.0.0.1:", 0) == 0);
    base_url_ = first->substr(std::string("listening on ").size());
    port_ = std::stoi(base_url_.substr(base_url_.rfind(':') + 1));
    // In sandbox mode: "sandbox URL", then "sandbox CA FILE".
    auto const sandbox = process_->ReadLine(std::chrono::seconds(30));
    auto const ca = process_->ReadLine(std::chrono::seconds(30));
    REQUIRE(sandbox);
    REQUIRE(ca);
    REQUIRE(sandbox->rfind("sandbox https://", 0) == 0);
    REQUIRE(ca->rfind("sandbox CA ", 0) == 0);
    sandbox_url_ = sandbox->substr(std::string("sandbox ").size());
    sandbox_ca_ = ca->substr(std::string("sandbox CA ").size());
#if defined(WECHATPAY_CLI_HAS_LEDGER)
    auto const ledger = process_->ReadLine(std::chrono::seconds(30));
    REQUIRE(ledger);
    REQUIRE(ledger->rfind("ledger ", 0) == 0);
    ledger_ = ledger->substr(std::string("ledger ").size());
#endif
  }

  // The `ledger WHERE` line (builds with the ledger).
  std::string const& ledger() const { return ledger_; }

  bool built() const { return process_.has_value(); }

  // POSTs to the embedded sandbox's control API (`/sandbox/v1/` + `path`) over its TLS, as a
  // phone or a test would; the HTTP status.
  int SandboxControl(std::string const& path) const {
    int const status = testing::PostSandboxControl(sandbox_url_, sandbox_ca_, path);
    REQUIRE(status >= 0);
    return status;
  }
  std::string const& base_url() const { return base_url_; }
  int port() const { return port_; }

  // Waits up to `timeout` for a log line starting with `prefix`; the lines before it are
  // skipped.
  bool LogLine(std::string const& prefix, std::chrono::milliseconds timeout) {
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      auto const left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      auto line = process_->ReadLine(left);
      if (!line) return false;
      if (line->rfind(prefix, 0) == 0) return true;
    }
  }

  int Stop() { return process_->Terminate(std::chrono::seconds(20)); }

 private:
  std::optional<BackgroundProcess> process_;
  std::string base_url_;
  int port_ = 0;
  std::string sandbox_url_;
  std::string sandbox_ca_;
  std::string ledger_;
};

// The cashier's view of an order (GET /orders/{no}/status).
std::string OrderStatus(httplib::Client& client, std::string const& out_trade_no) {
  auto res = client.Get("/orders/" + out_trade_no + "/status");
  REQUIRE(res);
  REQUIRE(res->status == 200);
  return res->body;
}

// Polls the cashier's view until it contains `part`, for at most `timeout` (a hang guard: the
// cashier's watcher queries every 2 s).
bool StatusReaches(httplib::Client& client, std::string const& out_trade_no,
                   std::string const& part, std::chrono::seconds timeout) {
  auto const deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (OrderStatus(client, out_trade_no).find(part) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

// Places an order through the form; its out_trade_no.
std::string PlaceOrder(httplib::Client& client) {
  auto res =
      client.Post("/orders", "description=Cola&amount=0.01", "application/x-www-form-urlencoded");
  REQUIRE(res);
  REQUIRE(res->status == 303);
  auto const location = res->get_header_value("Location");
  REQUIRE(location.rfind("/orders/", 0) == 0);
  return location.substr(std::string("/orders/").size());
}

// An event stream request on a connection of its own, held open; the answer's head (and the
// first event, when accepted) as far as it arrived.
struct Stream {
  int fd = -1;
  std::string head;
  bool accepted() const { return head.rfind("HTTP/1.1 200 ", 0) == 0; }
  bool refused() const { return head.rfind("HTTP/1.1 503 ", 0) == 0; }
};

Stream OpenStream(int port, std::string const& out_trade_no) {
  Stream stream;
  stream.fd = ConnectLoopback(port);
  std::string const request = "GET /orders/" + out_trade_no +
                              "/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                              "Accept: text/event-stream\r\n\r\n";
  (void)send(stream.fd, request.data(), request.size(), MSG_NOSIGNAL);
  stream.head = ReadUntil(stream.fd, "\r\n\r\n", std::chrono::seconds(5));
  return stream;
}

TEST_CASE("examples/cashier: event streams are bounded and the callback route stays answerable") {
  RunningCashier cashier;
  if (!cashier.built()) {
    WARN("examples/cashier was not built; skipped");
    return;
  }
  httplib::Client client(cashier.base_url());
  std::vector<std::string> orders;
  for (int i = 0; i < 18; ++i) orders.push_back(PlaceOrder(client));

  std::vector<Stream> streams;
  // Per order: the fifth stream of one order is refused while others still fit.
  for (std::size_t i = 0; i <= kMaxStreamsPerOrder; ++i) {
    streams.push_back(OpenStream(cashier.port(), orders[0]));
  }
  for (std::size_t i = 0; i < kMaxStreamsPerOrder; ++i) {
    INFO(streams[i].head);
    CHECK(streams[i].accepted());
  }
  INFO(streams.back().head);
  CHECK(streams.back().refused());
  CHECK(streams.back().head.find("Retry-After: 5\r\n") != std::string::npos);

  // In all: about 70 idle streams over the other orders, four each; 32 are accepted in all and
  // every one beyond is refused at once, never left waiting for a worker.
  for (std::size_t o = 1; streams.size() < 70 + 1; o = o % (orders.size() - 1) + 1) {
    streams.push_back(OpenStream(cashier.port(), orders[o]));
  }
  std::size_t accepted = 0;
  std::size_t refused = 0;
  for (auto const& stream : streams) {
    accepted += stream.accepted() ? 1 : 0;
    refused += stream.refused() ? 1 : 0;
  }
  CHECK(accepted == kMaxStreams);
  CHECK(refused == streams.size() - kMaxStreams);

  // With every stream held open (the refused connections too), WeChat's callback is answered
  // within its 5 s: a forged one at once, and the sandbox's genuine one for a paid order.
  httplib::Client wechat(cashier.base_url());
  wechat.set_read_timeout(std::chrono::seconds(5));
  auto start = std::chrono::steady_clock::now();
  auto forged = wechat.Post("/wechatpay/order", R"({"id":"EV-FORGED"})", "application/json");
  REQUIRE(forged);
  CHECK(forged->status == 401);
  CHECK(forged->body == R"({"code":"FAIL","message":"signature verification failed"})");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
  // A callback to a route the cashier does not have is answered 404 and logged.
  auto misrouted = wechat.Post("/wechatpay/notify", R"({"id":"EV-X"})", "application/json");
  REQUIRE(misrouted);
  CHECK(misrouted->status == 404);
  CHECK(cashier.LogLine("UNKNOWN_ROUTE POST /wechatpay/notify -> 404", std::chrono::seconds(5)));

  auto pay = client.Post("/orders/" + orders[0] + "/sandbox-pay", "", "text/plain");
  REQUIRE(pay);
  CHECK(pay->status == 204);
  start = std::chrono::steady_clock::now();
  CHECK(cashier.LogLine("callback PROCESSED TRANSACTION.SUCCESS " + orders[0] + " -> 204",
                        std::chrono::seconds(5)));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));

  // The paid order's streams get the news and end, giving their places back: a new stream is
  // accepted again where one was refused before.
  for (std::size_t i = 0; i < kMaxStreamsPerOrder; ++i) {
    auto const rest = ReadUntil(streams[i].fd, "\r\n0\r\n\r\n", std::chrono::seconds(10));
    CHECK(rest.find(R"("state":"PAID")") != std::string::npos);
  }
  bool admitted = false;
  for (int attempt = 0; attempt < 50 && !admitted; ++attempt) {
    Stream again = OpenStream(cashier.port(), orders.back());
    admitted = again.accepted();
    close(again.fd);
    if (!admitted) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(admitted);

  for (auto const& stream : streams) close(stream.fd);
  CHECK(cashier.Stop() == 0);
}

// Issue 15, item 11: a payer who scanned and is typing the password (USERPAYING) keeps the page
// waiting, and a failed payment (PAYERROR) ends it as failed, both seen by the cashier's
// watcher through the sandbox's answers.
TEST_CASE("examples/cashier: USERPAYING keeps the page waiting, PAYERROR ends it as failed") {
  RunningCashier cashier;
  if (!cashier.built()) {
    WARN("examples/cashier was not built; skipped");
    return;
  }
  httplib::Client client(cashier.base_url());
  auto const scanned = PlaceOrder(client);
  REQUIRE(cashier.SandboxControl("orders/" + scanned + "/scan") == 200);
  // Two of the watcher's queries (every 2 s) answer USERPAYING: the page still waits.
  CHECK(cashier.LogLine("watch ", std::chrono::seconds(5)) == false);
  CHECK(OrderStatus(client, scanned).find(R"("state":"WAITING")") != std::string::npos);
  // The payer enters the password: paid.
  REQUIRE(cashier.SandboxControl("orders/" + scanned + "/pay") == 200);
  CHECK(StatusReaches(client, scanned, R"("state":"PAID")", std::chrono::seconds(15)));

  auto const failing = PlaceOrder(client);
  REQUIRE(cashier.SandboxControl("orders/" + failing + "/scan") == 200);
  REQUIRE(cashier.SandboxControl("orders/" + failing + "/fail") == 200);
  CHECK(StatusReaches(client, failing, R"("state":"FAILED")", std::chrono::seconds(15)));
  auto const status = OrderStatus(client, failing);
  INFO(status);
  CHECK(status.find(R"("trade_state":"PAYERROR")") != std::string::npos);
  CHECK(cashier.Stop() == 0);
}

#if defined(WECHATPAY_CLI_HAS_LEDGER)
std::size_t Count(std::string const& text, std::string const& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST_CASE("examples/cashier --ledger FILE: a paid order is PAID in the ledger") {
  testing::TempDir dir;
  std::string const file = dir.File("cashier.db");
  std::string number;
  {
    RunningCashier cashier({"--ledger", file});
    if (!cashier.built()) {
      WARN("examples/cashier was not built; skipped");
      return;
    }
    CHECK(cashier.ledger() == file);
    httplib::Client client(cashier.base_url());
    number = PlaceOrder(client);
    CHECK(OrderStatus(client, number).find(R"("ledger_state":"NOT_PAID")") != std::string::npos);
    REQUIRE(cashier.SandboxControl("orders/" + number + "/pay") == 200);
    CHECK(StatusReaches(client, number, R"("ledger_state":"PAID")", std::chrono::seconds(15)));
    CHECK(OrderStatus(client, number).find(R"("state":"PAID")") != std::string::npos);
    CHECK(cashier.Stop() == 0);
  }
  auto show = testing::RunCli({"ledger", "show", number, "--ledger", file, "--json"});
  INFO(show.out << show.err);
  REQUIRE(show.exit_code == 0);
  CHECK(show.out.find(R"("state":"PAID")") != std::string::npos);
  CHECK(show.out.find(R"("transaction_id":"42)") != std::string::npos);
  // Created, code_url recorded, paid by the callback: each transition once, and nothing else
  // (the watcher's NOTPAY queries repeated what the code_url had recorded: no change).
  CHECK(Count(show.out, R"("from":"","to":"CREATING")") == 1);
  CHECK(Count(show.out, R"("from":"CREATING","to":"NOT_PAID")") == 1);
  CHECK(Count(show.out, R"("from":"NOT_PAID","to":"PAID")") == 1);
  CHECK(Count(show.out, R"("seq":)") == 3);
  CHECK(Count(show.out, R"("to":"PAID")") == 1);
  CHECK(Count(show.out, R"("source":"CALLBACK")") == 1);
}

TEST_CASE("examples/cashier --sandbox: the default ledger is temporary, removed at exit") {
  RunningCashier cashier;
  if (!cashier.built()) {
    WARN("examples/cashier was not built; skipped");
    return;
  }
  std::string const prefix = "sqlite:";
  REQUIRE(cashier.ledger().rfind(prefix, 0) == 0);
  auto const suffix = cashier.ledger().find(" (temporary, removed at exit)");
  REQUIRE(suffix != std::string::npos);
  std::string const file = cashier.ledger().substr(prefix.size(), suffix - prefix.size());
  CHECK(std::filesystem::exists(file));
  CHECK(cashier.Stop() == 0);
  CHECK_FALSE(std::filesystem::exists(file));
}
#endif

}  // namespace
}  // namespace wechatpay
