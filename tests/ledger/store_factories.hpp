// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once
// The stores the contract suite (store_contract_test.cpp) runs against. Each store registers a
// factory from its own test file, e.g.
//   const RegisterStoreFactory kSqlite{{"sqlite", [] { return MakeSqliteDatabase(); }}};
// and every contract test case runs once per factory (a DYNAMIC_SECTION named after it).
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "wechatpay/ledger/store.hpp"

namespace wechatpay::ledger_test {

/// One empty database of one store kind, for one test case; removed when destroyed.
class StoreDatabase {
 public:
  virtual ~StoreDatabase() = default;
  /// A new store instance on this database (each call: another instance, as another process
  /// would have; the schema is created or migrated by it).
  virtual StatusOr<std::unique_ptr<LedgerStore>> Open() = 0;
  /// Runs `sql` on the database directly, past the store (to set up what the store would never
  /// write, e.g. a newer schema version).
  virtual Status Execute(std::string const& sql) = 0;
};

/// A store kind under test.
struct StoreFactory {
  /// The section name: "sqlite", "postgresql".
  std::string name;
  /// A fresh, empty database.
  std::function<std::unique_ptr<StoreDatabase>()> make;
};

/// Every registered factory, in registration order.
inline std::vector<StoreFactory>& StoreFactories() {
  static std::vector<StoreFactory> factories;
  return factories;
}

/// Registers a factory during static initialisation (one namespace-scope object per store).
struct RegisterStoreFactory {
  explicit RegisterStoreFactory(StoreFactory factory) {
    StoreFactories().push_back(std::move(factory));
  }
};

}  // namespace wechatpay::ledger_test
