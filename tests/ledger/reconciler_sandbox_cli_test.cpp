// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// The real `wechatpay` binary on a SQLite ledger file: `ledger list`, `ledger show` (human and
// --json), `reconcile` (one pass against the sandbox over HTTPS, and --watch until SIGTERM),
// WECHATPAY_LEDGER, and the errors (no ledger, an unknown scheme, a PostgreSQL URL whose
// password is never printed).

#include <signal.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "catch.hpp"
#include "support/background_process.hpp"
#include "support/run_process.hpp"
#include "support/sandbox_fixture.hpp"
#include "support/test_data.hpp"
#include "wechatpay/ledger/ledger.hpp"
#include "wechatpay/ledger/open.hpp"

namespace wechatpay {
namespace {

using testing::RunCli;
using testing::SandboxFixture;
using testing::TempDir;

bool Contains(std::string const& text, std::string const& part) {
  return text.find(part) != std::string::npos;
}

// A ledger file with orders in CREATING that are due at once (recheck_after 1 ms), created at
// the sandbox without their answer recorded.
struct CliSetup {
  SandboxFixture fixture{0.001};
  TempDir dir;
  std::string db = dir.File("ledger.db");
  std::string config = dir.File("config.json");

  CliSetup() { REQUIRE(fixture.sandbox().WriteClientConfig(config).ok()); }

  std::shared_ptr<Ledger> OpenLedger() const {
    auto store = OpenLedgerStore("sqlite:" + db);
    REQUIRE(store.ok());
    LedgerOptions options;
    options.recheck_after = std::chrono::milliseconds(1);
    return std::make_shared<Ledger>(std::shared_ptr<LedgerStore>(*std::move(store)), options);
  }

  void CreateUnrecorded(std::string const& no) const {
    auto ledger = OpenLedger();
    NativePrepayRequest request;
    request.out_trade_no = no;
    request.description = "命令行对账";
    request.amount.total = 7;
    REQUIRE(ledger->RecordOrderCreating(request).ok());
    REQUIRE(fixture.Client().NativePrepay(request).ok());
  }
};

TEST_CASE("wechatpay reconcile settles the ledger; ledger list and show print it",
          "[ledger][reconciler][cli]") {
  CliSetup s;
  s.CreateUnrecorded("CLI-RECON-1");
  s.CreateUnrecorded("CLI-RECON-2");
  std::this_thread::sleep_for(std::chrono::milliseconds(5));  // due (recheck_after 1 ms)

  auto listed = RunCli({"ledger", "list", "--ledger", s.db});
  INFO(listed.err);
  REQUIRE(listed.exit_code == 0);
  CHECK(Contains(listed.out, "CLI-RECON-1  CREATING  7 CNY"));
  CHECK(Contains(listed.out, "CLI-RECON-2  CREATING  7 CNY"));

  auto pass = RunCli({"--config", s.config, "reconcile", "--ledger", "sqlite:" + s.db, "--json"});
  INFO(pass.err);
  REQUIRE(pass.exit_code == 0);
  CHECK(pass.out ==
        "{\"leased\":2,\"queried\":2,\"closed\":0,\"resolved\":2,\"flagged\":0,\"errors\":0,"
        "\"rate_limited\":false}\n");

  // Human output; the ledger from WECHATPAY_LEDGER.
  auto again = RunCli({"--config", s.config, "reconcile"}, {{"WECHATPAY_LEDGER", s.db}});
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK(again.out == "leased 0, queried 0, closed 0, resolved 0, flagged 0, errors 0\n");

  auto notpaid = RunCli({"ledger", "list", "--ledger", s.db, "--state", "NOT_PAID", "--json"});
  INFO(notpaid.err);
  REQUIRE(notpaid.exit_code == 0);
  CHECK(Contains(notpaid.out, "\"out_trade_no\":\"CLI-RECON-1\",\"state\":\"NOT_PAID\""));
  CHECK(Contains(notpaid.out, "\"out_trade_no\":\"CLI-RECON-2\",\"state\":\"NOT_PAID\""));
  auto review = RunCli({"ledger", "list", "--ledger", s.db, "--review", "--json"});
  CHECK(review.exit_code == 0);
  CHECK(review.out == "[]\n");
  auto limited = RunCli({"ledger", "list", "--ledger", s.db, "--limit", "1"});
  CHECK(limited.exit_code == 0);
  CHECK(limited.out.find('\n') == limited.out.size() - 1);  // one line

  auto shown = RunCli({"ledger", "show", "CLI-RECON-1", "--ledger", s.db});
  INFO(shown.err);
  REQUIRE(shown.exit_code == 0);
  CHECK(Contains(shown.out, "order CLI-RECON-1"));
  CHECK(Contains(shown.out, "state:           NOT_PAID (WeChat: NOTPAY)"));
  CHECK(Contains(shown.out, "  CLIENT  - -> CREATING"));
  CHECK(Contains(shown.out, "  RECONCILER  CREATING -> NOT_PAID"));
  auto shown_json = RunCli({"ledger", "show", "CLI-RECON-1", "--ledger", s.db, "--json"});
  REQUIRE(shown_json.exit_code == 0);
  CHECK(Contains(shown_json.out, "{\"order\":{\"out_trade_no\":\"CLI-RECON-1\""));
  CHECK(Contains(shown_json.out, "\"refunds\":[]"));
  CHECK(Contains(shown_json.out, "\"source\":\"RECONCILER\""));

  auto missing = RunCli({"ledger", "show", "NO-SUCH-ORDER", "--ledger", s.db});
  CHECK(missing.exit_code == 1);
  CHECK(Contains(missing.err, "no order \"NO-SUCH-ORDER\""));
}

// A global option with a value before the command is skipped whole when the command looks
// for its subcommand word: `--proxy URL` once left URL to be taken for the subcommand.
TEST_CASE("wechatpay --proxy URL ledger list: the proxy's value is not the subcommand",
          "[ledger][cli]") {
  TempDir dir;
  for (auto const& global : {"--proxy", "--timeout", "--config"}) {
    INFO(global);
    std::string const value = std::string(global) == "--proxy"     ? "http://127.0.0.1:9"
                              : std::string(global) == "--timeout" ? "5"
                                                                   : dir.File("absent.json");
    auto listed = RunCli({global, value, "ledger", "list", "--ledger", dir.File("l.db")});
    INFO(listed.err);
    if (std::string(global) == "--config") {
      CHECK(listed.err.find("unknown ledger command") == std::string::npos);
    } else {
      CHECK(listed.exit_code == 0);
    }
  }
}

TEST_CASE("wechatpay reconcile --watch works passes until SIGTERM", "[ledger][reconciler][cli]") {
  CliSetup s;
  testing::BackgroundProcess process(
      WECHATPAY_CLI_PATH,
      {"--config", s.config, "reconcile", "--watch", "--interval", "0.05", "--ledger", s.db},
      s.dir.File("stderr.txt"));
  auto first = process.ReadLine(std::chrono::seconds(10));
  REQUIRE(first);
  CHECK(*first == "leased 0, queried 0, closed 0, resolved 0, flagged 0, errors 0");
  // An order that becomes due while it runs is settled by a later pass.
  s.CreateUnrecorded("CLI-WATCH-1");
  bool settled = false;
  for (int i = 0; i < 200 && !settled; ++i) {
    auto line = process.ReadLine(std::chrono::seconds(10));
    REQUIRE(line);
    settled = Contains(*line, "resolved 1");
  }
  CHECK(settled);
  CHECK(process.Terminate(std::chrono::seconds(5)) == 0);
}

TEST_CASE("wechatpay ledger: usage errors, and a PostgreSQL password is never printed",
          "[ledger][cli]") {
  TempDir dir;
  auto none = RunCli({"ledger", "list"});
  CHECK(none.exit_code == 2);
  CHECK(Contains(none.err, "--ledger is required"));
  auto scheme = RunCli({"ledger", "list", "--ledger", "mysql://user:hunter2@db/shop"});
  CHECK(scheme.exit_code == 2);
  CHECK(Contains(scheme.err, "ledger:"));
  CHECK_FALSE(Contains(scheme.err + scheme.out, "hunter2"));
  // Nothing listens on port 1: the store's error, without the password.
  auto pg = RunCli({"ledger", "list", "--ledger",
                    "postgresql://shop:s3cr3t-pw@127.0.0.1:1/shop?connect_timeout=2"});
  CHECK(pg.exit_code != 0);
  CHECK_FALSE(Contains(pg.err + pg.out, "s3cr3t-pw"));
  auto state = RunCli({"ledger", "list", "--ledger", dir.File("l.db"), "--state", "DONE"});
  CHECK(state.exit_code == 2);
  CHECK(Contains(state.err, "--state must be one of"));
  auto sub = RunCli({"ledger", "delete"});
  CHECK(sub.exit_code == 2);
  auto show = RunCli({"ledger", "show", "--ledger", dir.File("l.db")});
  CHECK(show.exit_code == 2);
  CHECK(Contains(show.err, "OUT_TRADE_NO"));
}

// Issue 18: the global help lists the `ledger` key among the configuration's keys, and its
// variable, as it does the others'.
TEST_CASE("wechatpay --help lists the ledger configuration key and WECHATPAY_LEDGER",
          "[ledger][cli]") {
  auto help = RunCli({"--help"});
  REQUIRE(help.exit_code == 0);
  INFO(help.out);
  // The text is wrapped to the terminal: compare it with its line breaks as spaces.
  std::string flat = help.out;
  for (char& c : flat) {
    if (c == '\n') c = ' ';
  }
  while (flat.find("  ") != std::string::npos) flat.replace(flat.find("  "), 2, " ");
  CHECK(Contains(flat, "caFile, ledger"));
  CHECK(Contains(help.out, "WECHATPAY_LEDGER"));
  CHECK(Contains(help.out, "postgresql://"));
}

}  // namespace
}  // namespace wechatpay
