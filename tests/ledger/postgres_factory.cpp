// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// The PostgreSQL store in the contract suite: each database is a new database on the server of
// this test process (tests/ledger/support/postgres_server), started on first use.
#include <libpq-fe.h>

#include <memory>
#include <string>
#include <utility>

#include "ledger/support/postgres_server.hpp"
#include "store_factories.hpp"
#include "wechatpay/ledger/postgres_store.hpp"

namespace wechatpay::ledger_test {
namespace {

class PostgresDatabase : public StoreDatabase {
 public:
  StatusOr<std::unique_ptr<LedgerStore>> Open() override {
    auto store = PostgresLedgerStore::Open(database_.url());
    if (!store.ok()) return store.status();
    return std::unique_ptr<LedgerStore>(*std::move(store));
  }

  Status Execute(std::string const& sql) override {
    std::unique_ptr<PGconn, decltype(&PQfinish)> connection(PQconnectdb(database_.url().c_str()),
                                                            &PQfinish);
    if (PQstatus(connection.get()) != CONNECTION_OK) {
      return Status(StatusCode::kUnavailable,
                    std::string("connect: ") + PQerrorMessage(connection.get()));
    }
    std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(connection.get(), sql.c_str()),
                                                         &PQclear);
    auto const status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      return Status(StatusCode::kInternal,
                    std::string("PQexec: ") + PQresultErrorMessage(result.get()));
    }
    return Status();
  }

 private:
  testing::PostgresTestDatabase database_;
};

RegisterStoreFactory const kPostgres{
    {"postgresql", [] { return std::unique_ptr<StoreDatabase>(new PostgresDatabase()); }}};

}  // namespace
}  // namespace wechatpay::ledger_test
