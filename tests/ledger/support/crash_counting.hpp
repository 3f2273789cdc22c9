// Copyright 2026 The wechatpay-cpp Authors. SPDX-License-Identifier: Apache-2.0
#pragma once

// What the store crash tests (sqlite_crash_test, postgres_crash_test) share: notifications that
// each add one fen to an order, so that counting tells "applied once" from "lost" and "twice",
// and the check after the last restart. Only the way each test kills its deliverer differs.

#include "wechatpay/ledger/store.hpp"
#include "wechatpay/status.hpp"

namespace wechatpay::ledger_test {

/// Delivers notification `n` (id "EV-<n>") to order "ORDER-<n % orders>" through Mutate(): one
/// more fen in its total_fen (the order created with 1 by the first), one history entry.
Status DeliverCounted(LedgerStore& store, int n, int orders);

/// The last restart, run to the end in the test process: delivers every one of `notifications`
/// again from the first, then checks (Catch assertions) that each order holds each of its
/// notifications exactly once — total_fen, version and history all notifications / orders —
/// and that nothing else was applied. Returns how many notifications the killed deliverers had
/// applied before (each restart's redeliveries found them processed).
int RedeliverAllAndCheck(LedgerStore& store, int notifications, int orders);

}  // namespace wechatpay::ledger_test
