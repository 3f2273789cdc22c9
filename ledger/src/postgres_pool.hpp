// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once
// A bounded pool of PostgreSQL connections: at most `size` open at once, opened when first
// needed, handed out one caller at a time (a Mutate() keeps its connection for its whole
// transaction), and put back only when healthy and outside a transaction.
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "postgres_connection.hpp"

namespace wechatpay::ledger_postgres {

class PgPool {
 public:
  PgPool(std::shared_ptr<PgConnectionSettings const> settings, int size,
         std::chrono::milliseconds wait);
  PgPool(PgPool const&) = delete;
  PgPool& operator=(PgPool const&) = delete;

  /// One connection, lent to one caller until the Lease is destroyed.
  class Lease {
   public:
    Lease(PgPool* pool, std::unique_ptr<PgConnection> connection, bool reused)
        : pool_(pool), connection_(std::move(connection)), reused_(reused) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&& other) noexcept = delete;
    Lease(Lease const&) = delete;
    Lease& operator=(Lease const&) = delete;
    ~Lease();
    PgConnection& operator*() { return *connection_; }
    PgConnection* operator->() { return connection_.get(); }
    /// True when the connection had served earlier callers (it may have died in between,
    /// e.g. across a server restart, without libpq knowing yet).
    bool reused() const { return reused_; }

   private:
    PgPool* pool_;
    std::unique_ptr<PgConnection> connection_;
    bool reused_;
  };

  /// An idle connection, or a new one while fewer than `size` are open; otherwise waits for one
  /// to come back, up to the pool's wait. kUnavailable when none comes or connecting fails.
  StatusOr<Lease> Acquire();
  /// Closes every idle connection (after one was found dead: the others likely are too).
  void DropIdle();
  /// Number of connections open now (idle and lent).
  int open() const;

 private:
  void Return(std::unique_ptr<PgConnection> connection);

  std::shared_ptr<PgConnectionSettings const> settings_;
  int const size_;
  std::chrono::milliseconds const wait_;
  mutable std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  int open_ = 0;
};

}  // namespace wechatpay::ledger_postgres
