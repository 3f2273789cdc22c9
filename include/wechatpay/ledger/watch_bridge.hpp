// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once
/// @file ledger/watch_bridge.hpp
/// The ledger as an event source for PaymentWatcher: a change committed on any instance ends
/// the watch of that order on every instance, without waiting for the watcher's next query.
/// The ledger's store publishes every committed change (LedgerStore::Subscribe(): in-process
/// for SQLite, LISTEN/NOTIFY for PostgreSQL, so every instance on the database hears it); the
/// bridge reads the record of a watched order that reached a final state and Push()es its
/// transaction to the watcher. Polling WeChat stays the fallback: the watcher keeps its
/// interval, so a lost event (a dropped LISTEN connection, a failed read) delays the end of a
/// watch by at most one interval and never loses it.
///
/// The bridge lives here rather than in the watcher because the ledger is the layer above:
/// PaymentWatcher knows nothing of the ledger (docs/architecture.md).
///
/// @code
///   wechatpay::PaymentWatcher watcher(client);
///   auto bridge = wechatpay::ConnectLedgerToWatcher(*ledger, watcher).value();
///   auto result = watcher.Watch(out_trade_no).get();  // ends when any instance applies the
///                                                     // callback (WatchEnd::kPushed)
///   // destroy `bridge` before `watcher` and `ledger`
/// @endcode

#include <memory>
#include <optional>

#include "wechatpay/ledger/ledger.hpp"
#include "wechatpay/ledger/records.hpp"
#include "wechatpay/ledger/store.hpp"
#include "wechatpay/ledger_export.hpp"
#include "wechatpay/models.hpp"
#include "wechatpay/payment_watcher.hpp"
#include "wechatpay/status_or.hpp"

namespace wechatpay {

/// The transaction a query would report for `order`, built from what the ledger recorded, or
/// nullopt when the order is not in a final state (kCreating, kNotPaid, kCreateFailed: the
/// last one is no trade state — WeChat never created the order).
///
/// trade_state: kPaid → "SUCCESS" ("REFUND" when WeChat's last answer said so), kClosed →
/// "CLOSED", kRevoked → "REVOKED", kPayError → "PAYERROR". Filled from the record:
/// out_trade_no, appid, transaction_id, success_time, amount (total, currency, payer_total);
/// each only when recorded. Absent because the ledger does not keep them: mchid, trade_type,
/// trade_state_desc, bank_type, attach, payer, scene_info, promotion_detail. raw_json is empty
/// (there is no answer of WeChat's behind it: the ledger's verified record is the proof, as
/// for WatchEnd::kClosed), and so is meta. An application that needs more reads the ledger.
WECHATPAY_LEDGER_EXPORT std::optional<Transaction> LedgerOrderTransaction(OrderRecord const& order);

/// Subscribes to `ledger`'s committed changes (Ledger::Subscribe()) and, for each change that
/// leaves an order watched by `watcher` (PaymentWatcher::IsWatching()) in a final state, reads
/// the order (Ledger::GetOrder()) and Push()es LedgerOrderTransaction() of it: the watch ends
/// with WatchEnd::kPushed and the ledger's transaction. Changes of unwatched orders and of
/// orders not final cost no read. A read that fails is dropped: the watcher's polling ends the
/// watch instead.
///
/// The pushes run on the store's event thread (for PostgreSQL the LISTEN connection's thread,
/// one read per final change of a watched order); the watcher's completion callbacks run there
/// too (PaymentWatcher's thread-safety note), so keep them short.
///
/// A dropped LISTEN connection loses the events until the store has reconnected (it does, with
/// backoff); the watches go on, ended by polling meanwhile.
///
/// Errors: those of Ledger::Subscribe() (kUnavailable when PostgreSQL cannot be reached): then
/// nothing is connected and the watcher only polls. The returned subscription must be destroyed
/// before `ledger` and `watcher` (it refers to both); destroying it waits for a push in
/// progress.
WECHATPAY_LEDGER_EXPORT StatusOr<std::unique_ptr<LedgerSubscription>> ConnectLedgerToWatcher(
    Ledger const& ledger, PaymentWatcher& watcher);

}  // namespace wechatpay
