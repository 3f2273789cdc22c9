// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `wechatpay checkout` as a child process against a sandbox the test runs: the payer pays
// through the sandbox's control API while checkout polls; an unpaid order is closed at the
// timeout, or when checkout is interrupted.

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <signal.h>

#include <regex>
#include <string>
#include <thread>
#include <tuple>

#include "catch.hpp"
#include "support/background_process.hpp"
#include "support/run_process.hpp"
#include "support/sandbox_fixture.hpp"
#include "support/test_data.hpp"

namespace wechatpay {
namespace {

using namespace std::chrono_literals;
using testing::Eventually;
using testing::RawRequest;
using testing::SandboxFixture;
using testing::TempDir;

std::string Field(std::string const& json, char const* name) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  if (!doc.IsObject() || !doc.HasMember(name) || !doc[name].IsString()) return {};
  return doc[name].GetString();
}

// A sandbox and a direct-backend configuration file for it (the file the sandbox writes, less
// its gateway object).
std::size_t Count(std::string const& text, std::string const& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

struct Fixture {
  SandboxFixture f;
  TempDir dir;
  std::string config = dir.File("direct.json");
  std::string ledger = dir.File("ledger.db");

  Fixture() {
    REQUIRE(f.sandbox().WriteClientConfig(dir.File("cfg.json")).ok());
    rapidjson::Document doc;
    doc.Parse(testing::ReadFile(dir.File("cfg.json")).c_str());
    REQUIRE(doc.IsObject());
    doc.RemoveMember("gateway");
#if defined(WECHATPAY_CLI_HAS_LEDGER)
    // The ledger checkout records in: this test's own (the default one outlives the test).
    doc.AddMember("ledger", rapidjson::Value(ledger.c_str(), doc.GetAllocator()),
                  doc.GetAllocator());
#endif
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    doc.Accept(writer);
    testing::WriteFile(config, buffer.GetString());
  }

  testing::ProcessResult Checkout(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--config", config, "checkout"});
    return testing::RunCli(args);
  }

  // The control API over HTTPS, as a phone or a script calls it.
  testing::RawResponse Control(std::string const& method, std::string const& path) const {
    return RawRequest(method, f.BaseUrl() + "/sandbox/v1/" + path, {}, "", f.identity().ca_file);
  }

  // The out_trade_no of the first order the sandbox has seen, "" before there is one.
  std::string FirstOrder() const {
    auto listed = Control("GET", "orders");
    rapidjson::Document doc;
    doc.Parse(listed.body.c_str());
    if (!doc.IsObject() || !doc.HasMember("orders") || doc["orders"].Empty()) return {};
    return doc["orders"][0]["out_trade_no"].GetString();
  }

  // `wechatpay ledger show OUT_TRADE_NO --json` on the configured ledger.
  testing::ProcessResult LedgerShow(std::string const& out_trade_no) const {
    return testing::RunCli({"--config", config, "ledger", "show", out_trade_no, "--json"});
  }

  std::string TradeState(std::string const& out_trade_no) const {
    auto view = Control("GET", "orders/" + out_trade_no);
    return Field(view.body, "trade_state");
  }
};

TEST_CASE("wechatpay checkout: order, QR code, the payer pays, exit 0 with the transaction") {
  Fixture x;
  // The payer: waits for the order to exist, then pays through the control API.
  int pay_status = 0;
  std::thread payer([&] {
    if (Eventually([&] { return x.f.sandbox().OrderView("CHECKOUT00001").ok(); }, 30s)) {
      pay_status = x.Control("POST", "orders/CHECKOUT00001/pay").status;
    }
  });
  auto r = x.Checkout({"--out-trade-no", "CHECKOUT00001", "--description", "收银台-可乐", "--total",
                       "300", "--interval", "0.05"});
  payer.join();
  INFO("stdout:\n" << r.out << "\nstderr:\n" << r.err);
  CHECK(pay_status == 200);
  REQUIRE(r.exit_code == 0);
  // stdout: the final transaction, one JSON document.
  CHECK(Field(r.out, "out_trade_no") == "CHECKOUT00001");
  CHECK(Field(r.out, "trade_state") == "SUCCESS");
  CHECK(Field(r.out, "transaction_id").rfind("42", 0) == 0);
  // stderr: the order, its QR code, the wait.
  CHECK(r.err.find("checkout: ordered CHECKOUT00001 (3.00 CNY): weixin://wxpay/bizpayurl?pr=") !=
        std::string::npos);
#if defined(WECHATPAY_HAS_QR)
  CHECK(r.err.find("\u2588\u2588\u2588\u2588") != std::string::npos);
#endif
  CHECK(r.err.find("waiting for the payment") != std::string::npos);
#if defined(WECHATPAY_CLI_HAS_LEDGER)
  // The ledger, the configured one: PAID with WeChat's transaction id; one history entry per
  // transition (recorded before the call, code_url after it, PAID from the query that saw it).
  CHECK(r.err.find("checkout: ledger " + x.ledger) != std::string::npos);
  CHECK(r.err.find("checkout: ledger: CHECKOUT00001 PAID, transaction_id 42") != std::string::npos);
  auto show = x.LedgerShow("CHECKOUT00001");
  INFO("ledger show:\n" << show.out << show.err);
  REQUIRE(show.exit_code == 0);
  CHECK(show.out.find("\"state\":\"PAID\"") != std::string::npos);
  CHECK(show.out.find("\"transaction_id\":\"" + Field(r.out, "transaction_id") + "\"") !=
        std::string::npos);
  // Each state transition once, and nothing else: a query that saw NOTPAY repeated what the
  // code_url had recorded, which is no change (docs/ledger.md).
  CHECK(Count(show.out, R"("from":"","to":"CREATING")") == 1);
  CHECK(Count(show.out, R"("from":"CREATING","to":"NOT_PAID")") == 1);
  CHECK(Count(show.out, R"("from":"NOT_PAID","to":"PAID")") == 1);
  CHECK(Count(show.out, R"("seq":)") == 3);
  CHECK(Count(show.out, "\"to\":\"PAID\"") == 1);
  // The payment came from a query; a query before the payer paid (a slow run) wrote nothing.
  CHECK(Count(show.out, "\"source\":\"QUERY\"") == 1);
#endif
}

#if defined(WECHATPAY_CLI_HAS_LEDGER)
TEST_CASE("wechatpay checkout: --ledger wins over the configuration; the default ledger file") {
  Fixture x;
  TempDir data;
  std::string const other = data.File("other.db");
  auto closed =
      x.Checkout({"--out-trade-no", "CHECKOUT00021", "--description", "可乐", "--total", "1",
                  "--interval", "0.05", "--watch-timeout", "0.3", "--ledger", "sqlite:" + other});
  INFO("stderr:\n" << closed.err);
  CHECK(closed.exit_code == 1);
  auto show = testing::RunCli({"ledger", "show", "CHECKOUT00021", "--ledger", other, "--json"});
  CHECK(show.exit_code == 0);
  CHECK(show.out.find("\"state\":\"CLOSED\"") != std::string::npos);
  CHECK(x.LedgerShow("CHECKOUT00021").exit_code == 1);  // not in the configured one

  // Neither --ledger nor the key: $XDG_DATA_HOME/wechatpay/ledger.db.
  auto const plain = x.dir.File("plain.json");
  std::string text = testing::ReadFile(x.config);
  auto const at = text.find(",\"ledger\"");
  REQUIRE(at != std::string::npos);
  text.erase(at, text.find('"', text.find(':', at) + 2) + 1 - at);
  testing::WriteFile(plain, text);
  auto r = testing::RunCli(
      {"--config", plain, "checkout", "--out-trade-no", "CHECKOUT00022", "--description", "可乐",
       "--total", "1", "--interval", "0.05", "--watch-timeout", "0.3"},
      {{"XDG_DATA_HOME", data.path()}});
  INFO("stderr:\n" << r.err);
  CHECK(r.exit_code == 1);
  std::string const default_file = data.path() + "/wechatpay/ledger.db";
  CHECK(r.err.find("checkout: ledger sqlite:" + default_file) != std::string::npos);
  auto again =
      testing::RunCli({"ledger", "show", "CHECKOUT00022", "--ledger", default_file, "--json"});
  CHECK(again.exit_code == 0);
  CHECK(again.out.find("\"state\":\"CLOSED\"") != std::string::npos);
}
#endif

TEST_CASE("wechatpay checkout generates a valid out_trade_no when none is given") {
  Fixture x;
  std::string paid;
  std::thread payer([&] {
    if (Eventually([&] { return !x.FirstOrder().empty(); }, 30s)) {
      paid = x.FirstOrder();
      x.Control("POST", "orders/" + paid + "/pay");
    }
  });
  auto r = x.Checkout({"--description", "可乐", "--total", "1", "--interval", "0.05"});
  payer.join();
  INFO("stdout:\n" << r.out << "\nstderr:\n" << r.err);
  REQUIRE(r.exit_code == 0);
  auto const out_trade_no = Field(r.out, "out_trade_no");
  CHECK(out_trade_no == paid);
  // CO + local time (YYYYMMDDhhmmss) + 8 random characters: within WeChat's 6-32 characters.
  CHECK(std::regex_match(out_trade_no, std::regex("CO[0-9]{14}[0-9A-Za-z]{8}")));
}

TEST_CASE("wechatpay checkout closes the order when --timeout passes unpaid: exit 1, CLOSED") {
  Fixture x;
  auto r = x.Checkout({"--out-trade-no", "CHECKOUT00002", "--description", "可乐", "--total", "1",
                       "--interval", "0.05", "--watch-timeout", "0.3"});
  INFO("stdout:\n" << r.out << "\nstderr:\n" << r.err);
  CHECK(r.exit_code == 1);
  CHECK(Field(r.out, "trade_state") == "CLOSED");
  CHECK(r.err.find("timeout passed: closing the order") != std::string::npos);
  CHECK(r.err.find("error: order CHECKOUT00002 ended in trade_state CLOSED") != std::string::npos);
  CHECK(x.TradeState("CHECKOUT00002") == "CLOSED");
}

TEST_CASE("wechatpay checkout closes its order on Ctrl-C (SIGINT) and exits 130; SIGTERM 143") {
  Fixture x;
  for (auto [signal_number, expected_exit, order] :
       {std::tuple<int, int, std::string>{SIGINT, 130, "CHECKOUT00003"},
        {SIGTERM, 143, "CHECKOUT00013"}}) {
    CAPTURE(signal_number);
    TempDir logs;
    testing::BackgroundProcess checkout(
        WECHATPAY_CLI_PATH,
        {"--config", x.config, "checkout", "--out-trade-no", order, "--description", "可乐",
         "--total", "1", "--interval", "0.05"},
        logs.File("err"));
    REQUIRE(Eventually([&] { return x.TradeState(order) == "NOTPAY"; }, 30s));
    // A real signal to the child process, as the terminal sends on Ctrl-C.
    CHECK(checkout.Stop(signal_number, 30s) == expected_exit);
    auto const err = testing::ReadFile(logs.File("err"));
    INFO(err);
    CHECK(x.TradeState(order) == "CLOSED");
    CHECK(err.find("interrupted: closing order " + order) != std::string::npos);
    CHECK(err.find("done: CLOSED after") != std::string::npos);
    CHECK(err.find("error: interrupted by " +
                   std::string(signal_number == SIGINT ? "SIGINT" : "SIGTERM") + ": order " +
                   order + " ended in trade_state CLOSED") != std::string::npos);
    // stdout: the closed transaction.
    auto line = checkout.ReadLine(5s);
    REQUIRE(line);
    CHECK(Field(*line, "trade_state") == "CLOSED");
  }
}

TEST_CASE("wechatpay checkout: a progress line at a steady pace and a final line; --quiet") {
  Fixture x;
  auto r = x.Checkout({"--out-trade-no", "CHECKOUT00005", "--description", "可乐", "--total", "1",
                       "--interval", "0.05", "--watch-timeout", "1", "--progress-interval", "0.2"});
  INFO("stderr:\n" << r.err);
  CHECK(r.exit_code == 1);
  // About one line per 0.2 s of the 1 s wait, not one per query (about 20), each with the state
  // and the time left.
  std::regex const progress("checkout: CHECKOUT00005 NOTPAY, [0-9.]+ s left\n");
  auto const lines = std::distance(std::sregex_iterator(r.err.begin(), r.err.end(), progress),
                                   std::sregex_iterator());
  CHECK(lines >= 3);
  CHECK(lines <= 10);
  CHECK(std::regex_search(r.err, std::regex("checkout: CHECKOUT00005 done: CLOSED after [0-9.]+ s "
                                            "\\(closed by this command\\)\n")));

  auto quiet = x.Checkout({"--out-trade-no", "CHECKOUT00006", "--description", "可乐", "--total",
                           "1", "--interval", "0.05", "--watch-timeout", "0.6",
                           "--progress-interval", "0.1", "--quiet"});
  INFO("quiet stderr:\n" << quiet.err);
  CHECK(quiet.exit_code == 1);
  CHECK(Field(quiet.out, "trade_state") == "CLOSED");
  CHECK(quiet.err.find("checkout: ordered CHECKOUT00006") != std::string::npos);  // the link
  CHECK(quiet.err.find(" left") == std::string::npos);
  CHECK(quiet.err.find("done:") == std::string::npos);
  CHECK(quiet.err.find("waiting for the payment") == std::string::npos);
  CHECK(quiet.err.find("error: order CHECKOUT00006 ended in trade_state CLOSED") !=
        std::string::npos);  // errors are still said
}

TEST_CASE("wechatpay checkout --timeout bounds each request; as the limit it is deprecated") {
  Fixture x;
  // Without --watch-timeout the old spelling still sets the limit, with a warning.
  auto old = x.Checkout({"--out-trade-no", "CHECKOUT00007", "--description", "可乐", "--total", "1",
                         "--interval", "0.05", "--timeout", "0.3"});
  INFO("stderr:\n" << old.err);
  CHECK(old.exit_code == 1);
  CHECK(Field(old.out, "trade_state") == "CLOSED");
  CHECK(old.err.find("warning: --timeout as the checkout limit is deprecated") !=
        std::string::npos);
  // With it, --timeout is only the request timeout: no warning, the limit is --watch-timeout.
  auto now = x.Checkout({"--out-trade-no", "CHECKOUT00008", "--description", "可乐", "--total", "1",
                         "--interval", "0.05", "--timeout", "20", "--watch-timeout", "0.3"});
  INFO("stderr:\n" << now.err);
  CHECK(now.exit_code == 1);
  CHECK(Field(now.out, "trade_state") == "CLOSED");
  CHECK(now.err.find("deprecated") == std::string::npos);
}

TEST_CASE("wechatpay checkout waits through USERPAYING and stops at PAYERROR: exit 1") {
  Fixture x;
  // The payer scans, is asked for the password while checkout polls, and the payment fails.
  int scan_status = 0;
  int fail_status = 0;
  std::thread payer([&] {
    if (Eventually([&] { return x.f.sandbox().OrderView("CHECKOUT00004").ok(); }, 30s)) {
      scan_status = x.Control("POST", "orders/CHECKOUT00004/scan").status;
      std::this_thread::sleep_for(300ms);  // several polls see USERPAYING
      fail_status = x.Control("POST", "orders/CHECKOUT00004/fail").status;
    }
  });
  auto r = x.Checkout({"--out-trade-no", "CHECKOUT00004", "--description", "可乐", "--total", "1",
                       "--interval", "0.05", "--verbose"});
  payer.join();
  INFO("stdout:\n" << r.out << "\nstderr:\n" << r.err);
  CHECK(scan_status == 200);
  CHECK(fail_status == 200);
  CHECK(r.exit_code == 1);
  CHECK(Field(r.out, "trade_state") == "PAYERROR");
  CHECK(r.err.find("trade_state USERPAYING") != std::string::npos);
  CHECK(r.err.find("error: order CHECKOUT00004 ended in trade_state PAYERROR") !=
        std::string::npos);
  CHECK(r.err.find("closing") == std::string::npos);  // a final state needs no close
}

TEST_CASE("wechatpay checkout: bad usage exits 2 and sends nothing") {
  Fixture x;
  for (auto const& args : std::vector<std::vector<std::string>>{
           {"--description", "可乐"},                                           // no --total
           {"--total", "1"},                                                    // no --description
           {"--description", "可乐", "--total", "ten"},                         // not a number
           {"--description", "可乐", "--total", "0"},                           // not positive
           {"--description", "", "--total", "1"},                               // empty description
           {"--description", "可乐", "--total", "1", "--out-trade-no", "bad"},  // too short
           {"--description", "可乐", "--total", "1", "--interval", "0"}}) {
    auto r = x.Checkout(args);
    CAPTURE(args, r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
  }
  CHECK(x.FirstOrder().empty());
}

}  // namespace
}  // namespace wechatpay
