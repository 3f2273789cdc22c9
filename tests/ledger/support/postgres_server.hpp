// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// A real PostgreSQL server for the ledger tests, started by the test process itself: initdb into
// a temporary folder, a free port on 127.0.0.1 only (and a unix socket folder inside the
// temporary folder), password authentication (SCRAM) with a password generated per run. When
// the tests run as root (CI), initdb and pg_ctl run as the `postgres` system user (runuser) and
// the folder belongs to it; a normal user runs them directly.
//
// One server per test process (Shared()), each test case in a database of its own
// (PostgresTestDatabase). The server is stopped (pg_ctl stop -m fast) and its folder removed at
// exit; a watchdog child process does the same if the test process dies without exiting (a
// crash, SIGKILL), so no server outlives its tests.

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace wechatpay::testing {

class PostgresServer {
 public:
  /// initdb and start. Throws std::runtime_error (with the tail of the server log) when the
  /// server cannot be set up.
  PostgresServer();
  /// Stops the server and removes its folder.
  ~PostgresServer();
  PostgresServer(PostgresServer const&) = delete;
  PostgresServer& operator=(PostgresServer const&) = delete;

  /// The server of this test process, started on first use.
  static PostgresServer& Shared();

  /// pg_ctl stop -m fast (connections are cut, the data stays). Throws on failure.
  void Stop();
  /// Starts the stopped server again, on the same port. Throws on failure.
  void Start();
  /// True between Start() and Stop().
  bool running() const { return running_; }

  /// The TCP port on 127.0.0.1.
  int port() const { return port_; }
  /// The role every test connects as (a superuser of this throw-away cluster).
  std::string const& user() const { return user_; }
  /// Its password, generated for this run.
  std::string const& password() const { return password_; }
  /// `postgresql://user:password@127.0.0.1:port/database`.
  std::string Url(std::string const& database) const;
  /// The same URL with another password (for the tests of a wrong password).
  std::string UrlWithPassword(std::string const& database, std::string const& password) const;

  /// Creates a new, empty database and returns its name (ledger_test_<n>). Throws on failure.
  std::string CreateDatabase();
  /// Drops `database` (closing its connections). Errors are ignored: the folder goes anyway.
  void DropDatabase(std::string const& database);

  /// How long initdb and the first start took.
  std::chrono::milliseconds setup_time() const { return setup_time_; }
  /// How long the last Start() took (the server accepting connections).
  std::chrono::milliseconds last_start_time() const { return last_start_time_; }

 private:
  void StartWatchdog();
  void RunTool(std::string const& tool, std::vector<std::string> const& args) const;
  std::string LogTail() const;

  std::string bin_dir_;
  std::string root_;  // the temporary folder: data/, socket/, server.log
  std::string user_ = "wechatpay_test";
  std::string password_;
  bool as_postgres_user_ = false;
  int port_ = 0;
  bool running_ = false;
  int next_database_ = 0;
  pid_t watchdog_pid_ = -1;
  int watchdog_fd_ = -1;
  std::chrono::milliseconds setup_time_{0};
  std::chrono::milliseconds last_start_time_{0};
};

/// A database of its own for one test case on the shared server; dropped at the end.
class PostgresTestDatabase {
 public:
  PostgresTestDatabase();
  ~PostgresTestDatabase();
  PostgresTestDatabase(PostgresTestDatabase const&) = delete;
  PostgresTestDatabase& operator=(PostgresTestDatabase const&) = delete;

  /// The database's name.
  std::string const& name() const { return name_; }
  /// The URL to open it with (the generated password included).
  std::string url() const { return PostgresServer::Shared().Url(name_); }

 private:
  std::string name_;
};

}  // namespace wechatpay::testing
