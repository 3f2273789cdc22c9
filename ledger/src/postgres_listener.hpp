// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once
// The PostgreSQL store's event source: one connection of its own that LISTENs on the ledger's
// channel, and one thread that waits on its socket with poll(), hands each NOTIFY to the
// subscribers and reconnects with backoff when the connection is lost.
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "postgres_connection.hpp"
#include "wechatpay/ledger/store.hpp"

namespace wechatpay::ledger_postgres {

/// The channel every PostgreSQL ledger store NOTIFYs and LISTENs on.
inline constexpr char kPgLedgerChannel[] = "wechatpay_ledger";

/// The payload of a NOTIFY for `event`: "<version> <state> <out_trade_no>".
std::string PgEventPayload(LedgerEvent const& event);
/// The event in a payload, or nullopt when it is not one (ignored: another writer's noise).
std::optional<LedgerEvent> ParsePgEventPayload(std::string_view payload);

class PgListener : public std::enable_shared_from_this<PgListener> {
 public:
  explicit PgListener(std::shared_ptr<PgConnectionSettings const> settings);
  /// Stops and joins the thread.
  ~PgListener();
  PgListener(PgListener const&) = delete;
  PgListener& operator=(PgListener const&) = delete;

  /// Adds a subscriber. The first call connects and LISTENs before returning (kUnavailable
  /// when it cannot), so every change committed after it returns is delivered while the
  /// connection lasts.
  StatusOr<std::unique_ptr<LedgerSubscription>> Subscribe(
      std::function<void(LedgerEvent const&)> on_event);

  /// Stops the thread (the store calls it before it goes; subscriptions may outlive it).
  void Shutdown();

 private:
  class Subscription;
  struct Subscriber {
    std::uint64_t id;
    std::function<void(LedgerEvent const&)> on_event;
  };
  static StatusOr<std::unique_ptr<PgConnection>> ConnectAndListen(
      std::shared_ptr<PgConnectionSettings const> const& settings);
  void Run(std::unique_ptr<PgConnection> connection);
  void Dispatch(LedgerEvent const& event);
  void Remove(std::uint64_t id);
  // Waits up to `milliseconds` for Shutdown(); true when it came.
  bool WaitForShutdown(int milliseconds);

  std::shared_ptr<PgConnectionSettings const> settings_;
  int wake_fd_ = -1;  // eventfd: Shutdown() wakes the poll()
  std::mutex mutex_;
  std::condition_variable dispatched_;
  std::vector<Subscriber> subscribers_;
  std::uint64_t next_id_ = 1;
  bool dispatching_ = false;
  bool started_ = false;
  bool stopping_ = false;
  std::thread thread_;
  std::thread::id thread_id_;
};

}  // namespace wechatpay::ledger_postgres
