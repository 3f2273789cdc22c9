// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// examples/beast_checkout (Boost.Beast, one io_context thread) run with its embedded sandbox:
// an order created over HTTP is paid through the sandbox's control API and the page's event
// stream receives PAID (the latency is printed), read from the ledger's committed change; the
// ledger has it PAID. A callback not signed by WeChat's key is answered 401 and changes
// nothing; oversized bodies, too many streams and a client that sends nothing are cut off.

#include <httplib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "catch.hpp"
#include "support/background_process.hpp"
#include "support/raw_socket_peers.hpp"
#include "support/run_process.hpp"
#include "support/sandbox_fixture.hpp"
#include "support/test_merchant.hpp"
#include "wechatpay/http/curl_transport.hpp"

namespace wechatpay {
namespace {

using testing::ConnectLoopback;
using testing::ReadUntil;
using Clock = std::chrono::steady_clock;

// `beast_checkout --sandbox` on an ephemeral port.
class RunningBeast {
 public:
  RunningBeast() {
    std::string const program = WECHATPAY_BEAST_CHECKOUT_PATH;
    if (program.empty() || access(program.c_str(), X_OK) != 0) return;
    process_.emplace(program, std::vector<std::string>{"--sandbox", "--listen", "127.0.0.1:0"});
    auto const next = [&](std::string const& prefix) {
      auto line = process_->ReadLine(std::chrono::seconds(30));
      REQUIRE(line);
      REQUIRE(line->rfind(prefix, 0) == 0);
      return line->substr(prefix.size());
    };
    base_url_ = next("listening on http://127.0.0.1:");
    port_ = std::stoi(base_url_);
    base_url_ = "http://127.0.0.1:" + base_url_;
    sandbox_url_ = next("sandbox ");
    sandbox_ca_ = next("sandbox CA ");
    ledger_ = next("ledger ");
  }
  bool built() const { return process_.has_value(); }
  std::string const& base_url() const { return base_url_; }
  int port() const { return port_; }
  std::string const& ledger() const { return ledger_; }

  // POSTs to the sandbox's control API (`/sandbox/v1/` + path) as the payer's phone would.
  int SandboxControl(std::string const& path) const {
    int const status = testing::PostSandboxControl(sandbox_url_, sandbox_ca_, path);
    REQUIRE(status >= 0);
    return status;
  }
  int Stop() { return process_->Terminate(std::chrono::seconds(20)); }

 private:
  std::optional<testing::BackgroundProcess> process_;
  std::string base_url_, sandbox_url_, sandbox_ca_, ledger_;
  int port_ = 0;
};

// A raw connection, closed at the end of the scope.
struct Connection {
  explicit Connection(int port) : fd(ConnectLoopback(port)) {}
  ~Connection() { close(fd); }
  Connection(Connection const&) = delete;
  Connection& operator=(Connection const&) = delete;
  void Send(std::string const& bytes) const {
    (void)send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  }
  // True when the server closed the connection within `timeout` (nothing more to read).
  bool ClosedWithin(std::chrono::milliseconds timeout) const {
    ReadUntil(fd, std::string(1, '\0') + "never", timeout);
    char byte;
    return recv(fd, &byte, 1, MSG_DONTWAIT) == 0;
  }
  int fd;
};

std::string PlaceOrder(httplib::Client& client) {
  auto res =
      client.Post("/orders", R"({"description":"Beast cola","total":1})", "application/json");
  REQUIRE(res);
  INFO(res->body);
  REQUIRE(res->status == 200);
  CHECK(res->body.find(R"("code_url":"weixin://)") != std::string::npos);
  std::string const key = R"("out_trade_no":")";
  auto const at = res->body.find(key);
  REQUIRE(at != std::string::npos);
  return res->body.substr(at + key.size(), res->body.find('"', at + key.size()) - at - key.size());
}

// Opens GET /orders/NO/events and reads up to the first event.
std::string OpenStream(Connection const& connection, std::string const& out_trade_no) {
  connection.Send("GET /orders/" + out_trade_no + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
  return ReadUntil(connection.fd, "}\n\n", std::chrono::seconds(5));
}

std::string LedgerState(httplib::Client& client, std::string const& out_trade_no) {
  auto res = client.Get("/orders/" + out_trade_no);
  REQUIRE(res);
  REQUIRE(res->status == 200);
  return res->body;
}

TEST_CASE("examples/beast_checkout: a paid order reaches the page's event stream") {
  RunningBeast beast;
  if (!beast.built()) {
    WARN("examples/beast_checkout was not built (Boost, the ledger or the sandbox missing)");
    return;
  }
  httplib::Client client(beast.base_url());
  std::string const number = PlaceOrder(client);
  CHECK(LedgerState(client, number).find(R"("state":"NOT_PAID")") != std::string::npos);

  Connection stream(beast.port());
  std::string const first = OpenStream(stream, number);
  INFO(first);
  REQUIRE(first.rfind("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n", 0) == 0);
  CHECK(first.find(R"("state":"NOT_PAID")") != std::string::npos);

  auto const paid_at = Clock::now();
  REQUIRE(beast.SandboxControl("orders/" + number + "/pay") == 200);
  std::string const events = ReadUntil(stream.fd, R"("state":"PAID")", std::chrono::seconds(10));
  auto const latency =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - paid_at);
  INFO(events);
  REQUIRE(events.find("event: state\ndata: {\"out_trade_no\":\"" + number +
                      R"(","state":"PAID")") != std::string::npos);
  WARN("beast_checkout: PAID on the event stream " << latency.count()
                                                   << " ms after the sandbox payment");
  CHECK(latency < std::chrono::seconds(5));
  CHECK(stream.ClosedWithin(std::chrono::seconds(5)));  // a final state ends the stream

  CHECK(LedgerState(client, number).find(R"("state":"PAID")") != std::string::npos);
  // The same from the ledger's database, read by the CLI (the example runs on).
  std::string const cli = WECHATPAY_CLI_PATH;
#if defined(WECHATPAY_CLI_HAS_LEDGER)
  if (!cli.empty()) {
    auto show = testing::RunCli({"ledger", "show", number, "--ledger", beast.ledger(), "--json"});
    INFO(show.out << show.err);
    REQUIRE(show.exit_code == 0);
    CHECK(show.out.find(R"("state":"PAID")") != std::string::npos);
  }
#endif
  CHECK(beast.Stop() == 0);
}

TEST_CASE("examples/beast_checkout: a callback not signed by WeChat is refused and not applied") {
  RunningBeast beast;
  if (!beast.built()) return;
  httplib::Client client(beast.base_url());
  std::string const number = PlaceOrder(client);
  Connection stream(beast.port());
  REQUIRE(OpenStream(stream, number).find(R"("state":"NOT_PAID")") != std::string::npos);

  // A well-formed, current TRANSACTION.SUCCESS for this very order, signed with a key that is
  // not the sandbox's WeChat Pay key.
  testing::NotificationSpec spec;
  spec.id = "EV-BEAST-FORGED";
  spec.plaintext =
      R"({"mchid":"1900000001","appid":"wx0000000000000000","out_trade_no":")" + number +
      R"(","transaction_id":"4200000000000000000000000001","trade_type":"NATIVE",)"
      R"("trade_state":"SUCCESS","trade_state_desc":"ok","bank_type":"OTHERS",)"
      R"("success_time":"2026-01-01T00:00:00+08:00","payer":{"openid":"o"},)"
      R"("amount":{"total":1,"payer_total":1,"currency":"CNY","payer_currency":"CNY"}})";
  spec.timestamp = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  auto const forged = testing::TestWeChat().MakeNotification(spec);
  REQUIRE(forged.ok());
  httplib::Headers headers;
  for (auto const& [name, value] : forged->headers) headers.emplace(name, value);
  auto res = client.Post("/wechatpay/order", headers, forged->body, "application/json");
  REQUIRE(res);
  CHECK(res->status == 401);
  CHECK(res->body.find(R"("code":"FAIL")") != std::string::npos);

  // Not applied: the ledger still has it unpaid and the stream says nothing.
  CHECK(LedgerState(client, number).find(R"("state":"NOT_PAID")") != std::string::npos);
  // (The watcher's queries commit too, but leave the state as it is: nothing is sent for them.)
  std::string const quiet = ReadUntil(stream.fd, R"("state":"PAID")", std::chrono::seconds(3));
  INFO(quiet);
  CHECK(quiet.empty());
  // The stream stays open while nothing happens: a heartbeat comes after 15 s, longer than the
  // write timeout (10 s), and the real payment still arrives on it afterwards.
  CHECK(ReadUntil(stream.fd, ": keep-alive\n\n", std::chrono::seconds(20)) == ": keep-alive\n\n");
  REQUIRE(beast.SandboxControl("orders/" + number + "/pay") == 200);
  CHECK(ReadUntil(stream.fd, R"("state":"PAID")", std::chrono::seconds(10)).find("PAID") !=
        std::string::npos);
  CHECK(beast.Stop() == 0);
}

TEST_CASE(
    "examples/beast_checkout: oversized bodies, extra streams and silent clients are cut off") {
  RunningBeast beast;
  if (!beast.built()) return;
  {  // a callback announcing one byte more than the parser takes: refused before it is read
    Connection c(beast.port());
    c.Send(
        "POST /wechatpay/order HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Content-Length: " +
        std::to_string(64 * 1024 + 1) + "\r\n\r\n");
    std::string const answer = ReadUntil(c.fd, "}", std::chrono::seconds(5));
    INFO(answer);
    CHECK(answer.rfind("HTTP/1.1 413 ", 0) == 0);
    CHECK(answer.find(R"({"code":"FAIL",)") != std::string::npos);
    CHECK(c.ClosedWithin(std::chrono::seconds(5)));
  }
  {  // the same sent chunked: refused at the chunk that goes over
    Connection c(beast.port());
    c.Send("POST /wechatpay/order HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
           std::string("10001\r\n"));
    std::string const answer = ReadUntil(c.fd, "}", std::chrono::seconds(5));
    INFO(answer);
    CHECK(answer.rfind("HTTP/1.1 413 ", 0) == 0);
  }
  {  // an order body over 4 KiB (only the head is sent: the server answers without reading on)
    Connection c(beast.port());
    c.Send("POST /orders HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n");
    std::string const answer = ReadUntil(c.fd, "}", std::chrono::seconds(5));
    INFO(answer);
    CHECK(answer.rfind("HTTP/1.1 413 ", 0) == 0);
    CHECK(c.ClosedWithin(std::chrono::seconds(5)));
  }
  {  // a body within the bounds on the same route is read and answered (400: not JSON)
    httplib::Client client(beast.base_url());
    auto res = client.Post("/orders", std::string(4000, ' ') + "x", "application/json");
    REQUIRE(res);
    CHECK(res->status == 400);
  }
  {  // a fifth stream of one order is refused with Retry-After while four are open
    httplib::Client client(beast.base_url());
    std::string const number = PlaceOrder(client);
    std::vector<std::unique_ptr<Connection>> streams;
    for (int i = 0; i < 4; ++i) {
      streams.push_back(std::make_unique<Connection>(beast.port()));
      CHECK(OpenStream(*streams.back(), number).rfind("HTTP/1.1 200 ", 0) == 0);
    }
    Connection fifth(beast.port());
    std::string const refused = OpenStream(fifth, number);
    CHECK(refused.rfind("HTTP/1.1 503 ", 0) == 0);
    CHECK(refused.find("Retry-After: 5\r\n") != std::string::npos);
  }
  {  // a client that sends half a request and then nothing is dropped after the read timeout
    Connection c(beast.port());
    c.Send("GET /orders/X HTTP/1.1\r\n");
    auto const start = Clock::now();
    CHECK(c.ClosedWithin(std::chrono::seconds(10)));
    CHECK(Clock::now() - start < std::chrono::seconds(7));
  }
  CHECK(beast.Stop() == 0);
}

}  // namespace
}  // namespace wechatpay
