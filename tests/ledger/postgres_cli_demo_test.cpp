// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// `wechatpay demo --ledger postgresql://...` on the real PostgreSQL server the ledger tests start
// (tests/ledger/support): the demo records its order and callback there, prints the URL with
// its password redacted (never the password), and `wechatpay ledger show` on the same URL finds
// the order PAID with one history entry per transition. It lives here, not next to the other
// demo tests in tests/integration, because the server harness is part of this executable.

#include <string>

#include "catch.hpp"
#include "ledger/support/postgres_server.hpp"
#include "support/run_process.hpp"

namespace wechatpay::ledger_test {
namespace {

std::size_t Count(std::string const& text, std::string const& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST_CASE("wechatpay demo --ledger postgresql://: PAID in PostgreSQL, the password never printed",
          "[ledger][postgres][cli]") {
  testing::PostgresTestDatabase database;
  auto const& server = testing::PostgresServer::Shared();
  auto r = testing::RunCli({"demo", "--auto-pay-after", "1", "--ledger", database.url()});
  INFO("stdout:\n" << r.out << "\nstderr:\n" << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("recorded in postgresql://" + server.user() + ":***@127.0.0.1:") !=
        std::string::npos);
  CHECK(r.out.find(server.password()) == std::string::npos);
  CHECK(r.err.find(server.password()) == std::string::npos);
  CHECK(r.out.find("CALLBACK  NOT_PAID -> PAID") != std::string::npos);

  auto const start = r.out.find("ordered  DEMO") + std::string("ordered  ").size();
  std::string const number = r.out.substr(start, r.out.find(',', start) - start);
  auto show = testing::RunCli({"ledger", "show", number, "--ledger", database.url(), "--json"});
  INFO("ledger show:\n" << show.out << show.err);
  REQUIRE(show.exit_code == 0);
  CHECK(show.out.find("\"state\":\"PAID\"") != std::string::npos);
  CHECK(show.out.find("\"transaction_id\":\"42") != std::string::npos);
  // Each state transition once, and nothing else: the demo's query that saw NOTPAY repeated
  // what the code_url had recorded, which is no change (docs/ledger.md).
  CHECK(Count(show.out, R"("from":"","to":"CREATING")") == 1);
  CHECK(Count(show.out, R"("from":"CREATING","to":"NOT_PAID")") == 1);
  CHECK(Count(show.out, R"("from":"NOT_PAID","to":"PAID")") == 1);
  CHECK(Count(show.out, R"("seq":)") == 3);
  CHECK(Count(show.out, "\"to\":\"PAID\"") == 1);
  CHECK(Count(show.out, "\"source\":\"CALLBACK\"") == 1);
}

}  // namespace
}  // namespace wechatpay::ledger_test
