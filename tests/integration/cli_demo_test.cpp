// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `wechatpay demo` as a child process, as the README's main-job command runs it: exit 0, and an
// output that tells the story in order — sandbox, order, QR code, payment, callback, result —
// and, with the ledger, the ledger's record: read back with `wechatpay ledger show` from the file
// `--ledger` names (PAID, the transaction id, one history entry per transition), and the
// default temporary ledger removed at the end.

#include <filesystem>
#include <string>
#include <vector>

#include "catch.hpp"
#include "support/run_process.hpp"
#include "support/test_data.hpp"

namespace wechatpay {
namespace {

// Every fragment is found, each after the previous one.
void CheckInOrder(std::string const& text, std::vector<std::string> const& fragments) {
  std::size_t from = 0;
  for (auto const& fragment : fragments) {
    INFO("looking for '" << fragment << "' after offset " << from);
    auto const at = text.find(fragment, from);
    REQUIRE(at != std::string::npos);
    from = at + fragment.size();
  }
}

TEST_CASE("wechatpay demo --auto-pay-after 1: the whole Native flow offline, exit 0") {
  auto r = testing::RunCli({"demo", "--auto-pay-after", "1"});
  INFO("stdout:\n" << r.out << "\nstderr:\n" << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  CheckInOrder(r.out, {
    "sandbox  WeChat Pay API v3 emulator on https://127.0.0.1:",
        "receiver callback receiver on http://127.0.0.1:", "ordered  DEMO",
        "code_url weixin://wxpay/bizpayurl?pr=", "QR code",
#if defined(WECHATPAY_HAS_QR)
        "\u2588\u2588\u2588\u2588",  // the symbol's quiet zone, in full blocks
#endif
        "waiting", "payer    scans and pays in 1 s (--auto-pay-after)",
        "paid     the payer scanned and paid (sandbox): transaction_id 42", "trade_state SUCCESS",
        "callback received TRANSACTION.SUCCESS", "signature verified",
        "callback answered 204 (PROCESSED)", "result   SUCCESS via push", "done: paid",
  });
}

#if defined(WECHATPAY_CLI_HAS_LEDGER)
std::size_t Count(std::string const& text, std::string const& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST_CASE("wechatpay demo --ledger FILE: the order is PAID in the ledger, one entry a transition") {
  testing::TempDir dir;
  std::string const url = "sqlite:" + dir.File("demo.db");
  auto r = testing::RunCli({"demo", "--auto-pay-after", "1", "--ledger", url});
  INFO("stdout:\n" << r.out << "\nstderr:\n" << r.err);
  REQUIRE(r.exit_code == 0);
  CheckInOrder(r.out,
               {"ledger   orders and callbacks recorded in " + url, "ordered  DEMO",
                "callback received TRANSACTION.SUCCESS", "applied in the ledger",
                "callback answered 204", "result   SUCCESS", "ledger   DEMO",
                " PAID, transaction_id 42", "CLIENT", "CALLBACK  NOT_PAID -> PAID", "done: paid"});
  auto const start = r.out.find("ordered  DEMO") + std::string("ordered  ").size();
  std::string const number = r.out.substr(start, r.out.find(',', start) - start);

  auto show = testing::RunCli({"ledger", "show", number, "--ledger", url, "--json"});
  INFO("ledger show:\n" << show.out << show.err);
  REQUIRE(show.exit_code == 0);
  CHECK(show.out.find("\"state\":\"PAID\"") != std::string::npos);
  CHECK(show.out.find("\"transaction_id\":\"42") != std::string::npos);
  // The order's life: created (CLIENT, before the call), its code_url recorded (CLIENT), paid
  // (CALLBACK) — each transition once, however many times WeChat delivered the callback.
  // Each state transition once, and nothing else: a query that saw NOTPAY repeated what the
  // code_url had recorded, which is no change (docs/ledger.md).
  CHECK(Count(show.out, R"("from":"","to":"CREATING")") == 1);
  CHECK(Count(show.out, R"("from":"CREATING","to":"NOT_PAID")") == 1);
  CHECK(Count(show.out, R"("from":"NOT_PAID","to":"PAID")") == 1);
  CHECK(Count(show.out, R"("seq":)") == 3);
  CHECK(Count(show.out, "\"to\":\"PAID\"") == 1);
  CHECK(Count(show.out, "\"source\":\"CALLBACK\"") == 1);
}

TEST_CASE("wechatpay demo: the default ledger is a temporary SQLite file, removed at the end") {
  testing::TempDir tmp;
  auto r = testing::RunCli({"demo", "--auto-pay-after", "0"}, {{"TMPDIR", tmp.path()}});
  INFO("stdout:\n" << r.out << "\nstderr:\n" << r.err);
  REQUIRE(r.exit_code == 0);
  CheckInOrder(
      r.out, {"ledger   orders and callbacks recorded in sqlite:" + tmp.path() + "/wechatpay-demo-",
              "(temporary, removed at the end)", "ledger   DEMO", " PAID"});
  CHECK(std::filesystem::is_empty(tmp.path()));
}
#endif

TEST_CASE("wechatpay demo pays after 2 s when stdin is not a terminal") {
  // Through the shell, to give the demo /dev/null as stdin whatever the test runner's stdin is.
  auto r =
      testing::RunProcess("/bin/sh", {"-c", "exec \"$0\" demo </dev/null", WECHATPAY_CLI_PATH});
  INFO("stdout:\n" << r.out << "\nstderr:\n" << r.err);
  REQUIRE(r.exit_code == 0);
  CheckInOrder(r.out, {"ordered", "payer    scans and pays in 2 s (stdin is not a terminal", "paid",
                       "callback received", "result   SUCCESS"});
}

TEST_CASE("wechatpay demo: bad usage exits 2 before anything starts") {
  for (auto const& args :
       std::vector<std::vector<std::string>>{{"demo", "--auto-pay-after", "-1"},
                                             {"demo", "--auto-pay-after", "soon"},
                                             {"demo", "--auto-pay-after", "601"},
                                             {"demo", "--unknown"}}) {
    auto r = testing::RunCli(args);
    CAPTURE(args[1], r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("error: ", 0) == 0);
  }
}

}  // namespace
}  // namespace wechatpay
