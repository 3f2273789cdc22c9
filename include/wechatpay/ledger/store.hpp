// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file ledger/store.hpp
/// LedgerStore: where the ledger's records live (SQLite embedded, PostgreSQL for many
/// instances). A store knows no payment rules: it runs one change at a time per order inside a
/// database transaction that holds the order's lock, and publishes what committed. The rules
/// (which transition is allowed, what is flagged) are the Ledger's, written once above both
/// stores; the contract suite in tests/ledger runs the same tests against each store.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wechatpay/ledger/records.hpp"
#include "wechatpay/ledger_export.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay {

/// What a mutation decided to write, all in the one transaction of LedgerStore::Mutate().
struct WECHATPAY_LEDGER_EXPORT LedgerChange {
  /// The order's new row (inserted or replaced); nullopt leaves the order as it is.
  std::optional<OrderRecord> order;
  /// A refund's new row (inserted or replaced); nullopt writes no refund.
  std::optional<RefundRecord> refund;
  /// Entries appended to the order's history (the store assigns seq).
  std::vector<HistoryEntry> history;
};

/// The current rows a mutation decides on.
struct WECHATPAY_LEDGER_EXPORT LedgerRows {
  /// The order, or nullopt when the ledger has none with that out_trade_no.
  std::optional<OrderRecord> order;
  /// The order's refunds, oldest first.
  std::vector<RefundRecord> refunds;
};

/// A mutation: reads the current rows, returns what to write (an empty LedgerChange writes
/// nothing) or an error, which rolls the transaction back. It may run more than once when the
/// store retries a transaction that lost a serialization conflict, so it must not have side
/// effects outside its result.
using LedgerMutation = std::function<StatusOr<LedgerChange>(LedgerRows const& current)>;

/// What LedgerStore::Mutate() did.
struct WECHATPAY_LEDGER_EXPORT LedgerMutationResult {
  /// True when the notification id given to Mutate() had been recorded before: the mutation
  /// was not run and nothing was written.
  bool duplicate_notification = false;
  /// The rows after the transaction (as committed, or as found for a duplicate).
  LedgerRows rows;
};

/// A change that committed, as published to subscribers.
struct WECHATPAY_LEDGER_EXPORT LedgerEvent {
  /// The order that changed.
  std::string out_trade_no;
  /// Its state after the change.
  LedgerOrderState state = LedgerOrderState::kCreating;
  /// Its version after the change.
  std::int64_t version = 0;
};

/// Which orders List() returns.
struct WECHATPAY_LEDGER_EXPORT LedgerQuery {
  /// Only these states (empty: any).
  std::vector<LedgerOrderState> states;
  /// Only orders flagged for review.
  bool needs_review_only = false;
  /// Only orders whose outcome is unknown.
  bool outcome_unknown_only = false;
  /// Only orders created at or after this time (0: no bound).
  LedgerTime created_from = 0;
  /// Only orders created before this time (0: no bound).
  LedgerTime created_before = 0;
  /// Only orders whose success_time (WeChat's payment time, RFC 3339, compared to the second)
  /// is at or after this time (0: no bound). An order without a success_time never matches a
  /// paid_* bound. For one day's payments (the bill reconciliation, bill_reconciler.hpp).
  LedgerTime paid_from = 0;
  /// Only orders whose success_time is before this time (0: no bound).
  LedgerTime paid_before = 0;
  /// Only orders with a refund whose history records it reaching SUCCESS (from another state)
  /// at or after this time (0: no bound). The ledger keeps no WeChat success time for refunds:
  /// the history entry's time is when the ledger learned of it.
  LedgerTime refund_succeeded_from = 0;
  /// Only orders with a refund that reached SUCCESS before this time (0: no bound); with
  /// refund_succeeded_from, the same history entry must fall in both bounds.
  LedgerTime refund_succeeded_before = 0;
  /// At most this many, newest first (1..10000).
  int limit = 100;
};

/// Stops a subscription when destroyed.
class WECHATPAY_LEDGER_EXPORT LedgerSubscription {
 public:
  virtual ~LedgerSubscription() = default;
};

/// Durable storage of the ledger. Implementations: SqliteLedgerStore, PostgresLedgerStore.
///
/// @par Thread Safety
/// Every member is safe to call from many threads at once. Mutate() on one order is serialized
/// across threads, and for PostgreSQL across processes and machines: two Mutate() calls on the
/// same out_trade_no never run their mutations on the same rows.
class WECHATPAY_LEDGER_EXPORT LedgerStore {
 public:
  virtual ~LedgerStore() = default;

  /// Runs `mutation` on the current rows of `out_trade_no` in one transaction that holds the
  /// order's lock, writes what it returns and commits. When `notification_id` is not empty it
  /// is recorded as processed in the same transaction; if it was recorded before, the mutation
  /// is not run (duplicate_notification). Concurrent calls with the same notification id run
  /// the mutation once: the others wait for the first to commit or roll back.
  /// Errors: the mutation's error (nothing written), kUnavailable when the database cannot be
  /// reached (nothing written: the caller may retry), kAborted when a conflict persisted.
  virtual StatusOr<LedgerMutationResult> Mutate(std::string const& out_trade_no,
                                                std::string const& notification_id,
                                                LedgerMutation const& mutation) = 0;

  /// The order's rows now (order nullopt when unknown).
  virtual StatusOr<LedgerRows> Get(std::string const& out_trade_no) = 0;
  /// The refund `out_refund_no`, or nullopt.
  virtual StatusOr<std::optional<RefundRecord>> GetRefund(std::string const& out_refund_no) = 0;
  /// The order's history, oldest first.
  virtual StatusOr<std::vector<HistoryEntry>> History(std::string const& out_trade_no) = 0;
  /// Orders matching `query`, newest first.
  virtual StatusOr<std::vector<OrderRecord>> List(LedgerQuery const& query) = 0;
  /// True when `notification_id` has been recorded as processed.
  virtual StatusOr<bool> IsNotificationProcessed(std::string const& notification_id) = 0;

  /// Leases up to `limit` orders due for the Reconciler: next_check_at in (0, now], and no lease
  /// held by another owner that lasts beyond now. Sets lease_owner = `owner` and lease_until =
  /// now + lease_ms atomically, so two instances never lease the same order at once, and returns
  /// the leased orders. A lease ends when it runs out or when a Mutate() clears it.
  virtual StatusOr<std::vector<OrderRecord>> LeaseDue(std::string const& owner, LedgerTime now,
                                                      LedgerTime lease_ms, int limit) = 0;

  /// Calls `on_event` for every change committed from now on (by this instance; for
  /// PostgreSQL by every instance on the database, through LISTEN/NOTIFY). Called on a thread
  /// of the store's; keep it short. Until the returned subscription is destroyed.
  virtual StatusOr<std::unique_ptr<LedgerSubscription>> Subscribe(
      std::function<void(LedgerEvent const&)> on_event) = 0;
};

}  // namespace wechatpay
