// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// PostgresLedgerStore: the LedgerStore contract on PostgreSQL (see postgres_store.hpp for the
// locking scheme). No payment rule lives here: rows, locks, transactions, ids, leases, events.
#include "wechatpay/ledger/postgres_store.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <random>
#include <thread>
#include <utility>

#include "postgres_connection.hpp"
#include "postgres_listener.hpp"
#include "postgres_pool.hpp"
#include "postgres_rows.hpp"
#include "postgres_schema.hpp"
#include "store_change_check.hpp"

namespace wechatpay {

using ledger_postgres::PgConnection;
using ledger_postgres::PgConnectionSettings;
using ledger_postgres::PgParam;
using ledger_postgres::PgPool;
using ledger_postgres::PgResult;

namespace {

Status InvalidArgument(std::string const& field, std::string const& rule) {
  return Status(StatusCode::kInvalidArgument, "ledger: " + field + " " + rule,
                ErrorInfo{0, "", "", "", "", field});
}

LedgerTime WallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string const& OrderSelect() {
  static std::string const sql = std::string("SELECT ") + ledger_postgres::kPgOrderColumns +
                                 " FROM ledger_orders WHERE out_trade_no = $1";
  return sql;
}

std::string const& OrderSelectForShare() {
  static std::string const sql = OrderSelect() + " FOR SHARE";
  return sql;
}

std::string const& OrderSelectForUpdate() {
  static std::string const sql = OrderSelect() + " FOR UPDATE";
  return sql;
}

std::string const& RefundsSelect() {
  static std::string const sql = std::string("SELECT ") + ledger_postgres::kPgRefundColumns +
                                 " FROM ledger_refunds WHERE out_trade_no = $1"
                                 " ORDER BY created_at, out_refund_no";
  return sql;
}

// "$<from>, $<from+1>, ..., $<from+count-1>".
std::string Placeholders(int from, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) {
    if (i > 0) out += ", ";
    out += "$" + std::to_string(from + i);
  }
  return out;
}

// "a = EXCLUDED.a, ..." over a column list, leaving the key out.
std::string ExcludedAssignments(std::string const& columns, std::string const& key) {
  std::string out;
  std::size_t begin = 0;
  while (begin < columns.size()) {
    auto end = columns.find(',', begin);
    if (end == std::string::npos) end = columns.size();
    auto name = columns.substr(begin, end - begin);
    name.erase(0, name.find_first_not_of(' '));
    if (name != key) out += (out.empty() ? "" : ", ") + name + " = EXCLUDED." + name;
    begin = end + 1;
  }
  return out;
}

// The order's row, and the event announcing it (pg_notify(channel, payload), the two
// parameters after the columns) in the same round trip: the statement always writes one row,
// so it notifies once. Listeners get it when (and only if) the transaction commits.
std::string const& OrderUpsertNotifying() {
  static std::string const sql =
      std::string("INSERT INTO ledger_orders (") + ledger_postgres::kPgOrderColumns + ") VALUES (" +
      Placeholders(1, ledger_postgres::kPgOrderColumnCount) +
      ") ON CONFLICT (out_trade_no) DO UPDATE SET " +
      ExcludedAssignments(ledger_postgres::kPgOrderColumns, "out_trade_no") +
      " RETURNING pg_notify($" + std::to_string(ledger_postgres::kPgOrderColumnCount + 1) + ", $" +
      std::to_string(ledger_postgres::kPgOrderColumnCount + 2) + ")";
  return sql;
}

std::string const& RefundUpsert() {
  // A refund number already used by another order is not taken over (its order is not locked
  // by this transaction): the update matches no row and Mutate() refuses the change.
  static std::string const sql =
      std::string("INSERT INTO ledger_refunds (") + ledger_postgres::kPgRefundColumns +
      ") VALUES (" + Placeholders(1, ledger_postgres::kPgRefundColumnCount) +
      ") ON CONFLICT (out_refund_no) DO UPDATE SET " +
      ExcludedAssignments(ledger_postgres::kPgRefundColumns, "out_refund_no") +
      " WHERE ledger_refunds.out_trade_no = EXCLUDED.out_trade_no";
  return sql;
}

std::string const& HistoryInsert() {
  static std::string const sql =
      std::string("INSERT INTO ledger_history (") + ledger_postgres::kPgHistoryColumns +
      ") VALUES ($1, $2, (SELECT COALESCE(MAX(seq), 0) + 1 FROM ledger_history WHERE "
      "out_trade_no = $1), $3, $4, $5, $6, $7, $8)";
  return sql;
}

// How ReadRows() reads the order's row.
enum class RowLock {
  kNone,
  // FOR SHARE: no writer of the order (they all lock its row FOR UPDATE first) commits while the
  // rows are read, so the order and its refunds come from one commit.
  kShare,
  // FOR UPDATE; when there is no row, a placeholder row (version 0) is inserted and locked, so
  // that a missing order is locked too (two creators of one order queue).
  kLockCreatingPlaceholder,
};

std::string const& PlaceholderInsert() {
  static std::string const sql =
      "INSERT INTO ledger_orders (out_trade_no, version) VALUES ($1, 0) "
      "ON CONFLICT (out_trade_no) DO NOTHING";
  return sql;
}

// The rows in `order` (one order row or none) and `refunds`.
StatusOr<LedgerRows> RowsFrom(PgResult const& order, PgResult const& refunds) {
  LedgerRows rows;
  // A version-0 row is this transaction's own placeholder (no transaction commits one).
  if (order.rows() == 1 && order.Int(0, 15) > 0) {
    auto record = ledger_postgres::OrderFromRow(order, 0);
    if (!record.ok()) return record.status();
    rows.order = std::move(*record);
  }
  for (int i = 0; i < refunds.rows(); ++i) {
    auto record = ledger_postgres::RefundFromRow(refunds, i);
    if (!record.ok()) return record.status();
    rows.refunds.push_back(std::move(*record));
  }
  return rows;
}

// The order's row and its refunds in one round trip: the two SELECTs go in one pipeline. The
// refunds' SELECT runs after the order's has returned, with its own snapshot, so when the
// order's row is locked the refunds are read under that lock (one statement joining the two
// would read the refunds from a snapshot taken before the lock was granted).
StatusOr<LedgerRows> ReadRows(PgConnection& connection, std::string const& out_trade_no,
                              RowLock lock) {
  std::string const& select = lock == RowLock::kNone    ? OrderSelect()
                              : lock == RowLock::kShare ? OrderSelectForShare()
                                                        : OrderSelectForUpdate();
  auto read =
      connection.ExecPipeline({{select, {out_trade_no}}, {RefundsSelect(), {out_trade_no}}});
  if (!read.ok()) return read.status();
  if ((*read)[0].rows() == 0 && lock == RowLock::kLockCreatingPlaceholder) {
    // Waits for a concurrent creator of the same order; finds its row when it committed one.
    read = connection.ExecPipeline({{PlaceholderInsert(), {out_trade_no}},
                                    {select, {out_trade_no}},
                                    {RefundsSelect(), {out_trade_no}}});
    if (!read.ok()) return read.status();
    return RowsFrom((*read)[1], (*read)[2]);
  }
  return RowsFrom((*read)[0], (*read)[1]);
}

// What one attempt of Mutate() ended with; `commit_sent` tells whether the transaction may
// have committed although the answer was lost.
struct Attempt {
  StatusOr<LedgerMutationResult> result;
  bool commit_sent = false;
  // The error is the mutation's own (or its change was refused): returned as it is, never
  // retried as a conflict even when its code is kAborted.
  bool mutation_error = false;
};

Attempt RunTransaction(PgConnection& connection, std::string const& out_trade_no,
                       std::string const& notification_id, LedgerMutation const& mutation) {
  Attempt attempt{Status(StatusCode::kInternal, "ledger: not run"), false};
  auto fail = [&](Status status) {
    // A connection that broke needs no ROLLBACK (the server dropped the transaction); one that
    // ROLLBACK cannot clean is closed by the pool.
    if (!connection.broken()) (void)connection.Exec("ROLLBACK");
    attempt.result = std::move(status);
    return std::move(attempt);
  };
  LedgerMutationResult result;
  if (notification_id.empty()) {
    auto begun = connection.Exec("BEGIN");
    if (!begun.ok()) return fail(begun.status());
  } else {
    // BEGIN and the id's insert in one round trip. The insert waits for a concurrent
    // transaction that inserted the same id; sees its row once it commits (duplicate) or
    // inserts its own when it rolls back.
    static std::string const begin = "BEGIN";
    static std::string const record =
        "INSERT INTO ledger_notifications (id, processed_at, out_trade_no) VALUES ($1, $2, $3) "
        "ON CONFLICT (id) DO NOTHING";
    auto recorded = connection.ExecPipeline(
        {{begin, {}}, {record, {notification_id, std::to_string(WallClockMs()), out_trade_no}}});
    if (!recorded.ok()) return fail(recorded.status());
    if ((*recorded)[1].affected() == 0) {
      auto rows = ReadRows(connection, out_trade_no, RowLock::kShare);
      if (!rows.ok()) return fail(rows.status());
      (void)connection.Exec("ROLLBACK");
      result.duplicate_notification = true;
      result.rows = std::move(*rows);
      attempt.result = std::move(result);
      return attempt;
    }
  }
  auto current = ReadRows(connection, out_trade_no, RowLock::kLockCreatingPlaceholder);
  if (!current.ok()) return fail(current.status());

  StatusOr<LedgerChange> change = Status(StatusCode::kInternal, "ledger: mutation not run");
  try {
    change = mutation(*current);
  } catch (std::exception const& e) {
    change = Status(StatusCode::kInternal,
                    std::string("ledger: the mutation threw an exception: ") + e.what());
  } catch (...) {
    change = Status(StatusCode::kInternal, "ledger: the mutation threw an exception");
  }
  if (!change.ok()) {
    attempt.mutation_error = true;
    return fail(change.status());
  }
  if (auto checked = ledger_store::CheckLedgerChange(out_trade_no, *change); !checked.ok()) {
    attempt.mutation_error = true;
    return fail(checked);
  }

  // The writes, and COMMIT unless a refund's upsert must be checked first, go in one pipeline:
  // one round trip for all of them instead of one each.
  std::vector<PgConnection::Pipelined> writes;
  if (change->order) {
    // The store counts the versions (as the SQLite store does): one more than the stored row,
    // 1 for a new order, whatever the mutation wrote.
    change->order->version = current->order ? current->order->version + 1 : 1;
    auto params = ledger_postgres::OrderParams(*change->order);
    params.emplace_back(std::string(ledger_postgres::kPgLedgerChannel));
    params.emplace_back(ledger_postgres::PgEventPayload(
        LedgerEvent{out_trade_no, change->order->state, change->order->version}));
    writes.push_back({OrderUpsertNotifying(), std::move(params)});
  } else if (!current->order) {
    static std::string const remove =
        "DELETE FROM ledger_orders WHERE out_trade_no = $1 AND version = 0";
    writes.push_back({remove, {out_trade_no}});
  }
  std::size_t const refund_at = writes.size();
  if (change->refund) {
    writes.push_back({RefundUpsert(), ledger_postgres::RefundParams(*change->refund)});
  }
  // Each entry takes the next seq of its order in the statement that inserts it: the order's
  // row is locked, so no other transaction appends meanwhile, and each statement of the
  // pipeline sees the rows of those before it.
  for (auto const& entry : change->history) {
    writes.push_back({HistoryInsert(),
                      {out_trade_no, entry.out_refund_no, std::to_string(entry.at),
                       std::string(LedgerSourceName(entry.source)), entry.from_state,
                       entry.to_state, entry.notification_id, entry.detail}});
  }
  static std::string const commit = "COMMIT";
  if (!change->refund) {
    writes.push_back({commit, {}});
    attempt.commit_sent = true;
  }
  auto written = connection.ExecPipeline(writes);
  if (!written.ok()) return fail(written.status());
  if (change->refund) {
    if ((*written)[refund_at].affected() == 0) {
      return fail(InvalidArgument("refund.out_refund_no", "belongs to another order"));
    }
    // The refunds as committed, in the order Get() returns them.
    auto refunds = ReadRows(connection, out_trade_no, RowLock::kNone);
    if (!refunds.ok()) return fail(refunds.status());
    result.rows.refunds = std::move(refunds->refunds);
  } else {
    result.rows.refunds = std::move(current->refunds);
  }
  result.rows.order = change->order ? change->order : current->order;
  if (change->refund) {
    attempt.commit_sent = true;
    auto committed = connection.Exec("COMMIT");
    if (!committed.ok()) {
      attempt.result = committed.status();
      return attempt;
    }
  }
  attempt.result = std::move(result);
  return attempt;
}

}  // namespace

struct PostgresLedgerStore::Impl {
  std::shared_ptr<PgConnectionSettings const> settings;
  PostgresLedgerStoreOptions options;
  std::unique_ptr<PgPool> pool;
  std::shared_ptr<ledger_postgres::PgListener> listener;

  // Runs `work` on a pooled connection. A connection that had served earlier callers may have
  // died in between (a server restart) without libpq knowing; when `work` fails on such a
  // connection because it is lost, and `may_repeat` says nothing can have been applied, the
  // idle connections are dropped and `work` runs once more on a fresh one.
  template <typename T, typename Work, typename MayRepeat>
  StatusOr<T> WithConnection(Work&& work, MayRepeat&& may_repeat) {
    for (int round = 0;; ++round) {
      auto lease = pool->Acquire();
      if (!lease.ok()) return lease.status();
      bool const reused = lease->reused();
      StatusOr<T> result = work(**lease);
      if (result.ok() || round > 0 || !reused || !(*lease)->broken() || !may_repeat()) {
        if (!result.ok() && (*lease)->broken()) pool->DropIdle();
        return result;
      }
      pool->DropIdle();
    }
  }

  template <typename T, typename Work>
  StatusOr<T> Read(Work&& work) {
    return WithConnection<T>(std::forward<Work>(work), [] { return true; });
  }
};

PostgresLedgerStore::PostgresLedgerStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

PostgresLedgerStore::~PostgresLedgerStore() {
  if (impl_ && impl_->listener) impl_->listener->Shutdown();
}

StatusOr<std::unique_ptr<PostgresLedgerStore>> PostgresLedgerStore::Open(
    std::string const& url, PostgresLedgerStoreOptions const& options) {
  if (options.pool_size < 1 || options.pool_size > 100) {
    return InvalidArgument("pool_size", "must be 1..100");
  }
  if (options.connect_timeout.count() <= 0) {
    return InvalidArgument("connect_timeout", "must be positive");
  }
  if (options.statement_timeout.count() <= 0) {
    return InvalidArgument("statement_timeout", "must be positive");
  }
  if (options.pool_wait.count() < 0) return InvalidArgument("pool_wait", "must not be negative");
  if (options.max_conflict_retries < 0 || options.max_conflict_retries > 100) {
    return InvalidArgument("max_conflict_retries", "must be 0..100");
  }
  auto parsed = PgConnectionSettings::FromUrl(url);
  if (!parsed.ok()) return parsed.status();
  parsed->connect_timeout = options.connect_timeout;
  parsed->statement_timeout = options.statement_timeout;
  auto impl = std::make_unique<Impl>();
  impl->settings = std::make_shared<PgConnectionSettings const>(std::move(*parsed));
  impl->options = options;
  impl->pool = std::make_unique<PgPool>(impl->settings, options.pool_size, options.pool_wait);
  impl->listener = std::make_shared<ledger_postgres::PgListener>(impl->settings);
  {
    auto lease = impl->pool->Acquire();
    if (!lease.ok()) return lease.status();
    auto migrated = ledger_postgres::MigratePostgresSchema(**lease, kSchemaVersion);
    if (!migrated.ok()) return migrated;
  }
  return std::unique_ptr<PostgresLedgerStore>(new PostgresLedgerStore(std::move(impl)));
}

StatusOr<LedgerMutationResult> PostgresLedgerStore::Mutate(std::string const& out_trade_no,
                                                           std::string const& notification_id,
                                                           LedgerMutation const& mutation) {
  if (out_trade_no.empty()) return InvalidArgument("out_trade_no", "must not be empty");
  if (!mutation) return InvalidArgument("mutation", "must be set");
  thread_local std::minstd_rand jitter(std::random_device{}());
  for (int conflicts = 0;; ++conflicts) {
    bool commit_sent = false;
    bool mutation_error = false;
    auto result = impl_->WithConnection<LedgerMutationResult>(
        [&](PgConnection& connection) {
          auto attempt = RunTransaction(connection, out_trade_no, notification_id, mutation);
          commit_sent = attempt.commit_sent;
          mutation_error = attempt.mutation_error;
          return std::move(attempt.result);
        },
        [&] { return !commit_sent && !mutation_error; });
    if (result.ok() || mutation_error || !ledger_postgres::IsConflict(result.status())) {
      return result;
    }
    if (conflicts >= impl_->options.max_conflict_retries) {
      return Status(StatusCode::kAborted, result.status().message() + " (after " +
                                              std::to_string(conflicts + 1) + " attempts)");
    }
    // The mutation is pure: run the whole transaction again after a short, jittered pause.
    std::this_thread::sleep_for(std::chrono::milliseconds(1 + jitter() % (5 * (conflicts + 1))));
  }
}

StatusOr<LedgerRows> PostgresLedgerStore::Get(std::string const& out_trade_no) {
  // One snapshot for the order and its refunds: a reader never pairs the order of one commit
  // with the refunds of another.
  return impl_->Read<LedgerRows>([&](PgConnection& connection) -> StatusOr<LedgerRows> {
    auto begun = connection.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    if (!begun.ok()) return begun.status();
    auto rows = ReadRows(connection, out_trade_no, RowLock::kNone);
    if (!rows.ok()) {
      if (!connection.broken()) (void)connection.Exec("ROLLBACK");
      return rows.status();
    }
    auto ended = connection.Exec("COMMIT");
    if (!ended.ok()) return ended.status();
    return rows;
  });
}

StatusOr<std::optional<RefundRecord>> PostgresLedgerStore::GetRefund(
    std::string const& out_refund_no) {
  return impl_->Read<std::optional<RefundRecord>>(
      [&](PgConnection& connection) -> StatusOr<std::optional<RefundRecord>> {
        auto found = connection.Exec(std::string("SELECT ") + ledger_postgres::kPgRefundColumns +
                                         " FROM ledger_refunds WHERE out_refund_no = $1",
                                     {out_refund_no});
        if (!found.ok()) return found.status();
        if (found->rows() == 0) return std::optional<RefundRecord>();
        auto record = ledger_postgres::RefundFromRow(*found, 0);
        if (!record.ok()) return record.status();
        return std::optional<RefundRecord>(std::move(*record));
      });
}

StatusOr<std::vector<HistoryEntry>> PostgresLedgerStore::History(std::string const& out_trade_no) {
  return impl_->Read<std::vector<HistoryEntry>>(
      [&](PgConnection& connection) -> StatusOr<std::vector<HistoryEntry>> {
        auto found = connection.Exec(std::string("SELECT ") + ledger_postgres::kPgHistoryColumns +
                                         " FROM ledger_history WHERE out_trade_no = $1"
                                         " ORDER BY seq",
                                     {out_trade_no});
        if (!found.ok()) return found.status();
        std::vector<HistoryEntry> entries;
        for (int i = 0; i < found->rows(); ++i) {
          auto entry = ledger_postgres::HistoryFromRow(*found, i);
          if (!entry.ok()) return entry.status();
          entries.push_back(std::move(*entry));
        }
        return entries;
      });
}

StatusOr<std::vector<OrderRecord>> PostgresLedgerStore::List(LedgerQuery const& query) {
  if (query.limit < 1 || query.limit > 10000) {
    return InvalidArgument("limit", "must be 1..10000");
  }
  std::string sql = std::string("SELECT ") + ledger_postgres::kPgOrderColumns +
                    " FROM ledger_orders WHERE version > 0";
  std::vector<PgParam> params;
  if (!query.states.empty()) {
    // An array literal of state names (upper-case letters and '_': nothing to quote).
    std::string names = "{";
    for (auto state : query.states) {
      if (names.size() > 1) names += ",";
      names += std::string(LedgerOrderStateName(state));
    }
    params.push_back(names + "}");
    sql += " AND state = ANY($" + std::to_string(params.size()) + "::text[])";
  }
  if (query.needs_review_only) sql += " AND review_reason <> ''";
  if (query.outcome_unknown_only) sql += " AND outcome_unknown";
  if (query.created_from != 0) {
    params.push_back(std::to_string(query.created_from));
    sql += " AND created_at >= $" + std::to_string(params.size());
  }
  if (query.created_before != 0) {
    params.push_back(std::to_string(query.created_before));
    sql += " AND created_at < $" + std::to_string(params.size());
  }
  // success_time is RFC 3339 text with its offset; only text shaped like one (each field in
  // its range) is cast — a CASE, so that nothing else is ever cast — and it is compared to the
  // second, as in SQLite. Text the shape admits but the calendar does not (a 30 February) makes
  // the query fail rather than answer wrongly; WeChat's success_time never is such text.
  char const* const paid_at =
      " AND (CASE WHEN success_time ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
      "T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$'"
      " THEN floor(extract(epoch FROM success_time::timestamptz))::bigint * 1000 END)";
  if (query.paid_from != 0) {
    params.push_back(std::to_string(query.paid_from));
    sql += std::string(paid_at) + " >= $" + std::to_string(params.size()) + "::bigint";
  }
  if (query.paid_before != 0) {
    params.push_back(std::to_string(query.paid_before));
    sql += std::string(paid_at) + " < $" + std::to_string(params.size()) + "::bigint";
  }
  if (query.refund_succeeded_from != 0 || query.refund_succeeded_before != 0) {
    sql +=
        " AND EXISTS (SELECT 1 FROM ledger_history h"
        " WHERE h.out_trade_no = ledger_orders.out_trade_no AND h.out_refund_no <> ''"
        " AND h.to_state = 'SUCCESS' AND h.from_state <> 'SUCCESS'";
    if (query.refund_succeeded_from != 0) {
      params.push_back(std::to_string(query.refund_succeeded_from));
      sql += " AND h.at >= $" + std::to_string(params.size()) + "::bigint";
    }
    if (query.refund_succeeded_before != 0) {
      params.push_back(std::to_string(query.refund_succeeded_before));
      sql += " AND h.at < $" + std::to_string(params.size()) + "::bigint";
    }
    sql += ")";
  }
  params.push_back(std::to_string(query.limit));
  sql += " ORDER BY created_at DESC, out_trade_no DESC LIMIT $" + std::to_string(params.size());
  return impl_->Read<std::vector<OrderRecord>>(
      [&](PgConnection& connection) -> StatusOr<std::vector<OrderRecord>> {
        auto found = connection.Exec(sql, params);
        if (!found.ok()) return found.status();
        std::vector<OrderRecord> orders;
        for (int i = 0; i < found->rows(); ++i) {
          auto order = ledger_postgres::OrderFromRow(*found, i);
          if (!order.ok()) return order.status();
          orders.push_back(std::move(*order));
        }
        return orders;
      });
}

StatusOr<bool> PostgresLedgerStore::IsNotificationProcessed(std::string const& notification_id) {
  return impl_->Read<bool>([&](PgConnection& connection) -> StatusOr<bool> {
    auto found =
        connection.Exec("SELECT 1 FROM ledger_notifications WHERE id = $1", {notification_id});
    if (!found.ok()) return found.status();
    return found->rows() > 0;
  });
}

StatusOr<std::vector<OrderRecord>> PostgresLedgerStore::LeaseDue(std::string const& owner,
                                                                 LedgerTime now,
                                                                 LedgerTime lease_ms, int limit) {
  if (owner.empty()) return InvalidArgument("owner", "must not be empty");
  if (lease_ms <= 0) return InvalidArgument("lease_ms", "must be positive");
  if (limit < 1 || limit > 10000) return InvalidArgument("limit", "must be 1..10000");
  // One statement: the due orders not leased by someone else, skipping rows another
  // transaction has locked (a Mutate() in progress, or another instance leasing right now).
  static std::string const sql =
      std::string(
          "UPDATE ledger_orders SET lease_owner = $1, lease_until = $2 + $3 "
          "WHERE out_trade_no IN (SELECT out_trade_no FROM ledger_orders "
          "WHERE version > 0 AND next_check_at > 0 AND next_check_at <= $2 "
          "AND (lease_owner = '' OR lease_owner = $1 OR lease_until <= $2) "
          "ORDER BY next_check_at, out_trade_no LIMIT $4 FOR UPDATE SKIP LOCKED) "
          "RETURNING ") +
      ledger_postgres::kPgOrderColumns;
  auto leased = impl_->Read<std::vector<OrderRecord>>(
      [&](PgConnection& connection) -> StatusOr<std::vector<OrderRecord>> {
        auto found = connection.Exec(
            sql, {owner, std::to_string(now), std::to_string(lease_ms), std::to_string(limit)});
        if (!found.ok()) return found.status();
        std::vector<OrderRecord> orders;
        for (int i = 0; i < found->rows(); ++i) {
          auto order = ledger_postgres::OrderFromRow(*found, i);
          if (!order.ok()) return order.status();
          orders.push_back(std::move(*order));
        }
        return orders;
      });
  if (!leased.ok()) return leased;
  std::sort(leased->begin(), leased->end(), [](OrderRecord const& a, OrderRecord const& b) {
    return std::tie(a.next_check_at, a.out_trade_no) < std::tie(b.next_check_at, b.out_trade_no);
  });
  return leased;
}

StatusOr<std::unique_ptr<LedgerSubscription>> PostgresLedgerStore::Subscribe(
    std::function<void(LedgerEvent const&)> on_event) {
  return impl_->listener->Subscribe(std::move(on_event));
}

}  // namespace wechatpay
