// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// OpenLedgerStore(): which store a configuration string opens.
#include <string>

#include "store_contract_support.hpp"
#include "support/test_data.hpp"
#include "wechatpay/ledger/open.hpp"
#include "wechatpay/ledger/sqlite_store.hpp"

namespace wechatpay::ledger_test {
namespace {

TEST_CASE("OpenLedgerStore opens SQLite for sqlite:PATH and for .db/.sqlite paths",
          "[ledger][open]") {
  testing::TempDir dir;
  for (auto const& url :
       {"sqlite:" + dir.File("a"), dir.File("b.db"), dir.File("c.sqlite"), dir.File("d.sqlite3")}) {
    INFO(url);
    auto store = OpenLedgerStore(url);
    INFO(store.status().ToString());
    REQUIRE(store.ok());
    CHECK(dynamic_cast<SqliteLedgerStore*>(store->get()) != nullptr);
    PutOrder(**store, MakeOrder("ORDER-1"));
  }
  // sqlite:PATH is that file: a second open finds the order.
  auto again = OpenLedgerStore("sqlite:" + dir.File("a"));
  REQUIRE(again.ok());
  CHECK(MustGetOrder(**again, "ORDER-1").version == 1);
}

TEST_CASE("OpenLedgerStore refuses unknown forms without quoting them", "[ledger][open]") {
  for (std::string const url :
       {"", "sqlite:", "ledger.txt", "mysql://user:s3cret@host/db", "http://user:s3cret@host/"}) {
    INFO(url);
    auto store = OpenLedgerStore(url);
    REQUIRE_FALSE(store.ok());
    CHECK(store.status().code() == StatusCode::kInvalidArgument);
    CHECK(store.status().info().field == "ledger");
    CHECK(store.status().message().find("sqlite:PATH") != std::string::npos);
    CHECK(store.status().message().find("postgresql://") != std::string::npos);
    CHECK(store.status().message().find("s3cret") == std::string::npos);
  }
}

#if !defined(WECHATPAY_HAS_POSTGRES)
TEST_CASE("OpenLedgerStore without PostgreSQL support says so", "[ledger][open]") {
  for (auto const* url : {"postgresql://user:s3cret@127.0.0.1/ledger", "postgres://db/ledger"}) {
    auto store = OpenLedgerStore(url);
    REQUIRE_FALSE(store.ok());
    CHECK(store.status().code() == StatusCode::kInvalidArgument);
    CHECK(store.status().info().field == "ledger");
    CHECK(store.status().message().find("without PostgreSQL support") != std::string::npos);
    CHECK(store.status().message().find("s3cret") == std::string::npos);
  }
}
#endif

}  // namespace
}  // namespace wechatpay::ledger_test
