// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file ledger/postgres_store.hpp
/// PostgresLedgerStore: the ledger in PostgreSQL (libpq), for a merchant running many instances
/// on one database. Compiled in when libpq was found at build time: WECHATPAY_HAS_POSTGRES is
/// then defined for the users of wechatpay::ledger.
///
/// How it keeps the LedgerStore contract across processes and machines: Mutate() runs in one
/// transaction that first records the notification id (`INSERT ... ON CONFLICT DO NOTHING`: a
/// concurrent insert of the same id waits for the first transaction, then sees it), then
/// locks the order's row (`SELECT ... FOR UPDATE`, after inserting a placeholder row so that a
/// missing order is locked too), runs the mutation, writes, `NOTIFY wechatpay_ledger` and
/// commits. Serialization failures and deadlocks are retried a bounded number of times.
/// Mutate() assigns the order's `version` (the stored one plus one; 1 for a new order) and each
/// history entry's `seq`, whatever the mutation set them to.
/// LeaseDue() uses `FOR UPDATE SKIP LOCKED`. Subscribe() listens on one connection of its own
/// (`LISTEN wechatpay_ledger`), reconnecting with backoff; events committed while it was
/// disconnected are not replayed (a watcher falls back to polling).
///
/// Errors: the server unreachable, the connection lost, or no answer within the statement
/// timeout → kUnavailable, and nothing is half-written (a transaction commits whole or not at
/// all; when the connection drops while COMMIT is on its way the change may have committed, and
/// a retry with the same notification id is answered as a duplicate). A login the server
/// refuses (a wrong password, see Open()) → kConfiguration, on any call that has to connect
/// again as at Open(): the URL must change, waiting will not help. The connection password
/// never appears in a Status message: messages name the server, never the URL's secret.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wechatpay/ledger/store.hpp"
#include "wechatpay/ledger_export.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay {

/// `url` with its password (the `user:password@` part and a `password=` query parameter)
/// replaced by `***`, for printing a PostgreSQL URL.
WECHATPAY_LEDGER_EXPORT std::string RedactPostgresUrl(std::string_view url);

#if defined(WECHATPAY_HAS_POSTGRES)

/// How a PostgresLedgerStore uses its connections.
struct WECHATPAY_LEDGER_EXPORT PostgresLedgerStoreOptions {
  /// At most this many connections for Mutate() and the reads (1..100); the LISTEN connection
  /// of Subscribe() comes on top. Mutate() holds one for its whole transaction.
  int pool_size = 8;
  /// How long to wait for the server to accept a connection (libpq connect_timeout, whole
  /// seconds, at least 1 s). Unless the URL sets connect_timeout itself.
  std::chrono::milliseconds connect_timeout{5000};
  /// How long one statement may run, waiting for a row lock included (statement_timeout);
  /// beyond it the call fails with kUnavailable. Also bounds how long a dead server can hold a
  /// call (with TCP keepalives and tcp_user_timeout set to the same order of time).
  std::chrono::milliseconds statement_timeout{10000};
  /// How long a call waits for a free pooled connection before failing with kUnavailable.
  std::chrono::milliseconds pool_wait{10000};
  /// How many times Mutate() runs a transaction again after a serialization failure or a
  /// deadlock (SQLSTATE 40001 / 40P01) before failing with kAborted.
  int max_conflict_retries = 5;
};

/// The PostgreSQL LedgerStore (see the file comment).
///
/// @par Thread Safety
/// Every member is safe to call from many threads at once (LedgerStore's contract).
class WECHATPAY_LEDGER_EXPORT PostgresLedgerStore : public LedgerStore {
 public:
  /// The schema version this library creates and understands.
  static constexpr int kSchemaVersion = 1;

  /// Connects to `url` (a libpq URI: `postgresql://user:password@host:port/database?...`),
  /// creates or migrates the schema (safe from many processes at once: a transaction-scoped
  /// advisory lock serializes them) and returns the store. Errors: kInvalidArgument (field
  /// `ledger`) for a URL libpq cannot read or bad options, kUnavailable when the server cannot
  /// be reached (down, starting, out of connections: retry later), kConfiguration (field
  /// `ledger`) when it refuses the login — a wrong password or user, a password it asks for and
  /// the URL lacks, no such database or no right to connect to it: retrying cannot help —, and
  /// kConfiguration when the database's schema is newer than this library's (the message names
  /// both versions).
  static StatusOr<std::unique_ptr<PostgresLedgerStore>> Open(
      std::string const& url, PostgresLedgerStoreOptions const& options = {});

  ~PostgresLedgerStore() override;
  PostgresLedgerStore(PostgresLedgerStore const&) = delete;
  PostgresLedgerStore& operator=(PostgresLedgerStore const&) = delete;

  /// LedgerStore::Mutate().
  StatusOr<LedgerMutationResult> Mutate(std::string const& out_trade_no,
                                        std::string const& notification_id,
                                        LedgerMutation const& mutation) override;
  /// LedgerStore::Get().
  StatusOr<LedgerRows> Get(std::string const& out_trade_no) override;
  /// LedgerStore::GetRefund().
  StatusOr<std::optional<RefundRecord>> GetRefund(std::string const& out_refund_no) override;
  /// LedgerStore::History().
  StatusOr<std::vector<HistoryEntry>> History(std::string const& out_trade_no) override;
  /// LedgerStore::List().
  StatusOr<std::vector<OrderRecord>> List(LedgerQuery const& query) override;
  /// LedgerStore::IsNotificationProcessed().
  StatusOr<bool> IsNotificationProcessed(std::string const& notification_id) override;
  /// LedgerStore::LeaseDue().
  StatusOr<std::vector<OrderRecord>> LeaseDue(std::string const& owner, LedgerTime now,
                                              LedgerTime lease_ms, int limit) override;
  /// LedgerStore::Subscribe(): the first call opens the LISTEN connection (kUnavailable when
  /// it cannot); later calls share it.
  StatusOr<std::unique_ptr<LedgerSubscription>> Subscribe(
      std::function<void(LedgerEvent const&)> on_event) override;

 private:
  struct Impl;
  explicit PostgresLedgerStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

#endif  // WECHATPAY_HAS_POSTGRES

}  // namespace wechatpay
