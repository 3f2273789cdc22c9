// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// The PostgreSQL half of OpenLedgerStore() in a build with libpq: the store with its default
// options (open_postgres.cpp holds the refusal of a build without it).
#include <memory>
#include <string>
#include <utility>

#include "open_postgres.hpp"
#include "wechatpay/ledger/postgres_store.hpp"

namespace wechatpay::ledger_open {

StatusOr<std::unique_ptr<LedgerStore>> OpenPostgresUrl(std::string const& url) {
  auto store = PostgresLedgerStore::Open(url);
  if (!store.ok()) return store.status();
  return std::unique_ptr<LedgerStore>(*std::move(store));
}

}  // namespace wechatpay::ledger_open
