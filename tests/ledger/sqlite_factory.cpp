// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// The SQLite store in the contract suite: each database is a file in a fresh temporary folder.
#include <sqlite3.h>

#include <memory>
#include <string>
#include <utility>

#include "store_factories.hpp"
#include "support/test_data.hpp"
#include "wechatpay/ledger/sqlite_store.hpp"

namespace wechatpay::ledger_test {
namespace {

class SqliteDatabase : public StoreDatabase {
 public:
  StatusOr<std::unique_ptr<LedgerStore>> Open() override {
    SqliteLedgerOptions options;
    options.path = dir_.File("ledger.db");
    auto store = SqliteLedgerStore::Open(std::move(options));
    if (!store.ok()) return store.status();
    return std::unique_ptr<LedgerStore>(*std::move(store));
  }

  Status Execute(std::string const& sql) override {
    sqlite3* db = nullptr;
    int rc = sqlite3_open(dir_.File("ledger.db").c_str(), &db);
    char* error = nullptr;
    if (rc == SQLITE_OK) {
      sqlite3_busy_timeout(db, 5000);
      rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    }
    std::string message = error != nullptr ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    sqlite3_close(db);
    if (rc != SQLITE_OK) return Status(StatusCode::kInternal, "sqlite3_exec: " + message);
    return Status();
  }

 private:
  testing::TempDir dir_;
};

RegisterStoreFactory const kSqlite{
    {"sqlite", [] { return std::unique_ptr<StoreDatabase>(new SqliteDatabase()); }}};

}  // namespace
}  // namespace wechatpay::ledger_test
