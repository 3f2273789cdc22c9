// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "sqlite_connection.hpp"

#include <utility>

namespace wechatpay::ledger_sqlite {

Status SqliteError(std::string_view operation, int rc, std::string_view detail) {
  std::string message = "ledger (sqlite) " + std::string(operation) + ": " + sqlite3_errstr(rc);
  if (!detail.empty() && detail != sqlite3_errstr(rc)) {
    message += " (" + std::string(detail) + ")";
  }
  switch (rc & 0xff) {  // the primary code; extended codes keep it in the low byte
    case SQLITE_BUSY:
      message += "; the database stayed locked beyond the busy timeout";
      return Status(StatusCode::kUnavailable, std::move(message));
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_NOMEM:
    case SQLITE_PERM:
    case SQLITE_PROTOCOL:
      return Status(StatusCode::kUnavailable, std::move(message));
    default:
      return Status(StatusCode::kInternal, std::move(message));
  }
}

Statement::~Statement() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void Statement::Bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

void Statement::Bind(int index, std::int64_t value) { sqlite3_bind_int64(stmt_, index, value); }

void Statement::BindNull(int index) { sqlite3_bind_null(stmt_, index); }

int Statement::Step() { return sqlite3_step(stmt_); }

std::string Statement::Text(int column) const {
  auto const* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<char const*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

StatusOr<std::unique_ptr<Connection>> Connection::Open(ConnectionSettings const& settings,
                                                       bool create) {
  sqlite3* db = nullptr;
  // NOMUTEX: each connection is used by one thread at a time (the store guarantees it).
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (create) flags |= SQLITE_OPEN_CREATE;
  int rc = sqlite3_open_v2(settings.path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string detail = db != nullptr ? sqlite3_errmsg(db) : "";
    sqlite3_close(db);
    return SqliteError("open " + settings.path, rc, detail);
  }
  std::unique_ptr<Connection> connection(new Connection(db));
  // SQLite falls back to read-only when the file cannot be opened for writing: a store that
  // cannot write is refused now rather than at the first payment.
  if (sqlite3_db_readonly(db, "main") == 1) {
    return SqliteError("open " + settings.path, SQLITE_READONLY,
                       "the file can only be opened read-only");
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, static_cast<int>(settings.busy_timeout.count()));
  std::string const pragma = "PRAGMA synchronous=" + settings.synchronous;
  if (auto status = connection->Execute("open " + settings.path + ": " + pragma, pragma.c_str());
      !status.ok()) {
    return status;
  }
  return connection;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Status Connection::Execute(std::string_view operation, char const* sql) {
  char* error = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
  if (rc == SQLITE_OK) return Status();
  std::string detail = error != nullptr ? error : "";
  sqlite3_free(error);
  return SqliteError(operation, rc, detail);
}

Status Connection::Run(std::string_view operation, char const* sql) {
  auto statement = Prepare(operation, sql);
  if (!statement.ok()) return statement.status();
  int const rc = (*statement)->Step();
  return rc == SQLITE_DONE ? Status() : Error(operation, rc);
}

StatusOr<std::unique_ptr<Statement>> Connection::Prepare(std::string_view operation,
                                                         char const* sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return Error(operation, rc);
    it = statements_.emplace(sql, stmt).first;
  }
  return std::make_unique<Statement>(it->second);
}

Status Connection::Error(std::string_view operation, int rc) const {
  return SqliteError(operation, rc, sqlite3_errmsg(db_));
}

}  // namespace wechatpay::ledger_sqlite
