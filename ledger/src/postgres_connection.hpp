// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once
// The ledger's small RAII layer over libpq: one connection, one result, statements with text
// parameters, and every failure turned into a Status that carries the SQLSTATE and never the
// connection password.
#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "wechatpay/status_or.hpp"

namespace wechatpay::ledger_postgres {

/// Where and how to connect. Built once per store by PgConnectionSettings::FromUrl().
struct PgConnectionSettings {
  /// The libpq URI as the application gave it (holds the password: never print it).
  std::string url;
  /// The texts that must never appear in a message: the password as written in the URL and
  /// percent-decoded.
  std::vector<std::string> secrets;
  /// The URL with the password replaced by *** (for messages).
  std::string redacted_url;
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds statement_timeout{10000};

  /// Checks that `url` is a postgresql:// or postgres:// URI libpq can read. kInvalidArgument
  /// (field `ledger`) otherwise, with no part of the URL's secret in the message.
  static StatusOr<PgConnectionSettings> FromUrl(std::string const& url);

  /// `text` with every secret replaced by ***.
  std::string Scrub(std::string text) const;
};

/// One statement parameter in text form; nullopt is SQL NULL.
using PgParam = std::optional<std::string>;

/// A statement's result (owns the PGresult).
class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result, &PQclear) {}
  /// Number of rows.
  int rows() const { return PQntuples(result_.get()); }
  /// The value at (row, column) as text ("" for NULL).
  std::string_view Text(int row, int column) const;
  /// True when the value is NULL.
  bool IsNull(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  /// The value as an integer (0 for NULL).
  std::int64_t Int(int row, int column) const;
  /// The value as a boolean ("t").
  bool Bool(int row, int column) const { return Text(row, column) == "t"; }
  /// How many rows an INSERT/UPDATE/DELETE touched.
  std::int64_t affected() const;

 private:
  std::unique_ptr<PGresult, decltype(&PQclear)> result_;
};

/// One connection (owns the PGconn).
class PgConnection {
 public:
  /// Connects with the bounded timeouts (connect_timeout, TCP keepalives, tcp_user_timeout,
  /// statement_timeout, idle_in_transaction_session_timeout). kUnavailable when the server
  /// cannot be reached or refuses the login.
  static StatusOr<std::unique_ptr<PgConnection>> Connect(
      std::shared_ptr<PgConnectionSettings const> settings);

  ~PgConnection();
  PgConnection(PgConnection const&) = delete;
  PgConnection& operator=(PgConnection const&) = delete;

  /// Runs one statement with text parameters ($1, $2, ...). Errors: see StatusFromResult().
  StatusOr<PgResult> Exec(std::string const& sql, std::vector<PgParam> const& params = {});

  /// Exec() through a statement prepared on this connection the first time `sql` runs on it:
  /// the server parses and plans it once per connection instead of once per call. For the
  /// store's fixed statements on its hot paths only (at most kMaxPrepared texts per connection;
  /// beyond them it falls back to Exec()). Same errors as Exec().
  StatusOr<PgResult> ExecPrepared(std::string const& sql, std::vector<PgParam> const& params);

  /// One statement of ExecPipeline(): `sql` with text parameters, through a statement prepared
  /// on this connection when `prepared` (as ExecPrepared()).
  struct Pipelined {
    std::string const& sql;
    std::vector<PgParam> params;
    bool prepared = true;
  };

  /// Runs `statements` one after the other in one round trip (libpq's pipeline mode) instead
  /// of one round trip each, and returns their results in order. The server runs each
  /// statement only after the one before it finished, each with its own snapshot, as if they
  /// were sent one by one; when one fails, those after it do not run and its error (as
  /// Exec()'s) is the result. Inside a transaction a failure leaves it aborted: ROLLBACK.
  /// Sent in blocking mode, all statements before any result is read: for the store's few
  /// kilobytes per pipeline, which the socket buffers hold, not for bulk data.
  StatusOr<std::vector<PgResult>> ExecPipeline(std::vector<Pipelined> const& statements);

  /// True once the connection is known to be lost.
  bool broken() const { return PQstatus(connection_) != CONNECTION_OK; }
  /// True when the connection is outside a transaction, ready for the next user.
  bool idle() const {
    return PQtransactionStatus(connection_) == PQTRANS_IDLE &&
           PQpipelineStatus(connection_) == PQ_PIPELINE_OFF;
  }
  /// The socket, for poll().
  int socket() const { return PQsocket(connection_); }
  /// The libpq handle (for LISTEN's PQconsumeInput / PQnotifies).
  PGconn* raw() { return connection_; }
  /// The settings it was made with.
  PgConnectionSettings const& settings() const { return *settings_; }

 private:
  PgConnection(PGconn* connection, std::shared_ptr<PgConnectionSettings const> settings)
      : connection_(connection), settings_(std::move(settings)) {}
  // The Status of a finished statement (`raw` is owned by the result).
  StatusOr<PgResult> Finish(PGresult* raw);
  // Sends statements and reads their results in pipeline mode (ExecPipeline()).
  StatusOr<std::vector<PgResult>> RunPipeline(std::vector<Pipelined> const& statements);

  static constexpr std::size_t kMaxPrepared = 32;
  PGconn* connection_;
  std::shared_ptr<PgConnectionSettings const> settings_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
};

/// True for a transaction that lost a conflict and may simply run again: Exec() answers
/// kAborted for serialization_failure (40001) and deadlock_detected (40P01), and only for them.
inline bool IsConflict(Status const& status) { return status.code() == StatusCode::kAborted; }

/// The Status for a failed connection (its libpq message, scrubbed).
Status ConnectionError(PGconn* connection, PgConnectionSettings const& settings);

}  // namespace wechatpay::ledger_postgres
