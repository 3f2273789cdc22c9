// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once
// What every SqliteLedgerStore of this process on one database file shares: the mutex in front
// of SQLite's write lock (threads queue on it instead of sleeping in the busy handler) and the
// event hub (a change committed through one store reaches the subscribers of all of them).
#include <memory>
#include <mutex>
#include <string>

#include "event_hub.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay::ledger_sqlite {

struct SharedFile {
  std::mutex write;
  ledger_events::EventHub events;
};

/// The state of the existing file at `path`, found by device and inode so that two spellings of
/// one path (or a hard link) share it. Lives while a store holds it.
StatusOr<std::shared_ptr<SharedFile>> SharedFileFor(std::string const& path);

}  // namespace wechatpay::ledger_sqlite
