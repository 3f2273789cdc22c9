// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "ledger/support/postgres_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <glob.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>

#include "support/run_process.hpp"

namespace wechatpay::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::chrono::milliseconds Since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

// The folder holding initdb, pg_ctl and postgres: $WECHATPAY_TEST_POSTGRES_BIN, else the newest
// Debian /usr/lib/postgresql/<major>/bin.
std::string FindBinDir() {
  if (char const* dir = std::getenv("WECHATPAY_TEST_POSTGRES_BIN"); dir != nullptr && *dir) {
    return dir;
  }
  glob_t found{};
  std::vector<std::string> dirs;
  if (glob("/usr/lib/postgresql/*/bin/initdb", 0, nullptr, &found) == 0) {
    for (std::size_t i = 0; i < found.gl_pathc; ++i) {
      std::string path = found.gl_pathv[i];
      dirs.push_back(path.substr(0, path.size() - std::string("/initdb").size()));
    }
  }
  globfree(&found);
  if (dirs.empty()) {
    throw std::runtime_error(
        "PostgreSQL server binaries not found (Debian: postgresql; or set "
        "WECHATPAY_TEST_POSTGRES_BIN to the folder holding initdb and pg_ctl)");
  }
  // Newest major first (numeric, so 15 sorts after 9).
  std::sort(dirs.begin(), dirs.end(), [](std::string const& a, std::string const& b) {
    return std::atoi(a.c_str() + std::string("/usr/lib/postgresql/").size()) <
           std::atoi(b.c_str() + std::string("/usr/lib/postgresql/").size());
  });
  return dirs.back();
}

// A password for this run: 32 hex digits from the system's random source.
std::string GeneratePassword() {
  std::random_device random;
  std::string password;
  char const* digits = "0123456789abcdef";
  for (int i = 0; i < 32; ++i) password += digits[random() % 16];
  return password;
}

// A port that was free a moment ago on 127.0.0.1 (the kernel's choice). Start() retries with
// another one when the server cannot bind it after all.
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    close(fd);
    throw std::runtime_error("could not find a free port on 127.0.0.1");
  }
  close(fd);
  return ntohs(address.sin_port);
}

void WriteFile(std::string const& path, std::string const& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path);
}

// Runs one SQL command as the test role; throws with the server's message (which never holds
// the password) when it fails.
void RunSql(std::string const& url, std::string const& sql) {
  std::unique_ptr<PGconn, decltype(&PQfinish)> connection(PQconnectdb(url.c_str()), &PQfinish);
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    throw std::runtime_error(std::string("cannot connect to the test server: ") +
                             PQerrorMessage(connection.get()));
  }
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(connection.get(), sql.c_str()),
                                                       &PQclear);
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    throw std::runtime_error(sql + ": " + PQresultErrorMessage(result.get()));
  }
}

}  // namespace

PostgresServer::PostgresServer() {
  auto const start = Clock::now();
  bin_dir_ = FindBinDir();
  as_postgres_user_ = geteuid() == 0;
  char root_template[] = "/tmp/wechatpay-pg-XXXXXX";
  if (mkdtemp(root_template) == nullptr) throw std::runtime_error("mkdtemp failed");
  root_ = root_template;
  if (mkdir((root_ + "/socket").c_str(), 0700) != 0) {
    throw std::runtime_error("cannot create " + root_ + "/socket");
  }
  password_ = GeneratePassword();
  // initdb reads the superuser's password from a file; it is removed right after.
  std::string const password_file = root_ + "/password";
  WriteFile(password_file, password_ + "\n");
  chmod(password_file.c_str(), 0600);
  if (as_postgres_user_) {
    // root may not run the server: the folder and everything in it belong to `postgres`.
    passwd const* account = getpwnam("postgres");
    if (account == nullptr) {
      throw std::runtime_error(
          "running as root needs the `postgres` system user (Debian: postgresql)");
    }
    for (auto const& path : {root_, root_ + "/socket", password_file}) {
      if (chown(path.c_str(), account->pw_uid, account->pw_gid) != 0) {
        throw std::runtime_error("cannot give " + path + " to the postgres user");
      }
    }
  }
  StartWatchdog();
  // SCRAM for every connection, over TCP and the socket alike: the tests always send the
  // generated password, so the password paths of the store are the ones exercised.
  RunTool("initdb",
          {"-D", root_ + "/data", "-U", user_, "--auth=scram-sha-256", "--pwfile=" + password_file,
           "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"});
  std::remove(password_file.c_str());
  Start();
  setup_time_ = Since(start);
  std::cerr << "postgres_server: PostgreSQL ready on 127.0.0.1:" << port_ << " in "
            << setup_time_.count() << " ms (initdb + start; start alone "
            << last_start_time_.count() << " ms)\n";
}

PostgresServer::~PostgresServer() {
  try {
    if (running_) Stop();
  } catch (std::exception const& e) {
    std::cerr << "postgres_server: " << e.what() << "\n";
  }
  // Tells the watchdog that the server is stopped (or was never started) and lets it remove
  // the folder; without the line it stops the server first.
  if (watchdog_fd_ >= 0) {
    if (!running_) (void)!write(watchdog_fd_, "stopped\n", 8);
    close(watchdog_fd_);
  }
  if (watchdog_pid_ > 0) {
    int status = 0;
    waitpid(watchdog_pid_, &status, 0);
  }
}

PostgresServer& PostgresServer::Shared() {
  static PostgresServer server;
  return server;
}

void PostgresServer::StartWatchdog() {
  // A child in its own session that waits for the write end of a pipe to close, which happens
  // when this process exits in any way (even SIGKILL), then stops the server and removes the
  // folder. The write end is close-on-exec so no other child keeps it open.
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  std::string const pg_ctl = bin_dir_ + "/pg_ctl";
  std::string const data = root_ + "/data";
  std::vector<std::string> args = {"/bin/sh", "-c",
                                   // After a crash a pg_ctl start may still be under way:
                                   // stop, give it time to finish, stop again.
                                   "root=$1; shift; read -r how; "
                                   "if [ \"$how\" != stopped ]; then "
                                   "\"$@\" >/dev/null 2>&1; sleep 2; \"$@\" >/dev/null 2>&1; fi; "
                                   "rm -rf \"$root\"",
                                   "watchdog", root_};
  if (as_postgres_user_) {
    for (char const* part : {"/usr/sbin/runuser", "-u", "postgres", "--"}) args.push_back(part);
  }
  for (auto const& part : {pg_ctl, std::string("stop"), std::string("-D"), data, std::string("-m"),
                           std::string("fast"), std::string("-s")}) {
    args.push_back(part);
  }
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    setsid();
    dup2(fds[0], STDIN_FILENO);
    int null_fd = open("/dev/null", O_WRONLY);
    dup2(null_fd, STDOUT_FILENO);
    dup2(null_fd, STDERR_FILENO);
    close_range(3, ~0U, 0);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(fds[0]);
  watchdog_pid_ = pid;
  watchdog_fd_ = fds[1];
}

void PostgresServer::RunTool(std::string const& tool, std::vector<std::string> const& args) const {
  // In the temporary folder: the postgres user may not be allowed into the current directory.
  std::vector<std::string> command = {"-c", "cd \"$1\" && shift && exec \"$@\"", "sh", root_,
                                      bin_dir_ + "/" + tool};
  command.insert(command.end(), args.begin(), args.end());
  std::string program = "/bin/sh";
  if (as_postgres_user_) {
    command.insert(command.begin(), {"-u", "postgres", "--", "/bin/sh"});
    program = "/usr/sbin/runuser";
  }
  auto result = RunProcess(program, command);
  if (result.exit_code != 0) {
    throw std::runtime_error(tool + " failed (exit " + std::to_string(result.exit_code) +
                             "): " + result.err + result.out + LogTail());
  }
}

std::string PostgresServer::LogTail() const {
  std::ifstream in(root_ + "/server.log");
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(in, line)) lines.push_back(line);
  std::string tail;
  for (std::size_t i = lines.size() > 20 ? lines.size() - 20 : 0; i < lines.size(); ++i) {
    tail += "\n  " + lines[i];
  }
  return tail.empty() ? "" : "\nserver log:" + tail;
}

void PostgresServer::Start() {
  bool const keep_port = port_ != 0;
  for (int attempt = 1;; ++attempt) {
    if (!keep_port) port_ = FreePort();
    auto const start = Clock::now();
    try {
      // Loopback only, a private socket folder, and no durability work: a test cluster lives for
      // one run (a clean stop still writes everything).
      RunTool("pg_ctl",
              {"start", "-w", "-t", "60", "-s", "-D", root_ + "/data", "-l", root_ + "/server.log",
               "-o",
               "-p " + std::to_string(port_) + " -c listen_addresses=127.0.0.1 -k " + root_ +
                   "/socket -c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c shared_buffers=16MB -c max_connections=120"});
      last_start_time_ = Since(start);
      running_ = true;
      return;
    } catch (std::runtime_error const&) {
      // Someone took the port between FreePort() and the bind: try another one.
      if (keep_port || attempt == 3) throw;
    }
  }
}

void PostgresServer::Stop() {
  RunTool("pg_ctl", {"stop", "-D", root_ + "/data", "-m", "fast", "-s", "-w"});
  running_ = false;
}

std::string PostgresServer::Url(std::string const& database) const {
  return UrlWithPassword(database, password_);
}

std::string PostgresServer::UrlWithPassword(std::string const& database,
                                            std::string const& password) const {
  return "postgresql://" + user_ + ":" + password + "@127.0.0.1:" + std::to_string(port_) + "/" +
         database;
}

std::string PostgresServer::CreateDatabase() {
  std::string name = "ledger_test_" + std::to_string(++next_database_);
  RunSql(Url("postgres"), "CREATE DATABASE " + name);
  return name;
}

void PostgresServer::DropDatabase(std::string const& database) {
  if (!running_) return;
  try {
    RunSql(Url("postgres"), "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
  } catch (std::runtime_error const& e) {
    std::cerr << "postgres_server: " << e.what() << "\n";
  }
}

PostgresTestDatabase::PostgresTestDatabase() : name_(PostgresServer::Shared().CreateDatabase()) {}

PostgresTestDatabase::~PostgresTestDatabase() { PostgresServer::Shared().DropDatabase(name_); }

}  // namespace wechatpay::testing
