// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "postgres_connection.hpp"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "wechatpay/ledger/postgres_store.hpp"

namespace wechatpay::ledger_postgres {
namespace {

// The percent-decoded form of `text` (libpq decodes the URI's userinfo and parameters).
std::string PercentDecoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      auto hex = std::string(text.substr(i + 1, 2));
      char* end = nullptr;
      long value = std::strtol(hex.c_str(), &end, 16);
      if (end == hex.c_str() + 2) {
        out += static_cast<char>(value);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

// libpq's messages end with a newline and may span lines; a Status message is one line.
std::string OneLine(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

std::string Seconds(std::chrono::milliseconds duration) {
  return std::to_string(std::max<long long>(1, (duration.count() + 999) / 1000));
}

}  // namespace

StatusOr<PgConnectionSettings> PgConnectionSettings::FromUrl(std::string const& url) {
  PgConnectionSettings settings;
  settings.url = url;
  settings.redacted_url = RedactPostgresUrl(url);
  // The secrets as written: the userinfo's password and a password= parameter. Collected before
  // libpq reads the URL, because libpq's parse errors may quote any part of it.
  std::string const redacted = settings.redacted_url;
  auto collect = [&settings](std::string_view raw) {
    if (raw.empty()) return;
    settings.secrets.emplace_back(raw);
    auto decoded = PercentDecoded(raw);
    if (decoded != raw && !decoded.empty()) settings.secrets.push_back(decoded);
  };
  {
    auto const scheme_end = url.find("://");
    if (scheme_end != std::string::npos) {
      auto const begin = scheme_end + 3;
      auto end = url.find_first_of("/?#", begin);
      if (end == std::string::npos) end = url.size();
      auto const at = url.rfind('@', end == 0 ? 0 : end - 1);
      auto const colon = url.find(':', begin);
      if (at != std::string::npos && at >= begin && colon != std::string::npos && colon < at) {
        collect(std::string_view(url).substr(colon + 1, at - colon - 1));
      }
    }
    auto const query = url.find('?');
    if (query != std::string::npos) {
      std::size_t begin = query + 1;
      while (begin < url.size()) {
        auto end = url.find('&', begin);
        if (end == std::string::npos) end = url.size();
        std::string_view const parameter(url.data() + begin, end - begin);
        if (parameter.rfind("password=", 0) == 0) collect(parameter.substr(9));
        begin = end + 1;
      }
    }
  }
  if (url.rfind("postgresql://", 0) != 0 && url.rfind("postgres://", 0) != 0) {
    return Status(StatusCode::kInvalidArgument,
                  "ledger: a PostgreSQL ledger URL starts with postgresql:// or postgres://",
                  ErrorInfo{0, "", "", "", "", "ledger"});
  }
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    std::string message = error != nullptr ? OneLine(error) : "out of memory";
    PQfreemem(error);
    return Status(
        StatusCode::kInvalidArgument,
        "ledger: the PostgreSQL URL " + redacted + " does not parse: " + settings.Scrub(message),
        ErrorInfo{0, "", "", "", "", "ledger"});
  }
  PQconninfoFree(options);
  return settings;
}

std::string PgConnectionSettings::Scrub(std::string text) const {
  for (auto const& secret : secrets) {
    if (secret.empty()) continue;
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3)) {
      text.replace(at, secret.size(), "***");
    }
  }
  return text;
}

std::string_view PgResult::Text(int row, int column) const {
  char const* value = PQgetvalue(result_.get(), row, column);
  return std::string_view(value, static_cast<std::size_t>(PQgetlength(result_.get(), row, column)));
}

std::int64_t PgResult::Int(int row, int column) const {
  if (IsNull(row, column)) return 0;
  return std::strtoll(PQgetvalue(result_.get(), row, column), nullptr, 10);
}

std::int64_t PgResult::affected() const {
  return std::strtoll(PQcmdTuples(result_.get()), nullptr, 10);
}

Status ConnectionError(PGconn* connection, PgConnectionSettings const& settings) {
  std::string reason = connection != nullptr ? OneLine(PQerrorMessage(connection)) : "";
  if (reason.empty()) reason = "no connection";
  return Status(StatusCode::kUnavailable, "ledger: PostgreSQL at " + settings.redacted_url +
                                              " cannot be reached: " + settings.Scrub(reason));
}

namespace {

// A connection the server refused once the login had begun: it asked for a password and the URL
// has none, or refused it after the exchange (a wrong password, an unknown role: PostgreSQL
// does not tell them apart), or refused the role its database after a successful login (no such
// database, no CONNECT right, the role's connection limit). Trying again will not help until
// the ledger URL (or the server's roles) change: kConfiguration, not kUnavailable. Told by
// libpq's password flags, not by the message's words, which the server may translate (and
// confirmed by a second attempt, see Connect). OK for
// any other failure (the server unreachable, starting up, shutting down, out of connections:
// all before the login).
Status LoginError(PGconn* connection, PgConnectionSettings const& settings) {
  bool const needs_password = PQconnectionNeedsPassword(connection) != 0;
  if (!needs_password && PQconnectionUsedPassword(connection) == 0) return Status();
  std::string reason = settings.Scrub(OneLine(PQerrorMessage(connection)));
  ErrorInfo info;
  info.field = "ledger";
  return Status(StatusCode::kConfiguration,
                "ledger: PostgreSQL at " + settings.redacted_url + " refused the login: " +
                    (needs_password ? "the server asks for a password and the URL has none"
                                    : reason + " (check the user, password and database of the "
                                               "ledger URL; retrying will not help)"),
                std::move(info));
}

}  // namespace

StatusOr<std::unique_ptr<PgConnection>> PgConnection::Connect(
    std::shared_ptr<PgConnectionSettings const> settings) {
  // The bounds come before the URL so that a URL setting one of them wins (libpq: later
  // keywords override earlier ones, and dbname expands the URL in place).
  std::string const connect_timeout = Seconds(settings->connect_timeout);
  std::string const user_timeout = std::to_string(settings->statement_timeout.count());
  char const* keywords[] = {"connect_timeout",     "keepalives",       "keepalives_idle",
                            "keepalives_interval", "keepalives_count", "tcp_user_timeout",
                            "application_name",    "dbname",           nullptr};
  char const* values[] = {
      connect_timeout.c_str(), "1",    "5", "2", "3", user_timeout.c_str(), "wechatpay-ledger",
      settings->url.c_str(),   nullptr};
  PGconn* raw = PQconnectdbParams(keywords, values, 1);
  // A refusal after the password exchange is also what a server shutting down in the middle of
  // the login looks like (its backend is terminated once the password was accepted), so it is
  // confirmed by a second attempt: a server that began shutting down refuses new connections
  // before the login (kUnavailable), a restarted one accepts, a wrong password is refused again.
  if (raw != nullptr && PQstatus(raw) != CONNECTION_OK && !LoginError(raw, *settings).ok() &&
      PQconnectionNeedsPassword(raw) == 0) {
    PQfinish(raw);
    raw = PQconnectdbParams(keywords, values, 1);
  }
  if (raw == nullptr || PQstatus(raw) != CONNECTION_OK) {
    auto status = raw != nullptr ? LoginError(raw, *settings) : Status();
    if (status.ok()) status = ConnectionError(raw, *settings);
    if (raw != nullptr) PQfinish(raw);
    return status;
  }
  // The server's notices (e.g. "relation already exists, skipping") would go to stderr.
  PQsetNoticeProcessor(
      raw, [](void*, char const*) {}, nullptr);
  std::unique_ptr<PgConnection> connection(new PgConnection(raw, std::move(settings)));
  // A statement (a row lock wait included) ends within statement_timeout; a transaction left
  // open by a client that vanished releases its locks after a minute.
  auto const& s = connection->settings();
  auto setup = connection->Exec(
      "SELECT set_config('statement_timeout', $1, false), "
      "set_config('idle_in_transaction_session_timeout', '60000', false)",
      {std::to_string(s.statement_timeout.count())});
  if (!setup.ok()) return setup.status();
  return connection;
}

PgConnection::~PgConnection() { PQfinish(connection_); }

namespace {

// The parameters as libpq takes them; kInvalidArgument for a value PostgreSQL text cannot hold.
StatusOr<std::vector<char const*>> ParamValues(std::vector<PgParam> const& params) {
  std::vector<char const*> values;
  values.reserve(params.size());
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (params[i] && params[i]->find('\0') != std::string::npos) {
      return Status(StatusCode::kInvalidArgument,
                    "ledger: parameter $" + std::to_string(i + 1) +
                        " contains a NUL byte, which PostgreSQL text cannot hold");
    }
    values.push_back(params[i] ? params[i]->c_str() : nullptr);
  }
  return values;
}

}  // namespace

StatusOr<PgResult> PgConnection::Exec(std::string const& sql, std::vector<PgParam> const& params) {
  auto values = ParamValues(params);
  if (!values.ok()) return values.status();
  return Finish(PQexecParams(connection_, sql.c_str(), static_cast<int>(params.size()), nullptr,
                             values->data(), nullptr, nullptr, 0));
}

StatusOr<PgResult> PgConnection::ExecPrepared(std::string const& sql,
                                              std::vector<PgParam> const& params) {
  auto found = prepared_.find(sql);
  if (found == prepared_.end() && prepared_.size() >= kMaxPrepared) return Exec(sql, params);
  auto values = ParamValues(params);
  if (!values.ok()) return values.status();
  if (found == prepared_.end()) {
    // Named statements belong to the session, not to the transaction: a ROLLBACK keeps them.
    std::string name = "wechatpay_" + std::to_string(prepared_.size());
    auto prepared = Finish(PQprepare(connection_, name.c_str(), sql.c_str(), 0, nullptr));
    if (!prepared.ok()) return prepared.status();
    found = prepared_.emplace(sql, std::move(name)).first;
  }
  return Finish(PQexecPrepared(connection_, found->second.c_str(), static_cast<int>(params.size()),
                               values->data(), nullptr, nullptr, 0));
}

StatusOr<std::vector<PgResult>> PgConnection::ExecPipeline(
    std::vector<Pipelined> const& statements) {
  for (auto const& statement : statements) {
    if (auto values = ParamValues(statement.params); !values.ok()) return values.status();
  }
  if (PQenterPipelineMode(connection_) != 1) return ConnectionError(connection_, *settings_);
  auto results = RunPipeline(statements);
  // Fails only when results are still pending (the connection broke half-way): the connection
  // then stays out of idle() and the pool closes it instead of lending it again.
  (void)PQexitPipelineMode(connection_);
  return results;
}

StatusOr<std::vector<PgResult>> PgConnection::RunPipeline(
    std::vector<Pipelined> const& statements) {
  // Statements to prepare on this connection in this pipeline: recorded as prepared only once
  // the server said so.
  std::vector<std::pair<std::string const*, std::string>> preparing;
  std::vector<bool> preparing_before;  // per statement: a prepare result comes first
  for (auto const& statement : statements) {
    auto const values = *ParamValues(statement.params);  // checked by ExecPipeline()
    char const* name = nullptr;
    bool prepare = false;
    if (statement.prepared) {
      auto found = prepared_.find(statement.sql);
      if (found != prepared_.end()) {
        name = found->second.c_str();
      } else if (prepared_.size() + preparing.size() < kMaxPrepared) {
        auto const same = std::find_if(preparing.begin(), preparing.end(),
                                       [&](auto const& p) { return *p.first == statement.sql; });
        if (same != preparing.end()) {
          name = same->second.c_str();
        } else {
          preparing.emplace_back(
              &statement.sql, "wechatpay_" + std::to_string(prepared_.size() + preparing.size()));
          name = preparing.back().second.c_str();
          prepare = true;
          if (PQsendPrepare(connection_, name, statement.sql.c_str(), 0, nullptr) != 1) {
            return ConnectionError(connection_, *settings_);
          }
        }
      }
    }
    preparing_before.push_back(prepare);
    int const sent =
        name != nullptr
            ? PQsendQueryPrepared(connection_, name, static_cast<int>(values.size()), values.data(),
                                  nullptr, nullptr, 0)
            : PQsendQueryParams(connection_, statement.sql.c_str(), static_cast<int>(values.size()),
                                nullptr, values.data(), nullptr, nullptr, 0);
    if (sent != 1) return ConnectionError(connection_, *settings_);
  }
  if (PQpipelineSync(connection_) != 1) return ConnectionError(connection_, *settings_);

  // Every result is read, up to the sync, even after a failure: the connection must end the
  // pipeline with nothing pending to be used again.
  std::vector<PgResult> results;
  std::optional<Status> failure;
  std::size_t prepared_now = 0;
  auto read_one = [&](bool is_prepare) -> bool {
    PGresult* raw = PQgetResult(connection_);
    if (raw == nullptr) return false;  // the connection broke: no result where one is due
    if (PQresultStatus(raw) == PGRES_PIPELINE_ABORTED) {
      PQclear(raw);  // skipped after an earlier failure
    } else {
      auto finished = Finish(raw);
      if (!finished.ok()) {
        if (!failure) failure = finished.status();
      } else if (is_prepare) {
        ++prepared_now;
      } else {
        results.push_back(*std::move(finished));
      }
    }
    return PQgetResult(connection_) == nullptr;  // the end of this statement's results
  };
  for (bool const prepare : preparing_before) {
    if ((prepare && !read_one(true)) || !read_one(false)) {
      return ConnectionError(connection_, *settings_);
    }
  }
  PGresult* sync = PQgetResult(connection_);
  bool const synced = sync != nullptr && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
  PQclear(sync);
  if (!synced) return ConnectionError(connection_, *settings_);
  // The prepares run first in the pipeline, in order: those that succeeded are kept.
  for (std::size_t i = 0; i < prepared_now && i < preparing.size(); ++i) {
    prepared_.emplace(*preparing[i].first, std::move(preparing[i].second));
  }
  if (failure) return *failure;
  return results;
}

StatusOr<PgResult> PgConnection::Finish(PGresult* raw) {
  if (raw == nullptr) return ConnectionError(connection_, *settings_);
  PgResult result(raw);
  auto const status = PQresultStatus(raw);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;

  char const* state_field = PQresultErrorField(raw, PG_DIAG_SQLSTATE);
  std::string const sqlstate = state_field != nullptr ? state_field : "";
  char const* primary = PQresultErrorField(raw, PG_DIAG_MESSAGE_PRIMARY);
  std::string reason =
      settings_->Scrub(OneLine(primary != nullptr ? primary : PQresultErrorMessage(raw)));
  if (reason.empty()) reason = OneLine(PQerrorMessage(connection_));
  std::string const suffix = sqlstate.empty() ? "" : " (SQLSTATE " + sqlstate + ")";
  // Which failures the caller can do something about: a lost or refused connection and an
  // overloaded or shutting-down server are worth retrying later (kUnavailable), as is a
  // statement that ran out of time; a lost conflict may run again at once (kAborted).
  if (broken() || sqlstate.rfind("08", 0) == 0 || sqlstate.rfind("53", 0) == 0 ||
      sqlstate.rfind("57P", 0) == 0 || sqlstate == "25P03" || sqlstate.empty()) {
    return Status(StatusCode::kUnavailable, "ledger: PostgreSQL at " + settings_->redacted_url +
                                                " cannot be used: " + reason + suffix);
  }
  if (sqlstate == "57014") {
    return Status(StatusCode::kUnavailable,
                  "ledger: PostgreSQL did not answer within statement_timeout (" +
                      std::to_string(settings_->statement_timeout.count()) + " ms)" + suffix);
  }
  if (sqlstate == "40001" || sqlstate == "40P01") {
    return Status(StatusCode::kAborted,
                  "ledger: the transaction lost a conflict: " + reason + suffix);
  }
  if (sqlstate.rfind("22", 0) == 0) {
    return Status(StatusCode::kInvalidArgument,
                  "ledger: PostgreSQL refused a value: " + reason + suffix);
  }
  return Status(StatusCode::kInternal, "ledger: PostgreSQL: " + reason + suffix);
}

}  // namespace wechatpay::ledger_postgres
