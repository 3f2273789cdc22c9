// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// The store contract, part 6: the schema is created once and migrated safely — opening again
// (also from several threads at once) keeps everything; a newer schema is refused.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "store_contract_support.hpp"

namespace wechatpay::ledger_test {
namespace {

TEST_CASE("Store contract: opening a database again migrates nothing and keeps the rows",
          "[ledger][contract]") {
  ForEachStore([](StoreDatabase& database, LedgerStore& store) {
    PutOrder(store, MakeOrder("ORDER-1"), {MakeEntry("ORDER-1", "created")});
    MustMutate(store, "ORDER-1", Write(LedgerChange{}), "EV-1");
    for (int i = 0; i < 2; ++i) {
      auto again = database.Open();
      INFO(again.status().ToString());
      REQUIRE(again.ok());
      CHECK(MustGetOrder(**again, "ORDER-1").version == 1);
      CHECK((*again)->History("ORDER-1")->size() == 1);
      CHECK(*(*again)->IsNotificationProcessed("EV-1"));
    }
    // The version table keeps one row: a second one is refused by the schema.
    CHECK_FALSE(database.Execute("INSERT INTO ledger_schema_version (version) VALUES (1)").ok());
  });
}

TEST_CASE("Store contract: stores opened at once on a new database all work",
          "[ledger][contract]") {
  REQUIRE_FALSE(StoreFactories().empty());
  for (auto const& factory : StoreFactories()) {
    DYNAMIC_SECTION("store " << factory.name) {
      auto database = factory.make();
      std::vector<std::unique_ptr<LedgerStore>> stores(4);
      std::vector<Status> statuses(4);
      std::vector<std::thread> threads;
      std::atomic<int> ready{0};
      for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
          ++ready;
          while (ready < 4) std::this_thread::yield();
          auto store = database->Open();
          statuses[t] = store.status();
          if (store.ok()) stores[t] = *std::move(store);
        });
      }
      for (auto& thread : threads) thread.join();
      for (int t = 0; t < 4; ++t) {
        INFO(statuses[t].ToString());
        REQUIRE(statuses[t].ok());
        PutOrder(*stores[t], MakeOrder("ORDER-" + std::to_string(t)));
      }
      LedgerQuery all;
      CHECK(stores[0]->List(all)->size() == 4);
    }
  }
}

TEST_CASE("Store contract: a database of a newer schema version is refused", "[ledger][contract]") {
  ForEachStore([](StoreDatabase& database, LedgerStore&) {
    auto status = database.Execute("UPDATE ledger_schema_version SET version = 99");
    INFO(status.ToString());
    REQUIRE(status.ok());
    auto refused = database.Open();
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.status().code() == StatusCode::kConfiguration);
    CHECK(refused.status().info().field == "ledger");
    // Both versions named: the database's and the library's.
    CHECK(refused.status().message().find("99") != std::string::npos);
    CHECK(refused.status().message().find("version 1") != std::string::npos);
  });
}

}  // namespace
}  // namespace wechatpay::ledger_test
