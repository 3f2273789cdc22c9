// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// A ledger file that cannot be written is kUnavailable (the callback is answered 5xx and
// redelivered once the file is writable again), not a crash and not a silent read-only store.
// The file is made immutable with chattr +i, which holds for root too.
#include <cstdlib>
#include <string>
#include <utility>

#include "store_contract_support.hpp"
#include "support/test_data.hpp"
#include "wechatpay/ledger/sqlite_store.hpp"

namespace wechatpay::ledger_test {
namespace {

// chattr +i on a file for the guard's lifetime (so that the temporary folder can be removed).
class Immutable {
 public:
  explicit Immutable(std::string path) : path_(std::move(path)) {
    set_ = std::system(("chattr +i '" + path_ + "' 2>/dev/null").c_str()) == 0;
  }
  ~Immutable() {
    if (set_) (void)std::system(("chattr -i '" + path_ + "'").c_str());
  }
  Immutable(Immutable const&) = delete;
  Immutable& operator=(Immutable const&) = delete;
  bool set() const { return set_; }

 private:
  std::string path_;
  bool set_ = false;
};

TEST_CASE("SQLite store: a file that cannot be written is kUnavailable", "[ledger][sqlite]") {
  testing::TempDir dir;
  SqliteLedgerOptions options;
  options.path = dir.File("ledger.db");
  {
    auto store = SqliteLedgerStore::Open(options);
    REQUIRE(store.ok());
    PutOrder(**store, MakeOrder("ORDER-1"));
  }
  Immutable immutable(options.path);
  if (!immutable.set()) {
    WARN("chattr +i is not available here (needs root and a file system with attributes)");
    return;
  }
  auto store = SqliteLedgerStore::Open(options);
  REQUIRE_FALSE(store.ok());
  INFO(store.status().ToString());
  CHECK(store.status().code() == StatusCode::kUnavailable);
  CHECK(store.status().message().find("open") != std::string::npos);
  CHECK(store.status().message().find(options.path) != std::string::npos);
}

}  // namespace
}  // namespace wechatpay::ledger_test
