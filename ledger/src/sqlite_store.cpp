// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
// SqliteLedgerStore: Open (WAL, schema), the writer (Mutate, LeaseDue) and the readers.
#include "wechatpay/ledger/sqlite_store.hpp"

#include <chrono>
#include <mutex>
#include <utility>
#include <vector>

#include "sqlite_connection.hpp"
#include "sqlite_rows.hpp"
#include "sqlite_schema.hpp"
#include "sqlite_shared_file.hpp"
#include "store_change_check.hpp"

namespace wechatpay {

using ledger_sqlite::Connection;

namespace {

constexpr std::chrono::milliseconds kMaxBusyTimeout = std::chrono::minutes(10);
// Idle reader connections kept open; more are opened while more threads read at once.
constexpr std::size_t kMaxIdleReaders = 8;
constexpr int kMaxLimit = 10000;

Status InvalidArgument(std::string const& field, std::string const& rule) {
  ErrorInfo info;
  info.field = field;
  return Status(StatusCode::kInvalidArgument, "ledger: " + field + " " + rule, info);
}

LedgerTime NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Rolls the open transaction back unless Commit() succeeded. BEGIN, COMMIT and ROLLBACK run
// as cached prepared statements (Connection::Run): parsed once per connection.
class Transaction {
 public:
  Transaction(Connection& db, std::string_view operation) : db_(db), operation_(operation) {}
  ~Transaction() {
    if (open_) (void)db_.Run(operation_, "ROLLBACK");
  }
  Transaction(Transaction const&) = delete;
  Transaction& operator=(Transaction const&) = delete;

  Status Begin(char const* sql) {
    auto status = db_.Run(operation_, sql);
    open_ = status.ok();
    if (!status.ok()) return Named(status, sql);
    return status;
  }
  Status Commit() {
    auto status = db_.Run(operation_, "COMMIT");
    if (status.ok()) {
      open_ = false;  // else the destructor rolls back what is left
      return status;
    }
    return Named(status, "COMMIT");
  }

 private:
  // The error of `sql` with the statement in its message ("Mutate: BEGIN IMMEDIATE: ..."),
  // built only when there is one.
  Status Named(Status const& status, char const* sql) const {
    std::string const prefix = "ledger (sqlite) " + std::string(operation_) + ": ";
    std::string message = status.message();
    if (message.rfind(prefix, 0) == 0) message.insert(prefix.size(), std::string(sql) + ": ");
    return Status(status.code(), std::move(message), status.info());
  }

  Connection& db_;
  std::string_view operation_;
  bool open_ = false;
};

// Puts the file in WAL mode: readers read a snapshot while the writer writes (persistent in
// the file once set).
Status PrepareFile(Connection& writer) {
  constexpr std::string_view kOp = "open: PRAGMA journal_mode=WAL";
  auto mode = writer.Prepare(kOp, "PRAGMA journal_mode=WAL");
  if (!mode.ok()) return mode.status();
  int rc = (*mode)->Step();
  if (rc != SQLITE_ROW) return writer.Error(kOp, rc);
  if ((*mode)->Text(0) != "wal") {
    ErrorInfo info;
    info.field = "path";
    return Status(StatusCode::kConfiguration,
                  "ledger (sqlite) open: the database cannot use WAL mode (journal_mode stays " +
                      (*mode)->Text(0) + ")",
                  info);
  }
  return Status();
}

// An error of Open() after the file opened, naming the file (the path is no secret).
Status NamingFile(Status const& status, std::string const& path) {
  return Status(status.code(), status.message() + " (database " + path + ")", status.info());
}

}  // namespace

struct SqliteLedgerStore::Impl {
  SqliteLedgerOptions options;
  ledger_sqlite::ConnectionSettings settings;
  std::shared_ptr<ledger_sqlite::SharedFile> shared;
  std::unique_ptr<Connection> writer;  // used only under shared->write

  std::mutex readers_mutex;
  std::vector<std::unique_ptr<Connection>> idle_readers;

  // A reader connection for one call, returned to the pool afterwards.
  class Reader {
   public:
    Reader(Impl& impl, std::unique_ptr<Connection> connection)
        : impl_(impl), connection_(std::move(connection)) {}
    ~Reader() {
      std::lock_guard<std::mutex> lock(impl_.readers_mutex);
      if (impl_.idle_readers.size() < kMaxIdleReaders) {
        impl_.idle_readers.push_back(std::move(connection_));
      }
    }
    Reader(Reader const&) = delete;
    Reader& operator=(Reader const&) = delete;
    Connection& operator*() { return *connection_; }

   private:
    Impl& impl_;
    std::unique_ptr<Connection> connection_;
  };

  StatusOr<std::unique_ptr<Reader>> AcquireReader() {
    {
      std::lock_guard<std::mutex> lock(readers_mutex);
      if (!idle_readers.empty()) {
        auto connection = std::move(idle_readers.back());
        idle_readers.pop_back();
        return std::make_unique<Reader>(*this, std::move(connection));
      }
    }
    auto connection = Connection::Open(settings, /*create=*/false);
    if (!connection.ok()) return connection.status();
    return std::make_unique<Reader>(*this, *std::move(connection));
  }

  // Runs `read` on a reader inside one read transaction (one snapshot for all its SELECTs).
  template <typename T, typename Read>
  StatusOr<T> ReadSnapshot(std::string_view operation, Read read) {
    auto reader = AcquireReader();
    if (!reader.ok()) return reader.status();
    Connection& db = ***reader;
    Transaction transaction(db, operation);
    if (auto status = transaction.Begin("BEGIN"); !status.ok()) return status;
    StatusOr<T> result = read(db);
    if (!result.ok()) return result;
    if (auto status = transaction.Commit(); !status.ok()) return status;
    return result;
  }

  StatusOr<LedgerMutationResult> MutateLocked(std::string const& out_trade_no,
                                              std::string const& notification_id,
                                              LedgerMutation const& mutation);
};

int SqliteLedgerStore::SchemaVersion() { return ledger_sqlite::kSchemaVersion; }

StatusOr<std::unique_ptr<SqliteLedgerStore>> SqliteLedgerStore::Open(SqliteLedgerOptions options) {
  if (options.path.empty() || options.path == ":memory:" || options.path.rfind("file:", 0) == 0) {
    return InvalidArgument("path", "must name a database file (not empty, \":memory:\" or a URI)");
  }
  if (options.busy_timeout < std::chrono::milliseconds(1) ||
      options.busy_timeout > kMaxBusyTimeout) {
    return InvalidArgument("busy_timeout", "must be between 1 ms and 10 minutes");
  }
  auto impl = std::make_unique<Impl>();
  impl->settings.path = options.path;
  impl->settings.busy_timeout = options.busy_timeout;
  impl->settings.synchronous = options.durable_commits ? "FULL" : "NORMAL";
  impl->options = std::move(options);

  auto writer = Connection::Open(impl->settings, /*create=*/true);
  if (!writer.ok()) return writer.status();  // names the file already
  impl->writer = *std::move(writer);
  auto shared = ledger_sqlite::SharedFileFor(impl->settings.path);
  if (!shared.ok()) return shared.status();
  impl->shared = *std::move(shared);
  {
    // Under the file's write lock, the switch to WAL too: it needs SQLite's exclusive lock, and
    // a store of this process migrating the file at the same moment holds the RESERVED lock,
    // against which SQLite answers BUSY at once (deadlock avoidance, no busy wait). Seen as
    // "stores opened at once on a new database" failing under a loaded CI run.
    std::lock_guard<std::mutex> lock(impl->shared->write);
    if (auto status = PrepareFile(*impl->writer); !status.ok()) {
      return NamingFile(status, impl->settings.path);
    }
    if (auto status = ledger_sqlite::Migrate(*impl->writer); !status.ok()) {
      return NamingFile(status, impl->settings.path);
    }
  }
  return std::unique_ptr<SqliteLedgerStore>(new SqliteLedgerStore(std::move(impl)));
}

SqliteLedgerStore::SqliteLedgerStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SqliteLedgerStore::~SqliteLedgerStore() = default;

std::string const& SqliteLedgerStore::path() const { return impl_->settings.path; }

StatusOr<LedgerMutationResult> SqliteLedgerStore::Mutate(std::string const& out_trade_no,
                                                         std::string const& notification_id,
                                                         LedgerMutation const& mutation) {
  if (out_trade_no.empty()) return InvalidArgument("out_trade_no", "must not be empty");
  if (!mutation) return InvalidArgument("mutation", "must be set");
  std::lock_guard<std::mutex> lock(impl_->shared->write);
  return impl_->MutateLocked(out_trade_no, notification_id, mutation);
}

// What the write lock covers, statement by statement (ledger_sqlite::*): one writer at a time
// holds it, so every statement here is taken out of the whole store's throughput. A payment
// callback runs seven, all prepared once per connection: BEGIN IMMEDIATE, the notification
// id's insert (which is also the duplicate check), the order, its refunds, the order's
// update, the history entry, COMMIT. (It ran eleven: BEGIN and COMMIT parsed every time, the
// id checked and inserted separately, the history's last seq read first, and the order and
// refunds read again after the writes.)
StatusOr<LedgerMutationResult> SqliteLedgerStore::Impl::MutateLocked(
    std::string const& out_trade_no, std::string const& notification_id,
    LedgerMutation const& mutation) {
  constexpr std::string_view kOp = "Mutate";
  Connection& db = *writer;
  Transaction transaction(db, kOp);
  if (auto status = transaction.Begin("BEGIN IMMEDIATE"); !status.ok()) return status;

  LedgerMutationResult result;
  if (!notification_id.empty()) {
    // Recorded first: an id already there is a duplicate (the insert changed nothing), and the
    // transaction rolls back without writing. Under BEGIN IMMEDIATE nobody else writes between
    // the check and the insert; one statement instead of a SELECT now and an INSERT later.
    auto recorded =
        ledger_sqlite::RecordNotificationOnce(db, kOp, notification_id, NowMs(), out_trade_no);
    if (!recorded.ok()) return recorded.status();
    if (!*recorded) {
      auto rows = ledger_sqlite::ReadRows(db, kOp, out_trade_no);
      if (!rows.ok()) return rows.status();
      result.duplicate_notification = true;
      result.rows = *std::move(rows);
      return result;  // the transaction wrote nothing; rolled back
    }
  }
  auto current = ledger_sqlite::ReadRows(db, kOp, out_trade_no);
  if (!current.ok()) return current.status();

  StatusOr<LedgerChange> decided = Status(StatusCode::kInternal, "unset");
  try {
    decided = mutation(*current);
  } catch (...) {  // an exception never crosses the API; the transaction rolls back
    return Status(StatusCode::kInternal,
                  "ledger Mutate: the mutation threw an exception; nothing was written");
  }
  if (!decided.ok()) return decided.status();
  LedgerChange& change = *decided;
  if (auto status = ledger_store::CheckLedgerChange(out_trade_no, change); !status.ok()) {
    return status;
  }

  if (change.order) {
    change.order->version = current->order ? current->order->version + 1 : 1;
    if (auto status = ledger_sqlite::WriteOrder(db, kOp, *change.order,
                                                current->order ? &*current->order : nullptr);
        !status.ok()) {
      return status;
    }
  }
  if (change.refund) {
    if (auto status = ledger_sqlite::WriteRefund(db, kOp, *change.refund); !status.ok()) {
      return status;
    }
  }
  for (auto const& entry : change.history) {
    // Each entry takes the order's next seq inside its own INSERT.
    HistoryEntry stored = entry;
    stored.out_trade_no = out_trade_no;
    if (auto status = ledger_sqlite::AppendHistory(db, kOp, stored); !status.ok()) return status;
  }
  // The rows as committed, without reading them again: the order is the row just written (or
  // the one found), the refunds those found unless a refund was written (then read again, for
  // the order Get() returns them in).
  bool const order_written = change.order.has_value();
  result.rows.order = order_written ? std::move(change.order) : std::move(current->order);
  if (change.refund) {
    auto refunds = ledger_sqlite::ReadRefunds(db, kOp, out_trade_no);
    if (!refunds.ok()) return refunds.status();
    result.rows.refunds = *std::move(refunds);
  } else {
    result.rows.refunds = std::move(current->refunds);
  }
  if (auto status = transaction.Commit(); !status.ok()) return status;
  // Queued under the write lock so that events leave in commit order; delivered on the hub's
  // thread, never here.
  if (order_written) {
    shared->events.Publish(
        LedgerEvent{out_trade_no, result.rows.order->state, result.rows.order->version});
  }
  return result;
}

StatusOr<LedgerRows> SqliteLedgerStore::Get(std::string const& out_trade_no) {
  return impl_->ReadSnapshot<LedgerRows>(
      "Get", [&](Connection& db) { return ledger_sqlite::ReadRows(db, "Get", out_trade_no); });
}

StatusOr<std::optional<RefundRecord>> SqliteLedgerStore::GetRefund(
    std::string const& out_refund_no) {
  return impl_->ReadSnapshot<std::optional<RefundRecord>>("GetRefund", [&](Connection& db) {
    return ledger_sqlite::ReadRefund(db, "GetRefund", out_refund_no);
  });
}

StatusOr<std::vector<HistoryEntry>> SqliteLedgerStore::History(std::string const& out_trade_no) {
  return impl_->ReadSnapshot<std::vector<HistoryEntry>>("History", [&](Connection& db) {
    return ledger_sqlite::ReadHistory(db, "History", out_trade_no);
  });
}

StatusOr<std::vector<OrderRecord>> SqliteLedgerStore::List(LedgerQuery const& query) {
  if (query.limit < 1 || query.limit > kMaxLimit) {
    return InvalidArgument("limit", "must be between 1 and 10000");
  }
  return impl_->ReadSnapshot<std::vector<OrderRecord>>(
      "List", [&](Connection& db) { return ledger_sqlite::ReadOrders(db, "List", query); });
}

StatusOr<bool> SqliteLedgerStore::IsNotificationProcessed(std::string const& notification_id) {
  return impl_->ReadSnapshot<bool>("IsNotificationProcessed", [&](Connection& db) {
    return ledger_sqlite::NotificationRecorded(db, "IsNotificationProcessed", notification_id);
  });
}

StatusOr<std::vector<OrderRecord>> SqliteLedgerStore::LeaseDue(std::string const& owner,
                                                               LedgerTime now, LedgerTime lease_ms,
                                                               int limit) {
  constexpr std::string_view kOp = "LeaseDue";
  if (owner.empty()) return InvalidArgument("owner", "must not be empty");
  if (lease_ms <= 0) return InvalidArgument("lease_ms", "must be positive");
  if (limit < 1 || limit > kMaxLimit)
    return InvalidArgument("limit", "must be between 1 and 10000");
  std::lock_guard<std::mutex> lock(impl_->shared->write);
  Connection& db = *impl_->writer;
  Transaction transaction(db, kOp);
  if (auto status = transaction.Begin("BEGIN IMMEDIATE"); !status.ok()) return status;
  auto due = ledger_sqlite::ReadLeasable(db, kOp, owner, now, limit);
  if (!due.ok()) return due.status();
  for (auto& order : *due) {
    order.lease_owner = owner;
    order.lease_until = now + lease_ms;
    if (auto status =
            ledger_sqlite::WriteLease(db, kOp, order.out_trade_no, owner, order.lease_until);
        !status.ok()) {
      return status;
    }
  }
  if (auto status = transaction.Commit(); !status.ok()) return status;
  return due;
}

StatusOr<std::unique_ptr<LedgerSubscription>> SqliteLedgerStore::Subscribe(
    std::function<void(LedgerEvent const&)> on_event) {
  if (!on_event) return InvalidArgument("on_event", "must be set");
  return impl_->shared->events.Subscribe(std::move(on_event));
}

}  // namespace wechatpay
