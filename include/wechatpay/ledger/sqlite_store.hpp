// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file ledger/sqlite_store.hpp
/// SqliteLedgerStore: the ledger in one SQLite file, the embedded default for one process with
/// many threads (docs/ledger-sqlite.md). For many processes or machines use the PostgreSQL store.
#include <chrono>
#include <memory>
#include <string>

#include "wechatpay/ledger/store.hpp"
#include "wechatpay/ledger_export.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay {

/// How SqliteLedgerStore::Open() opens the file.
struct WECHATPAY_LEDGER_EXPORT SqliteLedgerOptions {
  /// The database file; created (with the schema) when missing. Not ":memory:" and not empty.
  std::string path;
  /// How long a write waits for another process's write lock before Mutate() or LeaseDue()
  /// answers kUnavailable (1 ms .. 10 min).
  std::chrono::milliseconds busy_timeout{5000};
  /// True (the default): PRAGMA synchronous=FULL, every commit is on disk before Mutate()
  /// returns, so a callback answered 2xx after the commit survives a power loss (WeChat would
  /// not redeliver it). False: synchronous=NORMAL, the WAL is synced only at checkpoints:
  /// faster, still never corrupt, but the last commits can be lost on a power loss (not on a
  /// crash of the process).
  bool durable_commits = true;
};

/// The ledger's SQLite store: a file in WAL mode (readers never wait for the writer), one
/// writer at a time (BEGIN IMMEDIATE, and in front of it one mutex per database file shared by
/// every store of this process on that file, so threads queue in-process instead of polling the
/// busy handler), readers concurrently on connections of their own. The schema is created and
/// migrated by Open() (a `ledger_schema_version` table holds the version).
///
/// Mutate() assigns the order's `version` (the stored one plus one; 1 for a new order) and each
/// history entry's `seq`, whatever the mutation set them to. A notification id is recorded in
/// the same transaction as the change, so the change and "processed" commit together or not at
/// all. LeaseDue() writes only the lease columns: it changes neither `version` nor the history
/// and publishes no event.
///
/// Events: after a Mutate() that wrote the order row commits, a LedgerEvent is queued for the
/// subscribers of every store open on the same file in this process, and delivered on a thread
/// of the store's, in commit order, never while a lock is held. Other processes writing the
/// same file publish nothing here (SQLite has no notifications): a watcher falls back to
/// polling, or the application uses the PostgreSQL store.
///
/// Errors name the operation. The database busy beyond busy_timeout, locked, full, read-only,
/// unopenable or failing I/O is kUnavailable: nothing was applied and retrying later is safe (a
/// callback is answered 5xx and redelivered). Corruption or a file that is not a database is
/// kInternal. A database whose schema is newer than the library's is kConfiguration.
///
/// @par Thread Safety
/// Every member is safe to call from many threads at once (see LedgerStore). Other processes
/// may open the same file: their writes wait for each other through SQLite's lock and the busy
/// timeout.
class WECHATPAY_LEDGER_EXPORT SqliteLedgerStore : public LedgerStore {
 public:
  /// The schema version this library creates and reads.
  static int SchemaVersion();

  /// Opens (creating when missing) the database, puts it in WAL mode, and creates or migrates
  /// the schema. kInvalidArgument for a bad option (naming it), kConfiguration for a database
  /// of a newer schema version, kUnavailable / kInternal as above.
  static StatusOr<std::unique_ptr<SqliteLedgerStore>> Open(SqliteLedgerOptions options);

  /// Closes the connections; subscriptions stop receiving events from this store.
  ~SqliteLedgerStore() override;
  SqliteLedgerStore(SqliteLedgerStore const&) = delete;
  SqliteLedgerStore& operator=(SqliteLedgerStore const&) = delete;

  /// The database file.
  std::string const& path() const;

  /// See LedgerStore::Mutate().
  StatusOr<LedgerMutationResult> Mutate(std::string const& out_trade_no,
                                        std::string const& notification_id,
                                        LedgerMutation const& mutation) override;
  /// See LedgerStore::Get().
  StatusOr<LedgerRows> Get(std::string const& out_trade_no) override;
  /// See LedgerStore::GetRefund().
  StatusOr<std::optional<RefundRecord>> GetRefund(std::string const& out_refund_no) override;
  /// See LedgerStore::History().
  StatusOr<std::vector<HistoryEntry>> History(std::string const& out_trade_no) override;
  /// See LedgerStore::List().
  StatusOr<std::vector<OrderRecord>> List(LedgerQuery const& query) override;
  /// See LedgerStore::IsNotificationProcessed().
  StatusOr<bool> IsNotificationProcessed(std::string const& notification_id) override;
  /// See LedgerStore::LeaseDue().
  StatusOr<std::vector<OrderRecord>> LeaseDue(std::string const& owner, LedgerTime now,
                                              LedgerTime lease_ms, int limit) override;
  /// See LedgerStore::Subscribe(); in-process only (class comment).
  StatusOr<std::unique_ptr<LedgerSubscription>> Subscribe(
      std::function<void(LedgerEvent const&)> on_event) override;

 private:
  struct Impl;
  explicit SqliteLedgerStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace wechatpay
