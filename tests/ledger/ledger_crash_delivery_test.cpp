// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
//
// Crash safety through the real delivery path on a SQLite file (crash_delivery.hpp): the
// receiving process killed with SIGKILL at random moments during 1000 callbacks from the
// sandbox, restarted on the same port, the sandbox redelivers. The PostgreSQL run is in
// postgres_handler_test.cpp; the store-level crash test (no handler, no sockets) is
// sqlite_crash_test.cpp.

#include <sqlite3.h>

#include <string>

#include "catch.hpp"
#include "crash_delivery.hpp"
#include "support/test_data.hpp"

namespace wechatpay {
namespace {

TEST_CASE(
    "Ledger handler on SQLite: the receiver killed at random points during 1000 callbacks "
    "from the sandbox: none lost, none applied twice, none stuck",
    "[ledger]") {
  testing::TempDir dir;
  std::string const path = dir.File("ledger.db");
  testing::RunCrashDelivery(
      "sqlite:" + path,
      [&path]() -> long long {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
        sqlite3_stmt* stmt = nullptr;
        REQUIRE(sqlite3_prepare_v2(db, "SELECT count(*) FROM ledger_notifications", -1, &stmt,
                                   nullptr) == SQLITE_OK);
        REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
        long long const rows = sqlite3_column_int64(stmt, 0);
        sqlite3_finalize(stmt);
        sqlite3_close(db);
        return rows;
      },
      "sqlite");
}

}  // namespace
}  // namespace wechatpay
