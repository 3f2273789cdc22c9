// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// A Ledger over a real SQLite store in a temporary folder, with a fake clock, and builders of
// the values the ledger is fed (verified notifications, query answers, call results).

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "support/test_data.hpp"
#include "wechatpay/ledger/ledger.hpp"
#include "wechatpay/ledger/store.hpp"
#include "wechatpay/testing/fake_clock.hpp"

namespace wechatpay::testing {

/// A Ledger on `ledger.db` in a fresh temporary folder (a SqliteLedgerStore waiting at most
/// `busy_timeout` for another writer).
struct LedgerFixture {
  explicit LedgerFixture(LedgerOptions options = {},
                         std::chrono::milliseconds busy_timeout = std::chrono::seconds(5));

  /// The database file.
  std::string DatabasePath() const { return dir.File("ledger.db"); }
  /// The ledger's time now (ms).
  LedgerTime Now() const { return ledger->Now(); }
  /// The order, which must exist.
  OrderRecord Order(std::string const& out_trade_no) const;

  TempDir dir;
  std::shared_ptr<FakeClock> clock = std::make_shared<FakeClock>();
  std::shared_ptr<LedgerStore> store;
  std::shared_ptr<Ledger> ledger;
};

/// A Native order request: `total` fen.
NativePrepayRequest OrderRequest(std::string const& out_trade_no, std::int64_t total = 100);

/// A paid transaction (trade_state SUCCESS unless given).
Transaction PaidTransaction(std::string const& out_trade_no, std::int64_t total,
                            std::string const& transaction_id = "4200000001202612070001",
                            std::string const& trade_state = "SUCCESS");

/// A verified TRANSACTION.SUCCESS notification `id` for `transaction`.
Notification PaymentNotification(std::string const& id, Transaction const& transaction);

/// A verified REFUND.<status> notification `id`.
Notification RefundNotificationOf(std::string const& id, std::string const& status,
                                  std::string const& out_trade_no, std::string const& out_refund_no,
                                  std::int64_t refund, std::int64_t total);

/// A refund API answer.
Refund RefundAnswer(std::string const& out_trade_no, std::string const& out_refund_no,
                    std::string const& status, std::int64_t refund, std::int64_t total);

/// A service error with WeChat's `code` (definite: outcome known).
Status ServiceError(std::string const& code, int http_status = 400);

/// A transport failure after sending: outcome unknown, as the client's retry table marks it.
Status UnknownOutcome();

}  // namespace wechatpay::testing
