// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "postgres_schema.hpp"

#include <string>

namespace wechatpay::ledger_postgres {
namespace {

// Version 1: one column per record field, named as the field (the SQLite store uses the same
// names). The order's row doubles as its lock: Mutate() inserts a placeholder row (version 0)
// for an order that does not exist yet, so that it can be locked, and removes it again when the
// mutation writes no order; no transaction ever commits a version-0 row.
char const* const kVersion1[] = {
    "CREATE TABLE ledger_orders ("
    " out_trade_no text PRIMARY KEY,"
    " appid text NOT NULL DEFAULT '',"
    " description text NOT NULL DEFAULT '',"
    " total_fen bigint NOT NULL DEFAULT 0,"
    " currency text NOT NULL DEFAULT 'CNY',"
    " state text NOT NULL DEFAULT 'CREATING',"
    " trade_state text NOT NULL DEFAULT '',"
    " code_url text NOT NULL DEFAULT '',"
    " code_url_expires_at bigint NOT NULL DEFAULT 0,"
    " close_deadline bigint NOT NULL DEFAULT 0,"
    " transaction_id text NOT NULL DEFAULT '',"
    " payer_total_fen bigint,"
    " success_time text NOT NULL DEFAULT '',"
    " created_at bigint NOT NULL DEFAULT 0,"
    " updated_at bigint NOT NULL DEFAULT 0,"
    " version bigint NOT NULL DEFAULT 0,"
    " outcome_unknown boolean NOT NULL DEFAULT false,"
    " last_error text NOT NULL DEFAULT '',"
    " review_reason text NOT NULL DEFAULT '',"
    " next_check_at bigint NOT NULL DEFAULT 0,"
    " lease_owner text NOT NULL DEFAULT '',"
    " lease_until bigint NOT NULL DEFAULT 0)",
    "CREATE INDEX ledger_orders_created_at ON ledger_orders (created_at)",
    "CREATE INDEX ledger_orders_next_check_at ON ledger_orders (next_check_at) WHERE next_check_at "
    "> 0",
    "CREATE TABLE ledger_refunds ("
    " out_refund_no text PRIMARY KEY,"
    " out_trade_no text NOT NULL,"
    " refund_id text NOT NULL DEFAULT '',"
    " refund_fen bigint NOT NULL DEFAULT 0,"
    " total_fen bigint NOT NULL DEFAULT 0,"
    " currency text NOT NULL DEFAULT 'CNY',"
    " state text NOT NULL,"
    " refund_status text NOT NULL DEFAULT '',"
    " created_at bigint NOT NULL DEFAULT 0,"
    " updated_at bigint NOT NULL DEFAULT 0,"
    " outcome_unknown boolean NOT NULL DEFAULT false,"
    " last_error text NOT NULL DEFAULT '',"
    " review_reason text NOT NULL DEFAULT '')",
    "CREATE INDEX ledger_refunds_out_trade_no ON ledger_refunds (out_trade_no)",
    "CREATE TABLE ledger_history ("
    " out_trade_no text NOT NULL,"
    " seq bigint NOT NULL,"
    " out_refund_no text NOT NULL DEFAULT '',"
    " at bigint NOT NULL DEFAULT 0,"
    " source text NOT NULL,"
    " from_state text NOT NULL DEFAULT '',"
    " to_state text NOT NULL DEFAULT '',"
    " notification_id text NOT NULL DEFAULT '',"
    " detail text NOT NULL DEFAULT '',"
    " PRIMARY KEY (out_trade_no, seq))",
    "CREATE TABLE ledger_notifications ("
    " id text PRIMARY KEY,"
    " processed_at bigint NOT NULL,"
    " out_trade_no text NOT NULL)",
};

Status RunAll(PgConnection& connection, int target_version) {
  // Every process that opens the database takes the same lock; the second waits for the first
  // to commit and then finds the schema in place.
  auto locked =
      connection.Exec("SELECT pg_advisory_xact_lock(hashtext('wechatpay_ledger_schema'))");
  if (!locked.ok()) return locked.status();
  // Looked up before creating: CREATE TABLE IF NOT EXISTS would need the CREATE privilege on
  // every open, and a role that only reads and writes the tables has none.
  auto exists = connection.Exec("SELECT to_regclass('ledger_schema_version') IS NOT NULL");
  if (!exists.ok()) return exists.status();
  if (!exists->Bool(0, 0)) {
    auto table = connection.Exec(
        "CREATE TABLE ledger_schema_version ("
        " singleton integer PRIMARY KEY CHECK (singleton = 1), version integer NOT NULL)");
    if (!table.ok()) return table.status();
  }
  auto found = connection.Exec("SELECT version FROM ledger_schema_version");
  if (!found.ok()) return found.status();
  std::int64_t const current = found->rows() == 0 ? 0 : found->Int(0, 0);
  if (current > target_version) {
    return Status(StatusCode::kConfiguration,
                  "ledger: the database's schema is version " + std::to_string(current) +
                      ", newer than version " + std::to_string(target_version) +
                      " that this library knows; use a newer library",
                  ErrorInfo{0, "", "", "", "", "ledger"});
  }
  if (current < 1) {
    for (char const* statement : kVersion1) {
      auto created = connection.Exec(statement);
      if (!created.ok()) return created.status();
    }
  }
  // Later versions add their steps here: `if (current < 2) { ... }`.
  if (current < target_version) {
    auto written = connection.Exec(
        "INSERT INTO ledger_schema_version (singleton, version) VALUES (1, $1) "
        "ON CONFLICT (singleton) DO UPDATE SET version = EXCLUDED.version",
        {std::to_string(target_version)});
    if (!written.ok()) return written.status();
  }
  return Status();
}

}  // namespace

Status MigratePostgresSchema(PgConnection& connection, int target_version) {
  auto begun = connection.Exec("BEGIN");
  if (!begun.ok()) return begun.status();
  auto status = RunAll(connection, target_version);
  if (!status.ok()) {
    (void)connection.Exec("ROLLBACK");
    return status;
  }
  auto committed = connection.Exec("COMMIT");
  return committed.ok() ? Status() : committed.status();
}

}  // namespace wechatpay::ledger_postgres
