// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "ledger_bench.hpp"

#include <sqlite3.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "fixtures.hpp"
#include "floor.hpp"
#include "harness.hpp"
#include "wechatpay/ledger/ledger.hpp"
#include "wechatpay/ledger/notification_applier.hpp"
#include "wechatpay/ledger/sqlite_store.hpp"

#if defined(WECHATPAY_HAS_POSTGRES)
#include <libpq-fe.h>

#include "ledger/support/postgres_server.hpp"
#include "wechatpay/ledger/postgres_store.hpp"
#endif

namespace wechatpay::bench {
namespace {

constexpr int kThreads = 8;
// What the floor writes: the values of TransactionJson() (the floor parses no JSON).
constexpr char kTransactionId[] = "4200000985202311151234567890";
constexpr char kSuccessTime[] = "2023-11-15T06:13:20+08:00";
constexpr int kTotalFen = 100;

[[noreturn]] void Fail(std::string const& what) {
  std::fprintf(stderr, "wechatpay_bench: ledger: %s\n", what.c_str());
  std::exit(2);
}

std::int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One round's callbacks: orders to record first, then their signed notifications.
struct Batch {
  std::vector<std::string> out_trade_nos;
  std::vector<BuiltNotification> notifications;
  std::vector<std::string> ids;
};

Batch MakeBatch(LedgerBenchInput const& input, std::string const& store, int round) {
  Batch batch;
  for (int i = 0; i < input.callbacks_per_round; ++i) {
    auto const suffix = store + "R" + std::to_string(round) + "N" + std::to_string(i);
    batch.out_trade_nos.push_back("LB" + suffix);
    batch.ids.push_back("EV-LB-" + suffix);
    batch.notifications.push_back(
        BuildNotification(*input.wechat_key, batch.ids.back(), "TRANSACTION.SUCCESS",
                          TransactionJson(batch.out_trade_nos.back()), input.now));
  }
  return batch;
}

// Records the batch's orders as the client wrapper would (created, then a code_url): the state
// a TRANSACTION.SUCCESS callback finds. Untimed.
void RecordOrders(Ledger& ledger, Batch const& batch) {
  for (auto const& no : batch.out_trade_nos) {
    Check(ledger.RecordOrderCreating(NativeOrder(no)).status(), "RecordOrderCreating");
    NativePrepayResponse response;
    response.code_url = "weixin://wxpay/bizpayurl?pr=bench";
    Check(ledger.RecordPrepayResult(no, response).status(), "RecordPrepayResult");
  }
}

std::int64_t ProcessCpuNanos() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// What one side's batch took: wall time, and the CPU time of this process (the SDK or the
// floor with libpq / sqlite3, without the PostgreSQL server's processes).
struct BatchTime {
  double wall_s = 0;
  double cpu_s = 0;
};

// Runs apply(thread, index) for every index of the batch on kThreads threads.
BatchTime RunDeliveries(int count, std::function<void(int, int)> const& apply) {
  std::atomic<int> next{0};
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ready.fetch_add(1);
      while (!go.load()) std::this_thread::yield();
      for (int i = next.fetch_add(1); i < count; i = next.fetch_add(1)) apply(t, i);
    });
  }
  while (ready.load() < kThreads) std::this_thread::yield();
  auto const start = WallNanos();
  auto const cpu_start = ProcessCpuNanos();
  go.store(true);
  for (auto& thread : threads) thread.join();
  return BatchTime{static_cast<double>(WallNanos() - start) / 1e9,
                   static_cast<double>(ProcessCpuNanos() - cpu_start) / 1e9};
}

// The SDK's side: the handler a merchant builds, one Handle() per delivery. A delivery that is
// not applied (flagged, duplicate, failed) aborts the run: it would measure the wrong path.
class SdkSide {
 public:
  SdkSide(LedgerBenchInput const& input, std::shared_ptr<Ledger> ledger)
      : handler_(MakeLedgerNotificationHandler(MakeParser(input), {kEventTransactionSuccess},
                                               std::move(ledger))) {}

  void Apply(BuiltNotification const& n) const {
    auto const result = handler_.Handle(n.message.headers, n.message.body);
    if (result.outcome != NotificationOutcome::kProcessed || !result.note.empty()) {
      Fail("Handle: " + std::string(NotificationOutcomeName(result.outcome)) + " " +
           result.status.ToString() + " " + result.note);
    }
  }

 private:
  static NotificationParser MakeParser(LedgerBenchInput const& input) {
    NotificationParserOptions options;
    auto const now = input.now;
    options.clock = [now] {
      return std::chrono::system_clock::time_point(std::chrono::seconds(now));
    };
    return Must(NotificationParser::Create(*input.verifier, *input.cipher, options), "parser");
  }

  NotificationHandler handler_;
};

// The floor's parser work: bare OpenSSL verification of the raw body and decryption of the
// resource, one GCM context per thread.
class FloorCrypto {
 public:
  explicit FloorCrypto(std::string const& public_pem) : verifier_(public_pem) {
    for (auto& gcm : gcm_) gcm = std::make_unique<FloorGcm>(kApiV3Key);
  }

  void VerifyAndDecrypt(int thread, BuiltNotification const& n) {
    auto const& msg = n.message;
    if (!verifier_.Verify(msg.timestamp, msg.nonce, msg.body, msg.signature)) {
      Fail("floor verify");
    }
    auto& plaintext = plaintexts_[static_cast<std::size_t>(thread)];
    if (gcm_[static_cast<std::size_t>(thread)]->Decrypt(n.resource_nonce, n.associated_data,
                                                        n.ciphertext, plaintext) < 0) {
      Fail("floor decrypt");
    }
  }

 private:
  FloorVerifier verifier_;
  std::array<std::unique_ptr<FloorGcm>, kThreads> gcm_;
  std::array<std::array<unsigned char, FloorGcm::kMaxBytes>, kThreads> plaintexts_{};
};

// The statements both floors run, in one transaction: the same three writes the ledger makes
// for a payment callback, leaving the same rows. The order update checks the state and the
// amount in its WHERE clause (the ledger's amount check) and sets every column the ledger's
// payment changes — next_check_at to 0 included, which takes the order out of the
// next_check_at index as the ledger's write does; the history entry carries the ledger's
// detail text. A row count other than 1 aborts the run.
constexpr char kInsertNotification[] =
    "INSERT INTO ledger_notifications (id, processed_at, out_trade_no) VALUES ($1, $2, $3)";
#define WECHATPAY_BENCH_UPDATE_ORDER                                                        \
  "UPDATE ledger_orders SET state = 'PAID', trade_state = 'SUCCESS', transaction_id = $1, " \
  "payer_total_fen = $2, success_time = $3, updated_at = $4, version = version + 1, "       \
  "outcome_unknown = false, next_check_at = 0 "                                             \
  "WHERE out_trade_no = $5 AND state = 'NOT_PAID' AND total_fen = $2"
constexpr char kUpdateOrder[] = WECHATPAY_BENCH_UPDATE_ORDER;
// PostgreSQL: the ledger announces each change with pg_notify in the same transaction (its
// other instances LISTEN); the floor does too, in the same statement.
constexpr char kUpdateOrderNotifying[] = WECHATPAY_BENCH_UPDATE_ORDER
    " RETURNING pg_notify('wechatpay_ledger', version || ' PAID ' || out_trade_no)";
#undef WECHATPAY_BENCH_UPDATE_ORDER
constexpr char kInsertHistory[] =
    "INSERT INTO ledger_history (out_trade_no, seq, at, source, from_state, to_state, "
    "notification_id, detail) VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM ledger_history "
    "WHERE out_trade_no = $1), $2, 'CALLBACK', 'NOT_PAID', 'PAID', $3, $4)";
// The ledger's history detail for this payment (TransactionJson()'s transaction and amount).
constexpr char kHistoryDetail[] = "paid by transaction 4200000985202311151234567890, 100 fen";

// What the floor's honesty rests on, checked after the rounds: one paid order's row, its
// payment's history entry and its notification row, as both sides left them (the times apart).
constexpr char kRowsCompared[] =
    "SELECT o.state || '|' || o.trade_state || '|' || o.transaction_id || '|' || "
    "coalesce(o.payer_total_fen, -1) || '|' || o.success_time || '|' || "
    "(CASE WHEN o.outcome_unknown THEN 1 ELSE 0 END) || '|' || o.next_check_at || '|' || "
    "o.version || '|' || o.review_reason || '|' || h.seq || '|' || h.source || '|' || "
    "h.from_state || '|' || h.to_state || '|' || h.notification_id || '|' || h.detail || '|' || "
    "n.id FROM ledger_orders o JOIN ledger_history h ON h.out_trade_no = o.out_trade_no "
    "AND h.to_state = 'PAID' JOIN ledger_notifications n ON n.out_trade_no = o.out_trade_no "
    "WHERE o.out_trade_no = $1";

// The first order of round 0 of `name`.
std::string FirstOrder(std::string const& name) { return "LB" + name + "R0N0"; }

void CheckSameRows(std::string const& sdk, std::string const& floor) {
  if (sdk.empty() || sdk != floor) {
    Fail("the floor did not leave the rows the SDK left:\n  SDK:   " + sdk + "\n  floor: " + floor);
  }
}

struct RoundTimes {
  std::vector<double> sdk;
  std::vector<double> floor;
  std::vector<double> ratio;
  std::vector<double> sdk_cpu;
  std::vector<double> floor_cpu;
};

// Rounds of (record the orders in both databases, SDK batch, floor batch), the order of the
// two batches alternating.
LedgerBenchRow MeasureRounds(LedgerBenchInput const& input, std::string const& name,
                             Ledger& sdk_setup, Ledger& floor_setup, SdkSide const& sdk,
                             std::function<void(int, BuiltNotification const&, std::string const&,
                                                std::string const&)> const& floor) {
  RoundTimes times;
  for (int round = 0; round < input.rounds; ++round) {
    Batch const batch = MakeBatch(input, name, round);
    RecordOrders(sdk_setup, batch);
    RecordOrders(floor_setup, batch);
    int const count = input.callbacks_per_round;
    auto const run_sdk = [&] {
      return RunDeliveries(
          count, [&](int, int i) { sdk.Apply(batch.notifications[static_cast<std::size_t>(i)]); });
    };
    auto const run_floor = [&] {
      return RunDeliveries(count, [&](int t, int i) {
        auto const at = static_cast<std::size_t>(i);
        floor(t, batch.notifications[at], batch.ids[at], batch.out_trade_nos[at]);
      });
    };
    BatchTime sdk_time;
    BatchTime floor_time;
    if (round % 2 == 0) {
      sdk_time = run_sdk();
      floor_time = run_floor();
    } else {
      floor_time = run_floor();
      sdk_time = run_sdk();
    }
    times.sdk.push_back(count / sdk_time.wall_s);
    times.floor.push_back(count / floor_time.wall_s);
    times.ratio.push_back(floor_time.wall_s / sdk_time.wall_s);
    times.sdk_cpu.push_back(sdk_time.cpu_s * 1e6 / count);
    times.floor_cpu.push_back(floor_time.cpu_s * 1e6 / count);
  }
  LedgerBenchRow row;
  row.name = name;
  row.sdk_per_s = Median(times.sdk);
  row.floor_per_s = Median(times.floor);
  row.ratio = Median(times.ratio);
  row.sdk_cpu_us = Median(times.sdk_cpu);
  row.floor_cpu_us = Median(times.floor_cpu);
  row.rounds = input.rounds;
  row.callbacks_per_round = input.callbacks_per_round;
  return row;
}

// --- SQLite ----------------------------------------------------------------------------------

// A temporary folder, removed with what the run left in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = "/tmp/wechatpay_bench_ledger_XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) Fail("mkdtemp");
    path_ = pattern;
  }
  ~TempDir() {
    for (char const* file : {"sdk.db", "floor.db"}) {
      for (char const* tail : {"", "-wal", "-shm"}) {
        ::unlink((path_ + "/" + file + tail).c_str());
      }
    }
    ::rmdir(path_.c_str());
  }
  TempDir(TempDir const&) = delete;
  TempDir& operator=(TempDir const&) = delete;
  std::string const& path() const { return path_; }

 private:
  std::string path_;
};

std::shared_ptr<Ledger> OpenSqliteLedger(std::string const& path, bool durable) {
  SqliteLedgerOptions options;
  options.path = path;
  options.durable_commits = durable;
  auto store = Must(SqliteLedgerStore::Open(options), "SqliteLedgerStore::Open");
  return std::make_shared<Ledger>(std::shared_ptr<LedgerStore>(std::move(store)));
}

// The SQLite floor: one connection in WAL mode with synchronous=FULL (the store's default),
// prepared statements, and a mutex in front of it (SQLite has one writer; threads queue on the
// mutex rather than on the busy handler, as the store's do).
class SqliteFloor {
 public:
  explicit SqliteFloor(std::string const& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
        SQLITE_OK) {
      Fail("sqlite3_open_v2");
    }
    Exec("PRAGMA journal_mode=WAL");
    Exec("PRAGMA synchronous=FULL");
    Exec("PRAGMA busy_timeout=5000");
    begin_ = Prepare("BEGIN IMMEDIATE");
    commit_ = Prepare("COMMIT");
    notification_ = Prepare(kInsertNotification);
    order_ = Prepare(kUpdateOrder);
    history_ = Prepare(kInsertHistory);
  }
  ~SqliteFloor() {
    for (auto* s : {begin_, commit_, notification_, order_, history_}) sqlite3_finalize(s);
    sqlite3_close(db_);
  }
  SqliteFloor(SqliteFloor const&) = delete;
  SqliteFloor& operator=(SqliteFloor const&) = delete;

  void Write(std::string const& id, std::string const& out_trade_no) {
    std::lock_guard<std::mutex> const lock(mutex_);
    auto const now = NowMs();
    Step(begin_, -1);
    Text(notification_, 1, id);
    sqlite3_bind_int64(notification_, 2, now);
    Text(notification_, 3, out_trade_no);
    Step(notification_, 1);
    Text(order_, 1, kTransactionId);
    sqlite3_bind_int(order_, 2, kTotalFen);
    Text(order_, 3, kSuccessTime);
    sqlite3_bind_int64(order_, 4, now);
    Text(order_, 5, out_trade_no);
    Step(order_, 1);
    Text(history_, 1, out_trade_no);
    sqlite3_bind_int64(history_, 2, now);
    Text(history_, 3, id);
    Text(history_, 4, kHistoryDetail);
    Step(history_, 1);
    Step(commit_, -1);
  }

 private:
  void Exec(char const* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) Fail(sql);
  }
  sqlite3_stmt* Prepare(char const* sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr) !=
        SQLITE_OK) {
      Fail(std::string("prepare: ") + sqlite3_errmsg(db_));
    }
    return statement;
  }
  // SQLITE_STATIC: `value` must outlive the step. A string_view, so that a literal binds its
  // static storage (a `std::string const&` parameter made a temporary of it, freed before the
  // step read it).
  static void Text(sqlite3_stmt* statement, int index, std::string_view value) {
    sqlite3_bind_text(statement, index, value.data(), static_cast<int>(value.size()),
                      SQLITE_STATIC);
  }
  // Runs `statement` to the end and resets it; `rows` >= 0 is the row count it must change.
  void Step(sqlite3_stmt* statement, int rows) {
    if (sqlite3_step(statement) != SQLITE_DONE) Fail(std::string("step: ") + sqlite3_errmsg(db_));
    if (rows >= 0 && sqlite3_changes(db_) != rows) Fail("floor: unexpected row count");
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
  }

  sqlite3* db_ = nullptr;
  std::mutex mutex_;
  sqlite3_stmt* begin_ = nullptr;
  sqlite3_stmt* commit_ = nullptr;
  sqlite3_stmt* notification_ = nullptr;
  sqlite3_stmt* order_ = nullptr;
  sqlite3_stmt* history_ = nullptr;
};

// kRowsCompared's answer for `out_trade_no` in the SQLite file at `path` ("" when none).
std::string SqliteRowsCompared(std::string const& path, std::string const& out_trade_no) {
  sqlite3* db = nullptr;
  sqlite3_stmt* select = nullptr;
  std::string answer;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK &&
      sqlite3_prepare_v2(db, kRowsCompared, -1, &select, nullptr) == SQLITE_OK) {
    sqlite3_bind_text(select, 1, out_trade_no.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(select) == SQLITE_ROW) {
      answer = reinterpret_cast<char const*>(sqlite3_column_text(select, 0));
    }
  }
  sqlite3_finalize(select);
  sqlite3_close(db);
  return answer;
}

}  // namespace

LedgerBenchRow MeasureLedgerSqlite(LedgerBenchInput const& input) {
  TempDir dir;
  auto const sdk_path = dir.path() + "/sdk.db";
  auto const floor_path = dir.path() + "/floor.db";
  // Measured: the store's defaults (durable_commits = true: synchronous=FULL). The orders are
  // recorded through stores with synchronous=NORMAL on the same files, only to set up faster.
  auto const sdk_ledger = OpenSqliteLedger(sdk_path, true);
  auto const sdk_setup = OpenSqliteLedger(sdk_path, false);
  auto const floor_setup = OpenSqliteLedger(floor_path, false);
  SdkSide const sdk(input, sdk_ledger);
  FloorCrypto crypto(input.wechat_public_pem);
  SqliteFloor writes(floor_path);
  auto row = MeasureRounds(input, "ledger_sqlite", *sdk_setup, *floor_setup, sdk,
                           [&](int t, BuiltNotification const& n, std::string const& id,
                               std::string const& out_trade_no) {
                             crypto.VerifyAndDecrypt(t, n);
                             writes.Write(id, out_trade_no);
                           });
  CheckSameRows(SqliteRowsCompared(sdk_path, FirstOrder("ledger_sqlite")),
                SqliteRowsCompared(floor_path, FirstOrder("ledger_sqlite")));
  row.durability = "WAL, synchronous=FULL (the store's default, durable_commits=true)";
  return row;
}

#if defined(WECHATPAY_HAS_POSTGRES)

namespace {

// The PostgreSQL floor: a connection per delivery thread (the store's pool holds 8), the three
// statements prepared once per connection, BEGIN and COMMIT around them: five round trips.
class PostgresFloor {
 public:
  explicit PostgresFloor(std::string const& url) {
    for (auto& connection : connections_) {
      connection = PQconnectdb(url.c_str());
      if (PQstatus(connection) != CONNECTION_OK) Fail("PQconnectdb");
      Expect(PQprepare(connection, "n", kInsertNotification, 0, nullptr), PGRES_COMMAND_OK);
      Expect(PQprepare(connection, "o", kUpdateOrderNotifying, 0, nullptr), PGRES_COMMAND_OK);
      Expect(PQprepare(connection, "h", kInsertHistory, 0, nullptr), PGRES_COMMAND_OK);
    }
  }
  ~PostgresFloor() {
    for (auto* connection : connections_) PQfinish(connection);
  }
  PostgresFloor(PostgresFloor const&) = delete;
  PostgresFloor& operator=(PostgresFloor const&) = delete;

  void Write(int thread, std::string const& id, std::string const& out_trade_no) {
    PGconn* const c = connections_[static_cast<std::size_t>(thread)];
    auto const now = std::to_string(NowMs());
    auto const total = std::to_string(kTotalFen);
    Expect(PQexec(c, "BEGIN"), PGRES_COMMAND_OK);
    char const* notification[] = {id.c_str(), now.c_str(), out_trade_no.c_str()};
    ExpectOneRow(PQexecPrepared(c, "n", 3, notification, nullptr, nullptr, 0));
    char const* order[] = {kTransactionId, total.c_str(), kSuccessTime, now.c_str(),
                           out_trade_no.c_str()};
    ExpectOneRow(PQexecPrepared(c, "o", 5, order, nullptr, nullptr, 0));
    char const* history[] = {out_trade_no.c_str(), now.c_str(), id.c_str(), kHistoryDetail};
    ExpectOneRow(PQexecPrepared(c, "h", 4, history, nullptr, nullptr, 0));
    Expect(PQexec(c, "COMMIT"), PGRES_COMMAND_OK);
  }

 private:
  static void Expect(PGresult* result, ExecStatusType status) {
    bool const ok = PQresultStatus(result) == status;
    std::string const message = ok ? "" : PQresultErrorMessage(result);
    PQclear(result);
    if (!ok) Fail("floor: " + message);
  }
  static void ExpectOneRow(PGresult* result) {
    auto const status = PQresultStatus(result);  // TUPLES_OK: the update's RETURNING
    bool const ok = (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) &&
                    std::string(PQcmdTuples(result)) == "1";
    std::string const message = ok ? "" : PQresultErrorMessage(result);
    PQclear(result);
    if (!ok) Fail("floor: not one row: " + message);
  }

  std::array<PGconn*, kThreads> connections_{};
};

// kRowsCompared's answer for `out_trade_no` in the database at `url` ("" when none).
std::string PostgresRowsCompared(std::string const& url, std::string const& out_trade_no) {
  PGconn* connection = PQconnectdb(url.c_str());
  std::string answer;
  char const* values[] = {out_trade_no.c_str()};
  PGresult* result =
      PQexecParams(connection, kRowsCompared, 1, nullptr, values, nullptr, nullptr, 0);
  if (PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) == 1) {
    answer = PQgetvalue(result, 0, 0);
  }
  PQclear(result);
  PQfinish(connection);
  return answer;
}

std::shared_ptr<Ledger> OpenPostgresLedger(std::string const& url) {
  auto store = Must(PostgresLedgerStore::Open(url), "PostgresLedgerStore::Open");
  return std::make_shared<Ledger>(std::shared_ptr<LedgerStore>(std::move(store)));
}

}  // namespace

LedgerBenchRow MeasureLedgerPostgres(LedgerBenchInput const& input) {
  testing::PostgresServer* server = nullptr;
  try {
    server = &testing::PostgresServer::Shared();
  } catch (std::exception const& e) {
    LedgerBenchRow row;
    row.name = "ledger_postgres";
    row.skipped = std::string("no PostgreSQL server: ") + e.what();
    return row;
  }
  auto const sdk_url = server->Url(server->CreateDatabase());
  auto const floor_url = server->Url(server->CreateDatabase());
  auto const sdk_ledger = OpenPostgresLedger(sdk_url);     // pool_size 8: one per delivery thread
  auto const floor_setup = OpenPostgresLedger(floor_url);  // creates the schema, records orders
  SdkSide const sdk(input, sdk_ledger);
  FloorCrypto crypto(input.wechat_public_pem);
  PostgresFloor writes(floor_url);
  auto row = MeasureRounds(input, "ledger_postgres", *sdk_ledger, *floor_setup, sdk,
                           [&](int t, BuiltNotification const& n, std::string const& id,
                               std::string const& out_trade_no) {
                             crypto.VerifyAndDecrypt(t, n);
                             writes.Write(t, id, out_trade_no);
                           });
  CheckSameRows(PostgresRowsCompared(sdk_url, FirstOrder("ledger_postgres")),
                PostgresRowsCompared(floor_url, FirstOrder("ledger_postgres")));
  row.durability =
      "the test harness's server on 127.0.0.1 (fsync=off, synchronous_commit=off): "
      "round trips and CPU, not disk";
  return row;
}

#else

LedgerBenchRow MeasureLedgerPostgres(LedgerBenchInput const&) {
  LedgerBenchRow row;
  row.name = "ledger_postgres";
  row.skipped = "built without the PostgreSQL store (libpq not found)";
  return row;
}

#endif

}  // namespace wechatpay::bench
