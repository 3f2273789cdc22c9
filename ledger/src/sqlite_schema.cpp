// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "sqlite_schema.hpp"

#include <string>

namespace wechatpay::ledger_sqlite {
namespace {

// Version 1. Same tables and columns as the PostgreSQL store; states and sources by their
// stored names (records.hpp), times in milliseconds, booleans as 0/1. Columns are NOT NULL with
// the record's default, except payer_total_fen (NULL: not paid yet).
constexpr char kCreateVersion1[] = R"sql(
CREATE TABLE ledger_orders (
  out_trade_no TEXT PRIMARY KEY,
  appid TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  total_fen INTEGER NOT NULL DEFAULT 0,
  currency TEXT NOT NULL DEFAULT 'CNY',
  state TEXT NOT NULL,
  trade_state TEXT NOT NULL DEFAULT '',
  code_url TEXT NOT NULL DEFAULT '',
  code_url_expires_at INTEGER NOT NULL DEFAULT 0,
  close_deadline INTEGER NOT NULL DEFAULT 0,
  transaction_id TEXT NOT NULL DEFAULT '',
  payer_total_fen INTEGER,
  success_time TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL,
  outcome_unknown INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  review_reason TEXT NOT NULL DEFAULT '',
  next_check_at INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT NOT NULL DEFAULT '',
  lease_until INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ledger_orders_created_at ON ledger_orders (created_at);
CREATE INDEX ledger_orders_next_check_at ON ledger_orders (next_check_at) WHERE next_check_at > 0;
CREATE TABLE ledger_refunds (
  out_refund_no TEXT PRIMARY KEY,
  out_trade_no TEXT NOT NULL,
  refund_id TEXT NOT NULL DEFAULT '',
  refund_fen INTEGER NOT NULL DEFAULT 0,
  total_fen INTEGER NOT NULL DEFAULT 0,
  currency TEXT NOT NULL DEFAULT 'CNY',
  state TEXT NOT NULL,
  refund_status TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL DEFAULT 0,
  outcome_unknown INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  review_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ledger_refunds_out_trade_no ON ledger_refunds (out_trade_no);
CREATE TABLE ledger_history (
  out_trade_no TEXT NOT NULL,
  seq INTEGER NOT NULL,
  out_refund_no TEXT NOT NULL DEFAULT '',
  at INTEGER NOT NULL DEFAULT 0,
  source TEXT NOT NULL,
  from_state TEXT NOT NULL DEFAULT '',
  to_state TEXT NOT NULL DEFAULT '',
  notification_id TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (out_trade_no, seq)
);
CREATE TABLE ledger_notifications (
  id TEXT PRIMARY KEY,
  processed_at INTEGER NOT NULL,
  out_trade_no TEXT NOT NULL
);
)sql";

Status Finish(Connection& connection, Status status) {
  if (!status.ok()) {
    (void)connection.Execute("migrate: ROLLBACK", "ROLLBACK");
    return status;
  }
  return connection.Execute("migrate: COMMIT", "COMMIT");
}

Status MigrateLocked(Connection& connection) {
  // One row, ever: the CHECK makes a second row impossible.
  if (auto status = connection.Execute(
          "migrate: create ledger_schema_version",
          "CREATE TABLE IF NOT EXISTS ledger_schema_version ("
          "singleton INTEGER PRIMARY KEY CHECK (singleton = 1), version INTEGER NOT NULL)");
      !status.ok()) {
    return status;
  }
  auto select = connection.Prepare("migrate: read the schema version",
                                   "SELECT version FROM ledger_schema_version");
  if (!select.ok()) return select.status();
  int rc = (*select)->Step();
  std::int64_t version = 0;
  if (rc == SQLITE_ROW) {
    version = (*select)->Int(0);
  } else if (rc != SQLITE_DONE) {
    return connection.Error("migrate: read the schema version", rc);
  }
  select->reset();
  if (version > kSchemaVersion) {
    ErrorInfo info;
    info.field = "ledger";
    return Status(StatusCode::kConfiguration,
                  "ledger (sqlite) open: the database's schema is version " +
                      std::to_string(version) + ", newer than version " +
                      std::to_string(kSchemaVersion) +
                      " that this library knows; use a newer library",
                  info);
  }
  if (version == kSchemaVersion) return Status();
  // Each step brings the schema from version N to N + 1; version 1 creates it.
  if (version < 1) {
    if (auto status = connection.Execute("migrate: create schema version 1", kCreateVersion1);
        !status.ok()) {
      return status;
    }
  }
  auto update =
      connection.Prepare("migrate: record the schema version",
                         "INSERT INTO ledger_schema_version (singleton, version) VALUES (1, ?1) "
                         "ON CONFLICT (singleton) DO UPDATE SET version = excluded.version");
  if (!update.ok()) return update.status();
  (*update)->Bind(1, static_cast<std::int64_t>(kSchemaVersion));
  rc = (*update)->Step();
  if (rc != SQLITE_DONE) return connection.Error("migrate: record the schema version", rc);
  return Status();
}

}  // namespace

Status Migrate(Connection& connection) {
  if (auto status = connection.Execute("migrate: BEGIN IMMEDIATE", "BEGIN IMMEDIATE");
      !status.ok()) {
    return status;
  }
  return Finish(connection, MigrateLocked(connection));
}

}  // namespace wechatpay::ledger_sqlite
