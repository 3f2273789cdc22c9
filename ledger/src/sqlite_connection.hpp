// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once
// One SQLite connection of the ledger's SQLite store, used by one thread at a time: opened with
// the store's pragmas, its prepared statements cached, every SQLite error turned into a Status
// that names the operation.
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "wechatpay/status_or.hpp"

namespace wechatpay::ledger_sqlite {

/// The Status for SQLite result `rc` during `operation` (e.g. "Mutate: BEGIN IMMEDIATE"):
/// the database busy beyond the timeout, locked, full, read-only, unopenable or failing I/O is
/// kUnavailable (nothing was applied; retrying later may succeed, so a callback is answered 5xx
/// and redelivered); anything else (corruption, not a database, misuse) is kInternal. `detail`
/// is SQLite's message for the connection, when there is one.
Status SqliteError(std::string_view operation, int rc, std::string_view detail = {});

/// A prepared statement borrowed from a Connection's cache; reset and unbound when dropped.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Statement();
  Statement(Statement const&) = delete;
  Statement& operator=(Statement const&) = delete;

  /// Binds parameter `index` (from 1).
  void Bind(int index, std::string_view text);
  void Bind(int index, std::int64_t value);
  void BindNull(int index);
  /// sqlite3_step: SQLITE_ROW, SQLITE_DONE or an error code.
  int Step();
  std::string Text(int column) const;
  std::int64_t Int(int column) const;
  bool IsNull(int column) const;

 private:
  sqlite3_stmt* stmt_;
};

/// How the store opens its connections.
struct ConnectionSettings {
  std::string path;
  std::chrono::milliseconds busy_timeout{5000};
  /// PRAGMA synchronous: "FULL" or "NORMAL".
  std::string synchronous = "FULL";
};

class Connection {
 public:
  /// Opens (creating the file when `create`) with the busy timeout and the synchronous mode.
  static StatusOr<std::unique_ptr<Connection>> Open(ConnectionSettings const& settings,
                                                    bool create);
  ~Connection();
  Connection(Connection const&) = delete;
  Connection& operator=(Connection const&) = delete;

  /// Runs statements without results (DDL, pragmas), parsing them on every call.
  Status Execute(std::string_view operation, char const* sql);
  /// Runs one statement without parameters or results (BEGIN IMMEDIATE, COMMIT, ROLLBACK)
  /// through the statement cache: parsed once per connection rather than on every
  /// transaction, as Execute() would.
  Status Run(std::string_view operation, char const* sql);
  /// The cached prepared statement for `sql` (a string literal: its address is the key).
  StatusOr<std::unique_ptr<Statement>> Prepare(std::string_view operation, char const* sql);
  /// SqliteError with this connection's message.
  Status Error(std::string_view operation, int rc) const;
  /// Rows changed by the last statement.
  int Changes() const { return sqlite3_changes(db_); }
  sqlite3* handle() const { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::map<char const*, sqlite3_stmt*> statements_;
};

}  // namespace wechatpay::ledger_sqlite
