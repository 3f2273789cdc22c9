// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#include "postgres_pool.hpp"

#include <utility>

namespace wechatpay::ledger_postgres {

PgPool::PgPool(std::shared_ptr<PgConnectionSettings const> settings, int size,
               std::chrono::milliseconds wait)
    : settings_(std::move(settings)), size_(size), wait_(wait) {}

PgPool::Lease::~Lease() {
  if (pool_ != nullptr && connection_ != nullptr) pool_->Return(std::move(connection_));
}

StatusOr<PgPool::Lease> PgPool::Acquire() {
  std::unique_lock<std::mutex> lock(mutex_);
  bool const got =
      returned_.wait_for(lock, wait_, [this] { return !idle_.empty() || open_ < size_; });
  if (!got) {
    return Status(StatusCode::kUnavailable, "ledger: all " + std::to_string(size_) +
                                                " PostgreSQL connections stayed busy for " +
                                                std::to_string(wait_.count()) +
                                                " ms (PostgresLedgerStoreOptions::pool_size)");
  }
  if (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(connection), true);
  }
  ++open_;
  lock.unlock();
  auto connection = PgConnection::Connect(settings_);
  if (!connection.ok()) {
    lock.lock();
    --open_;
    returned_.notify_one();
    return connection.status();
  }
  return Lease(this, std::move(*connection), false);
}

void PgPool::Return(std::unique_ptr<PgConnection> connection) {
  // A connection that broke, or that a failure left inside a transaction, is closed rather than
  // handed to the next caller.
  bool const healthy = !connection->broken() && connection->idle();
  std::unique_ptr<PgConnection> closing;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (healthy) {
      idle_.push_back(std::move(connection));
    } else {
      --open_;
      closing = std::move(connection);
    }
  }
  returned_.notify_one();
}

void PgPool::DropIdle() {
  std::vector<std::unique_ptr<PgConnection>> closing;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closing.swap(idle_);
    open_ -= static_cast<int>(closing.size());
  }
  returned_.notify_all();
}

int PgPool::open() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return open_;
}

}  // namespace wechatpay::ledger_postgres
