// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once
// Helpers of the store contract suite (store_contract_*.cpp): run a test body once per
// registered store, build records, write them through Mutate(), collect events.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "catch.hpp"
#include "store_factories.hpp"
#include "wechatpay/ledger/store.hpp"

namespace wechatpay::ledger_test {

/// Runs `body(database, store)` once per registered store, each in a section named after it, on
/// a fresh database with one store opened on it.
template <typename Body>
void ForEachStore(Body body) {
  REQUIRE_FALSE(StoreFactories().empty());
  for (auto const& factory : StoreFactories()) {
    DYNAMIC_SECTION("store " << factory.name) {
      auto database = factory.make();
      auto store = database->Open();
      INFO(store.status().ToString());
      REQUIRE(store.ok());
      body(*database, **store);
    }
  }
}

/// An order with every field set to something distinguishable.
inline OrderRecord MakeOrder(std::string const& out_trade_no, LedgerTime created_at = 1000) {
  OrderRecord order;
  order.out_trade_no = out_trade_no;
  order.appid = "wxd678efh567hg6787";
  order.description = "Image形象店-深圳腾大-QQ公仔";
  order.total_fen = 100;
  order.currency = "CNY";
  order.state = LedgerOrderState::kNotPaid;
  order.trade_state = "NOTPAY";
  order.code_url = "weixin://wxpay/bizpayurl?pr=" + out_trade_no;
  order.code_url_expires_at = created_at + 7200000;
  order.close_deadline = created_at + 600000;
  order.created_at = created_at;
  order.updated_at = created_at;
  return order;
}

inline HistoryEntry MakeEntry(std::string const& out_trade_no, std::string const& detail,
                              LedgerSource source = LedgerSource::kClient) {
  HistoryEntry entry;
  entry.out_trade_no = out_trade_no;
  entry.at = 2000;
  entry.source = source;
  entry.from_state = "CREATING";
  entry.to_state = "NOT_PAID";
  entry.detail = detail;
  return entry;
}

inline RefundRecord MakeRefund(std::string const& out_trade_no, std::string const& out_refund_no,
                               LedgerTime created_at = 3000) {
  RefundRecord refund;
  refund.out_refund_no = out_refund_no;
  refund.out_trade_no = out_trade_no;
  refund.refund_fen = 40;
  refund.total_fen = 100;
  refund.state = LedgerRefundState::kCreating;
  refund.created_at = created_at;
  refund.updated_at = created_at;
  return refund;
}

/// A mutation writing `change` whatever the current rows are.
inline LedgerMutation Write(LedgerChange change) {
  return [change](LedgerRows const&) -> StatusOr<LedgerChange> { return change; };
}

/// Mutate() that must succeed.
inline LedgerMutationResult MustMutate(LedgerStore& store, std::string const& out_trade_no,
                                       LedgerMutation const& mutation,
                                       std::string const& notification_id = "") {
  auto result = store.Mutate(out_trade_no, notification_id, mutation);
  INFO(result.status().ToString());
  REQUIRE(result.ok());
  return *std::move(result);
}

/// Puts `order` (and `history`) in the store.
inline LedgerMutationResult PutOrder(LedgerStore& store, OrderRecord const& order,
                                     std::vector<HistoryEntry> history = {}) {
  LedgerChange change;
  change.order = order;
  change.history = std::move(history);
  return MustMutate(store, order.out_trade_no, Write(change));
}

/// The store's order `out_trade_no`, which must exist.
inline OrderRecord MustGetOrder(LedgerStore& store, std::string const& out_trade_no) {
  auto rows = store.Get(out_trade_no);
  INFO(rows.status().ToString());
  REQUIRE(rows.ok());
  REQUIRE(rows->order.has_value());
  return *rows->order;
}

/// Collects the events of a subscription.
class EventLog {
 public:
  std::function<void(LedgerEvent const&)> Callback() {
    return [this](LedgerEvent const& event) {
      std::lock_guard<std::mutex> lock(mutex_);
      events_.push_back(event);
      changed_.notify_all();
    };
  }
  /// Waits until `count` events arrived (or `timeout`); returns those that did.
  std::vector<LedgerEvent> WaitFor(std::size_t count,
                                   std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return events_.size() >= count; });
    return events_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<LedgerEvent> events_;
};

}  // namespace wechatpay::ledger_test
